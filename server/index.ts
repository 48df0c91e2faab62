/**
 * Starts the game server: `npm run server`. PORT (default 2567), KUBE_API_PORT (default PORT+1)
 * and REDIS_URL configure it, MAX_ROOMS, MAX_ROOMS_PER_ADDRESS, SIM_CPU_BUDGET and TRUST_PROXY
 * its limits (README, Configuration); the start line prints the URL to open. SIGTERM saves every room to the store and tells clients.
 */
import "./polyfill.ts";
import { StoreUnavailable } from "./store/ClusterStore.ts";
import { startServer } from "./app.ts";
import { capsFromEnv } from "./limits/RoomCaps.ts";

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
  const caps = capsFromEnv(process.env);
  const trustProxy = Number(process.env.TRUST_PROXY || 0);
  if (!Number.isInteger(trustProxy) || trustProxy < 0) throw new Error(`TRUST_PROXY must be the number of reverse proxies in front of the server (0 for none), not "${process.env.TRUST_PROXY}"`);
  const running = await startServer({ port, apiPort, redisUrl: process.env.REDIS_URL || undefined, publicAddress: process.env.PUBLIC_ADDRESS || undefined, caps, trustProxy });
  console.log(`Cluster Crew is running: open ${running.url} (store: ${running.store.describe}; kubectl: ${running.apiUrl}/k8s/<PIN>)`);
  const stop = (signal: string) => {
    console.log(`${signal}: saving every room and closing`);
    running.close().then(
      () => process.exit(0),
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
