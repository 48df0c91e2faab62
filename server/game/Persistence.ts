/**
 * Write-through from a game to its store: at the end of every tick, the tick's writes (numbered
 * by the simulation's own revisions), the game's non-registry state and the input records new
 * since the last tick go to the store in one atomic batch, so the store's revision always equals
 * the simulation's. The input log is appended, never rewritten: only the game state, which is
 * small and bounded, is serialised whole each tick (docs/PERFORMANCE.md). If the store is
 * unreachable the game plays on from memory; batches queue, are retried with back-off and land
 * together, in order, when the store is back — nothing is lost. Every write is numbered by the
 * room's revision and input count (CommitOptions), so nothing lands twice either: a write whose
 * answer was lost is found landed by the next one's refusal (landedBefore).
 */
import type { Change } from "../../shared/sim/objects/ClusterState.ts";
import type { ClusterObject } from "../../shared/sim/objects/types.ts";
import { Simulation, type InputRecord, type SimulationSnapshot } from "../../shared/sim/Simulation.ts";
import { StoreConflict, StoreFenced, StoreUnavailable, type ClusterStore, type StorePosition, type WriteOp } from "../store/ClusterStore.ts";
import { pause, withDeadline } from "../ops/deadline.ts";

/** History older than this many revisions is compacted away. */
export const HISTORY_REVISIONS = 5_000;
/** Compaction runs every this many ticks. */
const COMPACT_EVERY_TICKS = 600;
/** Retry back-off after a failed write: doubles from this… */
const RETRY_BASE_MS = 100;
/** …up to this. */
const RETRY_MAX_MS = 5_000;

export interface PersistenceStatus {
  /** Ticks written but not yet in the store. */
  queued: number;
  /** The store's revision as last written. */
  storedRevision: number;
  /** Failed attempts in a row. */
  failures: number;
  lastError?: string;
}

interface Batch {
  ops: WriteOp[];
  /** The revision the batch starts after. */
  base: number;
  /** The revision after the batch. */
  revision: number;
  game: string;
  /** Input records new in this batch, as JSON. */
  inputs: string[];
}

export function toOps(changes: readonly Change[]): WriteOp[] {
  return changes.map((c): WriteOp => {
    if (c.type === "delete") return { type: "delete", key: c.key, expected: c.previous, value: c.object };
    return c.previous === 0 ? { type: "create", key: c.key, value: c.object } : { type: "update", key: c.key, value: c.object, expected: c.previous };
  });
}

/**
 * What is persisted: a simulation's writes and input log, and the JSON of whatever holds it (a
 * game, a room).
 */
export interface PersistedSource {
  sim: Simulation;
  /** The non-registry state to save beside the objects, without the input log (stored apart). */
  state(): string;
}

/** A simulation saved alone (the headless runner). */
export function simSource(sim: Simulation): PersistedSource {
  return { sim, state: () => JSON.stringify(sim.snapshot({ objects: false, inputLog: false })) };
}

/** A saved game as read back: its state, and how many input records the store held for it. */
export interface LoadedGame<T> {
  state: T;
  inputsStored: number;
}

export class Persistence {
  private queue: Batch[] = [];
  private flushing: Promise<void> | undefined;
  private retryAt = 0;
  private status: PersistenceStatus;
  /** A pending wipe of the room's stored objects (a new game in the same room), awaited before writing. */
  private wiping: Promise<void> | undefined;
  /** How many of the simulation's input records are queued or stored already. */
  private inputsTaken: number;
  /** How many input records the store holds for this game (every write is numbered from it too). */
  private inputsStored: number;
  /**
   * The room's lease (several processes: server/store/RoomLeases.ts): its fencing token goes with
   * every write, and once it is lost nothing is written. A refused write calls `fenced`.
   */
  lease?: { readonly fence: number; readonly lost: boolean };
  fenced?: () => void;
  /** Writes writeNow() saved that capture() has not returned yet. */
  private early: Change[] = [];

  constructor(
    private readonly store: ClusterStore,
    readonly room: string,
    private readonly source: PersistedSource,
    /** Told about outages and recoveries, one line each. */
    private readonly report: (line: string) => void = () => {},
    storedRevision = 0,
    /** Input records the store already holds for this game (a resumed game's, from load()). */
    inputsStored = 0,
  ) {
    this.status = { queued: 0, storedRevision, failures: 0 };
    this.inputsTaken = inputsStored;
    this.inputsStored = inputsStored;
  }

  /**
   * Takes the tick's writes and state (and returns the writes, with any writeNow() took since the
   * last capture); call after every step.
   */
  capture(): Change[] {
    const early = this.early;
    this.early = [];
    const changes = this.take();
    return early.length > 0 ? [...early, ...changes] : changes;
  }

  /**
   * Between ticks (a write from kubectl): takes the writes made since the last capture and saves
   * them now, waiting up to `timeoutMs` as drain() does. The next capture() returns them, for
   * whoever shows the tick's writes (the room's etcd log).
   */
  writeNow(timeoutMs: number): Promise<boolean> {
    this.early.push(...this.take());
    return this.drain(timeoutMs);
  }

  private take(): Change[] {
    const { sim } = this.source;
    const changes = sim.drainChanges();
    const revision = sim.state.revision;
    // The game's own state is only worth serialising where it can outlive the process.
    const game = this.store.durable ? this.source.state() : "";
    const log = sim.inputLog;
    const inputs = this.store.durable ? log.slice(this.inputsTaken).map((r) => JSON.stringify(r)) : [];
    this.inputsTaken = log.length;
    const last = this.queue.at(-1);
    const base = last ? last.revision : this.status.storedRevision;
    this.queue.push({ ops: toOps(changes), base, revision, game, inputs });
    this.status.queued = this.queue.length;
    return changes;
  }

  /**
   * Starts over: the source now holds a different simulation (the host picked another scenario
   * in the lobby), so what is stored goes and the new game's writes start from revision 0.
   */
  reset(): void {
    // The new simulation's creations are still pending in it: the next capture writes them from 0.
    this.queue = [];
    this.early = [];
    this.inputsTaken = 0;
    this.inputsStored = 0;
    this.status = { queued: 0, storedRevision: 0, failures: 0 };
    this.retryAt = 0;
    const wipe: Promise<void> = this.store
      .dropRoom(this.room)
      .catch((err) => this.report(`store: cannot clear room ${this.room} (${(err as Error).message})`))
      .then(() => {
        if (this.wiping === wipe) this.wiping = undefined;
      });
    this.wiping = wipe;
  }

  /** Writes what is queued, unless a retry back-off is still running. Never throws. */
  flush(now = Date.now()): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.queue.length === 0 || now < this.retryAt) return Promise.resolve();
    this.flushing = this.write().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async write(): Promise<void> {
    if (this.wiping) await this.wiping;
    if (this.lease?.lost) {
      this.queue = [];
      return;
    }
    // Everything queued goes in one batch: after an outage the store catches up in one step.
    const queued = this.queue.slice();
    const last = queued[queued.length - 1];
    const inputs = queued.flatMap((b) => b.inputs);
    let written = queued;
    try {
      await this.store.commit(
        this.room,
        queued.flatMap((b) => b.ops),
        {
          atRevision: queued[0].base,
          atInputs: this.inputsStored,
          ...(this.store.durable ? { game: last.game } : {}),
          ...(inputs.length ? { inputs } : {}),
          ...(this.lease ? { fence: this.lease.fence } : {}),
        },
      );
    } catch (err) {
      const landed = err instanceof StoreConflict && err.at ? this.landedBefore(queued, err.at) : 0;
      if (landed === 0) return this.failed(err as Error);
      // An earlier write of these ticks landed though its answer was lost (the connection dropped
      // after the store applied it): they are stored once, and the rest go at the next flush.
      written = queued.slice(0, landed);
      this.retryAt = 0;
      this.report(`store: room ${this.room}'s write of ${landed} tick${landed === 1 ? "" : "s"} had landed though its answer was lost`);
    }
    const stored = written[written.length - 1];
    this.queue.splice(0, written.length);
    this.inputsStored += written.reduce((n, b) => n + b.inputs.length, 0);
    if (this.status.failures > 0) {
      this.report(`store: back after ${this.status.failures} failed attempts; wrote ${written.length} queued ticks (revision ${stored.revision})`);
    }
    this.status.failures = 0;
    this.status.lastError = undefined;
    this.status.storedRevision = stored.revision;
    this.status.queued = this.queue.length;
    if (this.source.sim.tick % COMPACT_EVERY_TICKS === 0 && stored.revision > HISTORY_REVISIONS) {
      await this.store.compact(this.room, stored.revision - HISTORY_REVISIONS).catch(() => {});
    }
  }

  /** A write the store refused or did not answer: fenced off for good, or retried with back-off. */
  private failed(err: Error): void {
    if (err instanceof StoreFenced) {
      // Another process runs the room now: what this one holds is stale and goes nowhere.
      this.queue = [];
      this.report(`store: ${err.message}`);
      this.fenced?.();
      return;
    }
    this.status.failures++;
    this.status.lastError = err.message;
    const delay = Math.min(RETRY_BASE_MS * 2 ** (this.status.failures - 1), RETRY_MAX_MS);
    this.retryAt = Date.now() + delay;
    if (this.status.failures === 1 || err instanceof StoreUnavailable === false) {
      this.report(`store: cannot write room ${this.room} (${this.status.lastError}); the game goes on from memory and retries`);
    }
  }

  /**
   * How many of `batches` (from the first) the store holds already, by where it is: a write whose
   * answer was lost may have landed, and sending it again would find the room past it. 0 when the
   * store is not at the end of any of them (someone else wrote: a real conflict). Of ticks that
   * wrote nothing (same revision, no input), the first is taken: resending the others only saves
   * the game state again.
   */
  private landedBefore(batches: readonly Batch[], at: StorePosition): number {
    let inputs = this.inputsStored;
    for (let i = 0; i < batches.length; i++) {
      inputs += batches[i].inputs.length;
      if (batches[i].revision === at.revision && inputs === at.inputs) return i + 1;
    }
    return 0;
  }

  /**
   * Writes everything queued, retrying until the store takes it or `timeoutMs` passes — also when
   * a write hangs (a hung Redis): the write goes on, the wait ends at the deadline.
   */
  async drain(timeoutMs = 10_000): Promise<boolean> {
    const end = Date.now() + timeoutMs;
    while (this.queue.length > 0 && Date.now() < end) {
      await withDeadline(this.flush(), end - Date.now(), "saving").catch(() => undefined);
      if (this.queue.length > 0) await pause(Math.max(10, Math.min(this.retryAt - Date.now(), end - Date.now())));
    }
    return this.queue.length === 0;
  }

  get state(): PersistenceStatus {
    return { ...this.status, queued: this.queue.length };
  }

  /**
   * Reads back what was saved for a room: the saved state, with the registry's objects and the
   * input log put back into the simulation snapshot found by `simOf`. (A game saved before the
   * log was stored apart keeps the log it carries; the first capture appends it to the store.)
   */
  static async load<T>(store: ClusterStore, room: string, simOf: (state: T) => SimulationSnapshot): Promise<LoadedGame<T>> {
    const saved = await store.loadGame(room);
    if (saved === undefined) throw new Error(`no saved game for room "${room}" in ${store.describe}`);
    const inputs = await store.loadInputs(room);
    const { items, revision } = await store.list(room, "/registry/");
    const state = JSON.parse(saved) as T;
    const snap = simOf(state);
    if (snap.cluster.revision !== revision) {
      throw new Error(`room "${room}" is inconsistent in ${store.describe}: objects at revision ${revision}, game state at ${snap.cluster.revision}`);
    }
    snap.cluster.objects = items.map((i) => i.value as ClusterObject);
    if (inputs.length > 0) snap.inputLog = inputs.map((line) => JSON.parse(line) as InputRecord);
    return { state, inputsStored: inputs.length };
  }

  /** Rebuilds a headless game from the store alone: the registry's objects and the saved game state. */
  static async resume(store: ClusterStore, room: string): Promise<Simulation> {
    return Simulation.restore((await Persistence.load<SimulationSnapshot>(store, room, (s) => s)).state);
  }
}
