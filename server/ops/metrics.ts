/**
 * GET /metrics: the process' figures for the load test and an operator — event-loop delay and
 * CPU over fixed windows, and memory. Reading changes nothing: the figures are those of the last
 * complete window (so every reader sees the same, however often anyone reads), and a reader that
 * wants a series collects the windows by their sequence number (server/bench/support.ts does).
 *
 * Access: only with METRICS_TOKEN set, and then only with `Authorization: Bearer <token>`;
 * without METRICS_TOKEN the endpoint is off (403 saying how to turn it on). A same-host reverse
 * proxy makes every request look local, so "loopback only" would not be a safe default.
 */
import { sameSecret } from "../admission/secrets.ts";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { RequestHandler } from "express";

/** Length of one metrics window, ms: /metrics reports the last complete one. */
export const METRICS_WINDOW_MS = 5_000;
/** Resolution of the event-loop delay histogram, ms. */
const LOOP_DELAY_RESOLUTION_MS = 1;

/** What GET /metrics answers. */
export interface MetricsReport {
  /** Which window the figures cover: `seq` counts complete windows since start (0: the first is still running, figures so far). */
  window: { seq: number; seconds: number };
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  /** CPU time over wall time in the window, % of one core. */
  cpuPercent: number;
  /** Resident memory now, MiB. */
  rssMiB: number;
  uptimeSeconds: number;
}

export interface MetricsEndpoint {
  handler: RequestHandler;
  /** Stops the window timer. */
  stop(): void;
}

/** Whether the request carries the token (compared in constant time). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  return m !== null && sameSecret(m[1], token);
}

export function metricsEndpoint(token: string | undefined): MetricsEndpoint {
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
  loopDelay.enable();
  let start = { cpu: process.cpuUsage(), at: performance.now() };
  const measure = () => {
    const cpu = process.cpuUsage(start.cpu);
    const now = performance.now();
    return {
      eventLoopDelayMs: { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
      cpuPercent: Math.round(((cpu.user + cpu.system) / 1000 / Math.max(1, now - start.at)) * 1000) / 10,
      seconds: Math.round((now - start.at) / 100) / 10,
    };
  };
  let last: { seq: number; figures: ReturnType<typeof measure> } | undefined;
  const timer = setInterval(() => {
    last = { seq: (last?.seq ?? 0) + 1, figures: measure() };
    loopDelay.reset();
    start = { cpu: process.cpuUsage(), at: performance.now() };
  }, METRICS_WINDOW_MS);
  timer.unref();

  const handler: RequestHandler = (req, res) => {
    if (token === undefined) {
      return void res
        .status(403)
        .json({ message: "metrics are off: start the server with METRICS_TOKEN=<a secret> and send it as 'Authorization: Bearer <the secret>'" });
    }
    if (!bearerMatches(req.headers.authorization, token)) {
      res.setHeader("WWW-Authenticate", 'Bearer realm="metrics"');
      return void res.status(401).json({ message: "metrics need the server's METRICS_TOKEN: send it as 'Authorization: Bearer <token>'" });
    }
    const { seconds, ...figures } = last?.figures ?? measure();
    const report: MetricsReport = {
      window: { seq: last?.seq ?? 0, seconds },
      ...figures,
      rssMiB: Math.round(process.memoryUsage().rss / 1048576),
      uptimeSeconds: Math.round(process.uptime()),
    };
    res.json(report);
  };
  return {
    handler,
    stop: () => {
      clearInterval(timer);
      loopDelay.disable();
    },
  };
}
