/**
 * Staying in the game when the server process that runs it goes away (docs/PROTOCOL.md,
 * "Reconnection after failover"). Colyseus' own reconnection only knows the room it lost; with
 * several server processes the game comes back in another process as a new room under the same
 * PIN (server/matchmaking/failover.ts). So while the connection is down the client looks the PIN
 * up again; once it leads to another room (or the old one is gone for good), it joins that room
 * with the player's kept key and gets the same seats back — nobody retypes the PIN. Used by the
 * browser client (connection.ts) and by the tests' Node clients alike: it needs only a Room.
 */
import type { Room } from "@colyseus/sdk";

/** How often the PIN is looked up again while the game is away, ms. */
export const REJOIN_POLL_MS = 500;
/** How long the client keeps looking for its game before it says the game is lost, ms. */
export const REJOIN_GIVE_UP_MS = 60_000;
/** The close code of a player who left, or whom the host sent away: no coming back by itself. */
export const LEFT_ON_PURPOSE = 4000;

/** What following a game needs from its owner. */
export interface RejoinPlan<R extends Room> {
  pin: string;
  /** The room id the PIN leads to now (GET /api/pin/:pin); undefined while it leads nowhere. */
  lookup(pin: string): Promise<string | undefined>;
  /** Joins that room as the same player (joinById with the PIN and the kept player key). */
  join(roomId: string): Promise<R>;
  /** The game is in a new room now (already followed in its turn). */
  moved(room: R): void;
  status(s: "reconnecting" | "connected" | "lost", why?: string): void;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A page's lookup (RejoinPlan.lookup) on the server that served it: the room a PIN leads to now
 * (GET /api/pin/:pin), or undefined while it leads nowhere or the server cannot be reached.
 */
export async function roomOfPin(pin: string): Promise<string | undefined> {
  const res = await fetch(`/api/pin/${encodeURIComponent(pin)}`).catch(() => undefined);
  return res?.ok ? ((await res.json().catch(() => ({}))) as { roomId?: string }).roomId : undefined;
}

/**
 * Follows a game from `room` on: on a drop, Colyseus reconnects to the same room if it still
 * exists, while the PIN is looked up every REJOIN_POLL_MS; whichever comes first wins. A room
 * closed under the player (not by leaving: LEFT_ON_PURPOSE) is looked for the same way.
 */
export function followGame<R extends Room>(room: R, plan: RejoinPlan<R>): void {
  /** Bumped on every drop and reconnection: a search stops when it is no longer the latest. */
  let round = 0;
  let replaced = false;
  const search = async (left: boolean) => {
    const mine = ++round;
    const end = Date.now() + REJOIN_GIVE_UP_MS;
    while (Date.now() < end) {
      await pause(REJOIN_POLL_MS);
      if (round !== mine || replaced) return;
      const id = await plan.lookup(plan.pin).catch(() => undefined);
      // The same room while Colyseus is still reconnecting to it: let it.
      if (id === undefined || (!left && id === room.roomId)) continue;
      replaced = true;
      // The old room's reconnection attempts end at their next try (and say nothing).
      room.reconnection.maxRetries = 0;
      try {
        const next = await plan.join(id);
        followGame(next, plan);
        plan.moved(next);
        plan.status("connected");
        return;
      } catch {
        replaced = false;
      }
    }
    if (round === mine && !replaced) plan.status("lost", `the game with PIN ${plan.pin} did not come back: rejoin with the PIN`);
  };
  room.onDrop(() => {
    if (replaced) return;
    plan.status("reconnecting", "connection lost: reconnecting…");
    void search(false);
  });
  room.onReconnect(() => {
    round++;
    if (!replaced) plan.status("connected");
  });
  room.onLeave((code) => {
    if (replaced || code === LEFT_ON_PURPOSE) return;
    plan.status("reconnecting", "the game's server went away: reconnecting…");
    void search(true);
  });
}
