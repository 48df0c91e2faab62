/** What the benchmarks share: a free loopback port, a percentile, a game-server process, its /metrics windows. */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { METRICS_WINDOW_MS, type MetricsReport } from "../ops/metrics.ts";
import { freePort, startLocalRedis, type LocalRedis } from "../cli/localRedis.ts";

export { freePort } from "../cli/localRedis.ts";

/** The p-th quantile (0–1) of ascending `sorted`. */
export const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

/** `npm run server` on free loopback ports with the in-process store, a fresh METRICS_TOKEN (and `env`); resolves once it listens. */
export async function startServerProcess(env: Record<string, string> = {}): Promise<{ child: ChildProcess; port: number; url: string; metricsToken: string }> {
  const port = await freePort();
  const metricsToken = randomBytes(16).toString("hex");
  const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
    env: { ...process.env, PORT: String(port), KUBE_API_PORT: String(await freePort()), REDIS_URL: "", METRICS_TOKEN: metricsToken, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve) => child.stdout!.on("data", (d) => /running/.test(String(d)) && resolve()));
  return { child, port, url: `http://127.0.0.1:${port}`, metricsToken };
}

/**
 * Collects the server's /metrics windows as they complete (each METRICS_WINDOW_MS long), by
 * polling twice a window and keeping each window once; reading never resets the server's figures.
 * `token` is the server's METRICS_TOKEN. Each window carries `at`, when it was read (epoch ms): it
 * ended at most half a window before.
 */
export function collectMetrics(url: string, token: string | undefined): { windows: (MetricsReport & { at: number })[]; stop(): void } {
  const windows: (MetricsReport & { at: number })[] = [];
  const poll = setInterval(async () => {
    try {
      const res = await fetch(`${url}/metrics`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
      if (res.status !== 200) throw new Error(`/metrics answered ${res.status}: ${((await res.json()) as { message: string }).message}`);
      const report = (await res.json()) as MetricsReport;
      if (report.window.seq > (windows.at(-1)?.window.seq ?? 0)) windows.push({ ...report, at: Date.now() });
    } catch (err) {
      // The server is busy (the next poll will tell) — or refuses: say why once.
      if (/answered/.test((err as Error).message) && windows.length === 0) console.error(`metrics: ${(err as Error).message}`);
    }
  }, METRICS_WINDOW_MS / 2);
  return { windows, stop: () => clearInterval(poll) };
}

/**
 * The Redis a store benchmark writes to: `url` when given, else a private redis-server started
 * now on a free loopback port (no persistence); `stop()` shuts a private one down and removes it.
 */
export async function benchRedis(url: string | undefined): Promise<LocalRedis> {
  return url ? { url, stop: () => {} } : startLocalRedis();
}

/** The Chromium the browser tests and the map benchmark drive (Debian's; CHROMIUM_PATH names another). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Headless, offline, quiet: how the browser tests and the map benchmark start Chromium. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
