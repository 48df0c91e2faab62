/**
 * `npm run cluster -- --processes 3`: several game-server processes on one Redis on this machine
 * (development, tests, one big classroom server). Each process has its own port and public
 * address and prints its lines prefixed with its number; any process answers for any game (the
 * PIN look-up, joining, kubectl), and when one dies its games come back on the others. Ctrl-C
 * stops them all (each saves its games first) and the Redis the launcher started, if it did.
 *
 *   npm run cluster [-- --processes 3 --port 2567 --host localhost]
 *
 * Process i listens on port + 2(i − 1) and serves kubectl on the port after (--port 0: free ports).
 *
 * Redis: REDIS_URL (or --redis) when set; otherwise a private redis-server on a free loopback
 * port, started now and stopped with the processes (its games are not kept after).
 */
import "../polyfill.ts";
import { parseArgs } from "node:util";
import { DEFAULT_PORT } from "../config.ts";
import { redactUrl } from "../store/RedisStore.ts";
import { startLocalRedis, startProcesses, type LocalRedis } from "./gameProcesses.ts";

/** Processes started when --processes is not given. */
const DEFAULT_PROCESSES = 3;
/** More than this on one machine only competes for its cores. */
const MAX_PROCESSES = 16;

const { values } = parseArgs({
  options: {
    processes: { type: "string", default: String(DEFAULT_PROCESSES) },
    port: { type: "string", default: process.env.PORT || String(DEFAULT_PORT) },
    host: { type: "string", default: "localhost" },
    redis: { type: "string", default: process.env.REDIS_URL || "" },
  },
});

function fail(message: string): never {
  console.error(`cluster: ${message}`);
  process.exit(1);
}

const count = Number(values.processes);
if (!Number.isInteger(count) || count < 1 || count > MAX_PROCESSES)
  fail(`--processes must be a whole number from 1 to ${MAX_PROCESSES}, not "${values.processes}"`);
const basePort = Number(values.port);
if (!Number.isInteger(basePort) || basePort < 0 || basePort + 2 * count > 65535)
  fail(`--port must leave room for ${2 * count} ports (0: any free ports), not "${values.port}"`);
if (!/^[^\s/:]+$/.test(values.host)) fail(`--host must be a host name or address, not "${values.host}"`);

let local: LocalRedis | undefined;
let redisUrl = values.redis;
try {
  if (!redisUrl) {
    local = await startLocalRedis();
    redisUrl = local.url;
    console.log(`cluster: no REDIS_URL given: started a private redis-server at ${redisUrl} (stopped with the processes; nothing is kept after)`);
  } else {
    console.log(`cluster: using Redis at ${redactUrl(redisUrl)}`);
  }
  const started = await startProcesses({
    count,
    redisUrl,
    basePort,
    host: values.host,
    onLine: (i, line) => console.log(`[${i}] ${line}`),
    onExit: (i, code, signal) =>
      console.log(`cluster: process ${i} ended (${signal ?? `exit code ${code}`}); its games come back on the others within a few seconds`),
  });
  console.log(`cluster: ${count} game processes on ${redactUrl(redisUrl)} — open any of them; every one answers for every game:`);
  for (const p of started.processes) console.log(`  process ${p.index}: ${p.url}   (kubectl: ${p.apiUrl}/k8s/<PIN>)`);
  console.log("cluster: Ctrl-C stops them all");
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`cluster: ${signal}: stopping every process (each saves its games)`);
    await started.stop();
    local?.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
} catch (err) {
  local?.stop();
  fail((err as Error).message);
}
