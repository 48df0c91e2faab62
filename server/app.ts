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
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import express from "express";
import { defineRoom, defineServer, matchMaker, type Server } from "@colyseus/core";
import { WebSocketTransport } from "@colyseus/ws-transport";
import { RedisPresence } from "@colyseus/redis-presence";
import { listScenarios } from "../shared/sim/scenarios/index.ts";
import { bareServerNames } from "../shared/sim/bootstrap.ts";
import { ROOM_NAME } from "../shared/protocol/messages.ts";
import { CLASS_ROOM_NAME } from "../shared/protocol/classMessages.ts";
import { ClassRoom } from "./room/ClassRoom.ts";
import type { TeamMeta } from "./room/teamLink.ts";
import { isSavedClass } from "./game/classSnapshot.ts";
import { spreadRooms } from "./matchmaking/spread.ts";
import type { ClusterStore } from "./store/ClusterStore.ts";
import { openStore } from "./store/openStore.ts";
import { ClusterRoom, storeKeyOf, type RoomMeta, type RoomOptions } from "./room/ClusterRoom.ts";
import type { ApiAuth } from "./k8s/ports.ts";
import type { PodLog } from "./k8s/podLogs.ts";
import type { UsageReport } from "./k8s/usage.ts";
import { issueRestoreTicket, RESTORE_TICKET_OPTION, revokeRestoreTicket } from "./room/restoreTickets.ts";
import type { ApiResult } from "../shared/sim/api/status.ts";
import { timelineCsv, type Debrief } from "./game/debrief.ts";
import { kubeApi, statusOf } from "./k8s/api.ts";
import { selfSignedCertificate } from "./k8s/certificate.ts";
import { admission } from "./admission/admission.ts";
import { PinGuard } from "./admission/PinGuard.ts";
import { debriefDownload, guardedRoomOf, matchmakeGate, pinLookup, reportDownload, type ReportReply } from "./admission/routes.ts";
import { reportCsv } from "./game/report.ts";
import { RecoveringRedisDriver } from "./matchmaking/RecoveringRedisDriver.ts";
import { forgetDeadProcesses, listRooms } from "./matchmaking/directory.ts";
import type { IRoomCache } from "@colyseus/core";
import { watchForOrphans } from "./matchmaking/failover.ts";
import { RoomLeases } from "./store/RoomLeases.ts";
import { withDeadline } from "./ops/deadline.ts";
import { healthz, livez } from "./ops/health.ts";
import { jsonErrors } from "./ops/httpErrors.ts";
import { metricsEndpoint } from "./ops/metrics.ts";
import { DEFAULT_CAPS, RoomCaps, type RoomCapsOptions } from "./limits/RoomCaps.ts";
import { guardHttp } from "./limits/httpGuard.ts";
import { joinAddressRoute, joinUrls } from "./ops/joinAddress.ts";

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
  /** Reverse proxies in front of the server whose X-Forwarded-For is believed (env TRUST_PROXY). @default 0: the socket's address */
  trustProxy?: number;
  /** Wrong PINs the process takes a minute from everyone together (env PIN_GUESSES_PER_MINUTE). @default 60 */
  pinGuessesPerMinute?: number;
  log?: (line: string) => void;
  /** The bearer token GET /metrics requires; without one /metrics is off. */
  metricsToken?: string;
  /** Rooms in total and per client address, and the simulation budget. @default DEFAULT_CAPS */
  caps?: RoomCapsOptions;
  /** How long a workshop's host may be gone before the game pauses, ms (env HOST_AWAY_SECONDS). @default HOST_AWAY_MS */
  hostAwayMs?: number;
  /** The address students open, shown on the host's screen instead of this machine's LAN addresses (env PUBLIC_URL). */
  publicUrl?: string;
}

export interface RunningServer {
  server: Server;
  store: ClusterStore;
  url: string;
  /** The rooms' Kubernetes API over HTTPS (kubectl): <apiUrl>/k8s/<PIN>. */
  apiUrl: string;
  /** Tells every client, saves every room and stops; false when that took past SHUTDOWN_DEADLINE_MS (the store hung). */
  close(): Promise<boolean>;
}

/**
 * How long closing the server may take, ms: rooms save for at most 2 × SHUTDOWN_SAVE_MS, then
 * the process goes even if Redis hangs (rooms come back from their last save), within the 10 s
 * a supervisor usually grants after SIGTERM.
 */
export const SHUTDOWN_DEADLINE_MS = 8_000;

const here = path.dirname(fileURLToPath(import.meta.url));

/** Largest WebSocket frame a client may send, bytes (a message is a few hundred); larger ones close the socket (1009). */
export const MAX_FRAME_BYTES = 16 * 1024;

/** The room a PIN opens: a game or a class (team mode) — never a class's team room, which its class alone lets in. */
async function roomByPin(pin: string): Promise<{ roomId: string; metadata: RoomMeta } | undefined> {
  return newestWithPin(pin, (x) => !(x.metadata as TeamMeta).classOf);
}

/** The game with a PIN for the doors that need its token (kubectl, downloads): a team room included, a class not. */
function gameByPin(pin: string): Promise<{ roomId: string; metadata: RoomMeta } | undefined> {
  return newestWithPin(pin, (x) => x.name === ROOM_NAME);
}

async function newestWithPin(pin: string, which: (r: IRoomCache) => boolean): Promise<{ roomId: string; metadata: RoomMeta } | undefined> {
  const rooms = await listRooms();
  // Newest first: a room taken over from a dead process may briefly be listed beside its old entry.
  const r = rooms.filter((x) => (x.metadata as RoomMeta | undefined)?.pin === pin && which(x)).sort((a, b) => +(b.createdAt ?? 0) - +(a.createdAt ?? 0))[0];
  return r ? { roomId: r.roomId, metadata: r.metadata as RoomMeta } : undefined;
}

export async function startServer(cfg: ServerConfig): Promise<RunningServer> {
  const log = cfg.log ?? ((l: string) => console.log(l));
  const store = await openStore(cfg.redisUrl);
  const leases = cfg.redisUrl ? await RoomLeases.connect(cfg.redisUrl, () => matchMaker.processId, log) : undefined;
  // What every room gets from the server, as its room type's options (not module-level state).
  const services: RoomOptions["services"] = {
    store,
    log,
    caps: new RoomCaps(cfg.caps ?? DEFAULT_CAPS),
    hostAwayMs: cfg.hostAwayMs,
    joinUrl: () => joinUrls((httpServer.address() as AddressInfo | null)?.port ?? cfg.port, cfg.publicUrl)[0],
    leases,
  };
  const clientDir = cfg.clientDir ?? path.join(here, "..", "client", "dist");
  // PIN guessing is limited per client address and per process, on every door that tells a live PIN.
  const trust = cfg.trustProxy ?? 0;
  const guard = new PinGuard(cfg.pinGuessesPerMinute);
  admission.guard = guard;
  admission.find = roomByPin;
  const metrics = metricsEndpoint(cfg.metricsToken);

  const k8s = kubeApi({
    store,
    roomOf: guardedRoomOf(
      guard,
      async (pin) => (await gameByPin(pin))?.roomId,
      async (roomId, token) => (await matchMaker.remoteRoomCall(roomId, "apiAuth", [token])) !== undefined,
    ),
    auth: (roomId, token) => matchMaker.remoteRoomCall<ClusterRoom>(roomId, "apiAuth", [token]) as Promise<ApiAuth | undefined>,
    write: (roomId, token, request) =>
      matchMaker.remoteRoomCall<ClusterRoom>(roomId, "apiWrite", [token, request]) as Promise<{ result: ApiResult; revision: number; user?: string }>,
    log: (roomId, token, verb, p, code, message) =>
      void matchMaker.remoteRoomCall<ClusterRoom>(roomId, "apiRead", [token, verb, p, code, message]).catch(() => undefined),
    usage: (roomId, token) => matchMaker.remoteRoomCall<ClusterRoom>(roomId, "apiUsage", [token]) as Promise<UsageReport | undefined>,
    podLog: (roomId, token, namespace, name, want) =>
      matchMaker.remoteRoomCall<ClusterRoom>(roomId, "apiPodLog", [token, namespace, name, want]) as Promise<PodLog | undefined>,
  });
  /** The HTTPS port of the Kubernetes API, once listening (0 in the config: any free port). */
  let apiPort = cfg.apiPort ?? cfg.port + 1;

  const httpServer = http.createServer();
  const server = defineServer({
    transport: new WebSocketTransport({ server: httpServer, pingInterval: 5000, pingMaxRetries: 3, maxPayload: MAX_FRAME_BYTES }),
    ...(cfg.redisUrl ? { presence: new RedisPresence(cfg.redisUrl), driver: new RecoveringRedisDriver(cfg.redisUrl) } : {}),
    publicAddress: cfg.publicAddress,
    greet: false,
    gracefullyShutdown: false,
    rooms: { [ROOM_NAME]: defineRoom(ClusterRoom, { services } as RoomOptions), [CLASS_ROOM_NAME]: defineRoom(ClassRoom, { services } as RoomOptions) },
    // A class's team rooms spread over the server processes (each new one where the fewest rooms are).
    selectProcessIdToCreateRoom: spreadRooms(),
    express: (app) => {
      app.get("/healthz", healthz(store, leases));
      app.get("/livez", livez);
      app.get("/metrics", metrics.handler);
      app.get("/api/scenarios", (_req, res) => {
        // The texts too: a client whose host picks another scenario in the lobby shows that one's intro and hints.
        res.json(
          listScenarios().map((s) => ({
            id: s.id,
            title: s.title,
            summary: s.summary,
            durationSec: s.durationSec,
            intro: s.intro,
            hints: s.hints,
            win: s.win,
            // The bare servers a player brings into the cluster: solo offers their kubelet seats.
            bareServers: bareServerNames(s),
          })),
        );
      });
      app.get(
        "/api/pin/:pin",
        pinLookup(guard, roomByPin, async (pin) => store.durable && (await store.revision(storeKeyOf(pin))) > 0),
      );
      const debriefOf = (roomId: string, token: string) =>
        matchMaker.remoteRoomCall<ClusterRoom>(roomId, "debriefFor", [token]) as Promise<Debrief | undefined>;
      app.get("/api/rooms/:pin/debrief.:format", debriefDownload(guard, gameByPin, debriefOf, timelineCsv));
      const reportOf = (roomId: string, token: string, student?: string) =>
        matchMaker.remoteRoomCall<ClusterRoom>(roomId, "reportFor", [token, student]) as Promise<ReportReply>;
      app.get("/api/rooms/:pin/report.:format", reportDownload(guard, gameByPin, reportOf, reportCsv));
      // Every room's Kubernetes API: /k8s/<PIN>/api/v1/pods and so on (kubectl uses the HTTPS port).
      app.use("/k8s", k8s);
      app.get("/api/kube", (_req, res) => void res.json({ port: apiPort }));
      app.get(
        "/api/join-url",
        joinAddressRoute(() => (httpServer.address() as AddressInfo | null)?.port ?? cfg.port, cfg.publicUrl),
      );
      if (existsSync(clientDir)) app.use(express.static(clientDir));
      app.use(jsonErrors(log));
    },
  });

  await server.listen(cfg.port);
  // In front of the matchmaker's routes (bound by listen) and every express route.
  // Every request: its client address stamped, wrong-PIN joins refused while guessing is spent, bodies bounded.
  guardHttp(httpServer, { trustedProxies: trust, gate: matchmakeGate(guard) });
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
  guardHttp(apiServer, { trustedProxies: trust });
  await new Promise<void>((resolve, reject) => {
    apiServer.once("error", (err) =>
      reject(new Error(`cannot serve the Kubernetes API on port ${apiPort}: ${err.message} (set KUBE_API_PORT to another port)`)),
    );
    apiServer.listen(apiPort, () => resolve());
  });
  apiPort = (apiServer.address() as AddressInfo).port;

  // This process' rooms, to tell and save at shutdown without waiting on Redis.
  const localRooms = new Set<{ onBeforeShutdown(): void }>();
  for (const name of [ROOM_NAME, CLASS_ROOM_NAME])
    matchMaker
      .getHandler(name)
      .on("create", (room: ClusterRoom | ClassRoom) => localRooms.add(room))
      .on("dispose", (room: ClusterRoom | ClassRoom) => localRooms.delete(room));

  // Rooms saved by a previous run, or held by a process that died, come back here (same PIN,
  // cluster, clock and score): server/matchmaking/failover.ts. Each is created in this process
  // with a ticket only this process knows: no client can ask for a restore (room/restoreTickets.ts).
  // A class (team mode) comes back the same way, its team rooms as games that find it again.
  const restore = async (key: string) => {
    const ticket = issueRestoreTicket(key);
    try {
      const saved = await store.loadGame(key);
      const kind = isSavedClass(saved) ? CLASS_ROOM_NAME : ROOM_NAME;
      await matchMaker.handleCreateRoom(kind, { [RESTORE_TICKET_OPTION]: ticket });
      log(`restored ${kind === ROOM_NAME ? "room" : "class"} with PIN ${key.replace(/^pin-/, "")} from ${store.describe}`);
    } finally {
      revokeRestoreTicket(ticket);
    }
  };
  const games = async () => (await store.rooms()).filter((key) => /^pin-\d{6}$/.test(key));
  if (cfg.redisUrl) await forgetDeadProcesses(log);
  const failover = leases ? await watchForOrphans({ games, leases, restore, log }) : undefined;

  return {
    server,
    store,
    url,
    apiUrl: `https://localhost:${apiPort}`,
    close: async () => {
      // Colyseus' own shutdown first removes this process from its stats in Redis, and only then
      // tells the rooms: with Redis hung it never gets there. So the rooms are told and start
      // saving here first (once: Colyseus' later call finds them done).
      failover?.stop();
      const colyseus = server.gracefullyShutdown(false);
      for (const room of localRooms) room.onBeforeShutdown();
      metrics.stop();
      apiServer.closeAllConnections();
      const closing = Promise.all([new Promise((r) => apiServer.close(r)), colyseus]);
      try {
        await withDeadline(closing, SHUTDOWN_DEADLINE_MS, "closing the server");
        return true;
      } catch (err) {
        log(`${(err as Error).message} (the store does not answer): stopping anyway; rooms come back from their last save`);
        return false;
      } finally {
        await store.close();
        await leases?.close();
      }
    },
  };
}
