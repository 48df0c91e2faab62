/** The in-process store: the embedded default when no REDIS_URL is set. Same contract as Redis. */
import {
  checkOps,
  StoreCompacted,
  numberingConflict,
  StoreRoomDropped,
  type ClusterStore,
  type CommitOptions,
  type StoredObject,
  type Watch,
  type WatchEvent,
  type WatchHandlers,
  type WriteOp,
} from "./ClusterStore.ts";

interface Room {
  revision: number;
  compacted: number;
  objects: Map<string, StoredObject>;
  history: WatchEvent[];
  game?: string;
  inputs: string[];
  watchers: Set<{ prefix: string; handlers: WatchHandlers }>;
}

export class MemoryStore implements ClusterStore {
  readonly describe = "memory";
  readonly durable = false;
  private readonly data = new Map<string, Room>();

  private room(name: string): Room {
    let r = this.data.get(name);
    if (!r) this.data.set(name, (r = { revision: 0, compacted: 0, objects: new Map(), history: [], inputs: [], watchers: new Set() }));
    return r;
  }

  async revision(room: string): Promise<number> {
    return this.room(room).revision;
  }

  async get(room: string, key: string): Promise<StoredObject | undefined> {
    const o = this.room(room).objects.get(key);
    return o && { ...o, value: structuredClone(o.value) };
  }

  async list(room: string, prefix: string): Promise<{ items: StoredObject[]; revision: number }> {
    const r = this.room(room);
    const items = [...r.objects.values()]
      .filter((o) => o.key.startsWith(prefix))
      .sort((a, b) => (a.key < b.key ? -1 : 1))
      .map((o) => ({ ...o, value: structuredClone(o.value) }));
    return { items, revision: r.revision };
  }

  async commit(room: string, ops: readonly WriteOp[], opts: CommitOptions = {}): Promise<number> {
    const r = this.room(room);
    if ((opts.atRevision !== undefined && opts.atRevision !== r.revision) || (opts.atInputs !== undefined && opts.atInputs !== r.inputs.length)) {
      throw numberingConflict({ revision: r.revision, inputs: r.inputs.length }, opts);
    }
    checkOps(ops, (k) => r.objects.get(k)?.modRevision, r.revision);
    const events: WatchEvent[] = [];
    for (const op of ops) {
      r.revision++;
      if (op.type === "delete") {
        const before = r.objects.get(op.key)!;
        r.objects.delete(op.key);
        events.push({ type: "delete", key: op.key, value: op.value ?? before.value, revision: r.revision });
      } else {
        const value = structuredClone(op.value);
        r.objects.set(op.key, { key: op.key, value, modRevision: r.revision });
        events.push({ type: "put", created: op.type === "create", key: op.key, value, revision: r.revision });
      }
    }
    r.history.push(...events);
    if (opts.game !== undefined) r.game = opts.game;
    for (const line of opts.inputs ?? []) r.inputs.push(line);
    for (const w of r.watchers) for (const e of events) if (e.key.startsWith(w.prefix)) w.handlers.onEvent(structuredClone(e));
    return r.revision;
  }

  async watch(room: string, prefix: string, fromRevision: number, handlers: WatchHandlers): Promise<Watch> {
    const r = this.room(room);
    if (fromRevision < r.compacted) throw new StoreCompacted(r.compacted, fromRevision);
    for (const e of r.history) if (e.revision > fromRevision && e.key.startsWith(prefix)) handlers.onEvent(structuredClone(e));
    const w = { prefix, handlers };
    r.watchers.add(w);
    return { close: () => r.watchers.delete(w) };
  }

  async compact(room: string, revision: number): Promise<void> {
    const r = this.room(room);
    if (revision <= r.compacted) return;
    r.compacted = Math.min(revision, r.revision);
    r.history = r.history.filter((e) => e.revision > r.compacted);
  }

  async loadGame(room: string): Promise<string | undefined> {
    return this.data.get(room)?.game;
  }

  async loadInputs(room: string): Promise<string[]> {
    return [...(this.data.get(room)?.inputs ?? [])];
  }

  async rooms(): Promise<string[]> {
    return [...this.data.keys()].filter((k) => this.data.get(k)!.revision > 0).sort();
  }

  async dropRoom(room: string): Promise<void> {
    const r = this.data.get(room);
    this.data.delete(room);
    for (const w of r?.watchers ?? []) w.handlers.onError(new StoreRoomDropped(`room ${room} was removed from the store`));
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {}
}
