/**
 * The Colyseus room: the API server's front door for one game. It turns messages into calls on
 * the GameSession (which answers each with a Kubernetes-like status), advances the game on a
 * fixed 100 ms loop, projects the game into the synchronised state with a per-seat view, and
 * writes every tick through the store. It stays thin: the rules live in GameSession and the core.
 */
import { CloseCode, Room, type AuthContext, type Client, type RoomException, type RoomMethodName } from "@colyseus/core";
import { Encoder, StateView } from "@colyseus/schema";
import type { z } from "zod";
import { describeResult, type ApiResult } from "../../shared/sim/api/status.ts";
import { badRequest, fail } from "../../shared/sim/api/status.ts";
import type { Difficulty } from "../../shared/sim/bots/Bot.ts";
import { getScenario } from "../../shared/sim/scenarios/index.ts";
import type { Finished } from "../../shared/sim/traffic/Traffic.ts";
import {
  CLIENT_MESSAGE_SCHEMAS,
  CLIENT_MESSAGES,
  CreateOptionsSchema,
  EmptySchema,
  JoinOptionsSchema,
  type ClientMessageType,
  type CreateOptions,
  type JoinOptions,
  type ParsedClientMessage,
} from "../../shared/protocol/messages.ts";
import type { ServerMessages, ServerMessageType } from "../../shared/protocol/serverMessages.ts";
import { admit, guardSeatReservations, type AdmissionPass, type AdmissionVerdict } from "../admission/admission.ts";
import { debriefFor } from "../admission/debriefAccess.ts";
import { debriefOf, type Debrief } from "../game/debrief.ts";
import { GameSession, type ApiCaller, type SessionSnapshot } from "../game/GameSession.ts";
import type { ApiRequest } from "../../shared/sim/api/requests.ts";
import { Persistence } from "../game/Persistence.ts";
import type { ClusterStore } from "../store/ClusterStore.ts";
import { projectCluster, projectEtcd, projectLobby, sampleTraffic, type LogCursor } from "./projection.ts";
import { NO_CLIENT_RESTORE, redeemRestoreTicket, RESTORE_TICKET_OPTION } from "./restoreTickets.ts";
import { freePin } from "./pins.ts";
import { listRooms } from "../matchmaking/directory.ts";
import { ClusterRoomState } from "../../shared/protocol/state.ts";
import { updateView } from "./views.ts";
import { scenarioPods } from "../limits/roomCost.ts";
import { guardFrames } from "./frames.ts";
import { noteRequester } from "./requester.ts";
import { RoomLimits } from "./roomLimits.ts";
import { DebriefReplays } from "../replays/DebriefReplays.ts";
import { replayPool } from "../replays/ReplayPool.ts";

/**
 * The schema encoder's working buffer. A player joining a large cluster (50 workers, 500 pods,
 * 102 seats) receives a full view well past the 16 KB default; @colyseus/schema 5.0.34 grows its
 * buffer on overflow for the shared state but not reliably while encoding a per-player view,
 * where the joiner then decodes broken seats ("refId not found") once one structure's changes
 * pass the buffer's headroom (seen at 16 KB, not at 32 KB). 128 KB keeps a fourfold margin for
 * the largest scenario; it is one buffer per room.
 */
Encoder.BUFFER_SIZE = 128 * 1024;

/** The wall-clock loop of every room, ms (one game tick at 1× speed). */
export const LOOP_MS = 100;
/** How often clients receive state patches, ms. */
export const PATCH_MS = 200;
/** How long a dropped player's seats wait for them before going back to the bots for good. */
export const RECONNECT_SECONDS = 30;
/** How long a room restored after a restart waits for its first player before closing. */
export const RESTORED_ROOM_WAIT_MS = 10 * 60_000;
/**
 * How long a room waits for the store to take its last save when the server shuts down, ms —
 * before its clients are let go, and again after: a hung store holds a SIGTERM at most twice this.
 */
export const SHUTDOWN_SAVE_MS = 3_000;

export interface RoomMeta {
  pin: string;
  mode: string;
  scenario: string;
  phase: string;
  players: number;
}

/** Where rooms are persisted; set once by the server before any room is created. */
export const roomStore: { current?: ClusterStore; log: (line: string) => void } = { log: (l) => console.log(l) };

/** The store key of a room: its PIN, so a restarted server finds it again. */
export const storeKeyOf = (pin: string) => `pin-${pin}`;

/** A client's create options, or the server's own restore ticket (see restoreTickets.ts). */
type RoomOptions = CreateOptions | { [RESTORE_TICKET_OPTION]: string };

/**
 * The store key of the saved game a room is to continue: only the server's own ticket names one.
 * A client that asks for a restore is refused: saved games come back when the server starts.
 */
function restoreKeyOf(options: unknown): string | undefined {
  if (typeof options !== "object" || options === null) return undefined;
  const o = options as Record<string, unknown>;
  const asked = Object.hasOwn(o, "restore") || Object.hasOwn(o, RESTORE_TICKET_OPTION);
  if (!asked) return undefined;
  const key = redeemRestoreTicket(o[RESTORE_TICKET_OPTION]);
  if (key === undefined || Object.hasOwn(o, "restore")) {
    throw new Error(NO_CLIENT_RESTORE);
  }
  return key;
}

/** What the Kubernetes API layer learns about a token's holder. */
export interface ApiAuth {
  caller: ApiCaller;
  /** The room's key in the store, where its objects are read and watched. */
  store: string;
  gameNow: number;
  wallNow: number;
  phase: string;
}

export class ClusterRoom extends Room<{ state: ClusterRoomState; metadata: RoomMeta }> {
  session!: GameSession;
  private persistence?: Persistence;
  private views = new Map<string, StateView>();
  private dirty = true;
  private creatorPending = true;
  /** The session the creator's seat was reserved for (the first reservation of a new room). */
  private creatorSession?: string;
  private shuttingDown = false;
  private readonly logCursor: LogCursor = { requests: 0, eventRevision: 0 };
  /** Traffic sampled since the last patch. */
  private trafficBuffer: string[] = [];
  /** The room's place under the server's caps, and its clients' flood windows. */
  private readonly limits = new RoomLimits(() => this.session);
  /** "You against the bot": replayed off the event loop when the game enters the debrief. */
  private readonly replays = new DebriefReplays(replayPool, (line) => roomStore.log(line));

  constructor() {
    super();
    // Every frame counts toward its client's flood cut; malformed ones are answered (frames.ts).
    guardFrames(this, (c) => this.limits.frame(c.sessionId));
  }

  override async onCreate(options: RoomOptions): Promise<void> {
    // Colyseus' patch timer runs from before onCreate: the state must exist before the first await.
    this.state = new ClusterRoomState();
    // Refused (429 or 503, with the reason) before anything is built when the server cannot take it.
    this.limits.admit(options);
    const store = roomStore.current;
    const restoreKey = restoreKeyOf(options);
    let inputsStored = 0;
    if (restoreKey !== undefined) {
      if (!store) throw new Error("no store to restore from");
      const loaded = await Persistence.load<SessionSnapshot>(store, restoreKey, (s) => s.sim);
      this.session = new GameSession(loaded.state.options, loaded.state);
      inputsStored = loaded.inputsStored;
      this.creatorPending = false;
    } else {
      const parsed = CreateOptionsSchema.safeParse(options);
      if (!parsed.success) throw new Error(`cannot create the room: ${readable(parsed.error)}`);
      const o = parsed.data;
      if (!getScenario(o.scenario)) throw new Error(`cannot create the room: there is no scenario "${o.scenario}"`);
      const seed = o.seed ?? Math.floor(Math.random() * 0xffffffff);
      // A PIN of its own: not a running game's (on any process), nor a saved one's waiting in the store.
      const pin = await freePin(async (p) => (await listRooms()).some((r) => (r.metadata as RoomMeta | undefined)?.pin === p) || (store ? (await store.revision(storeKeyOf(p))) > 0 : false));
      this.session = new GameSession({ mode: o.mode, scenario: o.scenario, difficulty: o.difficulty as Difficulty, seed }, undefined, pin);
    }
    const restored = restoreKey !== undefined;
    if (store) {
      const key = storeKeyOf(this.session.pin);
      if (!restored) await store.dropRoom(key);
      // The source reads the session's current simulation: the host may swap it for another scenario.
      const session = () => this.session;
      const source = { get sim() { return session().sim; }, state: () => JSON.stringify(session().snapshot({ inputLog: false })) };
      this.persistence = new Persistence(store, key, source, roomStore.log, restored ? this.session.sim.state.revision : 0, inputsStored);
    }
    this.metadata = this.meta();
    // Out of matchmaking: join and joinOrCreate never pick a room; joining one takes its PIN (onAuth).
    await this.setPrivate(true);
    // A restored room waits for its players; if none is back in time, it closes like any other.
    this.autoDispose = !restored;
    if (!this.autoDispose) {
      this.clock.setTimeout(() => {
        if (this.clients.length === 0) void this.disconnect().catch(() => undefined);
      }, RESTORED_ROOM_WAIT_MS);
    }
    this.registerMessages();
    this.setSimulationInterval((dt) => this.loop(dt), LOOP_MS);
    // Five patches a second: clients interpolate, and each patch carries two ticks of changes.
    this.patchRate = PATCH_MS;
    this.project([]);
  }

  private meta(): RoomMeta {
    return { pin: this.session.pin, mode: this.session.options.mode, scenario: this.session.sim.scenario.id, phase: this.session.phase, players: this.session.players.size };
  }

  // ---- players --------------------------------------------------------------------------------

  /**
   * Runs on every matchmaker route before a seat is reserved (see server/admission/admission.ts):
   * the client's address is noted for the room caps (a create carries it to onCreate), then the
   * PIN is looked up and the room asked whether it takes the player.
   */
  static override async onAuth(_token: string, options: unknown, context: AuthContext): Promise<AdmissionPass> {
    noteRequester(options, context);
    return admit(options, context);
  }

  /** Whether this room would take a player joining with `raw` options (called by onAuth, across processes). */
  admission(raw: unknown): AdmissionVerdict {
    const parsed = JoinOptionsSchema.safeParse(raw ?? {});
    if (!parsed.success) return { ok: false, code: 400, message: `cannot join: ${readable(parsed.error)}` };
    const o = parsed.data;
    if (o.pin !== this.session.pin) return { ok: false, code: 403, message: "wrong PIN for this room" };
    const r = this.session.admit(o.nickname, { key: o.playerKey, host: this.provesHost(o), spectator: o.spectate === true });
    return "ok" in r ? { ok: false, code: r.code, message: r.message } : { ok: true };
  }

  /**
   * Whether a seat may be reserved for `sessionId` (asked before Colyseus reserves one): the first
   * reservation of a new room is its creator's; every other needs an admission onAuth gave for
   * this very room. Reconnections do not ask.
   */
  mayReserve(sessionId: string, pass: AdmissionPass | undefined): boolean {
    if (this.creatorPending) {
      this.creatorPending = false;
      this.creatorSession = sessionId;
      return true;
    }
    return pass?.admittedTo === this.roomId;
  }

  /** The host token, given as such or as the host's player key. */
  private provesHost(o: JoinOptions): boolean {
    return this.session.checkHostToken(o.hostToken) || this.session.checkHostToken(o.playerKey);
  }

  override onJoin(client: Client, raw: unknown): void {
    const parsed = JoinOptionsSchema.safeParse(raw ?? {});
    if (!parsed.success) throw new Error(`cannot join: ${readable(parsed.error)}`);
    const o = parsed.data;
    const creator = this.creatorSession === client.sessionId;
    if (creator) this.creatorSession = undefined;
    if (!creator && o.pin !== this.session.pin) throw new Error("wrong PIN for this room");
    const host = creator || this.provesHost(o);
    const joined = this.session.join(client.sessionId, o.nickname, { key: o.playerKey, host, spectator: o.spectate === true, now: Date.now() });
    if ("ok" in joined) throw new Error(joined.message);
    const nickname = joined.nickname;
    if (creator && this.session.options.mode === "solo") {
      const seat = (raw as { seat?: string } | undefined)?.seat ?? "scheduler";
      this.session.takeSeat(client.sessionId, this.session.sim.seats().includes(seat) ? seat : "scheduler");
    }
    this.autoDispose = true;
    const view = new StateView();
    client.view = view;
    this.views.set(client.sessionId, view);
    this.dirty = true;
    this.project([]);
    const sc = this.session.sim.scenario;
    send(client, "welcome", {
      playerId: client.sessionId,
      // The player's identity: kept by the client (per PIN) and sent back as playerKey to come back.
      playerKey: joined.key,
      nickname,
      host,
      hostToken: host ? this.session.hostToken : undefined,
      apiToken: this.session.apiTokenOf(client.sessionId),
      pin: this.session.pin,
      scenario: { id: sc.id, title: sc.title, summary: sc.summary, intro: sc.intro, debrief: sc.debrief, hints: sc.hints, win: sc.win },
    });
    this.sendReplays(client);
    void this.setMetadata(this.meta());
  }

  /** Sends the "you against the bot" results (or that they are under way) to one client, or to all. */
  private sendReplays(only?: Client): void {
    for (const client of only ? [only] : this.clients) {
      const msg = this.replays.messageFor(this.session.players.get(client.sessionId));
      if (msg) send(client, "vsBot", msg);
    }
  }

  override onDrop(client: Client, code?: number): void {
    // A client cut off for flooding or malformed traffic does not get its seat held.
    if (code === CloseCode.WITH_ERROR) {
      this.onLeave(client);
      return;
    }
    this.session.disconnect(client.sessionId);
    this.dirty = true;
    this.allowReconnection(client, RECONNECT_SECONDS)
      .then(() => undefined)
      .catch(() => undefined);
  }

  override onReconnect(client: Client): void {
    // The player came back through another connection (their key) while this one was away.
    if (!this.session.players.has(client.sessionId)) {
      client.leave(CloseCode.CONSENTED, "you joined this game again from another window");
      return;
    }
    this.session.reconnect(client.sessionId);
    this.dirty = true;
  }

  override onLeave(client: Client): void {
    this.limits.forget(client.sessionId);
    this.session.remove(client.sessionId);
    this.views.delete(client.sessionId);
    client.view?.dispose?.();
    this.dirty = true;
    void this.setMetadata(this.meta()).catch(() => undefined);
  }

  override onUncaughtException(err: RoomException, method: RoomMethodName): void {
    roomStore.log(`room ${this.session?.pin ?? this.roomId}: ${method} failed: ${err.message}`);
  }

  /** Tells the clients and saves; the server calls it before Colyseus' own shutdown reaches it (a hung Redis delays that), so it runs once. */
  override onBeforeShutdown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    const shutdown: ServerMessages["shutdown"] = { message: "The server is restarting: your game is saved. Rejoin with the same PIN in a moment." };
    this.broadcast("shutdown", shutdown);
    this.persistence?.capture();
    void this.persistence?.drain(SHUTDOWN_SAVE_MS).finally(() => this.disconnect(CloseCode.SERVER_SHUTDOWN).catch(() => undefined));
  }

  /**
   * A room that empties out is over: its saved state goes. A room closing because the server
   * shuts down is saved whole, to come back when the server starts again.
   */
  override async onDispose(): Promise<void> {
    this.limits.release();
    if (!this.persistence || !roomStore.current) return;
    if (this.shuttingDown) {
      this.persistence.capture();
      await this.persistence.drain(SHUTDOWN_SAVE_MS);
    } else {
      await this.persistence.drain(1_000);
      await roomStore.current.dropRoom(storeKeyOf(this.session.pin)).catch(() => undefined);
    }
  }

  // ---- messages -------------------------------------------------------------------------------

  /**
   * Registers a message type with the contract's schema for it. Malformed messages, floods and
   * failures are all answered with a status the client can show; nothing a client sends can throw out of here.
   */
  private on<T extends ClientMessageType>(type: T, handler: (client: Client, msg: ParsedClientMessage<T>) => ApiResult): void {
    const schema = CLIENT_MESSAGE_SCHEMAS[type] as unknown as z.ZodType<ParsedClientMessage<T>>;
    this.onMessage(type, (client: Client, raw: unknown) => this.handle(client, type, raw, schema, handler));
  }

  private handle<S extends z.ZodType>(client: Client, type: string, raw: unknown, schema: S, handler: (client: Client, msg: z.infer<S>) => ApiResult): void {
    const id = typeof (raw as { id?: unknown } | null)?.id === "number" ? (raw as { id: number }).id : undefined;
    const verdict = this.session.limit(client.sessionId, Date.now());
    if (verdict === "cut") {
      send(client, "result", { id, type, result: fail("TooManyRequests", "too many messages: you have been disconnected") });
      client.leave(CloseCode.WITH_ERROR, "too many messages");
      return;
    }
    let result: ApiResult;
    if (verdict === "limited") {
      result = fail("TooManyRequests", "slow down: at most 10 requests a second");
    } else {
      const parsed = schema.safeParse(raw ?? {});
      if (!parsed.success) result = badRequest(`malformed ${type} message: ${readable(parsed.error)}`);
      else {
        try {
          result = handler(client, parsed.data);
        } catch (err) {
          // A bug must cost one answer, not the room: the game goes on and the player is told.
          roomStore.log(`room ${this.session.pin}: ${type} failed: ${(err as Error).stack ?? err}`);
          result = fail("InternalError", `the server could not handle this ${type} message (a bug, now logged); the game goes on`);
        }
      }
    }
    send(client, "result", { id, type, result });
    this.dirty = true;
  }

  private registerMessages(): void {
    const s = () => this.session;
    // One handler per message of the contract: a message type without one does not compile.
    const handlers: { [T in ClientMessageType]: (client: Client, msg: ParsedClientMessage<T>) => ApiResult } = {
      api: (c, m) => s().request(c.sessionId, m.seat, m.request),
      "seat.take": (c, m) => s().takeSeat(c.sessionId, m.seat),
      "seat.leave": (c, m) => s().leaveSeat(c.sessionId, m.seat),
      "seat.swap": (c, m) => s().swapSeat(c.sessionId, m.from, m.to),
      "host.assign": (c, m) => s().assign(c.sessionId, m.player, m.seat, m.exclusive),
      "host.unassign": (c, m) => s().unassign(c.sessionId, m.player, m.seat),
      "host.fillBots": (c) => s().fillBots(c.sessionId),
      "host.scenario": (c, m) => {
        const next = getScenario(m.scenario);
        const dearer = next && this.limits.refuseGrowth(s().isHost(c.sessionId), { pods: scenarioPods(next), speed: s().speed }, `the ${next.id} scenario`);
        if (dearer) return dearer;
        const r = s().chooseScenario(c.sessionId, m.scenario, m.difficulty as Difficulty | undefined, m.seed);
        // A new game in the same room: what is stored belongs to the old one.
        if (r.ok) this.persistence?.reset();
        return r;
      },
      "host.start": (c) => s().start(c.sessionId),
      "host.pause": (c) => s().pause(c.sessionId),
      "host.resume": (c) => s().resume(c.sessionId),
      "host.speed": (c, m) =>
        this.limits.refuseGrowth(s().isHost(c.sessionId), { pods: this.limits.pods(), speed: m.speed }, `${m.speed}× speed`) ?? s().setSpeed(c.sessionId, m.speed),
      "host.end": (c) => s().end(c.sessionId),
      "host.lock": (c, m) => s().lock(c.sessionId, m.locked),
      "host.kick": (c, m) => {
        const r = s().kick(c.sessionId, m.player);
        if (r.ok) this.clients.getById(m.player)?.leave(CloseCode.CONSENTED, "removed by the host");
        return r;
      },
      "host.chaos": (c, m) => s().chaos(c.sessionId, m.failure, m.label),
    };
    for (const type of CLIENT_MESSAGES) this.on(type, handlers[type] as (client: Client, msg: ParsedClientMessage<typeof type>) => ApiResult);
    this.onMessage("*", (client: Client, type: string | number) => {
      this.handle(client, String(type), {}, EmptySchema, () => badRequest(`there is no message called "${String(type)}"`));
    });
  }

  // ---- the loop -------------------------------------------------------------------------------

  private loop(dt: number): void {
    const before = this.session.phase;
    const reports = this.session.advance(dt);
    const finished = reports.flatMap((r) => r.finished);
    if (reports.length > 0 || this.dirty || before !== this.session.phase) this.project(finished);
    // Saves left over from an outage land without waiting for a tick or a message (a paused room has neither).
    else void this.persistence?.flush();
  }

  private project(finished: Finished[]): void {
    this.dirty = false;
    const changes = this.persistence ? this.persistence.capture() : this.session.sim.drainChanges();
    projectCluster(this.state, this.session, this.logCursor);
    projectEtcd(this.state, changes);
    if (finished.length || this.session.phase === "running") sampleTraffic(this.trafficBuffer, this.session, finished);
    for (const client of this.clients) {
      const view = this.views.get(client.sessionId);
      if (view) updateView(view, this.state, this.session, client.sessionId);
    }
    this.replays.update(this.session, () => this.sendReplays());
    if (this.metadata && this.metadata.phase !== this.session.phase) void this.setMetadata(this.meta()).catch(() => undefined);
    void this.persistence?.flush();
  }

  /** The traffic sampled since the last patch goes out with this patch. */
  override onBeforePatch(): void {
    // Never throws: this runs on Colyseus' timer, where an exception would end the process.
    if (!this.state) return;
    const traffic = this.trafficBuffer.join(";");
    if (this.state.traffic !== traffic) this.state.traffic = traffic;
    this.trafficBuffer = [];
  }

  /**
   * The debrief for HTTP download as the holder of `token` may read it (host: all; a player: their
   * own row), undefined for a stranger; called across processes through the matchmaker.
   */
  debriefFor(token: string): Debrief | undefined {
    const caller = this.session.apiCaller(token);
    return caller && debriefFor({ ...debriefOf(this.session), vsBot: this.replays.current }, caller);
  }

  // ---- the Kubernetes API (called by server/k8s across processes through the matchmaker) ------

  /** Who a bearer token is, and the clocks to print timestamps with; undefined for a stranger. */
  apiAuth(token: string): ApiAuth | undefined {
    const caller = this.session.apiCaller(token);
    if (!caller) return undefined;
    return { caller, store: storeKeyOf(this.session.pin), gameNow: this.session.sim.now, wallNow: Date.now(), phase: this.session.phase };
  }

  /** A write from kubectl: answered once the store holds its result, so a read right after sees it. */
  async apiWrite(token: string, request: ApiRequest): Promise<{ result: ApiResult; revision: number }> {
    const result = this.session.apiRequest(token, request);
    this.project([]);
    if (this.persistence) await this.persistence.drain(3_000);
    return { result, revision: this.session.sim.state.revision };
  }

  /** Puts a kubectl read in the API log, beside the game's own requests. */
  apiRead(token: string, verb: string, path: string, code: number, message: string): void {
    const caller = this.session.apiCaller(token);
    if (!caller) return;
    this.session.sim.api.recordRead({ user: caller.host ? "admin" : caller.name, role: "admin" }, verb, path, code, message, `${caller.name} (kubectl)`);
    this.dirty = true;
  }

  /** Lobby-only changes (seat taken in the lobby) are projected without a tick. */
  refreshLobby(): void {
    projectLobby(this.state, this.session);
  }
}

/** Sends one of the messages of the contract (shared/protocol/serverMessages.ts). */
function send<T extends ServerMessageType>(client: Client, type: T, payload: ServerMessages[T]): void {
  client.send(type, payload);
}

function readable(err: z.ZodError): string {
  const i = err.issues[0];
  return i ? `${i.path.length ? `${i.path.join(".")}: ` : ""}${i.message}` : "invalid";
}

export { describeResult };

// Every seat reservation asks the room first (mayReserve): see server/admission/admission.ts.
guardSeatReservations(ClusterRoom);
