/**
 * Per-player message limits: a token bucket for requests (a human clicks a few times a second;
 * a script floods) and a flood window over every frame a client sends — messages of any type,
 * pings, garbage — after which the client is cut off.
 */

/** Requests a player may make per second, sustained. */
export const REQUESTS_PER_SECOND = 10;
/** Requests a player may make in a burst. */
export const REQUEST_BURST = 20;
/** Frames of any kind in FLOOD_WINDOW_MS after which the client is disconnected. */
export const FLOOD_LIMIT = 200;
/** The flood window, ms. */
export const FLOOD_WINDOW_MS = 5_000;

export type Verdict = "ok" | "limited" | "cut";

/** The request bucket: "limited" asks the player to slow down, nothing more. */
export class RateLimiter {
  private tokens = REQUEST_BURST;
  private refilledAt: number;

  constructor(now: number) {
    this.refilledAt = now;
  }

  /** Counts one request at wall time `now` (ms). */
  check(now: number): Verdict {
    this.tokens = Math.min(REQUEST_BURST, this.tokens + ((now - this.refilledAt) / 1000) * REQUESTS_PER_SECOND);
    this.refilledAt = now;
    if (this.tokens < 1) return "limited";
    this.tokens--;
    return "ok";
  }
}

/** Frames counted in fixed windows: past FLOOD_LIMIT in one window the sender is cut off. */
export class FloodWindow {
  private windowStart: number;
  private inWindow = 0;

  constructor(now: number) {
    this.windowStart = now;
  }

  /** Counts one frame at wall time `now` (ms); false once the sender is over the limit. */
  count(now: number): boolean {
    if (now - this.windowStart >= FLOOD_WINDOW_MS) {
      this.windowStart = now;
      this.inWindow = 0;
    }
    return ++this.inWindow <= FLOOD_LIMIT;
  }
}
