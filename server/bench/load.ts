/**
 * Load test: N rooms × M clients against the game server, the clients spread over several
 * processes (one process tops out at a few hundred sockets). Prints the server's event-loop
 * delay, CPU and memory while loaded, bytes each client receives per second at steady state,
 * and join latency.
 *
 *   npm run load [-- --rooms 100 --clients 10 --procs 4 --duration 60] [--url http://host:port]
 *   npm run load -- --processes 1,3 [--rooms 60 --clients 10 --duration 60]
 *   npm run load -- --shape class|conference [--classes 1 --teams 12 --students 60 --arrive 10 --duration 60]
 *
 * Without --url or --processes it starts its own server process (in-process store) on a free
 * loopback port, allowing this client address the N rooms (MAX_ROOMS_PER_ADDRESS). A server given
 * with --url must be started with MAX_ROOMS_PER_ADDRESS ≥ N (every room comes from this one
 * address), and METRICS_TOKEN set to that server's, so the load test can read its /metrics.
 *
 * With --processes (a list), the same load runs once per count, one after the other, against
 * that many game processes on one private Redis (server/cli/gameProcesses.ts, as `npm run
 * cluster`), each process' clients connecting to it; loadProcesses.ts prints the runs side by
 * side with each process' figures, Redis' own CPU, and the processes one Redis can serve.
 *
 * With --shape class or conference, team mode instead: classes of students in team rooms, a host
 * and a projector each (loadClass.ts). --shape rooms (the default) is the load above.
 */
import type { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import { DEFAULT_MAX_ROOMS } from "../limits/RoomCaps.ts";
import { collectMetrics, pct, startServerProcess } from "./support.ts";
import { runOnProcesses } from "./loadProcesses.ts";
import { playLoad } from "./loadPlay.ts";
import { CLASS_SHAPES, type ClassShapeName, runClassLoad } from "./loadClass.ts";

const { values } = parseArgs({
  options: {
    rooms: { type: "string", default: "100" },
    clients: { type: "string", default: "10" },
    procs: { type: "string", default: "4" },
    duration: { type: "string", default: "60" },
    url: { type: "string" },
    processes: { type: "string" },
    shape: { type: "string", default: "rooms" },
    classes: { type: "string" },
    teams: { type: "string" },
    students: { type: "string" },
    arrive: { type: "string", default: "10" },
  },
});
const rooms = Number(values.rooms);
const clients = Number(values.clients);
const procs = Math.min(Number(values.procs), rooms);
const duration = Number(values.duration);

async function main(): Promise<void> {
  if (values.shape !== "rooms") {
    const shape = CLASS_SHAPES[values.shape as ClassShapeName];
    if (!shape) throw new Error(`--shape is rooms, ${Object.keys(CLASS_SHAPES).join(" or ")}, not "${values.shape}"`);
    const n = (v: string | undefined, d: number) => (v === undefined ? d : Number(v));
    const o = { classes: n(values.classes, shape.classes), teams: n(values.teams, shape.teams), students: n(values.students, shape.students) };
    await runClassLoad({
      ...o,
      procs: Number(values.procs),
      duration,
      arrive: Number(values.arrive),
      url: values.url,
      metricsToken: process.env.METRICS_TOKEN,
    });
    return;
  }
  if (values.processes) {
    const counts = values.processes.split(",").map(Number);
    if (counts.some((c) => !Number.isInteger(c) || c < 1)) throw new Error(`--processes is a list of process counts, such as 1,3, not "${values.processes}"`);
    await runOnProcesses(counts, { rooms, clients, procs, duration });
    return;
  }
  let url = values.url;
  let server: ReturnType<typeof spawn> | undefined;
  let metricsToken = process.env.METRICS_TOKEN;
  if (!url) {
    // Every room is opened from this machine's one address: the server must allow that many (a
    // server given with --url needs MAX_ROOMS_PER_ADDRESS set likewise). The budget stays as it is.
    const started = await startServerProcess({ MAX_ROOMS_PER_ADDRESS: String(rooms), MAX_ROOMS: String(Math.max(rooms, DEFAULT_MAX_ROOMS)) });
    server = started.child;
    url = started.url;
    metricsToken = started.metricsToken;
  }
  console.log(`load: ${rooms} rooms × ${clients} clients (${rooms * clients} sockets) over ${procs} client processes, ${duration} s, server ${url}`);
  const metrics = collectMetrics(url, metricsToken);
  const results = await playLoad([url], { rooms, clients, procs, duration });
  metrics.stop();
  server?.kill("SIGTERM");
  const loaded = metrics.windows.slice(1); // the first window covers the joining phase
  const joins = results.flatMap((r) => r.joinMs).sort((a, b) => a - b);
  const total = results.reduce((n, r) => n + r.clients, 0);
  const bytes = results.reduce((n, r) => n + r.bytesPerClientPerSec * r.clients, 0) / total;
  const p99s = loaded.map((s) => s.eventLoopDelayMs.p99).sort((a, b) => a - b);
  const p50s = loaded.map((s) => s.eventLoopDelayMs.p50).sort((a, b) => a - b);
  console.log(`clients connected      ${results.reduce((n, r) => n + r.open, 0)} of ${total} at the end`);
  console.log(
    `event-loop delay       p50 ${pct(p50s, 0.5).toFixed(1)} ms, p99 ${pct(p99s, 0.5).toFixed(1)} ms (median of 5 s windows; worst window p99 ${(p99s.at(-1) ?? 0).toFixed(1)} ms)`,
  );
  console.log(
    `server CPU             ${pct(
      loaded.map((s) => s.cpuPercent).sort((a, b) => a - b),
      0.5,
    )}% of one core (median)`,
  );
  console.log(`server memory          ${Math.max(...loaded.map((s) => s.rssMiB), 0)} MiB RSS (max)`);
  console.log(`per client             ${(bytes / 1024).toFixed(2)} KB/s received at steady state`);
  console.log(`join latency           p50 ${pct(joins, 0.5).toFixed(0)} ms, p99 ${pct(joins, 0.99).toFixed(0)} ms`);
  console.log(`requests answered      ${results.reduce((n, r) => n + r.answers, 0)}`);
}

main().catch((err) => {
  console.error(`load: ${(err as Error).message}`);
  process.exit(1);
});
