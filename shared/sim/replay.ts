/**
 * Replays: a game played again from its options and input log. The simulation is
 * deterministic, so a replay is the same game — the basis of the determinism tests and of
 * comparing a player with the bot that would have held their seat.
 */
import { InputLog, type InputRecord } from "./inputLog.ts";
import type { ApiRequest } from "./api/requests.ts";
import type { ApiResult } from "./api/status.ts";
import { Simulation, type SimulationOptions, type SimulationSnapshot } from "./Simulation.ts";

/**
 * Plays a saved game again from its start, by its input log, up to where it was saved. Refused
 * for a game whose log is incomplete (it filled up): its replay would be another game.
 */
export function replayOf(saved: SimulationSnapshot): Simulation {
  const refusal = InputLog.replayRefusal(saved.inputsDropped ?? 0);
  if (refusal) throw new Error(refusal);
  return replay({ scenario: saved.scenario, seed: saved.seed, difficulty: saved.difficulty, botsOff: saved.botsOff }, saved.inputLog, saved.tick);
}

/**
 * Plays a recorded game again from its options and input log, up to `ticks`. With `record`
 * false the replay does not keep an input log of its own (faster; its snapshot cannot be replayed).
 */
export function replay(opts: SimulationOptions, log: readonly InputRecord[], ticks: number, record = true): Simulation {
  const r = new Replayer(opts, log, record);
  while (r.sim.tick < ticks) r.step();
  r.applyDue();
  return r.sim;
}

/**
 * A replay one step at a time, for callers that look at the game between inputs (the
 * counterfactual replays compare a player's request with the bot's choice in the same state).
 * The log must be in tick order.
 */
export class Replayer {
  readonly sim: Simulation;
  /** Index of the next record to apply. */
  next = 0;
  private readonly tokens = new Map<string, string>();

  constructor(
    opts: SimulationOptions,
    readonly log: readonly InputRecord[],
    /** Whether the replayed requests are logged again (see replay()). */
    private readonly record = true,
  ) {
    this.sim = new Simulation(opts);
  }

  /** Applies the records due at the current tick; `before` sees each one first (the state it meets). */
  applyDue(before?: (rec: InputRecord, index: number) => void): void {
    const { sim, log } = this;
    while (this.next < log.length && log[this.next].tick <= sim.tick) {
      const index = this.next++;
      const rec = log[index];
      before?.(rec, index);
      const result = this.apply(rec);
      this.after?.(rec, index, result);
    }
  }

  /** Called with each record's result once applied (set by callers that want it). */
  after?: (rec: InputRecord, index: number, result: ApiResult) => void;

  private apply(rec: InputRecord): ApiResult {
    const sim = this.sim;
    if (rec.kind === "failure") return sim.inject(rec.failure, rec.label);
    if (rec.kind === "bot") return sim.setBot(rec.seat, rec.on);
    const who = rec.who;
    if (!this.record) return sim.replayRequest(who, rec.request as ApiRequest, rec.actor);
    let token = this.tokens.get(who.user);
    if (!token) {
      token = `replay:${who.user}`;
      sim.auth.issue(token, who);
      this.tokens.set(who.user, token);
    }
    return sim.request(token, rec.request, rec.actor);
  }

  /** Applies the inputs due now, then plays one tick. */
  step(): void {
    this.applyDue();
    this.sim.step();
  }
}
