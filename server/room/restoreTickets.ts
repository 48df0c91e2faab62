/**
 * Restore tickets: how the server, and only the server, asks a new room to continue a saved game.
 *
 * A room's create options come from whoever calls the matchmaker, a browser included. Colyseus
 * 0.18 merges the room type's default options (`defineRoom(Room, defaults)`) over the client's,
 * so a default cannot be spoofed — but the defaults are one fixed object per room type and
 * cannot say *which* saved game to continue. So the server issues a single-use, unguessable
 * ticket that lives only in this process's memory and creates the room in this same process
 * with it; the room redeems the ticket for the store key. A client cannot forge a ticket, and
 * one it sends (or a `restore` option) is refused.
 */
import { randomUUID } from "node:crypto";

/** The create option that carries a ticket (never a store key). */
export const RESTORE_TICKET_OPTION = "restoreTicket";

/** What a client is told that asks to restore a game (only the server restores, when it starts). */
export const NO_CLIENT_RESTORE =
  "cannot create the room: a saved game cannot be restored on request. The server brings saved games back by itself when it starts; join one with its PIN";

/** Tickets not redeemed within this long are forgotten, ms (a restore redeems its ticket at once). */
const TICKET_TTL_MS = 60_000;

const tickets = new Map<string, { key: string; until: number }>();

/** A ticket to continue the game saved under `key`, for a room created in this process. */
export function issueRestoreTicket(key: string, now = Date.now()): string {
  for (const [t, v] of tickets) if (v.until < now) tickets.delete(t);
  const ticket = randomUUID();
  tickets.set(ticket, { key, until: now + TICKET_TTL_MS });
  return ticket;
}

/** The store key a ticket stands for, once: undefined for a ticket never issued, used or expired. */
export function redeemRestoreTicket(ticket: unknown, now = Date.now()): string | undefined {
  if (typeof ticket !== "string") return undefined;
  const entry = tickets.get(ticket);
  tickets.delete(ticket);
  return entry && entry.until >= now ? entry.key : undefined;
}

/** Forgets a ticket (its room failed to start). */
export function revokeRestoreTicket(ticket: string): void {
  tickets.delete(ticket);
}
