/**
 * What the student report needs that the game's input log does not say: who held which seat from
 * when to when (the log only says a seat's bot was off), the nicknames each player wore, and the
 * requests the API server refused them, with its reasons (the log keeps requests, not answers).
 * Kept by player key — the roster's id, which outlives reconnections and nickname changes —
 * bounded, and saved with the game. The host is kept too (by the host token): a solo player is
 * their game's host; a workshop's host who holds no seat has nothing to report.
 */
import { clip } from "../../shared/sim/api/ApiServer.ts";
import type { ApiFailure, ApiResult } from "../../shared/sim/api/status.ts";
import type { RefusalExample, SeatSpan } from "../../shared/protocol/report.ts";
import type { Simulation } from "../../shared/sim/Simulation.ts";
import { probeReaction, type ReactionProbe } from "./roleClock.ts";

export type { AnswerRecord } from "../../shared/teaching/answers.ts";

/** Players kept at most (the roster's MAX_MEMBERS, twice: kicked players leave the roster, not the report). */
export const MAX_STUDENTS = 600;
/** Seat stretches kept per student; past it a seat taken again extends that seat's last stretch. */
export const MAX_SPANS = 60;
/**
 * The longest message a refusal's example keeps, characters. The ledger is saved with the game
 * at every tick, so each student keeps one example per reason (the first), with a short message.
 */
export const MAX_EXAMPLE_MESSAGE = 200;
/** Nicknames remembered per student (a player may rejoin under another). */
export const MAX_NAMES = 5;
/** A seat taken back within this long after it was let go (a dropped connection) continues the same stretch, game ms. */
export const SPAN_MERGE_MS = 30_000;

/** One student as the ledger keeps them. */
export interface LedgerStudent {
  /** The nickname worn last. */
  nickname: string;
  /** Every nickname worn, oldest first (requests in the input log name their actor by nickname). */
  names: string[];
  spans: SeatSpan[];
  /** By the API server's reason: how many, and the first one as an example. */
  refusals: Record<string, { code: number; count: number; first: RefusalExample }>;
  /** By role: how many of the student's accepted requests answered a need, and how long after it in all (roleClock.ts). */
  reactions?: Record<string, ReactionTally>;
}

/** A student's reactions in one role (the role leaderboard's mean is totalMs / count). */
export interface ReactionTally {
  count: number;
  totalMs: number;
}

export type LedgerSnapshot = Record<string, LedgerStudent>;

/** A player as the ledger observes them (GameSession's Player has these fields). */
export interface Observed {
  key: string;
  nickname: string;
  spectator: boolean;
  connected: boolean;
  seats: readonly string[];
}

export class StudentLedger {
  private readonly students = new Map<string, LedgerStudent>();

  /** `now`: the game's clock, ms. */
  constructor(
    private readonly now: () => number,
    saved?: LedgerSnapshot,
    /** The game the students' requests go to (without it, reactions are not timed). */
    private readonly game?: { readonly sim: Simulation },
  ) {
    for (const [key, s] of Object.entries(saved ?? {})) this.students.set(key, structuredClone(s));
  }

  /** Every student, by player key. */
  entries(): ReadonlyMap<string, Readonly<LedgerStudent>> {
    return this.students;
  }

  /** The room's players as they are now: stretches begin and end to match. */
  observe(players: Iterable<Observed>): void {
    const now = this.now();
    const here = new Set<string>();
    for (const p of players) {
      const s = this.student(p.key, p.nickname);
      if (!s) continue;
      here.add(p.key);
      const held = p.connected && !p.spectator ? p.seats : [];
      this.sync(s, now, held);
    }
    for (const [key, s] of this.students) if (!here.has(key)) this.sync(s, now, []);
  }

  /**
   * Notes the API server's answer to a student's request (as sent: it may be malformed); returns
   * the answer unchanged. Given the request still to send (`send`), it also times an accepted one
   * against what called for it (the role leaderboard's figures).
   */
  answered(who: { key: string } | { name: string; host: boolean }, seat: string, request: unknown, send: ApiResult | (() => ApiResult)): ApiResult {
    const s = "key" in who ? this.students.get(who.key) : this.named(who);
    const probe = s && typeof send === "function" ? this.game && probeReaction(this.game.sim, seat, request) : undefined;
    const result = typeof send === "function" ? send() : send;
    if (s && result.ok && probe) this.reacted(s, probe());
    if (!s || result.ok) return result;
    const type = (request as { type?: unknown } | null)?.type;
    const example = {
      atMs: this.now(),
      seat,
      type: typeof type === "string" ? clip(type, 40) : "invalid",
      code: result.code,
      message: clip(result.message, MAX_EXAMPLE_MESSAGE),
    };
    this.refused(s, example, result);
    return result;
  }

  /** A kubectl caller's entry: the latest student wearing their nickname (a name a kicked player wore may be taken again). */
  private named(caller: { name: string; host: boolean }): LedgerStudent | undefined {
    return caller.host ? undefined : [...this.students.values()].findLast((s) => s.nickname === caller.name);
  }

  snapshot(): LedgerSnapshot {
    return Object.fromEntries([...this.students].map(([key, s]) => [key, structuredClone(s)]));
  }

  private student(key: string, nickname: string): LedgerStudent | undefined {
    let s = this.students.get(key);
    if (!s) {
      if (this.students.size >= MAX_STUDENTS) return undefined;
      s = { nickname, names: [nickname], spans: [], refusals: {} };
      this.students.set(key, s);
    }
    s.nickname = nickname;
    if (!s.names.includes(nickname)) {
      s.names.push(nickname);
      if (s.names.length > MAX_NAMES) s.names.shift();
    }
    return s;
  }

  /** Closes the open stretches of seats no longer held, and opens (or continues) those newly held. */
  private sync(s: LedgerStudent, now: number, held: readonly string[]): void {
    for (const span of s.spans) if (span.toMs === null && !held.includes(span.seat)) span.toMs = now;
    // A seat let go the moment it was taken (moved around in the lobby) was never held.
    s.spans = s.spans.filter((span) => span.toMs !== span.fromMs);
    for (const seat of held) {
      if (s.spans.some((span) => span.seat === seat && span.toMs === null)) continue;
      const last = s.spans.findLast((span) => span.seat === seat);
      // A connection that dropped and came back continues the stretch, unless another seat was taken meanwhile (a swap and back).
      const resumed = last?.toMs != null && now - last.toMs <= SPAN_MERGE_MS && !s.spans.some((sp) => sp.fromMs >= last.toMs!);
      if (last && (resumed || s.spans.length >= MAX_SPANS)) last.toMs = null;
      else s.spans.push({ seat, fromMs: now, toMs: null });
    }
  }

  private reacted(s: LedgerStudent, r: ReturnType<ReactionProbe>): void {
    if (!r) return;
    const tally = ((s.reactions ??= {})[r.role] ??= { count: 0, totalMs: 0 });
    tally.count++;
    tally.totalMs += r.ms;
  }

  private refused(s: LedgerStudent, example: RefusalExample, result: ApiFailure): void {
    const tally = (s.refusals[result.reason] ??= { code: result.code, count: 0, first: example });
    tally.count++;
  }
}
