/**
 * A class's hold on the store (team mode on Redis): the class is saved under its own store key —
 * its PIN's, as a game's (storeKeyOf), so no new game or class takes the PIN while it is saved and
 * GET /api/pin says it is coming back — with a lease like a game's (server/store/RoomLeases.ts),
 * so that after a restart or the loss of its process one server process restores it (the
 * failover sweep: server/matchmaking/failover.ts, server/app.ts). What is saved is
 * server/game/classSnapshot.ts, written whenever it changed (the class room asks at each
 * projection); fenced like a game's writes. Without a durable store nothing is saved.
 */
import { StoreFenced, type ClusterStore, type WriteOp } from "../store/ClusterStore.ts";
import { pause, withDeadline } from "../ops/deadline.ts";
import type { ClassSession, TeamPort } from "../game/ClassSession.ts";
import { classSnapshot, restoreClass, type ClassSnapshot } from "../game/classSnapshot.ts";
import type { Lease } from "../store/RoomLeases.ts";
import { closeInStore, fenceWrites, type RoomSaver } from "./roomStore.ts";
import { storeKeyOf, type RoomServices } from "./roomOptions.ts";

/** The one object a saved class keeps beside its state: it gives the PIN's store key a revision (a PIN taken, a game "coming back"). */
const CLASS_MARK = "/class";
/** How long drain() waits between attempts while the store refuses, ms. */
const RETRY_PAUSE_MS = 100;

/** Saves a class's state when it changed; at most one write at a time, the newest state last. */
export class ClassSaver implements RoomSaver {
  lease?: Lease;
  fenced?: () => void;
  private saved = "";
  private pending?: string;
  private writing?: Promise<void>;
  private lastError?: string;

  constructor(
    private readonly store: ClusterStore,
    readonly key: string,
    private readonly snapshot: () => ClassSnapshot,
    /** Whether the store holds the class already (a restored class): its mark is not written again. */
    private marked: boolean,
    private readonly log: (line: string) => void,
  ) {}

  /** Takes the class as it is now, and writes it if it changed. */
  capture(): void {
    const json = JSON.stringify(this.snapshot());
    if (json !== this.saved) this.pending = json;
    void this.flush();
  }

  private flush(): Promise<void> {
    if (this.writing || this.pending === undefined) return this.writing ?? Promise.resolve();
    this.writing = this.write(this.pending).finally(() => {
      this.writing = undefined;
    });
    return this.writing;
  }

  private async write(json: string): Promise<void> {
    if (this.lease?.lost) {
      this.pending = undefined;
      return;
    }
    const ops: WriteOp[] = this.marked ? [] : [{ type: "create", key: CLASS_MARK, value: { kind: "class" } }];
    try {
      await this.store.commit(this.key, ops, { game: json, ...(this.lease ? { fence: this.lease.fence } : {}) });
    } catch (err) {
      if (err instanceof StoreFenced) {
        // Another process runs the class now: what this one holds is stale and goes nowhere.
        this.pending = undefined;
        this.log(`store: ${err.message}`);
        this.fenced?.();
        return;
      }
      if (this.lastError === undefined) this.log(`store: cannot save class ${this.key} (${(err as Error).message}); the class goes on from memory and retries`);
      this.lastError = (err as Error).message;
      return;
    }
    this.marked = true;
    this.saved = json;
    if (this.pending === json) this.pending = undefined;
    if (this.lastError !== undefined) this.log(`store: class ${this.key} saved again`);
    this.lastError = undefined;
  }

  /** Writes what is pending, retrying until the store takes it or `timeoutMs` passes. */
  async drain(timeoutMs: number): Promise<boolean> {
    const end = Date.now() + timeoutMs;
    while (this.pending !== undefined && Date.now() < end) {
      await withDeadline(this.flush(), end - Date.now(), "saving the class").catch(() => undefined);
      if (this.pending !== undefined) await pause(Math.min(RETRY_PAUSE_MS, Math.max(0, end - Date.now())));
    }
    return this.pending === undefined;
  }

  get state(): { lastError?: string } {
    return { lastError: this.lastError };
  }
}

/** The class saved under `key`, rebuilt (its team rooms are restored on their own and find it again by its PIN). */
export async function loadClass(store: ClusterStore | undefined, key: string, port: TeamPort): Promise<ClassSession> {
  if (!store) throw new Error("no store to restore from");
  const saved = await store.loadGame(key);
  if (saved === undefined) throw new Error(`no saved class under ${key} in ${store.describe}`);
  return restoreClass(JSON.parse(saved) as ClassSnapshot, port);
}

/**
 * The class's saver, with its lease taken (several processes) — before anything of the class is
 * written; none without a durable store. `handOver` runs when another process has taken the class.
 */
export async function keepClass(session: ClassSession, services: RoomServices, restored: boolean, handOver: () => void): Promise<ClassSaver | undefined> {
  const store = services.store;
  if (!store?.durable) return undefined;
  const key = storeKeyOf(session.pin);
  const lease = await services.leases?.claim(key);
  if (!restored) await store.dropRoom(key);
  const saver = new ClassSaver(store, key, () => classSnapshot(session), restored, services.log);
  if (lease) fenceWrites(saver, services.leases!, lease, handOver);
  return saver;
}

/** What a closing class leaves in the store: as a game does (roomStore.ts) — saved at a shutdown, removed when the class is over. */
export async function closeClass(
  saver: ClassSaver | undefined,
  services: RoomServices | undefined,
  shuttingDown: boolean,
  log: (l: string) => void,
): Promise<void> {
  if (!saver || !services?.store) return;
  await closeInStore({ store: services.store, persistence: saver, key: saver.key, leases: services.leases, lease: saver.lease, shuttingDown, log });
}
