/**
 * A game room's settings and what it is created with: its loop and patch rates and timeouts, the
 * listing other processes see (RoomMeta), the services the server gives every room as its room
 * type's options, the store key a game is saved under, and the restore ticket check (only the
 * server restores a saved game, never a client's option).
 */
import { Encoder } from "@colyseus/schema";
import type { ClusterStore } from "../store/ClusterStore.ts";
import type { RoomCaps } from "../limits/RoomCaps.ts";
import type { RoomLeases } from "../store/RoomLeases.ts";
import { NO_CLIENT_RESTORE, redeemRestoreTicket, RESTORE_TICKET_OPTION } from "./restoreTickets.ts";

/**
 * The schema encoder's working buffer. A player joining a large cluster (50 workers, 500 pods,
 * 102 seats) receives a full view well past the 16 KB default; @colyseus/schema 5.0.34 grows its
 * buffer on overflow for the shared state but not reliably while encoding a per-player view,
 * where the joiner then decodes broken seats ("refId not found") once one structure's changes
 * pass the buffer's headroom (seen at 16 KB, not at 32 KB). 128 KB keeps a fourfold margin for
 * the largest scenario; it is one buffer per room.
 */
Encoder.BUFFER_SIZE = 128 * 1024;

/** The wall-clock loop of every room, ms (one game tick at 1× speed). */
export const LOOP_MS = 100;
/** How often clients receive state patches, ms. */
export const PATCH_MS = 200;
/** How long a dropped player's seats wait for them before going back to the bots for good. */
export const RECONNECT_SECONDS = 30;
/** How long a room restored after a restart waits for its first player before closing. */
export const RESTORED_ROOM_WAIT_MS = 10 * 60_000;
/**
 * How long a room waits for the store to take its last save when the server shuts down, ms —
 * before its clients are let go, and again after: a hung store holds a SIGTERM at most twice this.
 */
export const SHUTDOWN_SAVE_MS = 3_000;
/** Attempts to remove a finished game from the store before giving up (and saying so). */
export const DROP_ATTEMPTS = 3;

export interface RoomMeta {
  pin: string;
  mode: string;
  scenario: string;
  phase: string;
  players: number;
}

/**
 * What the server gives every room it defines: `defineRoom(ClusterRoom, { services })`. Colyseus
 * puts a room type's options over the client's, so a client cannot replace them.
 */
export interface RoomServices {
  /** Where games are persisted (the etcd stand-in); none: games live in memory only. */
  store?: ClusterStore;
  log(line: string): void;
  /** The server's room caps and simulation budget. */
  caps: RoomCaps;
  /** How long a workshop's host may be gone before the game pauses, ms (env HOST_AWAY_SECONDS). @default HOST_AWAY_MS */
  hostAwayMs?: number;
  /** The address students open (PUBLIC_URL, or this machine's first LAN address): a class shows it with its PIN. */
  joinUrl?: () => string;
  /** With several processes on one Redis: the leases that say which process runs each saved game (failover). */
  leases?: RoomLeases;
}

/** The store key of a room: its PIN, so a restarted server finds it again. */
export const storeKeyOf = (pin: string) => `pin-${pin}`;

/** A client's create options (or the server's own restore ticket, see restoreTickets.ts), with the server's services. */
export type RoomOptions = Record<string, unknown> & { services: RoomServices };

/**
 * The store key of the saved game a room is to continue: only the server's own ticket names one.
 * A client that asks for a restore is refused: saved games come back when the server starts.
 */
export function restoreKeyOf(options: unknown): string | undefined {
  if (typeof options !== "object" || options === null) return undefined;
  const o = options as Record<string, unknown>;
  const asked = Object.hasOwn(o, "restore") || Object.hasOwn(o, RESTORE_TICKET_OPTION);
  if (!asked) return undefined;
  const key = redeemRestoreTicket(o[RESTORE_TICKET_OPTION]);
  if (key === undefined || Object.hasOwn(o, "restore")) {
    throw new Error(NO_CLIENT_RESTORE);
  }
  return key;
}
