/**
 * The game server: one process serves the game rooms (Colyseus over WebSocket), the HTTP
 * endpoints (health, PIN lookup, debrief downloads, scenarios) and the built client, on one port.
 * With a Redis URL, rooms are shared between processes (Colyseus' Redis presence and driver)
 * and persisted in the etcd stand-in on the same Redis; without one, everything is in-process.
 */
import "./polyfill.ts";
import http from "node:http";
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
import { ClusterRoom, roomStore, type RoomMeta } from "./room/ClusterRoom.ts";
import { timelineCsv, type Debrief } from "./game/debrief.ts";

export interface ServerConfig {
  port: number;
  /** Redis for the store and for sharing rooms between processes; in-process when absent. */
  redisUrl?: string;
  /** host:port other processes' clients reach this one at (needed with several processes). */
  publicAddress?: string;
  /** The built client to serve. @default client/dist */
  clientDir?: string;
  log?: (line: string) => void;
}

export interface RunningServer {
  server: Server;
  store: ClusterStore;
  url: string;
  close(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));

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
  const clientDir = cfg.clientDir ?? path.join(here, "..", "client", "dist");
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  let lastCpu = { usage: process.cpuUsage(), at: performance.now() };

  const server = defineServer({
    transport: new WebSocketTransport({ server: http.createServer(), pingInterval: 5000, pingMaxRetries: 3, maxPayload: 16 * 1024 }),
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
      if (existsSync(clientDir)) app.use(express.static(clientDir));
    },
  });

  await server.listen(cfg.port);
  const url = `http://localhost:${cfg.port}`;

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
    close: async () => {
      await server.gracefullyShutdown(false);
      await store.close();
    },
  };
}
