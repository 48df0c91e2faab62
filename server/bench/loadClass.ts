/**
 * `npm run load -- --shape class|conference`: team mode under load (issue #12). `class` is one
 * class of 60 students in 12 teams, `conference` ten such classes (600 students in 120 team rooms),
 * on one server process; --classes, --teams and --students change the shape. The classes are
 * played by worker processes (loadClassWorker.ts) — below the server's CPU priority while their
 * students join, at the lowest once seated (JOINING_NICE); this prints the
 * server's event loop while joining and while playing, bytes per student and the projector's own
 * traffic, join latency from the PIN look-up to seated in the team room, each against its target,
 * and the machine's load average meanwhile.
 */
import type { ChildProcess } from "node:child_process";
import { availableParallelism, loadavg } from "node:os";
import { getScenario } from "../../shared/sim/scenarios/index.ts";
import { DEFAULT_MAX_ROOMS, DEFAULT_SIM_CPU_BUDGET_MS } from "../limits/RoomCaps.ts";
import { roomCostMs, scenarioPods } from "../limits/roomCost.ts";
import { METRICS_WINDOW_MS } from "../ops/metrics.ts";
import type { ProbeResult } from "./loadClassProbe.ts";
import { startWorker } from "./loadPlay.ts";
import { JOIN_STEPS, type JoinStep } from "./loadStudent.ts";
import { collectMetrics, pct, startServerProcess } from "./support.ts";

/** The shapes: classes × teams × students per class. */
export const CLASS_SHAPES = {
  class: { classes: 1, teams: 12, students: 60 },
  conference: { classes: 10, teams: 12, students: 60 },
} as const;
export type ClassShapeName = keyof typeof CLASS_SHAPES;

/** Targets on the project's 2-core machine (issue #12). */
export const TARGETS = {
  /** Server event-loop delay p99 while playing (median 5 s window), ms. */
  loopP99Ms: 20,
  /** Bytes a student receives per second while playing, both connections together, KB/s. */
  studentKBps: 3,
  /** PIN look-up to seated in the team room, p99, ms. */
  joinP99Ms: 300,
};

/** Share of each class's students the join probe brings (loadClassProbe.ts), at least one a class. */
export const PROBE_SHARE = 0.2;

/** What one class worker reports. */
export interface ClassWorkerResult {
  students: number;
  seated: number;
  failures: string[];
  /** PIN look-up to seated in the team room, ms, ascending. */
  joinMs: number[];
  /** The same in its steps (ms each, one entry per student, unsorted): where a join's time goes. */
  joinSteps: Record<JoinStep, number[]>;
  /** Bytes each student had received by each room's welcome (its full state and the welcome message). */
  welcomeBytes: { cls: number[]; team: number[] };
  /** The worker's own event-loop delay (p99, max, ms) and CPU (% of one core) while its students joined. */
  joining: { loopP99Ms: number; loopMaxMs: number; cpuPercent: number };
  /** Per student per second over the play window: both connections, the class room's, the team room's. */
  studentBytesPerSec: number;
  classBytesPerStudentPerSec: number;
  teamBytesPerStudentPerSec: number;
  projectorBytesPerSec: number;
  hostBytesPerSec: number;
  answers: number;
  /** Students with both connections open at the end. */
  open: number;
  /** The play window (epoch ms): the server's figures between these are the loaded ones. */
  window: { from: number; to: number };
}

export interface ClassLoad {
  classes: number;
  teams: number;
  students: number;
  procs: number;
  duration: number;
  /** Seconds over which a class's students arrive (each at a random moment). */
  arrive: number;
  url?: string;
  metricsToken?: string;
}

/**
 * The client processes' CPU priority (nice) while their students join. A join is timed by its
 * client, so the clients must not starve — at the lowest priority (19) they timed their own wait
 * for a core (their loop p99 0.7-2.5 s on a busy machine, 90 ms on an idle one) — nor starve the
 * server, whose cores they share here and would not in a classroom: at the normal priority (0)
 * they stalled its event loop up to 270 ms. In between, the server comes first and the clients
 * run whenever it leaves a core. Once seated each steps back to the lowest (WORKER_NICE), so
 * that the play window measures the server.
 */
export const JOINING_NICE = 10;

const median = (xs: number[]) =>
  pct(
    [...xs].sort((a, b) => a - b),
    0.5,
  );
const verdict = (ok: boolean) => (ok ? "met" : "MISSED");

export async function runClassLoad(o: ClassLoad): Promise<void> {
  let { url, metricsToken } = o;
  let server: ChildProcess | undefined;
  if (!url) {
    // Every class comes from this one address; its team rooms count as the server's own. A
    // conference's 120 standard games are more than the default simulation budget (500 ms/s).
    const budget = Math.ceil(o.classes * o.teams * roomCostMs({ pods: scenarioPods(getScenario("free-play")!), speed: 1 }));
    const env = {
      MAX_ROOMS_PER_ADDRESS: String(o.classes),
      MAX_ROOMS: String(Math.max(o.classes * (o.teams + 1), DEFAULT_MAX_ROOMS)),
      SIM_CPU_BUDGET: String(Math.max(budget, DEFAULT_SIM_CPU_BUDGET_MS)),
    };
    const started = await startServerProcess(env);
    server = started.child;
    url = started.url;
    metricsToken = started.metricsToken;
  }
  const procs = Math.max(1, Math.min(o.procs, o.classes));
  const sockets = o.classes * (o.students * 2 + 2);
  console.log(
    `load: ${o.classes} class(es) × ${o.teams} teams × ${o.students} students (${sockets} sockets) over ${procs} client process(es), students arriving over ${o.arrive} s, ${o.duration} s of play, server ${url}`,
  );
  const metrics = collectMetrics(url, metricsToken);
  const loads: number[] = [];
  const sampler = setInterval(() => loads.push(loadavg()[0]), METRICS_WINDOW_MS);
  const startedAt = Date.now();
  const loadAtStart = loadavg()[0];
  const shares = Array.from({ length: procs }, (_, i) => Math.floor(o.classes / procs) + (i < o.classes % procs ? 1 : 0));
  const probed = Math.min(o.students, Math.max(1, Math.round(o.students * PROBE_SHARE)));
  // The probe: a few students of every class, from a process of its own at the normal priority; it hears each class's PIN as its worker opens it.
  const probe = startWorker<ProbeResult>("server/bench/loadClassProbe.ts", [url, String(probed), String(o.arrive)], { nice: 0 });
  const args = (share: number) => [url!, String(share), String(o.teams), String(o.students), String(o.students - probed), String(o.duration), String(o.arrive)];
  const onLine = (line: string) => line.startsWith("class ") && probe.tell(line);
  const results = await Promise.all(
    shares.map((share) => startWorker<ClassWorkerResult>("server/bench/loadClassWorker.ts", args(share), { nice: JOINING_NICE, onLine }).result),
  ).finally(() => probe.tell("stop"));
  const probeResult = await probe.result.finally(() => {
    metrics.stop();
    clearInterval(sampler);
    server?.kill("SIGTERM");
  });
  report(results, probeResult, metrics.windows, { startedAt, loadAtStart, loads });
}

type Windows = ReturnType<typeof collectMetrics>["windows"];

function report(
  results: ClassWorkerResult[],
  probe: ProbeResult,
  windows: Windows,
  machine: { startedAt: number; loadAtStart: number; loads: number[] },
): void {
  const sum = (f: (r: ClassWorkerResult) => number) => results.reduce((n, r) => n + f(r), 0);
  const students = sum((r) => r.students) + probe.students;
  const seated = sum((r) => r.seated);
  const failures = [...results.flatMap((r) => r.failures), ...probe.failures];
  // Weighted by the students each worker seated (projector and host: by its classes' count, equal here).
  const perStudent = (f: (r: ClassWorkerResult) => number) => sum((r) => f(r) * r.seated) / Math.max(1, seated);
  const mean = (f: (r: ClassWorkerResult) => number) => sum(f) / results.length;
  // Loaded windows lie wholly inside every worker's play window (a window ends at most half a window before it is read).
  const from = Math.max(...results.map((r) => r.window.from));
  const to = Math.min(...results.map((r) => r.window.to));
  const play = windows.filter((w) => w.at - METRICS_WINDOW_MS * 1.5 >= from && w.at <= to);
  const joining = windows.filter((w) => w.at > machine.startedAt && w.at - METRICS_WINDOW_MS * 1.5 < Math.min(...results.map((r) => r.window.from)));
  const p99s = play.map((w) => w.eventLoopDelayMs.p99);
  const joins = results.flatMap((r) => r.joinMs).sort((a, b) => a - b);
  const loopP99 = median(p99s);
  const kbps = perStudent((r) => r.studentBytesPerSec) / 1024;
  const joinP99 = pct(probe.joinMs, 0.99);
  console.log(`students seated          ${seated + probe.seated} of ${students}${failures.length ? ` — failures: ${failures.join("; ")}` : ""}`);
  console.log(`students connected       ${sum((r) => r.open) + probe.open} of ${seated + probe.seated} at the end`);
  console.log(
    `event-loop delay, play   p50 ${median(play.map((w) => w.eventLoopDelayMs.p50)).toFixed(1)} ms, p99 ${loopP99.toFixed(1)} ms (median of ${play.length} 5 s windows; worst window p99 ${Math.max(0, ...p99s).toFixed(1)} ms, longest stall ${Math.max(0, ...play.map((w) => w.eventLoopDelayMs.max)).toFixed(0)} ms) — target ≤ ${TARGETS.loopP99Ms} ms: ${verdict(play.length > 0 && loopP99 <= TARGETS.loopP99Ms)}`,
  );
  console.log(
    `event-loop delay, joins  worst window p99 ${Math.max(0, ...joining.map((w) => w.eventLoopDelayMs.p99)).toFixed(1)} ms, longest stall ${Math.max(0, ...joining.map((w) => w.eventLoopDelayMs.max)).toFixed(0)} ms (${joining.length} windows)`,
  );
  console.log(
    `server CPU               ${median(play.map((w) => w.cpuPercent))}% of one core (median, play); ${Math.max(0, ...joining.map((w) => w.cpuPercent))}% (max, joins)`,
  );
  console.log(`server memory            ${Math.max(0, ...windows.map((w) => w.rssMiB))} MiB RSS (max)`);
  console.log(
    `per student              ${kbps.toFixed(2)} KB/s received (class room ${(perStudent((r) => r.classBytesPerStudentPerSec) / 1024).toFixed(2)} + team room ${(perStudent((r) => r.teamBytesPerStudentPerSec) / 1024).toFixed(2)}) — target ≤ ${TARGETS.studentKBps} KB/s: ${verdict(kbps <= TARGETS.studentKBps)}`,
  );
  const stepsOf = (of: (k: JoinStep) => number[]) =>
    JOIN_STEPS.map((k) => {
      const xs = [...of(k)].sort((a, b) => a - b);
      return `${k} ${pct(xs, 0.5).toFixed(0)}/${pct(xs, 0.99).toFixed(0)}`;
    }).join(", ");
  const probeMs = probe.joinMs;
  console.log(
    `join latency             p50 ${pct(probeMs, 0.5).toFixed(0)} ms, p99 ${joinP99.toFixed(0)} ms, max ${(probeMs.at(-1) ?? 0).toFixed(0)} ms (PIN look-up to seated in the team room; the probe's ${probe.seated} students, as from their own device) — target p99 ≤ ${TARGETS.joinP99Ms} ms: ${verdict(probeMs.length > 0 && joinP99 <= TARGETS.joinP99Ms)}`,
  );
  console.log(`  its steps, p50/p99 ms   ${stepsOf((k) => probe.joinSteps[k])}`);
  console.log(
    `join latency, the load   p50 ${pct(joins, 0.5).toFixed(0)} ms, p99 ${pct(joins, 0.99).toFixed(0)} ms, max ${(joins.at(-1) ?? 0).toFixed(0)} ms (the other ${joins.length}, from client processes sharing the server's cores)`,
  );
  console.log(`  its steps, p50/p99 ms   ${stepsOf((k) => results.flatMap((r) => r.joinSteps[k]))}`);
  const welcome = (k: "cls" | "team") => median(results.flatMap((r) => r.welcomeBytes[k])) / 1024;
  console.log(`  bytes to join, median   class room ${welcome("cls").toFixed(1)} KB, team room ${welcome("team").toFixed(1)} KB (its full state and welcome)`);
  console.log(
    `  the load's own share    ${results.map((r) => `loop p99 ${r.joining.loopP99Ms.toFixed(0)} ms, max ${r.joining.loopMaxMs.toFixed(0)} ms, CPU ${r.joining.cpuPercent}%`).join("; ")} (each client process while its students joined)`,
  );
  console.log(`projector                ${(mean((r) => r.projectorBytesPerSec) / 1024).toFixed(2)} KB/s received (per projector)`);
  console.log(`host (class room)        ${(mean((r) => r.hostBytesPerSec) / 1024).toFixed(2)} KB/s received`);
  console.log(`requests answered        ${sum((r) => r.answers)}`);
  console.log(
    `machine load average     ${machine.loadAtStart.toFixed(1)} at the start, ${median(machine.loads).toFixed(1)} median, ${Math.max(0, ...machine.loads).toFixed(1)} max (1-minute, ${availableParallelism()} cores)`,
  );
}
