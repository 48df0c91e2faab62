/**
 * The moments a player's choice differed from the bot's: the game is replayed as it was played,
 * and just before each of the player's requests the bot of that seat is asked what it would do
 * in the very same state. The scheduler's answer is the default pick with its scores (the same
 * function the scheduler bot binds with); the other seats' bots are run dry — their requests are
 * noted, never sent — by a shadow bot that watched the game all along (so its reaction delay is
 * the real one) and by one that reacts at once (what the bot would do once it noticed).
 */
import type { RequestOf } from "../api/requests.ts";
import type { SeatRequest } from "../world/nodeSetup.ts";
import { ok } from "../api/status.ts";
import type { BotEnv, Bot } from "../bots/Bot.ts";
import { REACTION_MS } from "../bots/Bot.ts";
import { createBot } from "../bots/BotCrew.ts";
import { nodeSummaries } from "../bots/nodeSummaries.ts";
import { evaluateNodes, pickNode } from "../bots/scheduling.ts";
import type { InputRecord } from "../inputLog.ts";
import { Replayer } from "../replay.ts";
import type { Simulation, SimulationOptions } from "../Simulation.ts";
import { didWhat, sameRequest } from "./describe.ts";
import { playerOf, seatOf } from "./holdings.ts";

/** The most differing moments kept per player: the debrief shows the first few. */
export const MAX_MOMENTS = 5;

/** A moment the player's choice differed from the bot's. */
export interface Moment {
  /** Game time, ms. */
  at: number;
  seat: string;
  /** What happened, in words: "you bound web-x to node-1; the bot would have picked node-3, score 95 against 91". */
  text: string;
}

/** The game as played, with the first differing moments of each named player. */
export function playedGame(
  opts: SimulationOptions,
  log: readonly InputRecord[],
  ticks: number,
  players: readonly string[],
): { sim: Simulation; moments: Map<string, Moment[]> } {
  const r = new Replayer(opts, log, false);
  const moments = new Map<string, Moment[]>(players.map((p) => [p, []]));
  // The seats the named players sent requests from, and who still looks for moments in each.
  const lookers = new Map<string, Set<string>>();
  for (const rec of log) {
    if (rec.kind !== "request" || !moments.has(playerOf(rec.actor))) continue;
    const seat = seatOf(rec.who);
    if (seat) lookers.set(seat, (lookers.get(seat) ?? new Set()).add(playerOf(rec.actor)));
  }
  // The scheduler is compared by its pick, not by a shadow bot.
  const delay = REACTION_MS[r.sim.difficulty];
  const shadows = new Map<string, Bot>([...lookers.keys()].filter((seat) => seat !== "scheduler").map((seat) => [seat, createBot(seat, delay)]));
  const intents = new Map<string, SeatRequest[]>();
  /** The zero-delay bot's requests, per seat, for the current tick only (several players may share a seat). */
  const atOnce = new Map<string, SeatRequest[]>();
  const probe = (rec: InputRecord) => {
    if (rec.kind !== "request") return;
    const player = playerOf(rec.actor);
    const mine = moments.get(player);
    const seat = seatOf(rec.who);
    if (!mine || !seat || mine.length >= MAX_MOMENTS) return;
    const text = differs(r.sim, seat, rec.request as SeatRequest, intents.get(seat) ?? [], atOnce);
    if (!text) return;
    mine.push({ at: r.sim.now, seat, text });
    if (mine.length === MAX_MOMENTS) for (const set of lookers.values()) set.delete(player);
  };
  // A request that changed the game changes what the bot would do next.
  r.after = (_rec, _i, result) => {
    if (result.ok) atOnce.clear();
  };
  for (;;) {
    atOnce.clear();
    for (const [seat, bot] of shadows) {
      if (lookers.get(seat)?.size) intents.set(seat, r.sim.botCanAct(seat) ? dryRun(r.sim, bot) : []);
    }
    r.applyDue(probe);
    if (r.sim.tick >= ticks) break;
    r.sim.step();
  }
  return { sim: r.sim, moments };
}

/** Runs a bot for one tick without letting it change anything; returns what it would have sent. */
function dryRun(sim: Simulation, bot: Bot): SeatRequest[] {
  const sent: SeatRequest[] = [];
  const env: BotEnv = {
    state: sim.state,
    world: sim.world,
    now: sim.now,
    call: (request) => {
      sent.push(request);
      return ok("dry run: not sent");
    },
  };
  bot.tick(env);
  return sent;
}

/**
 * How the player's request differs from what the bot would do in the same state, in words, or
 * undefined when the bot would have done the same (now, or once it noticed). `probes` caches what
 * a bot reacting at once would send, per seat, while the state is the same.
 */
export function differs(
  sim: Simulation,
  seat: string,
  mine: SeatRequest,
  botNow: readonly SeatRequest[],
  probes = new Map<string, SeatRequest[]>(),
): string | undefined {
  if (mine.type === "bind") return differentBinding(sim, mine);
  if (botNow.some((r) => sameRequest(r, mine))) return undefined;
  let atOnce = probes.get(seat);
  if (!atOnce) {
    atOnce = sim.botCanAct(seat) ? dryRun(sim, createBot(seat, 0)) : [];
    probes.set(seat, atOnce);
  }
  if (atOnce.some((r) => sameRequest(r, mine))) return undefined;
  const you = `you ${didWhat(mine)}`;
  if (botNow.length > 0) return `${you}; the bot would have ${didWhat(botNow[0])} instead`;
  if (atOnce.length > 0) return `${you}; the bot would not have acted yet, and then it would have ${didWhat(atOnce[0])}`;
  return `${you}; the bot would not have done that: nothing it watches called for it`;
}

/** The scheduler: the player's node against the default pick, with both scores. */
function differentBinding(sim: Simulation, mine: RequestOf<"bind">): string | undefined {
  const pod = sim.state.pods.get(mine.pod);
  if (!pod || pod.spec.nodeName) return undefined;
  const verdicts = evaluateNodes(nodeSummaries(sim.state, pod), pod.spec.requests);
  const pick = pickNode(verdicts);
  if (pick === mine.node) return undefined;
  const yours = verdicts.find((v) => v.node === mine.node);
  const you = `you bound ${mine.pod} to ${mine.node}`;
  if (!pick) return `${you}; the bot would have left it pending: no node had room for it`;
  const best = verdicts.find((v) => v.node === pick)!;
  if (!yours) return `${you}; the bot would have picked ${pick} (score ${best.score})`;
  if (!yours.fits) return `${you}, where it did not fit (${yours.reasons.join(", ")}); the bot would have picked ${pick}, score ${best.score}`;
  if (best.score === yours.score) return `${you}; the bot would have picked ${pick}: the same score, ${best.score}, and a tie goes to the first name`;
  return `${you}; the bot would have picked ${pick}, score ${best.score} against ${yours.score}`;
}
