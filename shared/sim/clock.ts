/** Game time: the simulation advances in fixed ticks of game time, never by the wall clock. */

/** Length of one simulation tick in game milliseconds. */
export const TICK_MS = 100;

/** Ticks in one second of game time. */
export const TICKS_PER_SECOND = 1000 / TICK_MS;

/** Converts seconds of game time to milliseconds. */
export const seconds = (s: number): number => Math.round(s * 1000);

/** Formats a game time (ms) as m:ss for logs and texts. */
export function formatGameTime(ms: number): string {
  const total = Math.floor(ms / 1000);
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m}:${s.toString().padStart(2, "0")}`;
}

/** A time long before any game starts: "never happened", and safe to store as JSON. */
export const NEVER = -1e15;
