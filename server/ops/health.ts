/**
 * GET /healthz: whether this process can do its work — its store answers, and so does the room
 * directory (the same Redis, through Colyseus' driver). It answers within HEALTH_TIMEOUT_MS
 * whatever Redis does (down, or hung): 200 when both answer, else 503, so a load balancer or
 * Kubernetes probe sees an outage at once and sees its end.
 *
 * GET /livez: only that this process answers (its event loop turns), whatever Redis does — for a
 * liveness probe, which restarts the process when it fails: restarting every game process because
 * Redis is down would end the games that play on from memory meanwhile.
 */
import type { RequestHandler } from "express";
import type { ClusterStore } from "../store/ClusterStore.ts";
import { listRooms } from "../matchmaking/directory.ts";
import { withDeadline } from "./deadline.ts";

/** How long /healthz waits for the store and the directory before saying 503, ms (it must answer within 1 s). */
export const HEALTH_TIMEOUT_MS = 500;

/** `leases`: with several processes, whether the leases' own Redis connection is up (failover). */
export function healthz(store: ClusterStore, leases?: { readonly ready: boolean }): RequestHandler {
  return async (_req, res) => {
    const [storeUp, rooms] = await Promise.all([
      withDeadline(store.ping(), HEALTH_TIMEOUT_MS, "pinging the store").catch(() => false),
      listRooms(HEALTH_TIMEOUT_MS).catch(() => undefined),
    ]);
    const ok = storeUp && rooms !== undefined && (leases?.ready ?? true);
    res.status(ok ? 200 : 503).json({
      ok,
      store: { kind: store.describe, reachable: storeUp },
      directory: { reachable: rooms !== undefined },
      ...(leases ? { leases: { reachable: leases.ready } } : {}),
      rooms: rooms?.length ?? null,
      clients: rooms ? rooms.reduce((n, r) => n + r.clients, 0) : null,
      ...(ok ? {} : { message: "the store is unreachable: running games go on from memory and are saved when it is back" }),
    });
  };
}

/** GET /livez: 200 while the process answers at all; it asks nothing of Redis. */
export const livez: RequestHandler = (_req, res) => void res.json({ ok: true });
