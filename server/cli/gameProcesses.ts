/**
 * N game-server processes on one Redis on this machine: what `npm run cluster` runs, and what
 * `npm run load -- --processes` measures. Each process gets its own port, its own Kubernetes API
 * port and its own public address (Colyseus sends a client to the process holding its room);
 * without a Redis URL a private redis-server is started on a free loopback port, if one is on
 * PATH. Stopping sends SIGTERM to every process (each saves its rooms), then SIGKILL to any
 * still running after SHUTDOWN_DEADLINE_MS.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { SHUTDOWN_DEADLINE_MS } from "../app.ts";
import { freePort } from "./localRedis.ts";

export { freePort, onPath, startLocalRedis, type LocalRedis } from "./localRedis.ts";

/** How long a process may take to say it runs, ms (the first start compiles TypeScript). */
const START_TIMEOUT_MS = 60_000;

export interface GameProcess {
  index: number;
  port: number;
  /** Where its players connect: http://<host>:<port>. */
  url: string;
  /** host:port, as the process tells Colyseus (PUBLIC_ADDRESS). */
  publicAddress: string;
  child: ChildProcess;
  /** Its kubectl address (the HTTPS Kubernetes API). */
  apiUrl: string;
}

export interface ProcessesOptions {
  count: number;
  redisUrl: string;
  /** The first process' port; process i takes basePort + 2i, its Kubernetes API the port after. 0: free ports. */
  basePort: number;
  /** The host name clients reach these processes at. */
  host: string;
  /** More environment for every process. */
  env?: Record<string, string>;
  /** Each line a process prints. */
  onLine?(index: number, line: string): void;
  /** A process ended by itself (crashed, killed). */
  onExit?(index: number, code: number | null, signal: NodeJS.Signals | null): void;
}

/** Starts the processes and waits until every one runs; stop() ends them all. */
export async function startProcesses(o: ProcessesOptions): Promise<{ processes: GameProcess[]; stop(): Promise<void> }> {
  let stopping = false;
  const processes: GameProcess[] = [];
  const stop = async () => {
    stopping = true;
    await Promise.all(processes.map((p) => stopProcess(p.child)));
  };
  try {
    for (let i = 0; i < o.count; i++) {
      const port = o.basePort ? o.basePort + 2 * i : await freePort();
      const apiPort = o.basePort ? port + 1 : await freePort();
      const publicAddress = `${o.host}:${port}`;
      const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
        env: { ...process.env, ...o.env, PORT: String(port), KUBE_API_PORT: String(apiPort), PUBLIC_ADDRESS: publicAddress, REDIS_URL: o.redisUrl },
        stdio: ["ignore", "pipe", "pipe"],
        // Its own process group: a Ctrl-C in the terminal reaches the launcher, which stops each in turn.
        detached: true,
      });
      const p: GameProcess = { index: i + 1, port, url: `http://${o.host}:${port}`, publicAddress, child, apiUrl: `https://${o.host}:${apiPort}` };
      processes.push(p);
      const running = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`process ${p.index} did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
        let buffered = "";
        const lines = (d: Buffer) => {
          buffered += d;
          const all = buffered.split("\n");
          buffered = all.pop()!;
          for (const line of all) {
            o.onLine?.(p.index, line);
            if (/Cluster Crew is running/.test(line)) {
              clearTimeout(timer);
              resolve();
            }
          }
        };
        child.stdout!.on("data", lines);
        child.stderr!.on("data", lines);
        child.once("exit", (code, signal) => {
          clearTimeout(timer);
          reject(new Error(`process ${p.index} exited (${signal ?? `code ${code}`}) before it ran`));
          if (!stopping) o.onExit?.(p.index, code, signal);
        });
      });
      // One at a time: each start compiles and binds its ports before the next.
      await running;
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { processes, stop };
}

/** SIGTERM (the process saves its rooms), then SIGKILL after the server's own shutdown deadline. */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), SHUTDOWN_DEADLINE_MS + 2_000);
  await exited;
  clearTimeout(timer);
}
