/**
 * Rate limits by key — a client's network address, a token — with bounded memory: each key has
 * a token bucket (a burst, then a sustained rate), and the table holds at most `maxKeys` keys,
 * forgetting the one idle longest when a new key arrives at the cap. A forgotten key starts again
 * with a full bucket, so the cap must be well above the number of honest keys at once (a class is
 * tens of addresses; the default holds 10,000), while a flood of made-up keys costs a fixed amount
 * of memory instead of growing without end.
 */

export interface KeyedLimitOptions {
  /** Requests a key may make at once. */
  burst: number;
  /** Requests a key may make per minute, sustained. */
  perMinute: number;
  /** Keys remembered at most. @default 10_000 */
  maxKeys?: number;
}

export type KeyedVerdict = { ok: true } | { ok: false; retryAfterSec: number };

interface Bucket {
  tokens: number;
  at: number;
}

export class KeyedLimits {
  readonly burst: number;
  readonly perMinute: number;
  readonly maxKeys: number;
  /** Insertion order is recency order: a key is moved to the end each time it is seen. */
  private readonly buckets = new Map<string, Bucket>();

  constructor(opts: KeyedLimitOptions) {
    this.burst = opts.burst;
    this.perMinute = opts.perMinute;
    this.maxKeys = opts.maxKeys ?? 10_000;
  }

  private bucket(key: string, now: number): Bucket {
    let b = this.buckets.get(key);
    if (b) {
      this.buckets.delete(key);
      b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 60_000) * this.perMinute);
      b.at = now;
    } else {
      if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
      b = { tokens: this.burst, at: now };
    }
    this.buckets.set(key, b);
    return b;
  }

  /** Counts one request by `key` at wall time `now` (ms). */
  take(key: string, now = Date.now()): KeyedVerdict {
    const b = this.bucket(key, now);
    if (b.tokens >= 1) {
      b.tokens--;
      return { ok: true };
    }
    return { ok: false, retryAfterSec: Math.max(1, Math.ceil(((1 - b.tokens) / this.perMinute) * 60)) };
  }

  /** Whether `key` could make a request now, without counting one. */
  peek(key: string, now = Date.now()): boolean {
    const b = this.buckets.get(key);
    if (!b) return true;
    return Math.min(this.burst, b.tokens + ((now - b.at) / 60_000) * this.perMinute) >= 1;
  }

  /**
   * Gives back one request counted by `take` (a guess that turned out right, say): counting
   * before an answer is known keeps concurrent requests from slipping past the limit.
   */
  refund(key: string): void {
    const b = this.buckets.get(key);
    if (b) b.tokens = Math.min(this.burst, b.tokens + 1);
  }

  /** Whether `key` is remembered (it has made a request lately). */
  has(key: string): boolean {
    return this.buckets.has(key);
  }

  /** Keys remembered now (for tests and /metrics). */
  get size(): number {
    return this.buckets.size;
  }
}
