/**
 * Which process runs a saved room: a lease per room in Redis, beside the room's data in the store.
 *
 *   <p>/_lease   "<processId>:<fence>", with a time to live (LEASE_MS) its process renews
 *   <p>/_owner   the same, without one: who held the room last, to tell a lapsed lease of a live
 *                process (renewing late) from a dead process' (server/matchmaking/failover.ts)
 *   <p>/_fence   a counter raised by every take: the fencing token. Every store write of the room
 *                carries its writer's token and is refused unless it is still the room's fence
 *                (RedisStore's commit), so a process that lost its room cannot write after it.
 *
 * A take is one script (no lease → raise the fence, set lease and owner), so of two processes
 * taking the same room at once exactly one wins. One keeper per process renews all its leases
 * every LEASE_RENEW_MS; a renewal that finds the room taken by another marks the lease lost and
 * tells its room, which stops without touching the store.
 */
import { createClient } from "redis";
import { StoreUnavailable } from "./ClusterStore.ts";
import { redactUrl } from "./RedisStore.ts";

/** How long a lease lasts without renewal, ms: a dead process' rooms wait this long at most before another takes them. */
export const LEASE_MS = 1_500;
/** How often a process renews its leases, ms (a third of LEASE_MS: two renewals may fail before it lapses). */
export const LEASE_RENEW_MS = 500;
/** How long a room's fence outlives its last take, s (far past any stale writer). */
const FENCE_KEEP_SECONDS = 24 * 60 * 60;

/** KEYS: lease, owner, fence. ARGV: process id, ms. Returns the new fence, or false when the room is leased. */
const TAKE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
local fence = redis.call('INCR', KEYS[3])
redis.call('EXPIRE', KEYS[3], ${FENCE_KEEP_SECONDS})
local holder = ARGV[1] .. ':' .. fence
redis.call('SET', KEYS[1], holder, 'PX', ARGV[2])
redis.call('SET', KEYS[2], holder)
return fence
`;

/**
 * KEYS: lease, owner, fence. ARGV: holder, ms, fence. 1: renewed (also a lease that lapsed while
 * its room's fence did not move: Redis was away a moment); 0: another process has the room.
 */
const RENEW = `
local cur = redis.call('GET', KEYS[1])
if cur == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if cur == false and redis.call('GET', KEYS[3]) == ARGV[3] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  redis.call('SET', KEYS[2], ARGV[1])
  return 1
end
return 0
`;

/** KEYS: lease, owner. ARGV: holder. Lets the room go (only if still held by this holder). */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 1
`;

/** One process' hold on one room. */
export interface Lease {
  /** The room's store key. */
  readonly room: string;
  /** The fencing token every write of the room carries. */
  readonly fence: number;
  /** "<processId>:<fence>", as stored. */
  readonly holder: string;
  /** Another process has the room: stop running it, write nothing. */
  lost: boolean;
  /** Called once when the lease is found lost. */
  onLost?: () => void;
}

/** Who holds a saved room: whether a lease is on it now, and the process that held it last. */
export interface Claim {
  room: string;
  /** A process holds the room's lease now. */
  leased: boolean;
  /** The process that holds it, or held it last (undefined: it was let go, or never held). */
  ownerProcess?: string;
}

type Client = ReturnType<typeof createClient>;

export class RoomLeases {
  private readonly held = new Map<string, Lease>();
  private readonly timer: NodeJS.Timeout;

  private constructor(
    private readonly client: Client,
    private readonly base: string,
    private readonly processId: () => string,
    private readonly log: (line: string) => void,
  ) {
    this.timer = setInterval(() => void this.renewAll(), LEASE_RENEW_MS);
    this.timer.unref();
  }

  /** Whether its connection to Redis is up (a new game takes a lease: /healthz waits for it). */
  get ready(): boolean {
    return this.client.isReady;
  }

  /** Connects its own client to the store's Redis (commands fail at once while it is away). */
  static async connect(url: string, processId: () => string, log: (line: string) => void, base = "cluster-crew/"): Promise<RoomLeases> {
    const client = createClient({ url, disableOfflineQueue: true, socket: { connectTimeout: 3000, reconnectStrategy: (n) => Math.min(100 * 2 ** n, 1000) } });
    client.on("error", () => {});
    try {
      await client.connect();
    } catch (err) {
      throw new StoreUnavailable(`cannot reach Redis at ${redactUrl(url)} for the room leases: ${(err as Error).message}`);
    }
    return new RoomLeases(client as Client, base, processId, log);
  }

  private keys(room: string): string[] {
    const p = `${this.base}${room}`;
    return [`${p}/_lease`, `${p}/_owner`, `${p}/_fence`];
  }

  /** Takes the room if no process holds it; undefined when one does. */
  async take(room: string): Promise<Lease | undefined> {
    const fence = (await this.client.eval(TAKE, { keys: this.keys(room), arguments: [this.processId(), String(LEASE_MS)] })) as number | null;
    if (fence === null) return undefined;
    const lease: Lease = { room, fence, holder: `${this.processId()}:${fence}`, lost: false };
    this.held.set(room, lease);
    return lease;
  }

  /** The lease this process already took for the room (the failover took it before restoring), or a new one; throws when another process holds the room. */
  async claim(room: string): Promise<Lease> {
    const lease = this.held.get(room) ?? (await this.take(room));
    if (!lease) throw new Error(`cannot create the room: another server process runs the game saved as ${room}`);
    return lease;
  }

  /** Lets the room go, for another process to take at once (after its last save, or after dropping it). */
  async release(lease: Lease): Promise<void> {
    if (this.held.get(lease.room) === lease) this.held.delete(lease.room);
    if (lease.lost) return;
    await this.client.eval(RELEASE, { keys: this.keys(lease.room).slice(0, 2), arguments: [lease.holder] }).catch(() => undefined);
  }

  /** Renews every lease; one found taken is marked lost and its room told. A failed round (Redis away) changes nothing. */
  async renewAll(): Promise<void> {
    await Promise.all(
      [...this.held.values()].map(async (lease) => {
        let renewed: unknown;
        try {
          renewed = await this.client.eval(RENEW, { keys: this.keys(lease.room), arguments: [lease.holder, String(LEASE_MS), String(lease.fence)] });
        } catch {
          return;
        }
        if (renewed === 0 && this.held.get(lease.room) === lease) this.lose(lease);
      }),
    );
  }

  /** Marks a lease lost (a renewal or a fenced write found another process' token) and tells its room, once. */
  lose(lease: Lease): void {
    if (lease.lost) return;
    lease.lost = true;
    if (this.held.get(lease.room) === lease) this.held.delete(lease.room);
    this.log(`room ${lease.room}: another server process has taken it over; this one stops running it`);
    lease.onLost?.();
  }

  /** Who holds each of these saved rooms (`rooms`: store keys). */
  async claims(rooms: readonly string[]): Promise<Claim[]> {
    if (rooms.length === 0) return [];
    const values = await this.client.mGet(rooms.flatMap((r) => this.keys(r).slice(0, 2)));
    return rooms.map((room, i) => {
      const holder = values[2 * i] ?? values[2 * i + 1];
      return { room, leased: values[2 * i] !== null, ...(holder ? { ownerProcess: holder.slice(0, holder.lastIndexOf(":")) } : {}) };
    });
  }

  /** How many leases this process holds. */
  get size(): number {
    return this.held.size;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.client.destroy();
  }
}
