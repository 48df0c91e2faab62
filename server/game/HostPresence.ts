/**
 * Whether a workshop's host is still there. A host whose connection has been gone for
 * `awayMs` (dropped, or closed and not rejoined with the host token) leaves a game nobody else
 * may pause or end: it pauses (as the phase table says, phases.ts) and every screen says
 * "waiting for the host" until the host is back, who then resumes it. Solo and watch games have
 * no one to wait for.
 */
import type { GameSession } from "./GameSession.ts";
import { PHASE_RULES } from "./phases.ts";

/** How long a workshop's host may be gone before the game pauses and waits, ms (env HOST_AWAY_SECONDS). */
export const HOST_AWAY_MS = 30_000;

/** HOST_AWAY_SECONDS as ms, or the default; a clear error for anything but a positive number. */
export function hostAwayMsFrom(raw: string | undefined): number {
  if (raw === undefined || raw === "") return HOST_AWAY_MS;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`HOST_AWAY_SECONDS must be a number of seconds above 0, not "${raw}"`);
  return Math.round(seconds * 1000);
}

export class HostPresence {
  /** Wall-clock ms since which no host connection has been seen; undefined while one is here. */
  private awaySince?: number;
  /** The host has been gone `awayMs`: every screen says "waiting for the host". */
  waiting = false;

  /** @param awayMs how long the host may be gone, ms (@default HOST_AWAY_MS) */
  constructor(public awayMs = HOST_AWAY_MS) {}

  /** Looks at the session at wall time `now`; true when the phase or `waiting` changed. */
  watch(session: GameSession, now: number): boolean {
    if (session.options.mode !== "workshop") return false;
    let here = false;
    for (const p of session.players.values()) if (p.host && p.connected) here = true;
    if (here) {
      this.awaySince = undefined;
      const was = this.waiting;
      this.waiting = false;
      return was;
    }
    this.awaySince ??= now;
    if (this.waiting || now - this.awaySince < this.awayMs) return false;
    this.waiting = true;
    const to = PHASE_RULES[session.phase].hostAway;
    if (to) session.phase = to;
    return true;
  }
}
