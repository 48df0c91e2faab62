/** What the benchmarks share: a free loopback port, a percentile, a game-server process. */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** The p-th quantile (0–1) of ascending `sorted`. */
export const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

/** `npm run server` on free loopback ports with the in-process store (and `env`); resolves once it listens. */
export async function startServerProcess(env: Record<string, string> = {}): Promise<{ child: ChildProcess; port: number; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
    env: { ...process.env, PORT: String(port), KUBE_API_PORT: String(await freePort()), REDIS_URL: "", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve) => child.stdout!.on("data", (d) => /running/.test(String(d)) && resolve()));
  return { child, port, url: `http://127.0.0.1:${port}` };
}
