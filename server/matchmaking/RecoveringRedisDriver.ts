/**
 * Colyseus' Redis matchmaking driver (the directory of every room of every process), with a
 * workaround for a bug in @colyseus/redis-driver 0.18.3 that made one Redis outage break
 * matchmaking, /api/pin, /healthz and /k8s until the process restarted.
 *
 * Upstream report (colyseus/colyseus, packages/drivers/redis-driver/src/RedisDriver.ts):
 *
 *   `getRooms()` caches the in-flight `hgetall("roomcaches")` in `_concurrentRoomCacheRequest`
 *   and the derived promise in `_roomCacheRequestByName[roomName]`, so concurrent queries share
 *   one round trip. Both fields are cleared only in the `.then()` fulfilment callback. When
 *   `hgetall` rejects (Redis unreachable: ioredis gives up with MaxRetriesPerRequestError after
 *   ~10 s), neither is cleared: every later `query()` and `findOne()` is answered with the same
 *   rejected promise, without asking Redis again, for the life of the process — even long after
 *   Redis is back.
 *
 *   Minimal fix: clear both on rejection too, e.g. move the two clean-up lines into a
 *   `.finally()` that checks the fields still hold this request:
 *
 *     this._roomCacheRequestByName[roomName] = roomCacheRequest
 *       .then((result) => { ...build the room caches... })
 *       .finally(() => {
 *         if (this._concurrentRoomCacheRequest === roomCacheRequest) this._concurrentRoomCacheRequest = undefined;
 *         delete this._roomCacheRequestByName[roomName];
 *       });
 *
 *   Test: stop Redis, call `driver.query({})` and let it reject, start Redis, call it again: it
 *   must resolve (today it rejects with the first error forever).
 *
 * Until a release has that fix, this subclass wraps `getRooms()` (private in the typings, hence
 * the instance patch) and drops both cached promises when they reject. Remove it once
 * @colyseus/redis-driver is upgraded past the fix (test/security/outages.test.ts must still pass).
 *
 * It also bounds every directory command (DRIVER_COMMAND_TIMEOUT_MS): by default ioredis holds a
 * command through ~10 s of reconnection attempts, then ~40 s more, and forever while Redis hangs,
 * so matchmaking requests would hang with it instead of failing and being retried by the client.
 */
import type { IRoomCache } from "@colyseus/core";
import { RedisDriver } from "@colyseus/redis-driver";

/**
 * How long a directory command may wait for Redis before it fails, ms (queued while Redis is
 * down, or sent while it hangs). Below DIRECTORY_TIMEOUT_MS, so a route reports the driver's own error.
 */
export const DRIVER_COMMAND_TIMEOUT_MS = 1_500;

/** The private fields of RedisDriver 0.18.3 that the workaround reaches into. */
interface DriverInternals {
  _client: { options: { commandTimeout?: number }; on(event: "error", listener: (err: Error) => void): unknown };
  getRooms(roomName?: string): Promise<IRoomCache[]>;
  _concurrentRoomCacheRequest?: Promise<unknown>;
  _roomCacheRequestByName: Record<string, Promise<IRoomCache[]> | undefined>;
}

export class RecoveringRedisDriver extends RedisDriver {
  constructor(url: string) {
    super(url);
    const internals = this as unknown as DriverInternals;
    if (typeof internals.getRooms !== "function" || typeof internals._roomCacheRequestByName !== "object" || typeof internals._client?.options !== "object") {
      throw new Error("@colyseus/redis-driver has changed: review server/matchmaking/RecoveringRedisDriver.ts (is its workaround still needed?)");
    }
    // The ioredis client reads its options at every command; none was sent yet.
    internals._client.options.commandTimeout = DRIVER_COMMAND_TIMEOUT_MS;
    // Failures reach the callers through their commands; ioredis would print each reconnection error.
    internals._client.on("error", () => {});
    const getRooms = internals.getRooms.bind(this);
    internals.getRooms = (roomName?: string) => {
      const rooms = getRooms(roomName);
      const request = internals._concurrentRoomCacheRequest;
      const name = String(roomName);
      // A side branch that only cleans up: the caller still gets (and handles) the rejection.
      rooms.catch(() => {
        if (internals._roomCacheRequestByName[name] === rooms) delete internals._roomCacheRequestByName[name];
        if (request !== undefined && internals._concurrentRoomCacheRequest === request) internals._concurrentRoomCacheRequest = undefined;
      });
      return rooms;
    };
  }
}
