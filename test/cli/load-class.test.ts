/**
 * `npm run load -- --shape class` runs end to end (issue #12): a tiny class through the same code
 * path as the class and conference shapes — its own server process, a worker process and the join
 * probe (one of the six students, from a process of its own), the host,
 * the projector, students looking up the PIN, choosing a team, entering their team rooms, playing —
 * so the shape cannot rot. Only that it runs and reports is checked: no timing is asserted.
 */
import { expect } from "chai";
import { spawn } from "node:child_process";

function load(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "server/bench/load.ts", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("exit", (code) => resolve({ code, out, err }));
  });
}

/** The number a report line shows after `label`. */
function figure(out: string, label: RegExp): number {
  const m = label.exec(out);
  expect(m, `${label} in:\n${out}`).to.not.equal(null);
  return Number(m![1]);
}

describe("npm run load -- --shape class", () => {
  it("plays a tiny class (2 teams × 3 students) and reports every figure", async function () {
    this.timeout(90_000);
    const r = await load("--shape", "class", "--teams", "2", "--students", "6", "--duration", "4", "--arrive", "1");
    expect(r.code, r.err + r.out).to.equal(0);
    expect(r.out).to.match(/1 class\(es\) × 2 teams × 6 students/);
    expect(r.out, "every student seated and still connected").to.match(/students seated\s+6 of 6/);
    expect(r.out).to.match(/students connected\s+6 of 6 at the end/);
    expect(figure(r.out, /per student\s+([\d.]+) KB\/s/), "a student receives their team's game").to.be.greaterThan(0);
    expect(figure(r.out, /team room ([\d.]+)\)/)).to.be.greaterThan(0);
    expect(
      figure(r.out, /join latency\s+p50 (\d+) ms, p99 \d+ ms, max \d+ ms \(PIN look-up to seated in the team room; the probe's (\d+) students/),
      "the probe's join",
    ).to.be.greaterThan(0);
    expect(r.out, "the probe brought one of the six").to.match(/the probe's 1 students/);
    expect(figure(r.out, /join latency, the load\s+p50 (\d+) ms/), "the other five's").to.be.greaterThan(0);
    expect(r.out, "each join step, the seat reservations apart from the sockets").to.match(
      /lookup \d+\/\d+, classSeat \d+\/\d+, classWelcome \d+\/\d+, teamJoin \d+\/\d+, teamSeat \d+\/\d+, teamWelcome \d+\/\d+, seated \d+\/\d+/,
    );
    expect(figure(r.out, /bytes to join, median\s+class room ([\d.]+) KB/), "a class room's full state").to.be.greaterThan(0);
    expect(figure(r.out, /team room ([\d.]+) KB \(its full state/), "a team room's full state").to.be.greaterThan(0);
    expect(r.out, "the clients' own loop while joining").to.match(/the load's own share\s+loop p99 \d+ ms, max \d+ ms, CPU \d+%/);
    expect(figure(r.out, /projector\s+([\d.]+) KB\/s/), "the projector receives the class's state").to.be.greaterThan(0);
    expect(r.out).to.match(/event-loop delay, play\s+p50 [\d.]+ ms, p99 [\d.]+ ms/);
    expect(r.out).to.match(/machine load average/);
  });

  it("refuses a shape it does not know, naming the shapes", async () => {
    const r = await load("--shape", "stadium");
    expect(r.code).to.equal(1);
    expect(r.err).to.match(/--shape is rooms, class or conference, not "stadium"/);
  });
});
