/**
 * "You against the bot": a finished game replayed, for each human player, with the normal bot in
 * their seats whenever they held them — same scenario, seed, failures and every other player's
 * requests — and the two games compared: availability, score, recovery from each incident, and
 * the first moments the player's choice differed from the bot's. The simulation is deterministic,
 * so the difference is exact.
 *
 * The work comes as tasks (the game as played, then one replay per distinct variant: players who
 * shared all their seats share one), so a caller can spread them over worker threads; or call
 * `versusBot` to run them all here.
 */
import { InputLog, type InputRecord } from "../inputLog.ts";
import { replay } from "../replay.ts";
import type { Simulation, SimulationOptions } from "../Simulation.ts";
import { indexLog, variantKey, variantLog, variantOf, type PlayerSeats, type Variant } from "./holdings.ts";
import { playedGame, type Moment } from "./moments.ts";
import { seatReactions, type SeatReaction } from "./reactions.ts";
import type { SeatFigures } from "../scoring/Scoreboard.ts";

export type { Moment, PlayerSeats };

/** A finished game as the room keeps it: enough to play it again. */
export interface SavedGame {
  options: SimulationOptions;
  inputLog: readonly InputRecord[];
  /** Inputs the log missed (it was full): such a game is not replayed. */
  inputsDropped: number;
  /** The tick the game ended at (the host may have ended it early). */
  ticks: number;
}

/** One side of the comparison. */
export interface SideFigures {
  won: boolean;
  /** Served / all ended requests over the game, 0..1. */
  availability: number;
  score: number;
  incidents: { at: number; label: string; recoveredAt?: number }[];
  /** Every seat's figures (for the reactions: shared/sim/counterfactual/reactions.ts). */
  seats: SeatFigures;
}

export interface IncidentComparison {
  /** Game ms the failure struck. */
  at: number;
  label: string;
  /** Seconds to recover with the player, and with the bot in their seats; null: not recovered. */
  withYouSec: number | null;
  withBotSec: number | null;
}

/** One player's result. */
export interface PlayerVsBot {
  nickname: string;
  /** The seats the bot took over in the replay. */
  seats: string[];
  /** Players who acted in those seats too, while this player held them (the bot replaced them as well). */
  sharedWith: string[];
  withYou: Omit<SideFigures, "incidents" | "seats">;
  withBot: Omit<SideFigures, "incidents" | "seats">;
  /** How fast the player's seats answered what the cluster needed, with them and with the bot. */
  reactions: SeatReaction[];
  incidents: IncidentComparison[];
  /** The first few moments the player's choice differed from the bot's, in game order. */
  moments: Moment[];
  /** The difference in a sentence. */
  summary: string;
}

export type VersusBotReport = { ok: true; players: PlayerVsBot[] } | { ok: false; message: string };

/** What is to be replayed: the variants (distinct), and each player's. */
export interface VersusBotPlan {
  players: PlayerSeats[];
  variants: Variant[];
  /** Per player, the index of their variant, or -1 when they held no seat and sent nothing. */
  variantOf: number[];
}

/** A task's result: the figures of one game (the first task's also has the moments). */
export interface TaskResult {
  figures: SideFigures;
  moments?: Record<string, Moment[]>;
}

/** Why the game cannot be replayed, or undefined when it can. */
export function refusal(game: SavedGame): string | undefined {
  return InputLog.replayRefusal(game.inputsDropped);
}

/** The variants to replay: one per distinct set of left-out records. */
export function planVersusBot(game: SavedGame, players: readonly PlayerSeats[]): VersusBotPlan {
  const index = indexLog(game.inputLog);
  const variants: Variant[] = [];
  const byKey = new Map<string, number>();
  const indices = players.map((p) => {
    const key = variantKey(game.inputLog, index, p);
    if (key === "|") return -1;
    let i = byKey.get(key);
    if (i === undefined) {
      i = variants.push(variantOf(game.inputLog, index, p)) - 1;
      byKey.set(key, i);
    }
    return i;
  });
  return { players: [...players], variants, variantOf: indices };
}

/** How many tasks the plan has: the game as played, then one per variant. */
export const taskCount = (plan: VersusBotPlan) => 1 + plan.variants.length;

/** Runs task `i` of the plan: 0 is the game as played (with the moments), i ≥ 1 variant i − 1. */
export function runTask(game: SavedGame, plan: VersusBotPlan, i: number): TaskResult {
  if (i === 0) {
    const played = playedGame(
      game.options,
      game.inputLog,
      game.ticks,
      plan.players.map((p) => p.nickname),
    );
    return { figures: figuresOf(played.sim), moments: Object.fromEntries(played.moments) };
  }
  const sim = replay(game.options, variantLog(game.inputLog, plan.variants[i - 1]), game.ticks, false);
  return { figures: figuresOf(sim) };
}

function figuresOf(sim: Simulation): SideFigures {
  const o = sim.outcome();
  return {
    won: o.won,
    availability: o.availability,
    score: o.score,
    incidents: o.incidents.map((i) => ({ at: i.at, label: i.label, recoveredAt: i.recoveredAt })),
    seats: o.seats,
  };
}

/** Puts the tasks' results together, one entry per player; a missing task gives a player a note instead. */
export function assemble(plan: VersusBotPlan, results: readonly (TaskResult | undefined)[]): PlayerVsBot[] {
  const played = results[0];
  if (!played) return [];
  return plan.players.map((p, i) => {
    const vi = plan.variantOf[i];
    const variant = vi >= 0 ? plan.variants[vi] : undefined;
    const bot = vi >= 0 ? results[vi + 1] : played;
    const withYou = side(played.figures);
    const base = {
      nickname: p.nickname,
      seats: variant?.seats ?? [],
      sharedWith: (variant?.actors ?? []).filter((a) => a !== p.nickname),
      withYou,
      moments: played.moments?.[p.nickname] ?? [],
    };
    if (!bot) return { ...base, withBot: withYou, reactions: [], incidents: [], summary: "The replay with the bot in your seat did not finish in time." };
    return {
      ...base,
      withBot: side(bot.figures),
      reactions: seatReactions(base.seats, played.figures.seats, bot.figures.seats),
      incidents: compareIncidents(played.figures, bot.figures),
      summary: summary(played.figures, bot.figures, variant),
    };
  });
}

/** Every player's result, all tasks run here (tests and small games; the room uses workers). */
export function versusBot(game: SavedGame, players: readonly PlayerSeats[]): VersusBotReport {
  const refused = refusal(game);
  if (refused) return { ok: false, message: refused };
  const plan = planVersusBot(game, players);
  const results = Array.from({ length: taskCount(plan) }, (_, i) => runTask(game, plan, i));
  return { ok: true, players: assemble(plan, results) };
}

const side = (f: SideFigures) => ({ won: f.won, availability: f.availability, score: f.score });
const recovery = (i: { at: number; recoveredAt?: number } | undefined) => (i?.recoveredAt === undefined ? null : Math.round((i.recoveredAt - i.at) / 100) / 10);

/** Incidents of the two games side by side (the same failures strike in both, at the same time). */
function compareIncidents(you: SideFigures, bot: SideFigures): IncidentComparison[] {
  const left = [...bot.incidents];
  return you.incidents.map((i) => {
    const k = left.findIndex((b) => b.at === i.at && b.label === i.label);
    const match = k >= 0 ? left.splice(k, 1)[0] : undefined;
    return { at: i.at, label: i.label, withYouSec: recovery(i), withBotSec: recovery(match) };
  });
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** "With you the team kept 96.2% availability and won; with the bot in your seat, 94.1% and won: you made it 2.1 points better." */
function summary(you: SideFigures, bot: SideFigures, variant: Variant | undefined): string {
  if (!variant) return `You held no seat, so the bots played the game: ${pct(you.availability)} availability.`;
  const result = (f: SideFigures) => `${pct(f.availability)} availability and ${f.won ? "won" : "lost"}`;
  // The difference of the percentages as shown (one decimal), so the sentence agrees with them.
  const points = Math.round((Number(pct(you.availability).slice(0, -1)) - Number(pct(bot.availability).slice(0, -1))) * 10) / 10;
  const verdict =
    you.won && !bot.won
      ? "you won a game the bot would have lost"
      : !you.won && bot.won
        ? "the bot would have won this game"
        : points > 0
          ? `you made it ${points} points better`
          : points < 0
            ? `the bot would have made it ${-points} points better`
            : "you made no difference to availability";
  const seat = variant.seats.length > 1 ? "your seats" : "your seat";
  return `With you the team kept ${result(you)}; with the bot in ${seat}, ${result(bot)}: ${verdict}.`;
}
