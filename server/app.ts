/**
 * The game server: one process serves the game rooms (Colyseus over WebSocket), the HTTP
 * endpoints (health, PIN lookup, debrief downloads, scenarios) and the built client, on one port.
 * With a Redis URL, rooms are shared between processes (Colyseus' Redis presence and driver)
 * and persisted in the etcd stand-in on the same Redis; without one, everything is in-process.
 */
import "./polyfill.ts";
import http from "node:http";
import https from "node:https";
import os from "node:os";
import type { AddressInfo } from "node:net";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import express from "express";
import { defineRoom, defineServer, matchMaker, type Server } from "@colyseus/core";
import { WebSocketTransport } from "@colyseus/ws-transport";
import { RedisDriver } from "@colyseus/redis-driver";
import { RedisPresence } from "@colyseus/redis-presence";
import { listScenarios } from "../shared/sim/scenarios/index.ts";
import { ROOM_NAME } from "../shared/protocol/messages.ts";
import type { ClusterStore } from "./store/ClusterStore.ts";
import { openStore } from "./store/openStore.ts";
import { ClusterRoom, roomStore, type ApiAuth, type RoomMeta } from "./room/ClusterRoom.ts";
import type { ApiResult } from "../shared/sim/api/status.ts";
import { timelineCsv, type Debrief } from "./game/debrief.ts";
import { kubeApi, statusOf } from "./k8s/api.ts";
import { selfSignedCertificate } from "./k8s/certificate.ts";
import { DEFAULT_CAPS, RoomCaps, roomCaps, type RoomCapsOptions } from "./limits/RoomCaps.ts";
import { trustProxies } from "./limits/clientAddress.ts";
import { guardHttp } from "./limits/httpGuard.ts";

export interface ServerConfig {
  port: number;
  /** Redis for the store and for sharing rooms between processes; in-process when absent. */
  redisUrl?: string;
  /** host:port other processes' clients reach this one at (needed with several processes). */
  publicAddress?: string;
  /** The HTTPS port of the rooms' Kubernetes API (0: any free port). @default port + 1 */
  apiPort?: number;
  /** The built client to serve. @default client/dist */
  clientDir?: string;
  log?: (line: string) => void;
  /** Rooms in total and per client address, and the simulation budget. @default DEFAULT_CAPS */
  caps?: RoomCapsOptions;
  /** Reverse proxies in front of the server, trusted to report the client in X-Forwarded-For. @default 0 */
  trustProxy?: number;
}

export interface RunningServer {
  server: Server;
  store: ClusterStore;
  url: string;
  /** The rooms' Kubernetes API over HTTPS (kubectl): <apiUrl>/k8s/<PIN>. */
  apiUrl: string;
  close(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** Largest WebSocket frame a client may send, bytes (a message is a few hundred); larger ones close the socket (1009). */
export const MAX_FRAME_BYTES = 16 * 1024;

async function roomByPin(pin: string): Promise<{ roomId: string; metadata: RoomMeta } | undefined> {
  const rooms = await matchMaker.query({ name: ROOM_NAME });
  const r = rooms.find((x) => (x.metadata as RoomMeta | undefined)?.pin === pin);
  return r ? { roomId: r.roomId, metadata: r.metadata as RoomMeta } : undefined;
}

export async function startServer(cfg: ServerConfig): Promise<RunningServer> {
  const log = cfg.log ?? ((l: string) => console.log(l));
  const store = await openStore(cfg.redisUrl);
  roomStore.current = store;
  roomStore.log = log;
  roomCaps.current = new RoomCaps(cfg.caps ?? DEFAULT_CAPS);
  trustProxies(cfg.trustProxy ?? 0);
  const clientDir = cfg.clientDir ?? path.join(here, "..", "client", "dist");
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  let lastCpu = { usage: process.cpuUsage(), at: performance.now() };

  const k8s = kubeApi({
    store,
    roomOf: async (pin) => (await roomByPin(pin))?.roomId,
    auth: (roomId, token) => matchMaker.remoteRoomCall<ClusterRoom>(roomId, "apiAuth", [token]) as Promise<ApiAuth | undefined>,
    write: (roomId, token, request) => matchMaker.remoteRoomCall<ClusterRoom>(roomId, "apiWrite", [token, request]) as Promise<{ result: ApiResult; revision: number }>,
    log: (roomId, token, verb, p, code, message) => void matchMaker.remoteRoomCall<ClusterRoom>(roomId, "apiRead", [token, verb, p, code, message]).catch(() => undefined),
  });
  /** The HTTPS port of the Kubernetes API, once listening (0 in the config: any free port). */
  let apiPort = cfg.apiPort ?? cfg.port + 1;

  const httpServer = http.createServer();
  const server = defineServer({
    transport: new WebSocketTransport({ server: httpServer, pingInterval: 5000, pingMaxRetries: 3, maxPayload: MAX_FRAME_BYTES }),
    ...(cfg.redisUrl ? { presence: new RedisPresence(cfg.redisUrl), driver: new RedisDriver(cfg.redisUrl) } : {}),
    publicAddress: cfg.publicAddress,
    greet: false,
    gracefullyShutdown: false,
    rooms: { [ROOM_NAME]: defineRoom(ClusterRoom) },
    express: (app) => {
      app.get("/healthz", async (_req, res) => {
        const storeUp = await store.ping();
        const rooms = await matchMaker.query({ name: ROOM_NAME });
        const clients = rooms.reduce((n, r) => n + r.clients, 0);
        res.status(storeUp ? 200 : 503).json({ ok: storeUp, store: { kind: store.describe, reachable: storeUp }, rooms: rooms.length, clients });
      });
      // Process figures for the load test: event-loop delay since the last read, CPU and memory.
      app.get("/metrics", (_req, res) => {
        const cpu = process.cpuUsage(lastCpu.usage);
        const now = performance.now();
        const body = {
          eventLoopDelayMs: { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
          cpuPercent: Math.round(((cpu.user + cpu.system) / 1000 / (now - lastCpu.at)) * 1000) / 10,
          rssMiB: Math.round(process.memoryUsage().rss / 1048576),
        };
        loopDelay.reset();
        lastCpu = { usage: process.cpuUsage(), at: now };
        res.json(body);
      });
      app.get("/api/scenarios", (_req, res) => {
        res.json(listScenarios().map((s) => ({ id: s.id, title: s.title, summary: s.summary, durationSec: s.durationSec })));
      });
      app.get("/api/pin/:pin", async (req, res) => {
        if (!/^\d{6}$/.test(req.params.pin)) return void res.status(400).json({ message: "a PIN has 6 digits" });
        const room = await roomByPin(req.params.pin);
        if (!room) return void res.status(404).json({ message: `no game with PIN ${req.params.pin} is running: check the PIN on the host's screen` });
        res.json({ roomId: room.roomId, mode: room.metadata.mode, scenario: room.metadata.scenario, phase: room.metadata.phase });
      });
      app.get("/api/rooms/:pin/debrief.:format", async (req, res) => {
        const room = await roomByPin(req.params.pin);
        if (!room) return void res.status(404).json({ message: `no game with PIN ${req.params.pin}` });
        const d = (await matchMaker.remoteRoomCall<ClusterRoom>(room.roomId, "debrief")) as Debrief;
        if (req.params.format === "csv") {
          res.type("text/csv").attachment(`cluster-crew-${req.params.pin}.csv`).send(timelineCsv(d));
        } else if (req.params.format === "json") {
          res.attachment(`cluster-crew-${req.params.pin}.json`).json(d);
        } else {
          res.status(400).json({ message: "the debrief comes as .json or .csv" });
        }
      });
      // Every room's Kubernetes API: /k8s/<PIN>/api/v1/pods and so on (kubectl uses the HTTPS port).
      app.use("/k8s", k8s);
      app.get("/api/kube", (_req, res) => void res.json({ port: apiPort }));
      if (existsSync(clientDir)) app.use(express.static(clientDir));
    },
  });

  await server.listen(cfg.port);
  // In front of the matchmaker's routes (bound by listen) and every express route.
  guardHttp(httpServer);
  const url = `http://localhost:${cfg.port}`;

  // kubectl sends its token only over TLS: the same API on its own HTTPS port, like a real API
  // server's 6443, with a certificate made now for this machine's names.
  const hosts = ["localhost", "127.0.0.1", "::1", os.hostname(), ...Object.values(os.networkInterfaces()).flatMap((l) => (l ?? []).map((i) => i.address))];
  if (cfg.publicAddress) hosts.push(cfg.publicAddress.replace(/:\d+$/, ""));
  const apiApp = express();
  apiApp.disable("x-powered-by");
  apiApp.use("/k8s", k8s);
  apiApp.use((_req, res) => void res.status(404).json(statusOf(404, "NotFound", "this port serves the rooms' Kubernetes API under /k8s/<PIN>")));
  const apiServer = https.createServer(selfSignedCertificate(hosts), apiApp);
  guardHttp(apiServer);
  await new Promise<void>((resolve, reject) => {
    apiServer.once("error", (err) => reject(new Error(`cannot serve the Kubernetes API on port ${apiPort}: ${err.message} (set KUBE_API_PORT to another port)`)));
    apiServer.listen(apiPort, () => resolve());
  });
  apiPort = (apiServer.address() as AddressInfo).port;

  // Rooms saved in the store by a previous run come back (same PIN, cluster, clock and score).
  for (const key of await store.rooms()) {
    const pin = key.replace(/^pin-/, "");
    if (!/^\d{6}$/.test(pin) || (await roomByPin(pin))) continue;
    try {
      await matchMaker.createRoom(ROOM_NAME, { restore: key });
      log(`restored room with PIN ${pin} from ${store.describe}`);
    } catch (err) {
      log(`could not restore room ${pin}: ${(err as Error).message}`);
    }
  }

  return {
    server,
    store,
    url,
    apiUrl: `https://localhost:${apiPort}`,
    close: async () => {
      apiServer.closeAllConnections();
      await new Promise((r) => apiServer.close(r));
      await server.gracefullyShutdown(false);
      await store.close();
    },
  };
}
