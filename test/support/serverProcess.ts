/** A real game-server process (npm run server's entry), for crash, restart and scale-out tests. */
import { spawn, type ChildProcess } from "node:child_process";
import { freePort } from "./redisServer.ts";

/** How long a server process may take to start, ms: tsx compiles it first, slowly on a machine busy with other test files. */
const START_WAIT_MS = 60_000;

export class ServerProcess {
  output = "";
  private constructor(
    readonly port: number,
    readonly child: ChildProcess,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get ws(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  static async start(env: Record<string, string>): Promise<ServerProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
      env: { ...process.env, PORT: String(port), KUBE_API_PORT: String(await freePort()), PUBLIC_ADDRESS: `127.0.0.1:${port}`, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const p = new ServerProcess(port, child);
    child.stdout!.on("data", (d) => (p.output += d));
    child.stderr!.on("data", (d) => (p.output += d));
    const end = Date.now() + START_WAIT_MS;
    while (!/Cluster Crew is running/.test(p.output)) {
      if (child.exitCode !== null || Date.now() > end) throw new Error(`server did not start:\n${p.output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return p;
  }

  /** Ends the process with a signal and waits for it. */
  async stop(signal: NodeJS.Signals = "SIGKILL"): Promise<number | null> {
    // Ended already: by itself (exitCode) or by a signal (signalCode, and exitCode stays null).
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.child.exitCode;
    const exited = new Promise<number | null>((r) => this.child.once("exit", (code) => r(code)));
    this.child.kill(signal);
    return exited;
  }
}
