/**
 * A private, throw-away redis-server for the tests: started on a free loopback port with no
 * persistence, stopped (and restartable on the same port) or frozen (hung) on demand.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

export class RedisServer {
  private readonly dir = mkdtempSync(join(tmpdir(), "cc-redis-"));
  private constructor(
    readonly port: number,
    private readonly durable: boolean,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  private get pidfile(): string {
    return join(this.dir, "redis.pid");
  }

  /** `durable`: an append-only file synced on every write, so data survives a kill -9 and restart. */
  static async start(opts: { durable?: boolean } = {}): Promise<RedisServer> {
    const s = new RedisServer(await freePort(), opts.durable ?? false);
    await s.resume();
    return s;
  }

  /** Starts (again) on the same port and waits until it answers. */
  async resume(): Promise<void> {
    execFileSync("redis-server", [
      "--port",
      String(this.port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      ...(this.durable ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"]),
      "--daemonize",
      "yes",
      "--pidfile",
      this.pidfile,
      "--dir",
      this.dir,
      "--logfile",
      join(this.dir, "redis.log"),
    ]);
    for (let i = 0; i < 100; i++) {
      try {
        execFileSync("redis-cli", ["-p", String(this.port), "ping"], { stdio: "pipe" });
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new Error(`redis-server on port ${this.port} did not start`);
  }

  /** Stops the server (as an outage would), keeping the port for resume(). */
  async stop(): Promise<void> {
    let pid: number;
    try {
      pid = Number(readFileSync(this.pidfile, "utf8").trim());
    } catch {
      return;
    }
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      return;
    }
    for (let i = 0; i < 100; i++) {
      try {
        process.kill(pid, 0);
        await new Promise((r) => setTimeout(r, 20));
      } catch {
        break;
      }
    }
    rmSync(this.pidfile, { force: true });
  }

  /** Whether it was started and not stopped since (it may be frozen). */
  get running(): boolean {
    return existsSync(this.pidfile);
  }

  /** Hangs the server (SIGSTOP), as a Redis stuck on a slow disk or a long command would: connections stay open, nothing answers. */
  freeze(): void {
    this.signal("SIGSTOP");
  }

  /** Lets a frozen server go on (SIGCONT); it then runs what it was sent meanwhile. */
  thaw(): void {
    this.signal("SIGCONT");
  }

  private signal(signal: NodeJS.Signals): void {
    try {
      process.kill(Number(readFileSync(this.pidfile, "utf8").trim()), signal);
    } catch {
      // not running
    }
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
