/**
 * The input log: everything that came into a game from outside (players' requests, injected
 * failures, seats handed between humans and bots), in order, so the game can be played again
 * exactly — for determinism checks and for replays. It is bounded: past MAX_INPUT_LOG_CHARS the
 * game plays on but the log stops recording and is marked incomplete, and such a game is not
 * replayed (a log with a gap would replay another game).
 */
import type { Identity } from "./api/identity.ts";

/**
 * The most characters of JSON the input log holds, 8 MiB. Sixty players at a realistic rate stay
 * far below it in the longest scenario; only requests at the rate limit all game long reach it
 * (docs/PERFORMANCE.md, "What a room saves").
 */
export const MAX_INPUT_LOG_CHARS = 8 * 1024 * 1024;

/** Something that came from outside the simulation, with the tick it arrived before. */
export type InputRecord =
  | { tick: number; kind: "request"; who: Identity; request: unknown; actor: string }
  | { tick: number; kind: "failure"; failure: unknown; label?: string }
  | { tick: number; kind: "bot"; seat: string; on: boolean };

export class InputLog {
  readonly records: InputRecord[];
  /** Inputs that arrived once the log was full: the log is complete while this is 0. */
  dropped: number;
  private chars = 0;

  constructor(records: InputRecord[] = [], dropped = 0) {
    this.records = records;
    this.dropped = dropped;
    for (const r of records) this.chars += JSON.stringify(r).length;
  }

  get complete(): boolean {
    return this.dropped === 0;
  }

  /** Records an input, unless the log is full: from then on it only counts what it missed. */
  add(r: InputRecord): void {
    const chars = JSON.stringify(r).length;
    if (this.dropped > 0 || this.chars + chars > MAX_INPUT_LOG_CHARS) {
      this.dropped++;
      return;
    }
    this.records.push(r);
    this.chars += chars;
  }

  /** Why a game with this log cannot be replayed, or undefined when it can. */
  static replayRefusal(dropped: number): string | undefined {
    if (dropped === 0) return undefined;
    return `this game cannot be replayed: its input log is incomplete (it filled its ${MAX_INPUT_LOG_CHARS / 1024 / 1024} MiB, and ${dropped} inputs came after)`;
  }
}
