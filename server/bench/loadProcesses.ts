/**
 * `npm run load -- --processes 1,3`: the same load against 1, then 3 game processes on one
 * private Redis (fresh processes and an emptied Redis per run), side by side. On one machine the
 * processes share its cores, so the totals say little about more machines; what carries over is
 * per process — its clients and event-loop p99 and CPU — and Redis' own CPU per 1,000 clients,
 * read from Redis (`INFO cpu`) every METRICS window. From them: the clients one process holds at
 * p99 ≤ P99_TARGET_MS, and how many such processes one Redis (one core) can serve.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { startLocalRedis, startProcesses } from "../cli/gameProcesses.ts";
import { DEFAULT_MAX_ROOMS } from "../limits/RoomCaps.ts";
import { METRICS_WINDOW_MS } from "../ops/metrics.ts";
import { playLoad } from "./loadPlay.ts";
import { collectMetrics, pct } from "./support.ts";

/** The event-loop delay a process must stay under, p99 of a window, ms. */
export const P99_TARGET_MS = 20;
/** Share of one core a process' load is projected up to (the measured clients scaled by CPU), %: room left for bursts. */
export const PROCESS_CPU_CEILING = 70;
/** Share of one core Redis (one thread runs its commands) is planned up to, %. */
export const REDIS_CPU_CEILING = 70;

interface Load {
  rooms: number;
  clients: number;
  procs: number;
  duration: number;
}

interface ProcessFigures {
  clients: number;
  /** Median of the loaded windows' p99, and the worst window's, ms. */
  p99: number;
  worstP99: number;
  /** % of one core, median window. */
  cpu: number;
}

interface Run {
  processes: number;
  clients: number;
  open: number;
  perProcess: ProcessFigures[];
  /** Redis' CPU, % of one core, median window. */
  redisCpu: number;
  /** Redis' CPU with the processes running and no client, % of one core (one window). */
  redisIdle: number;
}

/** Redis' CPU time so far, s (user + system, every thread), from INFO cpu. */
function redisCpuSeconds(url: string): number {
  const info = execFileSync("redis-cli", ["-u", url, "info", "cpu"], { encoding: "utf8" });
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, "m").exec(info)?.[1] ?? 0);
  return field("used_cpu_user") + field("used_cpu_sys");
}

/** Clients per process now, by public address, from Colyseus' room directory in Redis. */
function clientsByAddress(url: string): Map<string, number> {
  const out = new Map<string, number>();
  const raw = execFileSync("redis-cli", ["-u", url, "--raw", "hvals", "roomcaches"], { encoding: "utf8" });
  for (const line of raw.split("\n").filter(Boolean)) {
    const room = JSON.parse(line) as { publicAddress?: string; clients?: number };
    out.set(room.publicAddress ?? "", (out.get(room.publicAddress ?? "") ?? 0) + (room.clients ?? 0));
  }
  return out;
}

const median = (xs: number[]) =>
  pct(
    [...xs].sort((a, b) => a - b),
    0.5,
  );

/** Redis' CPU per 1,000 connected clients above its idle baseline, % of one core. */
const per1000 = (r: Run) => (Math.max(0, r.redisCpu - r.redisIdle) * 1000) / Math.max(1, r.open);

async function runOnce(count: number, load: Load, redisUrl: string): Promise<Run> {
  execFileSync("redis-cli", ["-u", redisUrl, "flushall"], { stdio: "ignore" });
  const token = randomBytes(16).toString("hex");
  const env = { METRICS_TOKEN: token, MAX_ROOMS_PER_ADDRESS: String(load.rooms), MAX_ROOMS: String(Math.max(load.rooms, DEFAULT_MAX_ROOMS)) };
  // A process' own complaints (a failed save, a refused room) are worth seeing; its other lines are not.
  const onLine = (i: number, line: string) => /fail|cannot|error/i.test(line) && console.error(`[${i}] ${line}`);
  const started = await startProcesses({ count, redisUrl, basePort: 0, host: "127.0.0.1", env, onLine });
  try {
    // Redis' baseline: the processes' own traffic (leases, the failover sweep, Colyseus' presence) with no client.
    const idleFrom = { at: Date.now(), cpu: redisCpuSeconds(redisUrl) };
    await new Promise((r) => setTimeout(r, METRICS_WINDOW_MS));
    const redisIdle = ((redisCpuSeconds(redisUrl) - idleFrom.cpu) / ((Date.now() - idleFrom.at) / 1000)) * 100;
    const metrics = started.processes.map((p) => collectMetrics(p.url, token));
    const redisWindows: number[] = [];
    let last = { at: Date.now(), cpu: redisCpuSeconds(redisUrl) };
    let counted = new Map<string, number>();
    const sampler = setInterval(() => {
      const now = { at: Date.now(), cpu: redisCpuSeconds(redisUrl) };
      redisWindows.push(((now.cpu - last.cpu) / ((now.at - last.at) / 1000)) * 100);
      last = now;
      // The clients each process holds, at its fullest (before the workers leave).
      const seen = clientsByAddress(redisUrl);
      if ([...seen.values()].reduce((a, b) => a + b, 0) >= [...counted.values()].reduce((a, b) => a + b, 0)) counted = seen;
    }, METRICS_WINDOW_MS);
    console.log(`load: ${load.rooms} rooms × ${load.clients} clients against ${count} process(es) on ${redisUrl}, ${load.duration} s`);
    const results = await playLoad(
      started.processes.map((p) => p.url),
      load,
    );
    clearInterval(sampler);
    for (const m of metrics) m.stop();
    // The first windows cover the joining phase.
    const perProcess = started.processes.map((p, i) => {
      const loaded = metrics[i].windows.slice(1);
      const p99s = loaded.map((w) => w.eventLoopDelayMs.p99);
      return { clients: counted.get(p.publicAddress) ?? 0, p99: median(p99s), worstP99: Math.max(0, ...p99s), cpu: median(loaded.map((w) => w.cpuPercent)) };
    });
    return {
      processes: count,
      clients: results.reduce((n, r) => n + r.clients, 0),
      open: results.reduce((n, r) => n + r.open, 0),
      perProcess,
      redisCpu: median(redisWindows.slice(1)),
      redisIdle,
    };
  } finally {
    await started.stop();
  }
}

/** Runs the load once per process count and prints the runs side by side, then what they say about one Redis. */
export async function runOnProcesses(counts: number[], load: Load): Promise<void> {
  const redis = await startLocalRedis();
  const runs: Run[] = [];
  try {
    for (const count of counts) runs.push(await runOnce(count, load, redis.url));
  } finally {
    redis.stop();
  }
  const col = (f: (r: Run) => string) => runs.map((r) => f(r).padEnd(34)).join("");
  const list = (r: Run, f: (p: ProcessFigures) => string) => r.perProcess.map(f).join(" / ");
  console.log(`\n${"".padEnd(28)}${col((r) => `${r.processes} process${r.processes > 1 ? "es" : ""}`)}`);
  console.log(`${"clients connected at end".padEnd(28)}${col((r) => `${r.open} of ${r.clients}`)}`);
  console.log(`${"clients per process".padEnd(28)}${col((r) => list(r, (p) => String(p.clients)))}`);
  console.log(`${"event-loop p99, ms".padEnd(28)}${col((r) => list(r, (p) => p.p99.toFixed(1)))}`);
  console.log(`${"worst window p99, ms".padEnd(28)}${col((r) => list(r, (p) => p.worstP99.toFixed(1)))}`);
  console.log(`${"process CPU, % of a core".padEnd(28)}${col((r) => list(r, (p) => p.cpu.toFixed(0)))}`);
  console.log(`${"Redis CPU, % of a core".padEnd(28)}${col((r) => r.redisCpu.toFixed(1))}`);
  console.log(`${"Redis CPU idle, % of a core".padEnd(28)}${col((r) => r.redisIdle.toFixed(1))}`);
  console.log(`${"Redis CPU per 1,000 clients".padEnd(28)}${col((r) => `${per1000(r).toFixed(1)} % (above idle)`)}`);

  // Per process: the measured load when on target, and that load scaled to PROCESS_CPU_CEILING of a core.
  const onTarget = runs.flatMap((r) => r.perProcess).filter((p) => p.p99 <= P99_TARGET_MS && p.clients > 0 && p.cpu > 0);
  if (onTarget.length === 0) {
    console.log(`\nno process stayed at p99 ≤ ${P99_TARGET_MS} ms: lower the load (--rooms) and run again`);
    return;
  }
  const measured = Math.max(...onTarget.map((p) => p.clients));
  const projected = median(onTarget.map((p) => (p.clients * PROCESS_CPU_CEILING) / p.cpu));
  const redisPer1000 = median(runs.map(per1000));
  const idlePerProcess = median(runs.map((r) => r.redisIdle / r.processes));
  // Each process costs Redis its idle share plus its clients' share.
  const perRedis = Math.floor(REDIS_CPU_CEILING / (idlePerProcess + (redisPer1000 * projected) / 1000));
  console.log(`\nper-process CCU at p99 ≤ ${P99_TARGET_MS} ms: ${measured} measured; ~${Math.round(projected)} projected to ${PROCESS_CPU_CEILING}% of a core`);
  console.log(`Redis CPU per 1,000 clients: ${redisPer1000.toFixed(1)}% of a core, plus ${idlePerProcess.toFixed(2)}% per idle process`);
  console.log(`processes one Redis can serve (to ${REDIS_CPU_CEILING}% of its core): ~${perRedis} (~${Math.round((perRedis * projected) / 1000)}k clients)`);
}
