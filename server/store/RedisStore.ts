/**
 * The cluster store on Redis. Per room, behind the prefix `<base><room>`:
 *   <p>/registry/…   one string key per object (the object as JSON), in Kubernetes' etcd layout
 *   <p>/_rev          the room's revision          <p>/_mods     hash: key → modRevision
 *   <p>/_index        sorted set of keys (lists a prefix in key order)
 *   <p>/_history      stream of writes, entry id = "<revision>-0" (watch, compaction)
 *   <p>/_compacted    the revision history is compacted up to      <p>/_game   the game's own state
 *   <p>/_inputs       list: the game's input log, appended by commits (never rewritten)
 *   <p>/_drops        how often the room was dropped (outlives the drop for a day: ends old watches)
 *   <p>/_fence, <p>/_lease, <p>/_owner   which process runs the room (server/store/RoomLeases.ts)
 * A batch is applied by one Lua script, so it lands whole or not at all and no reader sees half.
 */
import { createClient } from "redis";
import {
  StoreCompacted,
  numberingConflict,
  StoreConflict,
  StoreFenced,
  StoreRoomDropped,
  StoreUnavailable,
  type ClusterStore,
  type CommitOptions,
  type StoredObject,
  type Watch,
  type WatchHandlers,
  type WriteOp,
} from "./ClusterStore.ts";

type Client = ReturnType<typeof createClient>;

/**
 * Applies a batch: checks the room revision and every compare-and-swap, then writes everything.
 * ARGV: revision expected, game state present, game state, room, k = input records, the k
 * records, the fencing token ('' = unfenced), the input log's length expected (-1: any), then
 * four per op. A batch numbered from elsewhere answers where the room is. KEYS: the room's six bookkeeping
 * keys, its input list, its fence, then one per op. A fenced batch whose token is not the room's
 * current fence (another process took the room: RoomLeases.ts) is refused before anything else.
 */
const COMMIT = `
local fence = ARGV[6 + tonumber(ARGV[5])]
local holder = redis.call('GET', KEYS[8])
if fence ~= '' and holder ~= fence then return {'fenced', holder or '0'} end
local rev = tonumber(redis.call('GET', KEYS[1]) or '0')
local at = tonumber(ARGV[1])
local k = tonumber(ARGV[5])
local atInputs = tonumber(ARGV[7 + k])
if (at >= 0 and rev ~= at) or (atInputs >= 0 and redis.call('LLEN', KEYS[7]) ~= atInputs) then
  return {'revision', tostring(rev), tostring(redis.call('LLEN', KEYS[7]))}
end
local h = 7 + k
local n = (#ARGV - h) / 4
local pending = {}
local next = rev
for i = 1, n do
  local b = h + (i - 1) * 4
  local t, expected, key = ARGV[b + 1], tonumber(ARGV[b + 2]), ARGV[b + 3]
  next = next + 1
  local cur = pending[key]
  if cur == nil then cur = redis.call('HGET', KEYS[3], key) end
  if cur == false or cur == 'gone' then cur = nil end
  if t == 'create' then
    if cur ~= nil then return {'exists', key, tostring(cur)} end
  else
    if cur == nil then return {'missing', key} end
    if tonumber(cur) ~= expected then return {'stale', key, tostring(cur)} end
  end
  if t == 'delete' then pending[key] = 'gone' else pending[key] = tostring(next) end
end
for i = 1, n do
  local b = h + (i - 1) * 4
  local t, key, value = ARGV[b + 1], ARGV[b + 3], ARGV[b + 4]
  rev = rev + 1
  if t == 'delete' then
    if value == '' then value = redis.call('GET', KEYS[8 + i]) or '' end
    redis.call('DEL', KEYS[8 + i])
    redis.call('ZREM', KEYS[2], key)
    redis.call('HDEL', KEYS[3], key)
  else
    redis.call('SET', KEYS[8 + i], value)
    redis.call('ZADD', KEYS[2], 0, key)
    redis.call('HSET', KEYS[3], key, rev)
  end
  redis.call('XADD', KEYS[4], rev .. '-0', 't', t, 'k', key, 'v', value)
end
redis.call('SET', KEYS[1], rev)
if ARGV[2] == '1' then redis.call('SET', KEYS[5], ARGV[3]) end
for j = 1, k do redis.call('RPUSH', KEYS[7], ARGV[5 + j]) end
redis.call('SADD', KEYS[6], ARGV[4])
return {'ok', tostring(rev)}
`;

/** Reads a consistent list: the keys under a prefix, their values and the revision, in one script. */
/** How long a dropped room's drop counter is kept (far longer than any watch stays open). */
const DROP_MARK_SECONDS = 24 * 60 * 60;

const LIST = `
local keys = redis.call('ZRANGEBYLEX', KEYS[2], '[' .. ARGV[1], '[' .. ARGV[1] .. '\\255')
local out = {redis.call('GET', KEYS[1]) or '0'}
for _, k in ipairs(keys) do
  table.insert(out, k)
  table.insert(out, redis.call('GET', ARGV[2] .. k) or '')
  table.insert(out, redis.call('HGET', KEYS[3], k) or '0')
end
return out
`;

export interface RedisStoreOptions {
  url: string;
  /** Key prefix shared by every room of this deployment. @default "cluster-crew/" */
  base?: string;
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString().replace(/\/$/, "");
  } catch {
    return url;
  }
}

export class RedisStore implements ClusterStore {
  readonly describe: string;
  readonly durable = true;
  private readonly base: string;
  private connectedOnce = false;

  private constructor(
    private readonly client: Client,
    private readonly url: string,
    base: string,
  ) {
    this.describe = redactUrl(url);
    this.base = base;
  }

  /**
   * Connects, failing fast with a one-line error naming the URL when nothing answers there. Once
   * connected, a lost connection is retried with back-off; commands fail at once while it is down.
   */
  static async connect(opts: RedisStoreOptions): Promise<RedisStore> {
    let store: RedisStore | undefined;
    const client = createClient({
      url: opts.url,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: 3000,
        reconnectStrategy: (retries, cause) =>
          store?.connectedOnce
            ? Math.min(100 * 2 ** retries, 2000)
            : new StoreUnavailable(`cannot reach Redis at ${redactUrl(opts.url)}: ${cause.message || cause.name}`),
      },
    });
    // Connection errors are reported through failing commands; an unhandled 'error' would crash.
    client.on("error", () => {});
    store = new RedisStore(client as Client, opts.url, opts.base ?? "cluster-crew/");
    try {
      await client.connect();
    } catch (err) {
      const message = (err as Error).message;
      const why = message.startsWith("cannot reach Redis") ? message : `cannot reach Redis at ${redactUrl(opts.url)}: ${message}`;
      throw new StoreUnavailable(why);
    }
    store.connectedOnce = true;
    return store;
  }

  private p(room: string): string {
    return `${this.base}${room}`;
  }

  private async run<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof StoreConflict || err instanceof StoreCompacted || err instanceof StoreFenced) throw err;
      throw new StoreUnavailable(`Redis at ${this.describe} failed to ${what}: ${(err as Error).message}`);
    }
  }

  async revision(room: string): Promise<number> {
    return this.run("read the revision", async () => Number((await this.client.get(`${this.p(room)}/_rev`)) ?? 0));
  }

  async get(room: string, key: string): Promise<StoredObject | undefined> {
    return this.run("get", async () => {
      const p = this.p(room);
      const [value, mod] = (await this.client.multi().get(`${p}${key}`).hGet(`${p}/_mods`, key).execTyped()) as [string | null, string | null];
      if (value === null || mod === null) return undefined;
      return { key, value: JSON.parse(value), modRevision: Number(mod) };
    });
  }

  async list(room: string, prefix: string): Promise<{ items: StoredObject[]; revision: number }> {
    return this.run("list", async () => {
      const p = this.p(room);
      const reply = (await this.client.eval(LIST, { keys: [`${p}/_rev`, `${p}/_index`, `${p}/_mods`], arguments: [prefix, p] })) as string[];
      const items: StoredObject[] = [];
      for (let i = 1; i + 2 < reply.length; i += 3) {
        if (reply[i + 1] === "") continue;
        items.push({ key: reply[i], value: JSON.parse(reply[i + 1]), modRevision: Number(reply[i + 2]) });
      }
      return { items, revision: Number(reply[0]) };
    });
  }

  async commit(room: string, ops: readonly WriteOp[], opts: CommitOptions = {}): Promise<number> {
    const p = this.p(room);
    const keys = [`${p}/_rev`, `${p}/_index`, `${p}/_mods`, `${p}/_history`, `${p}/_game`, `${this.base}_rooms`, `${p}/_inputs`, `${p}/_fence`];
    const inputs = opts.inputs ?? [];
    const fence = opts.fence === undefined ? "" : String(opts.fence);
    const args = [
      String(opts.atRevision ?? -1),
      opts.game === undefined ? "0" : "1",
      opts.game ?? "",
      room,
      String(inputs.length),
      ...inputs,
      fence,
      String(opts.atInputs ?? -1),
    ];
    for (const op of ops) {
      keys.push(`${p}${op.key}`);
      const value = op.type === "delete" ? (op.value === undefined ? "" : JSON.stringify(op.value)) : JSON.stringify(op.value);
      args.push(op.type, String(op.type === "create" ? 0 : op.expected), op.key, value);
    }
    const reply = await this.run("commit", async () => (await this.client.eval(COMMIT, { keys, arguments: args })) as string[]);
    switch (reply[0]) {
      case "ok":
        return Number(reply[1]);
      case "fenced":
        throw new StoreFenced(`room ${room} is run by another process now (fence ${reply[1]}, this writer holds ${opts.fence}): the write is refused`);
      case "revision":
        throw numberingConflict({ revision: Number(reply[1]), inputs: Number(reply[2]) }, opts);
      case "exists":
        throw new StoreConflict(`${reply[1]} already exists (revision ${reply[2]})`);
      case "missing":
        throw new StoreConflict(`${reply[1]} does not exist`);
      default:
        throw new StoreConflict(`${reply[1]} is at revision ${reply[2]}: it was changed by someone else`);
    }
  }

  async watch(room: string, prefix: string, fromRevision: number, handlers: WatchHandlers): Promise<Watch> {
    const p = this.p(room);
    const compacted = await this.run("read compaction", async () => Number((await this.client.get(`${p}/_compacted`)) ?? 0));
    if (fromRevision < compacted) throw new StoreCompacted(compacted, fromRevision);
    const reader = this.client.duplicate();
    reader.on("error", () => {});
    await this.run("open a watch", () => reader.connect());
    let open = true;
    let last = `${fromRevision}-0`;
    const deliver = (entries: { id: string; message: Record<string, string> }[]) => {
      for (const e of entries) {
        last = e.id;
        const m = e.message;
        if (!m.k.startsWith(prefix)) continue;
        handlers.onEvent({
          type: m.t === "delete" ? "delete" : "put",
          ...(m.t === "delete" ? {} : { created: m.t === "create" }),
          key: m.k,
          value: m.v === "" ? null : JSON.parse(m.v),
          revision: Number(e.id.split("-")[0]),
        });
      }
    };
    // Dropping a room bumps its drop counter (which outlives the drop): a watch that sees it move
    // ends before delivering anything read after it, so a new game in the room is never mixed in.
    const drops = await this.run("open a watch", () => reader.get(`${p}/_drops`));
    const dropped = async () => (await reader.get(`${p}/_drops`)) !== drops;
    const loop = async () => {
      try {
        for (;;) {
          // Exclusive start "(" : the entry after the last one delivered.
          let entries = ((await reader.xRange(`${p}/_history`, `(${last}`, "+", { COUNT: 1000 })) ?? []) as { id: string; message: Record<string, string> }[];
          if (!open) return;
          if (entries.length === 0) {
            const live = await reader.xRead({ key: `${p}/_history`, id: last }, { BLOCK: 500, COUNT: 1000 });
            if (!open) return;
            entries = (live as { messages: { id: string; message: Record<string, string> }[] }[] | null)?.[0]?.messages ?? [];
          }
          if (await dropped()) {
            open = false;
            handlers.onError(new StoreRoomDropped(`room ${room} was removed from the store`));
            return;
          }
          deliver(entries);
        }
      } catch (err) {
        if (open) handlers.onError(new StoreUnavailable(`watch on Redis at ${this.describe} ended: ${(err as Error).message}`));
      } finally {
        reader.destroy();
      }
    };
    void loop();
    return {
      close: () => {
        open = false;
      },
    };
  }

  async compact(room: string, revision: number): Promise<void> {
    const p = this.p(room);
    await this.run("compact", async () => {
      const current = Number((await this.client.get(`${p}/_rev`)) ?? 0);
      const upTo = Math.min(revision, current);
      const before = Number((await this.client.get(`${p}/_compacted`)) ?? 0);
      if (upTo <= before) return;
      await this.client
        .multi()
        .set(`${p}/_compacted`, String(upTo))
        .xTrim(`${p}/_history`, "MINID", `${upTo + 1}-0`)
        .execTyped();
    });
  }

  async loadGame(room: string): Promise<string | undefined> {
    return this.run("load the game", async () => (await this.client.get(`${this.p(room)}/_game`)) ?? undefined);
  }

  async loadInputs(room: string): Promise<string[]> {
    return this.run("load the input log", () => this.client.lRange(`${this.p(room)}/_inputs`, 0, -1));
  }

  async rooms(): Promise<string[]> {
    return this.run("list rooms", async () => (await this.client.sMembers(`${this.base}_rooms`)).sort());
  }

  async dropRoom(room: string): Promise<void> {
    const p = this.p(room);
    await this.run("drop a room", async () => {
      const keys = await this.client.zRange(`${p}/_index`, 0, -1);
      const all = [...keys.map((k) => `${p}${k}`), `${p}/_rev`, `${p}/_index`, `${p}/_mods`, `${p}/_history`, `${p}/_compacted`, `${p}/_game`, `${p}/_inputs`];
      await this.client.multi().del(all).sRem(`${this.base}_rooms`, room).incr(`${p}/_drops`).expire(`${p}/_drops`, DROP_MARK_SECONDS).execTyped();
    });
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.client.ping()) === "PONG";
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
