/**
 * The load generator's side of `npm run load`: N rooms × M clients played by several worker
 * processes (loadWorker.ts) at the lowest CPU priority, each reporting its figures.
 */
import { spawn } from "node:child_process";

/** What one load-worker process reports. */
export interface WorkerResult {
  clients: number;
  bytesPerClientPerSec: number;
  joinMs: number[];
  answers: number;
  open: number;
}

/**
 * Plays `rooms` rooms of `clients` clients for `duration` s, spread over `procs` worker processes;
 * worker w plays against `urls[w % urls.length]`.
 */
export async function playLoad(urls: string[], o: { rooms: number; clients: number; procs: number; duration: number }): Promise<WorkerResult[]> {
  const n = Math.min(o.procs, o.rooms);
  const shares = Array.from({ length: n }, (_, i) => Math.floor(o.rooms / n) + (i < o.rooms % n ? 1 : 0));
  return Promise.all(
    shares.map((share, w) =>
      spawnWorker<WorkerResult>("server/bench/loadWorker.ts", [urls[w % urls.length], String(share), String(o.clients), String(o.duration)]),
    ),
  );
}

/** The client processes' default CPU priority (nice): the lowest, so that on a shared machine the server's event loop is measured rather than the load generator's appetite for CPU. */
export const WORKER_NICE = 19;

/** A load-worker process: its result (the JSON of its last stdout line), and a line sent to its stdin. */
export interface WorkerProcess<T> {
  result: Promise<T>;
  tell(line: string): void;
}

/** Starts one load-worker `script` with `args` at CPU priority `nice`; `onLine` hears each line it prints. */
export function startWorker<T>(script: string, args: string[], o: { nice?: number; onLine?: (line: string) => void } = {}): WorkerProcess<T> {
  const worker = spawn("nice", ["-n", String(o.nice ?? WORKER_NICE), process.execPath, "--import", "tsx", script, ...args], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  let out = "";
  let partial = "";
  worker.stdout.on("data", (d) => {
    out += d;
    if (!o.onLine) return;
    const lines = (partial + d).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) o.onLine(line);
  });
  const result = new Promise<T>((resolve, reject) =>
    worker.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1)!) as T) : reject(new Error(`worker exited ${code}`)))),
  );
  return { result, tell: (line) => void worker.stdin.write(`${line}\n`) };
}

/** Runs one load-worker `script` with `args` at CPU priority `nice` and resolves with the JSON of its last stdout line. */
export function spawnWorker<T>(script: string, args: string[], nice = WORKER_NICE, onLine?: (line: string) => void): Promise<T> {
  return startWorker<T>(script, args, { nice, onLine }).result;
}
