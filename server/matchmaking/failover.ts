/**
 * Failover: rooms of a process that died come back on the processes that live.
 *
 * Every process on Redis sweeps every FAILOVER_SWEEP_MS for saved games no process holds a lease
 * on (server/store/RoomLeases.ts: a lease lapses LEASE_MS after its process stopped renewing it).
 * A game whose last owner still listens on its Colyseus IPC channel is left alone: that process
 * lives (Redis was away, or it renewed late) and renews the lease itself. Otherwise the sweeper
 * takes the lease once it has seen the game so for FAILOVER_CONFIRM_MS — of several sweepers
 * exactly one wins — forgets the dead process' entries in
 * Colyseus' room directory (so its PIN leads to the new room, not the dead one), and restores the
 * game here with the same PIN, clock, revision, score and seats. The players' clients find it
 * by its PIN and take their seats back with their player key (client/src/net/rejoin.ts).
 * At start-up the same sweep brings back what a previous run saved.
 */
import { matchMaker } from "@colyseus/core";
import { LEASE_MS, type RoomLeases } from "../store/RoomLeases.ts";
import { pause } from "../ops/deadline.ts";

/** How often a process looks for rooms no process holds, ms. */
export const FAILOVER_SWEEP_MS = 500;
/**
 * How long a game must stay without lease and without a live owner before it is taken, ms: more
 * than a renewal period, so that when Redis comes back after an outage a live owner re-takes its
 * lapsed lease (RoomLeases' renewal) before anyone else can.
 */
export const FAILOVER_CONFIRM_MS = 750;
/** How long a game that failed to restore here is left before this process tries it again, ms. */
const RETRY_FAILED_MS = 30_000;

export interface Failover {
  /** The store keys of every saved game (ClusterStore.rooms, less what is not a game). */
  games(): Promise<string[]>;
  leases: RoomLeases;
  /** Restores the saved game under this store key in this process (its lease is taken). */
  restore(key: string): Promise<void>;
  log(line: string): void;
  /** The processes alive. @default those listening on their Colyseus IPC channel */
  liveProcesses?(): Promise<Set<string>>;
  /** Forgets a dead process' rooms in the directory. @default as Colyseus' own health check does */
  forgetProcess?(processId: string): Promise<void>;
  /** @default FAILOVER_CONFIRM_MS */
  confirmMs?: number;
}

/** What one process' sweeps remember from one to the next: when each orphan was first seen, when each restore failed. */
export interface SweepMemory {
  suspects: Map<string, number>;
  failedAt: Map<string, number>;
}

/** The processes listening on their IPC channel: the ones alive (Redis drops a dead one's subscription at once). */
async function liveProcesses(): Promise<Set<string>> {
  return new Set((await matchMaker.presence.channels("p:*")).map((channel) => channel.slice("p:".length)));
}

/** Removes a dead process' rooms from the directory and its entry from the process list (as Colyseus' own health check does). */
async function forgetProcess(processId: string): Promise<void> {
  await matchMaker.driver.cleanup?.(processId);
  await matchMaker.stats.excludeProcess(processId);
}

/**
 * Sweeps until stopped. The first sweeps are awaited, so a start-up restores before the server
 * says it runs — after waiting out the leases a dead process still holds and the confirmation
 * (LEASE_MS + FAILOVER_CONFIRM_MS at most).
 */
export async function watchForOrphans(f: Failover): Promise<{ stop(): void }> {
  const memory: SweepMemory = { suspects: new Map(), failedAt: new Map() };
  let running: Promise<unknown> | undefined;
  const sweep = () => {
    running ??= sweepOnce(f, memory)
      .catch((err) => f.log(`failover: could not look for rooms to take over: ${(err as Error).message}`))
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  // At start-up, sweep until nothing is left to wait for: orphans being confirmed, or leases a
  // dead process still holds (both over within LEASE_MS + FAILOVER_CONFIRM_MS).
  const until = Date.now() + LEASE_MS + (f.confirmMs ?? FAILOVER_CONFIRM_MS) + 2 * FAILOVER_SWEEP_MS;
  for (;;) {
    await sweep();
    if (Date.now() > until) break;
    const live = await (f.liveProcesses ?? liveProcesses)().catch(() => new Set<string>());
    const claims = await f.leases.claims(await f.games()).catch(() => []);
    const waiting = claims.some((c) => (c.ownerProcess === undefined || !live.has(c.ownerProcess) ? c.leased || memory.suspects.has(c.room) : false));
    if (!waiting) break;
    await pause(FAILOVER_SWEEP_MS);
  }
  const timer = setInterval(() => void sweep(), FAILOVER_SWEEP_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** One sweep: takes and restores every orphaned game; returns the store keys restored here. */
export async function sweepOnce(f: Failover, memory: SweepMemory = { suspects: new Map(), failedAt: new Map() }): Promise<string[]> {
  const now = Date.now();
  const { suspects, failedAt } = memory;
  const orphans = (await f.leases.claims(await f.games())).filter((c) => !c.leased && (failedAt.get(c.room) ?? 0) + RETRY_FAILED_MS < now);
  for (const room of suspects.keys()) if (!orphans.some((o) => o.room === room)) suspects.delete(room);
  if (orphans.length === 0) return [];
  // This process is alive whatever Redis says: after a Redis restart its channel is back only once
  // its subscriber has reconnected, and its own games must not be taken from it meanwhile (its
  // renewals re-take their leases; a take here would fence off the room that is still running).
  const live = new Set(await (f.liveProcesses ?? liveProcesses)());
  if (matchMaker.processId) live.add(matchMaker.processId);
  const forgotten = new Set<string>();
  const restored: string[] = [];
  for (const orphan of orphans) {
    const owner = orphan.ownerProcess;
    if (owner !== undefined && live.has(owner)) {
      suspects.delete(orphan.room);
      continue;
    }
    const since = suspects.get(orphan.room) ?? now;
    suspects.set(orphan.room, since);
    if (now - since < (f.confirmMs ?? FAILOVER_CONFIRM_MS)) continue;
    suspects.delete(orphan.room);
    const lease = await f.leases.take(orphan.room);
    if (!lease) continue;
    if (owner !== undefined && !forgotten.has(owner)) {
      forgotten.add(owner);
      await (f.forgetProcess ?? forgetProcess)(owner).catch((err) => f.log(`failover: could not forget process ${owner}: ${(err as Error).message}`));
    }
    try {
      await f.restore(orphan.room);
      restored.push(orphan.room);
      if (owner) f.log(`failover: took over ${orphan.room} from server process ${owner}, which is gone`);
    } catch (err) {
      failedAt.set(orphan.room, Date.now());
      f.log(`failover: could not restore ${orphan.room}: ${(err as Error).message}`);
      await f.leases.release(lease);
    }
  }
  return restored;
}
