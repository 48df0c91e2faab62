/**
 * The class load's join probe (`npm run load -- --shape class|conference`): a few students of every
 * class (PROBE_SHARE of it) joining from a process of their own at the normal CPU priority, as
 * from their own device. The class workers, which join the rest, share the server's two cores on
 * this machine and time their own wait for one as much as the server's answers; the probe's
 * students are too few to wait, so their join times are the server's and the network's. A class's
 * PIN arrives on stdin as `class <pin>` when its host opens it (the runner passes on the workers'
 * lines); each probe student arrives at a random moment of the class's arrival window, stays and
 * plays as the others do, and `stop` on stdin ends the probe, which reports on stdout.
 *
 *   loadClassProbe.ts <url> <students per class> <arrival s>
 */
import "../polyfill.ts";
import { createInterface } from "node:readline";
import { act } from "./loadPlayer.ts";
import { failureOf, JOIN_STEPS, joinStudent, type JoinStep, type Student } from "./loadStudent.ts";

const [url, perClassArg, arriveArg] = process.argv.slice(2);
const PER_CLASS = Number(perClassArg);
const ARRIVE_MS = Number(arriveArg) * 1000;

/** What the probe reports. */
export interface ProbeResult {
  students: number;
  seated: number;
  failures: string[];
  /** PIN look-up to seated, ms, ascending; and per step (unsorted). */
  joinMs: number[];
  joinSteps: Record<JoinStep, number[]>;
  /** Students with both connections open at `stop`. */
  open: number;
}

const students: Student[] = [];
const failures: string[] = [];
const joining: Promise<void>[] = [];
let classes = 0;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function probeClass(pin: string): void {
  const c = ++classes;
  for (let i = 0; i < PER_CLASS; i++) {
    joining.push(
      sleep(Math.random() * ARRIVE_MS)
        .then(() => joinStudent(url, pin, `Probe${c}-${i + 1}`, () => {}))
        .then(
          (s) => void students.push(s),
          (err: Error) => void failures.push(failureOf(err)),
        ),
    );
  }
}

const timer = setInterval(() => {
  for (const s of students) act(s.team);
}, 1000);

createInterface({ input: process.stdin }).on("line", (line) => {
  const [word, pin] = line.trim().split(" ");
  if (word === "class" && pin) probeClass(pin);
  if (word === "stop") void stop();
});

/** How long the probe waits at `stop` for joins still under way, ms. */
const JOINS_WAIT_MS = 30_000;

async function stop(): Promise<void> {
  await Promise.race([Promise.all(joining), sleep(JOINS_WAIT_MS)]);
  clearInterval(timer);
  const result: ProbeResult = {
    students: classes * PER_CLASS,
    seated: students.length,
    failures: failures.slice(0, 5),
    joinMs: students.map((s) => s.joinMs).sort((a, b) => a - b),
    joinSteps: Object.fromEntries(JOIN_STEPS.map((k) => [k, students.map((s) => s.steps[k])])) as Record<JoinStep, number[]>,
    open: students.filter((s) => s.cls.connection.isOpen && s.team.room.connection.isOpen).length,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  for (const s of students) {
    await s.team.room.leave().catch(() => undefined);
    await s.cls.leave().catch(() => undefined);
  }
  process.exit(0);
}
