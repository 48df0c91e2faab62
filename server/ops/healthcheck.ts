/**
 * The container's health check (the Dockerfile's HEALTHCHECK runs `node dist/server/ops/healthcheck.js`):
 * exits 0 when this machine's game server answers GET /healthz with 200 — its store and the room
 * directory reachable — and 1 otherwise, saying why. No curl or wget in the image: Node's fetch.
 */
import { loadConfig } from "../config.ts";

/** How long the check waits for /healthz, ms (the server answers within 500 ms whatever Redis does). */
export const HEALTHCHECK_TIMEOUT_MS = 3_000;

const url = `http://127.0.0.1:${loadConfig().port}/healthz`;
try {
  const res = await fetch(url, { signal: AbortSignal.timeout(HEALTHCHECK_TIMEOUT_MS) });
  if (!res.ok) {
    console.error(`${url} answered ${res.status}: ${await res.text()}`);
    process.exit(1);
  }
} catch (err) {
  console.error(`${url} did not answer: ${(err as Error).message}`);
  process.exit(1);
}
