/**
 * The etcd stand-in: where a room's cluster objects live, under Kubernetes' own key layout
 * (/registry/pods/default/web-7d9fx …) behind a per-room prefix. Like etcd it keeps one
 * monotonic revision per room, compare-and-swap writes, an ordered history to watch from and
 * compaction of old history. Two implementations share this contract: MemoryStore (the embedded
 * default) and RedisStore (when REDIS_URL is set).
 */

/** One stored object: its key, its value (the object as JSON) and the revision that last wrote it. */
export interface StoredObject {
  key: string;
  value: unknown;
  modRevision: number;
}

/** A write in a batch. `expected` is the key's current modRevision (compare-and-swap). */
export type WriteOp =
  | { type: "create"; key: string; value: unknown }
  | { type: "update"; key: string; value: unknown; expected: number }
  | { type: "delete"; key: string; expected: number; value?: unknown };

export interface WatchEvent {
  type: "put" | "delete";
  /** A put that created the key (etcd: create_revision == mod_revision), so watchers say ADDED. */
  created?: boolean;
  key: string;
  /** The object as written (for a delete: as it was before). */
  value: unknown;
  revision: number;
}

export interface CommitOptions {
  /** The batch applies only if the room's revision is exactly this (the caller numbered the writes). */
  atRevision?: number;
  /**
   * The batch applies only if the room's input log holds exactly this many records. With
   * atRevision it makes a batch land once: sent again after its answer was lost (the connection
   * dropped after the store applied it), it is refused, and the refusal says where the room is.
   */
  atInputs?: number;
  /** The game's non-registry state (clock, machines, score…), saved in the same atomic write. */
  game?: string;
  /**
   * Records appended to the room's input log (one JSON text each), in the same atomic write. The
   * log only grows, so it is appended tick by tick rather than rewritten with the game state.
   */
  inputs?: readonly string[];
  /**
   * The writer's fencing token (its lease on the room, server/store/RoomLeases.ts): the batch
   * applies only while the room's fence still holds this token, so a process that lost the room
   * to another cannot write after it (StoreFenced). Stores without failover ignore it.
   */
  fence?: number;
}

export interface Watch {
  /** Stops the watch. */
  close(): void;
}

export interface WatchHandlers {
  onEvent(e: WatchEvent): void;
  /** The watch cannot continue: its start was compacted away (relist), or the store went away. */
  onError(err: Error): void;
}

/** Where a room's store is: its revision and how many input records its log holds. */
export interface StorePosition {
  revision: number;
  inputs: number;
}

/** A write lost a compare-and-swap or found its key taken (409 in the API's terms). */
export class StoreConflict extends Error {
  override readonly name = "StoreConflict";
  constructor(
    message: string,
    /** Where the room is, when the batch was refused for its numbering (atRevision, atInputs). */
    readonly at?: StorePosition,
  ) {
    super(message);
  }
}

/** The refusal of a batch numbered from `from` by a room that is `at`. */
export function numberingConflict(at: StorePosition, from: CommitOptions): StoreConflict {
  const expected = [from.atRevision !== undefined ? `revision ${from.atRevision}` : "", from.atInputs !== undefined ? `${from.atInputs} input records` : ""];
  return new StoreConflict(
    `the room's store is at revision ${at.revision} with ${at.inputs} input records, but this batch was numbered from ${expected.filter(Boolean).join(" and ")}`,
    at,
  );
}

/** A write carried a fencing token the room no longer holds: another process owns the room now. */
export class StoreFenced extends Error {
  override readonly name = "StoreFenced";
}

/** A watch asked for history that compaction has removed: relist, then watch again (410 Gone). */
export class StoreCompacted extends Error {
  override readonly name = "StoreCompacted";
  constructor(
    readonly compactedRevision: number,
    requested: number,
  ) {
    super(`revision ${requested} has been compacted (history starts after ${compactedRevision}): list again and watch from the list's revision`);
  }
}

/** The room's data was dropped (the game ended, or a new one started in its place): watches end. */
export class StoreRoomDropped extends Error {
  override readonly name = "StoreRoomDropped";
}

/** The store cannot be reached. */
export class StoreUnavailable extends Error {
  override readonly name = "StoreUnavailable";
}

export interface ClusterStore {
  /** "memory" or the Redis URL (without password), for logs and /healthz. */
  readonly describe: string;
  /** Whether what is stored outlives this process (a game can then be restored from it). */
  readonly durable: boolean;
  revision(room: string): Promise<number>;
  get(room: string, key: string): Promise<StoredObject | undefined>;
  /** Every object whose key starts with `prefix`, in key order, and the revision they were read at. */
  list(room: string, prefix: string): Promise<{ items: StoredObject[]; revision: number }>;
  /** Applies every op or none; returns the room's new revision. Throws StoreConflict. */
  commit(room: string, ops: readonly WriteOp[], opts?: CommitOptions): Promise<number>;
  /**
   * Events for keys under `prefix` after `fromRevision`, in order, then live. The watch ends with
   * onError(StoreRoomDropped) when the room's data is dropped.
   */
  watch(room: string, prefix: string, fromRevision: number, handlers: WatchHandlers): Promise<Watch>;
  /** Forgets history up to and including `revision`. */
  compact(room: string, revision: number): Promise<void>;
  /** The game state saved with the last commit that carried one. */
  loadGame(room: string): Promise<string | undefined>;
  /** The room's input log: every record its commits appended, oldest first. */
  loadInputs(room: string): Promise<string[]>;
  /** Rooms that have anything stored. */
  rooms(): Promise<string[]>;
  /** Removes everything of a room. */
  dropRoom(room: string): Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Validates a batch against current modRevisions (`current(key)`: undefined = absent), where the
 * batch's writes will take revisions base+1, base+2, … — a key written twice in one batch is
 * expected at the revision its first write gets.
 */
export function checkOps(ops: readonly WriteOp[], current: (key: string) => number | undefined, base: number): void {
  const pending = new Map<string, number | undefined>();
  const now = (key: string) => (pending.has(key) ? pending.get(key) : current(key));
  let revision = base;
  for (const op of ops) {
    revision++;
    const rev = now(op.key);
    if (op.type === "create" && rev !== undefined) throw new StoreConflict(`${op.key} already exists (revision ${rev})`);
    if (op.type !== "create") {
      if (rev === undefined) throw new StoreConflict(`${op.key} does not exist`);
      if (rev !== op.expected) throw new StoreConflict(`${op.key} is at revision ${rev}, not ${op.expected}: it was changed by someone else`);
    }
    pending.set(op.key, op.type === "delete" ? undefined : revision);
  }
}
