/**
 * Per-player message limits: a token bucket for API requests (a human clicks a few times a
 * second; a script floods) and a hard ceiling after which a client is cut off.
 */

/** Requests a player may make per second, sustained. */
export const REQUESTS_PER_SECOND = 10;
/** Requests a player may make in a burst. */
export const REQUEST_BURST = 20;
/** Messages of any kind in FLOOD_WINDOW_MS after which the client is disconnected. */
export const FLOOD_LIMIT = 200;
export const FLOOD_WINDOW_MS = 5_000;

export type Verdict = "ok" | "limited" | "cut";

export class RateLimiter {
  private tokens = REQUEST_BURST;
  private refilledAt: number;
  private windowStart: number;
  private inWindow = 0;

  constructor(now: number) {
    this.refilledAt = now;
    this.windowStart = now;
  }

  /** Counts one message at wall time `now` (ms). */
  check(now: number): Verdict {
    if (now - this.windowStart >= FLOOD_WINDOW_MS) {
      this.windowStart = now;
      this.inWindow = 0;
    }
    if (++this.inWindow > FLOOD_LIMIT) return "cut";
    this.tokens = Math.min(REQUEST_BURST, this.tokens + ((now - this.refilledAt) / 1000) * REQUESTS_PER_SECOND);
    this.refilledAt = now;
    if (this.tokens < 1) return "limited";
    this.tokens--;
    return "ok";
  }
}
