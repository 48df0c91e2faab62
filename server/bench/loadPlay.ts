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

/** Runs one load-worker `script` with `args` at CPU priority `nice` and resolves with the JSON of its last stdout line. */
export function spawnWorker<T>(script: string, args: string[], nice = WORKER_NICE): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = spawn("nice", ["-n", String(nice), process.execPath, "--import", "tsx", script, ...args], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    worker.stdout.on("data", (d) => (out += d));
    worker.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1)!) as T) : reject(new Error(`worker exited ${code}`))));
  });
}
