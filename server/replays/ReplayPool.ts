/**
 * The replay workers of a server process: "you against the bot" replays run here, in worker
 * threads, never on the event loop that keeps every room ticking. A job (one finished game and
 * its players) is sent to every worker; each plans it the same way and then takes tasks one at a
 * time (the game as played first, it is the longest, then one replay per distinct variant) until
 * none is left. Jobs run one after another, so a server whose rooms all end together spends at
 * most the pool's threads on replays; a job that outlives its deadline is cut short and its
 * players are told.
 */
import { Worker } from "node:worker_threads";
import type { InputRecord } from "../../shared/sim/inputLog.ts";
import {
  assemble,
  refusal,
  type PlayerSeats,
  type SavedGame,
  type TaskResult,
  type VersusBotPlan,
  type VersusBotReport,
} from "../../shared/sim/counterfactual/versusBot.ts";

/** Worker threads for replays. Env REPLAY_WORKERS. @default 2 */
export const DEFAULT_REPLAY_WORKERS = 2;
/**
 * The replay threads' CPU priority (nice; Linux gives each thread its own): the lowest. Replays
 * and the threads' start (loading the simulation, bundling it in development) are background
 * work and must never take a core from the event loop that keeps every room ticking — when the
 * first game of a 600-student conference started, the threads' start stalled the joins still
 * under way by up to half a second.
 */
export const REPLAY_NICE = 19;
/** Longest one game's replays may take, ms of wall time, before they are cut short. Env REPLAY_DEADLINE_MS. @default 20000 */
export const DEFAULT_REPLAY_DEADLINE_MS = 20_000;

export interface ReplayPoolOptions {
  workers: number;
  deadlineMs: number;
  /** Load the worker's code as an esbuild bundle (the default) rather than through tsx (workerBoot.mjs); compiled, neither. */
  bundle?: boolean;
}

/**
 * Whether this module runs compiled to JavaScript (`npm run build`, the image): its worker is then
 * plain JavaScript beside it, loaded as it is; run as TypeScript (tsx), the worker is TypeScript,
 * which workerBoot.mjs loads (esbuild and tsx are development dependencies, absent from the image).
 */
const COMPILED = import.meta.url.endsWith(".js");

type EnvOption = "workers" | "deadlineMs";
const ENV: Record<EnvOption, string> = { workers: "REPLAY_WORKERS", deadlineMs: "REPLAY_DEADLINE_MS" };

/** The pool's options set in the environment, over the defaults; throws a message naming a bad variable. */
export function replayOptionsFromEnv(env: Record<string, string | undefined>): ReplayPoolOptions {
  const o: ReplayPoolOptions = { workers: DEFAULT_REPLAY_WORKERS, deadlineMs: DEFAULT_REPLAY_DEADLINE_MS };
  for (const key of Object.keys(ENV) as EnvOption[]) {
    const raw = env[ENV[key]];
    if (raw === undefined || raw === "") continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${ENV[key]} must be a whole number of at least 1, not "${raw}"`);
    o[key] = n;
  }
  return o;
}

/** Messages to a worker. */
export type ToWorker =
  | { type: "job"; id: number; game: Omit<SavedGame, "inputLog">; players: readonly PlayerSeats[]; log: string[] }
  | { type: "task"; id: number; task: number }
  | { type: "done"; id: number };
/** Messages from a worker. */
export type FromWorker =
  | { type: "ready"; id: number; tasks: number; plan: VersusBotPlan }
  | { type: "result"; id: number; task: number; result: TaskResult }
  | { type: "error"; id: number; message: string };

/** A job's report, with what it cost. */
export interface ReplayRun {
  report: VersusBotReport;
  /** Wall time from the job's start (after any queue) to its report, ms. */
  ms: number;
  /** Games replayed: the one as played and each distinct variant. */
  tasks: number;
}

export class ReplayPool {
  private workers: Worker[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;

  constructor(readonly options: ReplayPoolOptions = { workers: DEFAULT_REPLAY_WORKERS, deadlineMs: DEFAULT_REPLAY_DEADLINE_MS }) {}

  /** Starts the threads ahead of the first job (each loads the simulation once: a few hundred ms). */
  warm(): void {
    while (this.workers.length < this.options.workers) {
      const w = COMPILED
        ? new Worker(new URL("./replayWorker.js", import.meta.url), { workerData: { nice: REPLAY_NICE } })
        : new Worker(new URL("./workerBoot.mjs", import.meta.url), {
            workerData: { entry: new URL("./replayWorker.ts", import.meta.url).href, bundle: this.options.bundle !== false, nice: REPLAY_NICE },
          });
      w.unref();
      w.on("error", () => undefined);
      w.on("exit", () => {
        this.workers = this.workers.filter((x) => x !== w);
      });
      this.workers.push(w);
    }
  }

  /** Every player's "you against the bot", replayed off the event loop (after the jobs before it). */
  run(game: SavedGame, players: readonly PlayerSeats[]): Promise<ReplayRun> {
    const job = this.queue.then(() => this.runNow(game, players));
    this.queue = job.catch(() => undefined);
    return job;
  }

  async close(): Promise<void> {
    const all = this.workers;
    this.workers = [];
    await Promise.all(all.map((w) => w.terminate()));
  }

  private async runNow(game: SavedGame, players: readonly PlayerSeats[]): Promise<ReplayRun> {
    const refused = refusal(game);
    if (refused) return { report: { ok: false, message: refused }, ms: 0, tasks: 0 };
    if (players.length === 0) return { report: { ok: true, players: [] }, ms: 0, tasks: 0 };
    const t0 = performance.now();
    this.warm();
    const id = this.nextId++;
    const log = await serialiseInChunks(game.inputLog);
    const { inputLog: _, ...rest } = game;
    const workers = [...this.workers];
    return new Promise((resolve) => {
      let plan: VersusBotPlan | undefined;
      let total = Number.POSITIVE_INFINITY;
      let next = 0;
      let done = 0;
      const results: (TaskResult | undefined)[] = [];
      const give = (w: Worker) => {
        if (next < total) w.postMessage({ type: "task", id, task: next++ } satisfies ToWorker);
      };
      let settled = false;
      const finish = (problem?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        for (const w of workers) {
          w.off("message", listeners.get(w)!);
          w.off("exit", onExit);
          w.unref();
          w.postMessage({ type: "done", id } satisfies ToWorker);
        }
        const report: VersusBotReport =
          plan && results[0] ? { ok: true, players: assemble(plan, results) } : { ok: false, message: problem ?? "the replays did not run" };
        resolve({ report, ms: performance.now() - t0, tasks: done });
      };
      const timer = setTimeout(() => {
        // Cut short: the threads may be deep in a replay; new ones start for the next job.
        for (const w of workers) void w.terminate();
        finish(`the replays did not finish within ${this.options.deadlineMs / 1000} s`);
      }, this.options.deadlineMs);
      const onExit = () => finish("a replay worker stopped unexpectedly");
      const listeners = new Map<Worker, (m: FromWorker) => void>();
      for (const w of workers) {
        const listener = (m: FromWorker) => {
          if (m.id !== id) return;
          if (m.type === "ready") {
            plan ??= m.plan;
            total = m.tasks;
            give(w);
          } else if (m.type === "result") {
            results[m.task] = m.result;
            if (++done === total) finish();
            else give(w);
          } else finish(`the replay failed: ${m.message}`);
        };
        listeners.set(w, listener);
        w.on("message", listener);
        w.on("exit", onExit);
        w.ref();
        w.postMessage({ type: "job", id, game: rest, players, log } satisfies ToWorker);
      }
    });
  }
}

/** Input records serialised per event-loop turn: a long log (36,000 records in a busy workshop) must not hold the loop. */
export const LOG_CHUNK_RECORDS = 2_000;

/** The log as JSON arrays of LOG_CHUNK_RECORDS records, yielding to the event loop between them. */
async function serialiseInChunks(log: readonly InputRecord[]): Promise<string[]> {
  const chunks: string[] = [];
  for (let i = 0; i < log.length; i += LOG_CHUNK_RECORDS) {
    if (i > 0) await new Promise((r) => setImmediate(r));
    chunks.push(JSON.stringify(log.slice(i, i + LOG_CHUNK_RECORDS)));
  }
  return chunks;
}

let shared: ReplayPool | undefined;

let configured: ReplayPoolOptions | undefined;

/** Sets the process's pool options (from server/config.ts) before the first replay. */
export function configureReplayPool(options: ReplayPoolOptions): void {
  configured = options;
}

/** The process's pool, made on first use (with the configured options, else the defaults). */
export function replayPool(): ReplayPool {
  shared ??= new ReplayPool(configured ?? { workers: DEFAULT_REPLAY_WORKERS, deadlineMs: DEFAULT_REPLAY_DEADLINE_MS });
  return shared;
}
