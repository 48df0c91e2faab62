/**
 * Each token's share of a room's Kubernetes API: the game's own per-player request limits (a
 * burst, then a sustained rate; client-go waits and retries a 429 that carries Retry-After) and
 * a cap on open watches, so one script cannot crowd out a class.
 */
import { RateLimiter } from "../limits/RateLimiter.ts";

/** Watches one token may hold open at once (kubectl get -w holds one). */
export const MAX_WATCHES_PER_TOKEN = 10;
/** Limiters of tokens not seen for this long are forgotten. */
const LIMITER_IDLE_MS = 10 * 60_000;

/** Rate limiters and open-watch counts by token. */
export class TokenLimits {
  private readonly limiters = new Map<string, { limiter: RateLimiter; seen: number; watches: number }>();

  private entry(token: string, now: number) {
    let e = this.limiters.get(token);
    if (!e) {
      if (this.limiters.size > 1000) this.forgetIdle(now);
      this.limiters.set(token, (e = { limiter: new RateLimiter(now), seen: now, watches: 0 }));
    }
    e.seen = now;
    return e;
  }

  private forgetIdle(now: number): void {
    for (const [t, e] of this.limiters) if (e.watches === 0 && now - e.seen > LIMITER_IDLE_MS) this.limiters.delete(t);
  }

  /** Counts one request; false when the token is over its rate. */
  allow(token: string, now = Date.now()): boolean {
    return this.entry(token, now).limiter.check(now) === "ok";
  }

  /** Opens a watch for the token, or returns undefined when it holds too many; call the result to close it. */
  openWatch(token: string): (() => void) | undefined {
    const e = this.entry(token, Date.now());
    if (e.watches >= MAX_WATCHES_PER_TOKEN) return undefined;
    e.watches++;
    let open = true;
    return () => {
      if (open) e.watches--;
      open = false;
    };
  }
}
