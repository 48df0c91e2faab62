/**
 * A room's hold on its saved game: the lease that makes it the one process running the game
 * (several processes on one Redis: server/store/RoomLeases.ts), and what it leaves in the store
 * when it closes — saved whole at a shutdown (then let go, for another process to take at once),
 * removed when the game is over, untouched when another process has taken the room over. A class
 * room (team mode) holds its saved class the same way (classStore.ts).
 */
import type { ClusterStore } from "../store/ClusterStore.ts";
import type { Lease, RoomLeases } from "../store/RoomLeases.ts";
import { DROP_ATTEMPTS, SHUTDOWN_SAVE_MS } from "./roomOptions.ts";

/** What saves a room: a game's Persistence, or a class's saver (classStore.ts). */
export interface RoomSaver {
  lease?: { readonly fence: number; readonly lost: boolean };
  fenced?: () => void;
  /** Takes what is to be saved now. */
  capture(): unknown;
  /** Writes what is queued, for up to `timeoutMs`; false when the store did not take it. */
  drain(timeoutMs: number): Promise<boolean>;
  readonly state: { lastError?: string };
}

/** The lease the room's writes carry; a write refused for a stale token, or a renewal that finds the room taken, calls `lost`. */
export function fenceWrites(persistence: RoomSaver, leases: RoomLeases, lease: Lease, lost: () => void): void {
  persistence.lease = lease;
  persistence.fenced = () => leases.lose(lease);
  lease.onLost = lost;
}

export interface ClosingRoom {
  store: ClusterStore;
  persistence: RoomSaver;
  key: string;
  leases?: RoomLeases;
  lease?: Lease;
  /** The server is shutting down: save, do not remove. */
  shuttingDown: boolean;
  log(line: string): void;
}

/** What a closing room does to the store (see the module comment); then its lease goes, unless another process has the room. */
export async function closeInStore(r: ClosingRoom): Promise<void> {
  if (r.lease?.lost) return;
  try {
    if (r.shuttingDown) {
      r.persistence.capture();
      if (!(await r.persistence.drain(SHUTDOWN_SAVE_MS)))
        r.log(`room ${r.key}: the store did not take the last save before shutdown (${r.persistence.state.lastError})`);
      return;
    }
    await r.persistence.drain(1_000);
    // A finished game's saved state must go, or a restart would bring it back: retried, and said when it fails.
    for (let attempt = 1; attempt <= DROP_ATTEMPTS && !r.lease?.lost; attempt++) {
      try {
        await r.store.dropRoom(r.key);
        return;
      } catch (err) {
        r.log(`room ${r.key}: cannot remove the finished game from ${r.store.describe} (attempt ${attempt} of ${DROP_ATTEMPTS}): ${(err as Error).message}`);
        if (attempt < DROP_ATTEMPTS) await new Promise((res) => setTimeout(res, 500 * attempt));
      }
    }
  } finally {
    if (r.leases && r.lease) await r.leases.release(r.lease);
  }
}
