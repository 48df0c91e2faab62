/**
 * One load-test process of the class shape (`npm run load -- --shape class|conference`): plays a
 * share of the classes with @colyseus/sdk clients, as people do. A host creates a class of free-play
 * teams and opens the projector (a client in the class room with `projector: true` and the host
 * token); students arrive at random over the first seconds, each looking up the class PIN, joining
 * the class room, choosing a team (`auto`) and entering their team room with the ticket
 * (loadStudent.ts) — all but the few the join probe brings (loadClassProbe.ts: each class's PIN is
 * printed as `class <pin>` for it); once a class is all seated its host starts it, and every
 * student acts from their seats once a second
 * (loadPlayer.ts), staying in the class room as the browser does; every CHAOS_EVERY_MS the host
 * kills a web pod in every team (the class's chaos, at the same game time), which gives the
 * students work. Reports figures on stdout.
 *
 *   loadClassWorker.ts <url> <classes> <teams> <students per class> <of them joined here> <duration s> <arrival s>
 */
import "../polyfill.ts";
import { setPriority } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Client, type Room } from "@colyseus/sdk";
import type { ClassWelcome } from "../../shared/protocol/classMessages.ts";
import type { ClassState } from "../../shared/protocol/classState.ts";
import type { ClassWorkerResult } from "./loadClass.ts";
import { WORKER_NICE } from "./loadPlay.ts";
import { act, count } from "./loadPlayer.ts";
import { failureOf, first, JOIN_STEPS, joinStudent, quiet, type JoinStep, type Student } from "./loadStudent.ts";

const [url, classesArg, teamsArg, studentsArg, hereArg, durationArg, arriveArg] = process.argv.slice(2);
const CLASSES = Number(classesArg);
const TEAMS = Number(teamsArg);
const STUDENTS = Number(studentsArg);
/** Students of each class this process joins (the rest are the join probe's). */
const HERE = Number(hereArg);
const DURATION_MS = Number(durationArg) * 1000;
const ARRIVE_MS = Number(arriveArg) * 1000;
const ws = url.replace(/^http/, "ws");
/** How long a class waits for the probe's students after its own are seated, ms, before it starts without them. */
const FILL_WAIT_MS = 60_000;
/** The scenario every class plays: the rooms shape's, so the figures compare. */
const SCENARIO = "free-play";
/** How often each host injects chaos into every team while playing, ms. */
const CHAOS_EVERY_MS = 10_000;
/** What the host injects: a web pod killed (the controller manager, scheduler and a kubelet then have work). */
const CHAOS = { failure: { type: "killPod", deployment: "web" }, label: "load: a web pod killed" };
/** Join failures reported word for word, at most. */
const FAILURES_SHOWN = 5;

const students: Student[] = [];
const hosts: { bytes: number }[] = [];
const hostRooms: Room[] = [];
const projectors: { bytes: number }[] = [];
const failures: string[] = [];
let answers = 0;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A class: its host, its projector, its students arriving over ARRIVE_MS, then started. */
async function playClass(c: number): Promise<void> {
  const client = new Client(ws);
  const host = await client.create("class", { mode: "workshop", teams: TEAMS, scenario: SCENARIO, nickname: "Teacher" });
  const hostBytes = { bytes: 0 };
  count(host, hostBytes);
  hosts.push(hostBytes);
  hostRooms.push(host);
  quiet(host);
  let hostAnswers = 0;
  host.onMessage("result", () => hostAnswers++);
  const welcome = await first<ClassWelcome>(host, "welcome");
  const projector = await new Client(ws).joinById(host.roomId, { pin: welcome.pin, projector: true, hostToken: welcome.hostToken });
  const projectorBytes = { bytes: 0 };
  count(projector, projectorBytes);
  quiet(projector);
  projectors.push(projectorBytes);
  process.stdout.write(`class ${welcome.pin}\n`);
  await Promise.all(
    Array.from({ length: HERE }, async (_, i) => {
      await sleep(Math.random() * ARRIVE_MS);
      await joinStudent(url, welcome.pin, `S${c}-${i + 1}`, () => answers++).then(
        (s) => void students.push(s),
        (err: Error) => void failures.push(failureOf(err)),
      );
    }),
  );
  // The probe's students join this class too: started once all are in (or after FILL_WAIT_MS).
  const filled = performance.now() + FILL_WAIT_MS;
  while ((host.state as ClassState).students.size < STUDENTS && performance.now() < filled) await sleep(100);
  // Lobby → intro → running, each answered before the next.
  for (let n = 1; n <= 2; n++) {
    host.send("host.start", {});
    while (hostAnswers < n) await sleep(50);
  }
}

const bytesOf = (xs: { bytes: number }[]) => xs.reduce((n, x) => n + x.bytes, 0);

async function main(): Promise<void> {
  // This process's own delay and CPU while its students join: how much of a join's time is the load's.
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const cpu0 = process.cpuUsage();
  const joinStart = performance.now();
  await Promise.all(Array.from({ length: CLASSES }, (_, c) => playClass(c)));
  loop.disable();
  const cpu = process.cpuUsage(cpu0);
  // Seated: from here the server's loop is measured, so this process steps back to the lowest priority.
  setPriority(WORKER_NICE);
  const joining = {
    loopP99Ms: loop.percentile(99) / 1e6,
    loopMaxMs: loop.max / 1e6,
    cpuPercent: Math.round(((cpu.user + cpu.system) / 1000 / (performance.now() - joinStart)) * 100),
  };
  const timer = setInterval(() => {
    for (const s of students) act(s.team);
  }, 1000);
  const chaos = setInterval(() => {
    for (const host of hostRooms) host.send("host.chaos", CHAOS);
  }, CHAOS_EVERY_MS);
  // Steady state: bytes counted after a warm-up of a quarter of the run.
  await sleep(DURATION_MS / 4);
  const classOf = () => bytesOf(students.map((s) => s.classBytes));
  const teamOf = () => bytesOf(students.map((s) => s.team));
  const start = { cls: classOf(), team: teamOf(), projector: bytesOf(projectors), host: bytesOf(hosts), at: Date.now() };
  await sleep((DURATION_MS * 3) / 4);
  const to = Date.now();
  const secs = (to - start.at) / 1000;
  clearInterval(timer);
  clearInterval(chaos);
  const n = Math.max(1, students.length);
  const cls = (classOf() - start.cls) / n / secs;
  const team = (teamOf() - start.team) / n / secs;
  const result: ClassWorkerResult = {
    students: CLASSES * HERE,
    seated: students.length,
    failures: failures.slice(0, FAILURES_SHOWN),
    joinMs: students.map((s) => s.joinMs).sort((a, b) => a - b),
    joinSteps: Object.fromEntries(JOIN_STEPS.map((k) => [k, students.map((s) => s.steps[k])])) as Record<JoinStep, number[]>,
    joining,
    welcomeBytes: { cls: students.map((s) => s.welcomeBytes.cls), team: students.map((s) => s.welcomeBytes.team) },
    studentBytesPerSec: cls + team,
    classBytesPerStudentPerSec: cls,
    teamBytesPerStudentPerSec: team,
    projectorBytesPerSec: (bytesOf(projectors) - start.projector) / Math.max(1, projectors.length) / secs,
    hostBytesPerSec: (bytesOf(hosts) - start.host) / Math.max(1, hosts.length) / secs,
    answers,
    open: students.filter((s) => s.cls.connection.isOpen && s.team.room.connection.isOpen).length,
    window: { from: start.at, to },
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  for (const s of students) {
    await s.team.room.leave().catch(() => undefined);
    await s.cls.leave().catch(() => undefined);
  }
  process.exit(0);
}

main().catch((err) => {
  process.stderr.write(`class load worker failed: ${(err as Error).message}\n`);
  process.exit(1);
});
