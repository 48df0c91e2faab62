/**
 * `npm test`: runs every suite this machine can run, names each one it cannot and why, and ends
 * with one line "N passed, N failed, N skipped". With CI=true a suite whose tools are missing is
 * a failure, not a skip — CI installs them (see .ci/run).
 *
 *   npm test                                  every suite
 *   npm test -- test/sim/validation.test.ts   only these files (still through the same checks)
 *   npm test -- test/sim                      every file under a folder
 *
 * TEST_JOBS=N runs N files at once; TEST_RETRY=0 does not run again a file that failed beside
 * others (RETRY_ALONE), to hunt flakes.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import Mocha from "mocha";
import { onPath } from "../server/cli/localRedis.ts";

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
 * Spec files a whole run runs at once, each in its own process (TEST_JOBS overrides; a run of
 * chosen files runs one at a time, its output in order and `.only` honoured). Most of the suite
 * waits on game time, sockets and browsers rather than on the CPU, so more files than cores
 * overlap their waits: on 2 cores a whole run took 18 min one file at a time, 11 with 2 at once.
 * Every test waits on what it checks with a deadline that holds on a loaded machine.
 */
const WHOLE_RUN_JOBS = Math.min(4, Math.max(2, availableParallelism() + 1));

function testJobs(setting: string | undefined, chosen: boolean): number {
  if (setting === undefined || setting === "") return chosen ? 1 : WHOLE_RUN_JOBS;
  const n = Number(setting);
  if (!Number.isInteger(n) || n < 1 || n > 16) throw new Error(`TEST_JOBS must be a whole number from 1 to 16, not ${JSON.stringify(setting)}`);
  return n;
}

/** How many of the slowest spec files a whole run names at its end. */
const SLOWEST_FILES_SHOWN = 15;

/**
 * Each spec file's seconds in the last whole run (test-results/ is not committed). Files run in
 * parallel start longest first, so that no long file starts last and runs alone at the end; a
 * file without a record (a fresh clone) is ordered by its suite's place in HEAVIEST_SUITES.
 */
const FILE_TIMES = "test-results/file-times.json";

/**
 * Files whose tests hold the game's clock against the wall clock under a load they make
 * themselves: another file's load beside them would be measured too, so a parallel run runs them
 * by themselves at its end.
 */
const RUN_ALONE: readonly string[] = ["test/security/sim-budget.test.ts"];

/**
 * A file that fails while others run beside it runs once more, by itself, after the parallel run:
 * a shared 2-core machine running four files at once (browsers, servers, Redis) now and then
 * starves one of them past a deadline. A file that fails by itself too fails the run; one that
 * passes by itself is named, its first failure printed above, as flaky under load: a finding
 * to root-cause, not a pass to forget (each one met so far was a race, fixed in the game or the
 * test once found: see git log test/).
 */
const RETRY_ALONE = process.env.TEST_RETRY !== "0";

/** Suites by how long their files take, longest first (the order without FILE_TIMES). */
const HEAVIEST_SUITES = [
  "kubectl",
  "security",
  "browser",
  "redis",
  "deploy",
  "room",
  "server",
  "kubernetes api",
  "cli",
  "simulation",
  "store",
  "client",
  "protocol",
];

function recordedTimes(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(FILE_TIMES, "utf8")) as Record<string, number>;
  } catch {
    return {};
  }
}

/** Longest first: by the last run's seconds, then files without a record by their suite's weight. */
function longestFirst(files: { file: string; suite: string }[]): string[] {
  const took = recordedTimes();
  const rank = (f: { file: string; suite: string }) => [took[f.file] ?? -1, -HEAVIEST_SUITES.indexOf(f.suite)];
  return files
    .map((f) => ({ f, r: rank(f) }))
    .sort((a, b) => b.r[0] - a.r[0] || b.r[1] - a.r[1] || a.f.file.localeCompare(b.f.file))
    .map(({ f }) => f.file);
}

function specFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".test.ts"))
    .map((f) => join(dir, f));
}

/** A command given by its path, or on PATH. */
const available = (command: string) => (command.startsWith("/") ? existsSync(command) : onPath(command));

async function main(): Promise<void> {
  const ci = process.env.CI === "true";
  const only = process.argv.slice(2).filter((a) => !a.startsWith("-"));
  const jobs = testJobs(process.env.TEST_JOBS, only.length > 0);
  let missing = 0;
  const chosen: { file: string; suite: string }[] = [];
  const prepared = new Set<string>();
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
    // Once per run: the client is built before any file starts, never while one serves it.
    if (suite.prepare && !prepared.has(suite.prepare)) {
      prepared.add(suite.prepare);
      console.log(`preparing suite ${suite.name}: npm run ${suite.prepare}`);
      execFileSync("npm", ["run", "--silent", suite.prepare], { stdio: ["ignore", "ignore", "inherit"] });
    }
    for (const file of files.sort()) chosen.push({ file, suite: suite.name });
  }
  const took = new FileTimes();
  const flaky: string[] = [];
  const total = { passes: 0, failures: 0, pending: 0 };
  const add = (s: Mocha.Stats) => {
    total.passes += s.passes;
    total.failures += s.failures;
    total.pending += s.pending;
  };
  if (jobs === 1)
    add(
      (
        await runFiles(
          chosen.map((c) => c.file),
          1,
          took,
        )
      ).stats,
    );
  else {
    // The files that measure the wall clock run by themselves once the rest are done.
    const ordered = longestFirst(chosen);
    const parallel = await runFiles(
      ordered.filter((f) => !RUN_ALONE.includes(f)),
      jobs,
      took,
    );
    add(parallel.stats);
    const again = RETRY_ALONE ? [...parallel.failedFiles].filter((f) => f !== "") : [];
    const alone = ordered.filter((f) => RUN_ALONE.includes(f));
    if (alone.length) {
      console.log(`\nrunning by themselves: ${alone.join(", ")}`);
      add((await runFiles(alone, 1, took)).stats);
    }
    if (again.length) {
      console.log(`\nfailed beside other files, running again by themselves: ${again.join(", ")}`);
      // The first run's counts of those files give way to the second's.
      for (const f of again) {
        const first = parallel.byFile.get(f)!;
        total.passes -= first.passes;
        total.failures -= first.failures;
        total.pending -= first.pending;
      }
      const second = await runFiles(again, 1, took);
      add(second.stats);
      flaky.push(...again.filter((f) => !second.failedFiles.has(f)));
    }
  }
  if (!only.length) {
    console.log(`\nslowest files (hooks included):\n${took.slowest()}`);
    took.record();
  }
  const failed = total.failures + missing;
  if (flaky.length)
    console.log(`\nflaky under load (failed beside other files, passed by themselves; first failure above):\n${flaky.map((f) => `  ${f}`).join("\n")}`);
  const flakyNote = flaky.length ? `, ${flaky.length} ${flaky.length === 1 ? "file" : "files"} flaky under load` : "";
  console.log(`\n${total.passes} passed, ${failed} failed, ${total.pending} skipped${flakyNote}`);
  process.exit(failed > 0 ? 1 : 0);
}

interface Counts {
  passes: number;
  failures: number;
  pending: number;
}

interface Ran {
  stats: Mocha.Stats;
  /** Each file's own counts. */
  byFile: Map<string, Counts>;
  /** The files with a failed test or hook ("" for a failure no file owns). */
  failedFiles: Set<string>;
}

/**
 * Runs spec files through one Mocha, `jobs` at once (1: in this process, each file loaded at
 * most once per process), and returns its counts, in all and by file.
 */
async function runFiles(files: string[], jobs: number, took: FileTimes): Promise<Ran> {
  const mocha = new Mocha({ timeout: 30_000, reporter: "spec", parallel: jobs > 1, jobs });
  for (const f of files) mocha.addFile(f);
  if (jobs === 1) await mocha.loadFilesAsync();
  const runner = mocha.run();
  took.watch(runner);
  const byFile = new Map<string, Counts>();
  const failedFiles = new Set<string>();
  const count = (r: Mocha.Runnable, what: keyof Counts) => {
    const file = r.file ?? "";
    const c = byFile.get(file) ?? { passes: 0, failures: 0, pending: 0 };
    c[what]++;
    byFile.set(file, c);
    if (what === "failures") failedFiles.add(file);
  };
  runner.on("pass", (t) => count(t, "passes"));
  runner.on("fail", (t) => count(t, "failures"));
  runner.on("pending", (t) => count(t, "pending"));
  return new Promise((resolve) => runner.on("end", () => resolve({ stats: runner.stats!, byFile, failedFiles })));
}

/**
 * Seconds spent in each spec file, its hooks' included (the reporter times tests only): where the
 * suite's minutes go. Summed from the tests' and hooks' own durations, which mocha measures in
 * whichever process ran the file.
 */
class FileTimes {
  private readonly spent = new Map<string, number>();

  watch(runner: Mocha.Runner): void {
    const add = (r: Mocha.Runnable) => {
      if (r.file && r.duration !== undefined) this.spent.set(r.file, (this.spent.get(r.file) ?? 0) + r.duration / 1000);
    };
    runner.on("test end", add);
    runner.on("hook end", add);
  }

  slowest(): string {
    return [...this.spent]
      .sort((a, b) => b[1] - a[1])
      .slice(0, SLOWEST_FILES_SHOWN)
      .map(([file, sec]) => `  ${sec.toFixed(1).padStart(6)} s  ${file}`)
      .join("\n");
  }

  /** Keeps this run's times for the next run's order (FILE_TIMES). */
  record(): void {
    mkdirSync(dirname(FILE_TIMES), { recursive: true });
    const times = Object.fromEntries([...this.spent].map(([f, sec]) => [f, Math.round(sec * 10) / 10]));
    writeFileSync(FILE_TIMES, `${JSON.stringify(times, null, 1)}\n`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
