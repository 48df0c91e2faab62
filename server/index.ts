/**
 * Starts the game server: `npm run server`. PORT (default 2567), KUBE_API_PORT (default PORT+1),
 * REDIS_URL, TRUST_PROXY (reverse proxies in front, default 0), PIN_GUESSES_PER_MINUTE (default
 * 60), MAX_ROOMS, MAX_ROOMS_PER_ADDRESS, SIM_CPU_BUDGET and METRICS_TOKEN (turns GET /metrics on,
 * behind that bearer token) configure it (README, Configuration); the start line prints the URL
 * to open. SIGTERM tells clients and saves every room to the store, and exits within
 * SHUTDOWN_DEADLINE_MS even if the store hangs (exit code 1 then).
 */
import "./polyfill.ts";
import { StoreUnavailable } from "./store/ClusterStore.ts";
import { SHUTDOWN_DEADLINE_MS, startServer } from "./app.ts";
import { trustedProxiesFrom } from "./limits/clientAddress.ts";
import { guessesPerMinuteFrom } from "./admission/PinGuard.ts";
import { capsFromEnv } from "./limits/RoomCaps.ts";
import { replayPool } from "./replays/ReplayPool.ts";

function portFrom(name: string, fallback: number): number {
  const value = Number(process.env[name] || fallback);
  if (!Number.isInteger(value) || value <= 0 || value > 65535) {
    console.error(`${name} must be a port number, not "${process.env[name]}"`);
    process.exit(1);
  }
  return value;
}

const port = portFrom("PORT", 2567);
const apiPort = portFrom("KUBE_API_PORT", port + 1);

try {
  const trustProxy = trustedProxiesFrom(process.env.TRUST_PROXY);
  const pinGuessesPerMinute = guessesPerMinuteFrom(process.env.PIN_GUESSES_PER_MINUTE);
  // REPLAY_WORKERS and REPLAY_DEADLINE_MS are read now, so a bad value stops the start, not a debrief.
  replayPool();
  const running = await startServer({
    port,
    apiPort,
    redisUrl: process.env.REDIS_URL || undefined,
    publicAddress: process.env.PUBLIC_ADDRESS || undefined,
    trustProxy,
    pinGuessesPerMinute,
    metricsToken: process.env.METRICS_TOKEN || undefined,
    caps: capsFromEnv(process.env),
  });
  console.log(`Cluster Crew is running: open ${running.url} (store: ${running.store.describe}; kubectl: ${running.apiUrl}/k8s/<PIN>)`);
  const stop = (signal: string) => {
    console.log(`${signal}: saving every room and closing`);
    // close() keeps its own deadline; this one only guards against a bug in it.
    setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS + 1_000).unref();
    running.close().then(
      (saved) => process.exit(saved ? 0 : 1),
      () => process.exit(1),
    );
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
} catch (err) {
  if (err instanceof StoreUnavailable) console.error(err.message);
  else console.error(`cannot start the server: ${(err as Error).message}`);
  process.exit(1);
}
