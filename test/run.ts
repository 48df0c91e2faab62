/**
 * `npm test`: runs every suite this machine can run, names each one it cannot and why, and ends
 * with one line "N passed, N failed, N skipped". With CI=true a suite whose tools are missing is
 * a failure, not a skip — CI installs them (see .ci/run).
 *
 *   npm test                                  every suite
 *   npm test -- test/sim/validation.test.ts   only these files (still through the same checks)
 *   npm test -- test/sim                      every file under a folder
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import Mocha from "mocha";

interface Suite {
  name: string;
  /** Folder (relative to the repository root) whose *.test.ts files, at any depth, are the suite. */
  dir: string;
  /** Commands the suite needs on PATH (or absolute paths), with the Debian package that brings each. */
  needs: { command: string; pkg: string }[];
  /** An npm script to run before the suite (e.g. building the client the browser tests open). */
  prepare?: string;
}

const SUITES: Suite[] = [
  { name: "simulation", dir: "test/sim", needs: [] },
  { name: "cli", dir: "test/cli", needs: [] },
  // The client's pure parts (map layout, the scheduler panel's reasoning), in Node without a browser.
  { name: "client", dir: "test/client", needs: [] },
  // The contract between the room and the client (shared/protocol).
  { name: "protocol", dir: "test/protocol", needs: [] },
  { name: "store", dir: "test/store", needs: [] },
  { name: "server", dir: "test/server", needs: [] },
  { name: "room", dir: "test/room", needs: [] },
  { name: "kubernetes api", dir: "test/k8s", needs: [] },
  {
    // Black-box attacks on a running server: real sockets, a real Redis, real processes.
    name: "security",
    dir: "test/security",
    needs: [
      { command: "redis-server", pkg: "redis-server" },
      { command: "redis-cli", pkg: "redis-tools" },
    ],
  },
  {
    name: "redis",
    dir: "test/redis",
    needs: [
      { command: "redis-server", pkg: "redis-server" },
      { command: "redis-cli", pkg: "redis-tools" },
    ],
  },
  {
    name: "kubectl",
    dir: "test/kubectl",
    needs: [
      { command: process.env.KUBECTL ?? "kubectl", pkg: "kubernetes-client" },
      { command: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", pkg: "chromium" },
    ],
    prepare: "build:client",
  },
  // The image's build steps on a fresh clone (git), and the compose file and Kubernetes manifests checked.
  { name: "deploy", dir: "test/deploy", needs: [{ command: "git", pkg: "git" }] },
  { name: "browser", dir: "test/browser", needs: [{ command: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", pkg: "chromium" }], prepare: "build:client" },
];

/**
 * Spec files run at once, each in its own process (TEST_JOBS). Most of the suite waits on game
 * time, sockets and browsers, so two at a time nearly halve a whole run on two cores — but a few
 * browser and outage tests still race the other file's load (the chaos form's fields, a paused
 * room's save after an outage), so a whole run stays one file at a time until they are made
 * independent of it: TEST_JOBS=2 for a quick local run.
 */
const WHOLE_RUN_JOBS = 1;

function testJobs(setting: string | undefined, chosen: boolean): number {
  if (setting === undefined || setting === "") return chosen ? 1 : WHOLE_RUN_JOBS;
  const n = Number(setting);
  if (!Number.isInteger(n) || n < 1 || n > 16) throw new Error(`TEST_JOBS must be a whole number from 1 to 16, not ${JSON.stringify(setting)}`);
  return n;
}

/** How many of the slowest spec files a whole run names at its end. */
const SLOWEST_FILES_SHOWN = 15;

function specFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".test.ts"))
    .map((f) => join(dir, f));
}

function available(command: string): boolean {
  if (command.startsWith("/")) return existsSync(command);
  try {
    execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const ci = process.env.CI === "true";
  const only = process.argv.slice(2).filter((a) => !a.startsWith("-"));
  const jobs = testJobs(process.env.TEST_JOBS, only.length > 0);
  const mocha = new Mocha({ timeout: 30_000, reporter: "spec", parallel: jobs > 1, jobs });
  let missing = 0;
  for (const suite of SUITES) {
    const lacking = suite.needs.filter((n) => !available(n.command));
    let files = specFiles(suite.dir);
    if (only.length) files = files.filter((f) => only.some((o) => f === o || f.startsWith(o.endsWith("/") ? o : `${o}/`)));
    if (files.length === 0) continue;
    if (lacking.length) {
      const why = lacking.map((n) => `${n.command} not found (apt-get install ${n.pkg})`).join(", ");
      if (ci) {
        console.error(`suite ${suite.name} cannot run in CI: ${why}`);
        missing++;
      } else {
        console.log(`skipped suite ${suite.name}: ${why}`);
      }
      continue;
    }
    if (suite.prepare) {
      console.log(`preparing suite ${suite.name}: npm run ${suite.prepare}`);
      execFileSync("npm", ["run", "--silent", suite.prepare], { stdio: ["ignore", "ignore", "inherit"] });
    }
    for (const f of files.sort()) mocha.addFile(f);
  }
  if (jobs === 1) await mocha.loadFilesAsync();
  const runner = mocha.run();
  const took = timeByFile(runner);
  runner.on("end", () => {
    const s = runner.stats!;
    if (!only.length) console.log(`\nslowest files (hooks included):\n${took()}`);
    const failed = s.failures + missing;
    console.log(`\n${s.passes} passed, ${failed} failed, ${s.pending} skipped`);
    process.exit(failed > 0 ? 1 : 0);
  });
}

/**
 * Seconds spent in each spec file, its hooks' included (the reporter times tests only): where the
 * suite's minutes go. Summed from the tests' and hooks' own durations, which mocha measures in
 * whichever process ran the file.
 */
function timeByFile(runner: Mocha.Runner): () => string {
  const spent = new Map<string, number>();
  const add = (r: Mocha.Runnable) => {
    if (r.file && r.duration !== undefined) spent.set(r.file, (spent.get(r.file) ?? 0) + r.duration / 1000);
  };
  runner.on("test end", add);
  runner.on("hook end", add);
  return () =>
    [...spent]
      .sort((a, b) => b[1] - a[1])
      .slice(0, SLOWEST_FILES_SHOWN)
      .map(([file, sec]) => `  ${sec.toFixed(1).padStart(6)} s  ${file}`)
      .join("\n");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
