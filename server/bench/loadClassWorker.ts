/**
 * One load-test process of the class shape (`npm run load -- --shape class|conference`): plays a
 * share of the classes with @colyseus/sdk clients, as people do. A host creates a class of free-play
 * teams and opens the projector (a client in the class room with `projector: true` and the host
 * token); students arrive at random over the first seconds, each looking up the class PIN, joining
 * the class room, choosing a team (`auto`) and entering their team room with the ticket; once a
 * class is all seated its host starts it, and every student acts from their seats once a second
 * (loadPlayer.ts), staying in the class room as the browser does; every CHAOS_EVERY_MS the host
 * kills a web pod in every team (the class's chaos, at the same game time), which gives the
 * students work. Reports figures on stdout.
 *
 *   loadClassWorker.ts <url> <classes> <teams> <students per class> <duration s> <arrival s>
 */
import "../polyfill.ts";
import { setPriority } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Client, type Room } from "@colyseus/sdk";
import type { ClassWelcome, TeamJoin } from "../../shared/protocol/classMessages.ts";
import type { ClusterRoomState } from "../../shared/protocol/state.ts";
import { type ClassWorkerResult, JOIN_STEPS, type JoinStep } from "./loadClass.ts";
import { WORKER_NICE } from "./loadPlay.ts";
import { act, count, type Player } from "./loadPlayer.ts";

const [url, classesArg, teamsArg, studentsArg, durationArg, arriveArg] = process.argv.slice(2);
const CLASSES = Number(classesArg);
const TEAMS = Number(teamsArg);
const STUDENTS = Number(studentsArg);
const DURATION_MS = Number(durationArg) * 1000;
const ARRIVE_MS = Number(arriveArg) * 1000;
const ws = url.replace(/^http/, "ws");
/** The scenario every class plays: the rooms shape's, so the figures compare. */
const SCENARIO = "free-play";
/** How often each host injects chaos into every team while playing, ms. */
const CHAOS_EVERY_MS = 10_000;
/** What the host injects: a web pod killed (the controller manager, scheduler and a kubelet then have work). */
const CHAOS = { failure: { type: "killPod", deployment: "web" }, label: "load: a web pod killed" };
/** Join failures reported word for word, at most. */
const FAILURES_SHOWN = 5;

/** A student: their class-room connection and their team room (the Player who acts). */
interface Student {
  cls: Room;
  classBytes: { bytes: number };
  team: Player;
}

const students: Student[] = [];
const joinSteps = Object.fromEntries(JOIN_STEPS.map((k) => [k, [] as number[]])) as Record<JoinStep, number[]>;
const hosts: { bytes: number }[] = [];
const hostRooms: Room[] = [];
const projectors: { bytes: number }[] = [];
const joinMs: number[] = [];
/** Bytes each student had received from each room by its welcome (the room's full state and the welcome). */
const welcomeBytes = { cls: [] as number[], team: [] as number[] };
const failures: string[] = [];
let answers = 0;
let ids = 1;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Every message the load does not read is received (and counted) all the same. */
const quiet = (room: Room) => room.onMessage("*", () => {});
const first = <T>(room: Room, type: string) => new Promise<T>((resolve) => room.onMessage(type, resolve));

/** Joins room `roomId` as the SDK's joinById does, in its two halves: the seat reservation (HTTP), then the socket, timing each. */
async function joinTimed(client: Client, roomId: string, options: object, seat: () => void): Promise<Room> {
  const res = await client.http.post(`/matchmake/joinById/${roomId}`, {
    headers: { Accept: "application/json", "Content-Type": "application/json" },
    body: options,
  } as never);
  seat();
  return client.consumeSeatReservation(res.data as never);
}

/** A student from the PIN look-up to seated in their team room. */
async function joinStudent(pin: string, nickname: string): Promise<void> {
  const t0 = performance.now();
  let last = t0;
  const steps: Partial<Record<JoinStep, number>> = {};
  const step = (k: JoinStep) => {
    const now = performance.now();
    steps[k] = now - last;
    last = now;
  };
  const res = await fetch(`${url}/api/pin/${pin}`);
  const body = (await res.json()) as { roomId?: string; message?: string };
  if (!res.ok || !body.roomId) throw new Error(`PIN look-up ${res.status}: ${body.message}`);
  step("lookup");
  const client = new Client(ws);
  const cls = await joinTimed(client, body.roomId, { pin, nickname }, () => step("classSeat"));
  const classBytes = { bytes: 0 };
  count(cls, classBytes);
  quiet(cls);
  const teamJoin = first<TeamJoin>(cls, "team.join");
  await first(cls, "welcome");
  step("classWelcome");
  welcomeBytes.cls.push(classBytes.bytes);
  cls.send("team.choose", { team: "auto" });
  const j = await teamJoin;
  step("teamJoin");
  const room = await joinTimed(client, j.roomId, { ticket: j.ticket }, () => step("teamSeat"));
  const team: Player = { room, seats: [], bytes: 0, id: ids++ };
  count(room, team);
  quiet(room);
  room.onMessage("result", () => answers++);
  const { playerId } = await first<{ playerId: string }>(room, "welcome");
  step("teamWelcome");
  welcomeBytes.team.push(team.bytes);
  const seats = () => (room.state as ClusterRoomState).players?.get(playerId)?.seats ?? [];
  await new Promise<void>((resolve) => {
    const check = () => seats().length > 0 && resolve();
    room.onStateChange(check);
    check();
  });
  step("seated");
  joinMs.push(performance.now() - t0);
  for (const k of JOIN_STEPS) joinSteps[k].push(steps[k]!);
  team.seats = [...seats()];
  students.push({ cls, classBytes, team });
}

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
  await Promise.all(
    Array.from({ length: STUDENTS }, async (_, i) => {
      await sleep(Math.random() * ARRIVE_MS);
      await joinStudent(welcome.pin, `S${c}-${i + 1}`).catch(
        (err: Error & { cause?: { code?: string } }) => void failures.push(`${err.message}${err.cause?.code ? ` (${err.cause.code})` : ""}`),
      );
    }),
  );
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
  joinMs.sort((a, b) => a - b);
  const result: ClassWorkerResult = {
    students: CLASSES * STUDENTS,
    seated: students.length,
    failures: failures.slice(0, FAILURES_SHOWN),
    joinMs,
    joinSteps,
    joining,
    welcomeBytes,
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
