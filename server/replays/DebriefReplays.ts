/**
 * A room's "you against the bot": when its game enters the debrief, the finished game goes to the
 * replay workers (ReplayPool) once, for every player; the room keeps the result and hands each
 * client what is theirs — a player their own comparison, the host everyone's — on arrival and to
 * anyone who joins later, and puts it in the debrief JSON.
 */
import { playerOf, seatOf } from "../../shared/sim/counterfactual/holdings.ts";
import type { PlayerSeats, SavedGame } from "../../shared/sim/counterfactual/versusBot.ts";
import type { Simulation } from "../../shared/sim/Simulation.ts";
import type { VsBotMessage } from "../../shared/protocol/serverMessages.ts";
import type { GameSession, Player } from "../game/GameSession.ts";
import type { ReplayPool } from "./ReplayPool.ts";

/** A finished game as the replays need it (the records are never changed once logged: no copy). */
export function savedGameOf(sim: Simulation): SavedGame {
  const botsOff = sim.snapshot({ objects: false, inputLog: false }).botsOff;
  return {
    options: { scenario: sim.scenario, seed: sim.seed, difficulty: sim.difficulty, botsOff },
    inputLog: sim.inputLog,
    inputsDropped: sim.inputsDropped,
    ticks: sim.tick,
  };
}

/**
 * The players to compare with the bot: everyone in the room but spectators who holds a seat or
 * sent a request from one (the others' replay would be the game itself), and everyone who sent
 * one and is gone — the host sees them too, and a room restored in its debrief has nobody yet.
 */
export function playersOf(session: GameSession): PlayerSeats[] {
  const actors = new Set<string>();
  for (const r of session.sim.inputLog) if (r.kind === "request" && seatOf(r.who)) actors.add(playerOf(r.actor));
  const here = [...session.players.values()].filter((p) => !p.spectator);
  const present = here.filter((p) => p.seats.length > 0 || actors.has(p.nickname)).map((p) => ({ nickname: p.nickname, seats: [...p.seats] }));
  const names = new Set(here.map((p) => p.nickname));
  const gone = [...actors].filter((a) => !names.has(a)).map((nickname) => ({ nickname, seats: [] }));
  return [...present, ...gone];
}

export class DebriefReplays {
  private result?: VsBotMessage;
  private warmed = false;

  constructor(
    private readonly pool: () => ReplayPool,
    private readonly log: (line: string) => void,
  ) {}

  /** The replays' state for the debrief JSON (everyone's), once they started. */
  get current(): VsBotMessage | undefined {
    return this.result;
  }

  /** Starts the replays the first time the game is seen over; `deliver` runs when there is news for the clients. */
  update(session: GameSession, deliver: () => void): void {
    // The threads start while the game runs, so the debrief does not wait for them to load.
    if (!this.warmed && session.phase === "running") {
      this.warmed = true;
      this.pool().warm();
    }
    if (this.result || session.phase !== "debrief") return;
    this.result = { status: "running", players: [] };
    deliver();
    const pin = session.pin;
    this.pool()
      .run(savedGameOf(session.sim), playersOf(session))
      .then((run) => {
        this.result = run.report.ok ? { status: "done", players: run.report.players } : { status: "refused", message: run.report.message, players: [] };
        this.log(`room ${pin}: you-against-the-bot: ${run.tasks} games replayed in ${run.ms.toFixed(0)} ms${run.report.ok ? "" : ` (${run.report.message})`}`);
      })
      .catch((err: Error) => {
        this.result = { status: "refused", message: "the replays failed on the server (now logged)", players: [] };
        this.log(`room ${pin}: you-against-the-bot failed: ${err.stack ?? err}`);
      })
      .finally(deliver);
  }

  /** What one member of the room receives: the host everyone's, a player their own, a spectator nothing. */
  messageFor(player: Player | undefined): VsBotMessage | undefined {
    if (!this.result || !player || player.spectator) return undefined;
    if (player.host) return this.result;
    return { ...this.result, players: this.result.players.filter((p) => p.nickname === player.nickname) };
  }
}
