/**
 * Starts the game server: `npm run server`, configured by the environment variables of
 * server/config.ts (README, Configuration); a wrong one stops it with one line naming it. The
 * start line prints the URL to open. SIGTERM tells clients and saves every room to the store, and exits within
 * SHUTDOWN_DEADLINE_MS even if the store hangs (exit code 1 then).
 */
import "./polyfill.ts";
import { StoreUnavailable } from "./store/ClusterStore.ts";
import { SHUTDOWN_DEADLINE_MS, startServer } from "./app.ts";
import { loadConfig, type EnvConfig } from "./config.ts";
import { configureReplayPool } from "./replays/ReplayPool.ts";

let config: EnvConfig;
try {
  config = loadConfig();
} catch (err) {
  console.error(`cannot start the server: ${(err as Error).message}`);
  process.exit(1);
}

try {
  configureReplayPool(config.replay);
  const running = await startServer(config);
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
