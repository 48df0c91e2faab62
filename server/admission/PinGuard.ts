/**
 * PIN guessing limits. A workshop's 6-digit PIN is all a newcomer needs, so every way to learn
 * whether a PIN is live — `/api/pin/<PIN>`, a join, `/k8s/<PIN>/…`, a debrief download — counts
 * as a guess against the client's address and against the whole process, *before* the answer is
 * known (so concurrent requests cannot slip past); a guess that names a live game is given back,
 * so honest players and kubectl never run out. An address out of guesses, or a process whose total
 * is spent (an attacker with many addresses), gets 429 with Retry-After whatever the PIN, so the
 * refusal itself tells nothing.
 *
 * What that buys: at most PIN_GUESSES_PER_MINUTE wrong PINs a minute per server process (60 by
 * default) out of 1,000,000 PINs. A given workshop's PIN is found after 500,000 guesses on average:
 * 8,333 minutes, 5.8 days, per process; in a two-hour workshop 7,200 guesses find it with
 * probability 0.72% (with ten workshops live at once, some workshop with 7.2%). Several processes
 * sharing one Redis each allow their own total: multiply by their number.
 */
import type { Response } from "express";
import { KeyedLimits } from "../limits/KeyedLimits.ts";

/**
 * Wrong PINs an address may try at once: a class behind one NAT mistyping, with headroom for
 * look-ups in flight (each is counted until its answer is known).
 */
export const PIN_GUESS_BURST_PER_ADDRESS = 30;
/** Wrong PINs an address may try per minute, sustained. */
export const PIN_GUESSES_PER_MINUTE_PER_ADDRESS = 10;
/** Wrong PINs the whole process takes per minute, from every address together (env PIN_GUESSES_PER_MINUTE). @default 60 */
export const PIN_GUESSES_PER_MINUTE = 60;
/** The process-wide burst, in minutes' worth of PIN_GUESSES_PER_MINUTE. */
export const PIN_GUESS_BURST_MINUTES = 2;

export interface Refusal {
  retryAfterSec: number;
  message: string;
}

export type Lookup<T> = { found: T } | { missing: true } | { refused: Refusal };

/** PIN_GUESSES_PER_MINUTE from the environment, or an error naming what is wrong. */
export function guessesPerMinuteFrom(value: string | undefined): number {
  if (value === undefined || value === "") return PIN_GUESSES_PER_MINUTE;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`PIN_GUESSES_PER_MINUTE must be a whole number of wrong PINs a minute (1 or more), not "${value}"`);
  return n;
}

/** The one key of the process-wide bucket. */
const EVERYONE = "*";

export class PinGuard {
  private readonly perAddress = new KeyedLimits({ burst: PIN_GUESS_BURST_PER_ADDRESS, perMinute: PIN_GUESSES_PER_MINUTE_PER_ADDRESS });
  private readonly total: KeyedLimits;

  constructor(readonly guessesPerMinute = PIN_GUESSES_PER_MINUTE) {
    this.total = new KeyedLimits({ burst: guessesPerMinute * PIN_GUESS_BURST_MINUTES, perMinute: guessesPerMinute, maxKeys: 1 });
  }

  /** Why `address` may not guess now, without counting a guess; undefined when it may. */
  refusal(address: string, now = Date.now()): Refusal | undefined {
    if (!this.perAddress.peek(address, now)) return this.addressRefusal(this.perAddress.take(address, now));
    if (!this.total.peek(EVERYONE, now)) return this.totalRefusal(this.total.take(EVERYONE, now));
    return undefined;
  }

  /** Counts one guess by `address`; a refusal when it is over its limit or the process over its total. */
  private guess(address: string, now: number): Refusal | undefined {
    const mine = this.perAddress.take(address, now);
    if (!mine.ok) return this.addressRefusal(mine);
    const all = this.total.take(EVERYONE, now);
    if (all.ok) return undefined;
    this.perAddress.refund(address);
    return this.totalRefusal(all);
  }

  /** A guess that named a live game costs nothing. */
  private forgive(address: string): void {
    this.perAddress.refund(address);
    this.total.refund(EVERYONE);
  }

  /**
   * Looks a PIN up for `address` with `find`, counting a guess unless the PIN is live. While the
   * address or the process is refused, only a caller that `vouch` accepts for the live game (a
   * kubectl token of that game, say) gets an answer; everyone else gets the refusal.
   */
  async lookUp<T>(
    address: string,
    pin: string,
    find: (pin: string) => Promise<T | undefined>,
    vouch?: (found: T) => Promise<boolean>,
    now = Date.now(),
  ): Promise<Lookup<T>> {
    const refused = this.guess(address, now);
    if (refused) {
      if (!vouch) return { refused };
      const found = await find(pin);
      return found !== undefined && (await vouch(found)) ? { found } : { refused };
    }
    const found = await find(pin);
    if (found === undefined) return { missing: true };
    this.forgive(address);
    return { found };
  }

  private addressRefusal(v: { ok: boolean; retryAfterSec?: number }): Refusal {
    const retryAfterSec = v.retryAfterSec ?? 1;
    return { retryAfterSec, message: `too many wrong PINs from your network address: check the PIN on the host's screen and try again in ${retryAfterSec} s` };
  }

  private totalRefusal(v: { ok: boolean; retryAfterSec?: number }): Refusal {
    const retryAfterSec = v.retryAfterSec ?? 1;
    return { retryAfterSec, message: `this server is getting too many wrong PINs right now (someone may be guessing): try again in ${retryAfterSec} s` };
  }
}

/** Answers a refused request: 429, Retry-After, and the message as JSON (`body` shapes it, e.g. as a Kubernetes Status). */
export function sendRefusal(res: Response, r: Refusal, body: (message: string) => unknown = (message) => ({ message })): void {
  res.setHeader("Retry-After", String(r.retryAfterSec));
  res.status(429).json(body(r.message));
}
