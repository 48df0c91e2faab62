/**
 * Failover: rooms of a process that died come back on the processes that live.
 *
 * Every process on Redis sweeps every FAILOVER_SWEEP_MS for saved games no process holds a lease
 * on (server/store/RoomLeases.ts: a lease lapses LEASE_MS after its process stopped renewing it).
 * A game whose last owner still listens on its Colyseus IPC channel is left alone: that process
 * lives (Redis was away, or it renewed late) and renews the lease itself. Otherwise the sweeper
 * takes the lease — of several sweepers exactly one wins — forgets the dead process' entries in
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
 * Sweeps until stopped. The first sweep is awaited, so a start-up restores before the server says
 * it runs — after waiting out (LEASE_MS at most) the leases a dead process still holds.
 */
export async function watchForOrphans(f: Failover): Promise<{ stop(): void }> {
  const failedAt = new Map<string, number>();
  let running: Promise<unknown> | undefined;
  const sweep = () => {
    running ??= sweepOnce(f, failedAt)
      .catch((err) => f.log(`failover: could not look for rooms to take over: ${(err as Error).message}`))
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  await sweep();
  const live = await (f.liveProcesses ?? liveProcesses)().catch(() => new Set<string>());
  const lingering = (await f.leases.claims(await f.games()).catch(() => [])).some((c) => c.leased && c.ownerProcess && !live.has(c.ownerProcess));
  if (lingering) {
    await pause(LEASE_MS + FAILOVER_SWEEP_MS);
    await sweep();
  }
  const timer = setInterval(() => void sweep(), FAILOVER_SWEEP_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** One sweep: takes and restores every orphaned game; returns the store keys restored here. */
export async function sweepOnce(f: Failover, failedAt = new Map<string, number>()): Promise<string[]> {
  const now = Date.now();
  const orphans = (await f.leases.claims(await f.games())).filter((c) => !c.leased && (failedAt.get(c.room) ?? 0) + RETRY_FAILED_MS < now);
  if (orphans.length === 0) return [];
  const live = await (f.liveProcesses ?? liveProcesses)();
  const forgotten = new Set<string>();
  const restored: string[] = [];
  for (const orphan of orphans) {
    const owner = orphan.ownerProcess;
    if (owner !== undefined && live.has(owner)) continue;
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
