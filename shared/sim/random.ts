/**
 * Seeded randomness. The simulation never calls Math.random: every random draw comes from a
 * stream derived from (game seed, tick, purpose), so a draw for traffic never shifts a draw for
 * a bot, and a game resumed at tick N draws exactly what the uninterrupted game drew.
 */

/** A deterministic pseudo-random source (mulberry32). */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

/** Mixes integers into one 32-bit hash (a small FNV-1a/murmur finaliser blend). */
export function hash32(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h ^= p >>> 0;
    h = Math.imul(h, 0x01000193);
    h ^= h >>> 13;
    h = Math.imul(h, 0x5bd1e995);
    h ^= h >>> 15;
  }
  return h >>> 0;
}

/** Hashes a string to 32 bits, for naming random streams. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The random stream for one purpose in one tick of one game. */
export function streamFor(seed: number, tick: number, purpose: string): Rng {
  return new Rng(hash32(seed, tick, hashString(purpose)));
}
