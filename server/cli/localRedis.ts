/**
 * What a process of this machine needs to run beside the game: a free loopback port, whether a
 * command is on PATH, and a private redis-server (no persistence) for `npm run cluster`, the load
 * with processes and the store benchmarks.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface LocalRedis {
  url: string;
  /** Shuts it down and removes its files. */
  stop(): void;
}

/** Whether a command is on PATH. */
export function onPath(command: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

/** A private redis-server on a free loopback port, nothing kept on disk; throws when none is installed. */
export async function startLocalRedis(): Promise<LocalRedis> {
  if (!onPath("redis-server")) throw new Error("no REDIS_URL given and no redis-server on PATH: install Redis (apt-get install redis-server) or set REDIS_URL");
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "cc-cluster-redis-"));
  const url = `redis://127.0.0.1:${port}`;
  execFileSync("redis-server", [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    "--appendonly",
    "no",
    "--daemonize",
    "yes",
    "--pidfile",
    join(dir, "pid"),
    "--dir",
    dir,
    "--logfile",
    join(dir, "redis.log"),
  ]);
  for (let i = 0; i < 100; i++) {
    try {
      execFileSync("redis-cli", ["-u", url, "ping"], { stdio: "pipe" });
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url,
    stop: () => {
      try {
        execFileSync("redis-cli", ["-u", url, "shutdown", "nosave"], { stdio: "ignore" });
      } catch {
        // already gone
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
