/**
 * The Colyseus room: the API server's front door for one game. It turns messages into calls on
 * the GameSession (which answers each with a Kubernetes-like status), advances the game on a
 * fixed 100 ms loop, projects the game into the synchronised state with a per-seat view, and
 * writes every tick through the store. It stays thin: the rules live in GameSession and the core.
 */
import { CloseCode, Room, TimestepException, type AuthContext, type Client, type RoomException, type RoomMethodName } from "@colyseus/core";
import { StateView } from "@colyseus/schema";
import type { ApiResult } from "../../shared/sim/api/status.ts";
import type { Finished } from "../../shared/sim/traffic/Traffic.ts";
import { JoinOptionsSchema, type JoinOptions } from "../../shared/protocol/messages.ts";
import type { ServerMessages } from "../../shared/protocol/serverMessages.ts";
import { admit, CreatorSeat, guardSeatReservations, type AdmissionPass, type AdmissionVerdict } from "../admission/admission.ts";
import { debriefFor } from "../admission/debriefAccess.ts";
import { debriefOf, type Debrief } from "../game/debrief.ts";
import { reportFor } from "../admission/reportAccess.ts";
import { reportOf } from "../game/report.ts";
import { GameSession, type SessionSnapshot } from "../game/GameSession.ts";
import { HostPresence } from "../game/HostPresence.ts";
import type { ApiAuth } from "../k8s/ports.ts";
import { WallAnchor } from "../k8s/kubeBasics.ts";
import { usageReport, type UsageReport } from "../k8s/usage.ts";
import { podLog, type PodLog } from "../k8s/podLogs.ts";
import type { ApiRequest } from "../../shared/sim/api/requests.ts";
import { Persistence } from "../game/Persistence.ts";
import { projectCluster, projectEtcd, sampleTraffic, type LogCursor } from "./projection.ts";
import { ClusterRoomState } from "../../shared/protocol/state.ts";
import { updateView } from "./views.ts";
import { guardFrames } from "./frames.ts";
import { roomLoops } from "./loopScheduler.ts";
import { noteRequester } from "./requester.ts";
import { RoomLimits } from "./roomLimits.ts";
import { readable, registerMessages, send } from "./messageRouter.ts";
import { kubectlUser } from "../game/kubectlSeat.ts";
import { welcomeOf } from "./welcome.ts";
import { newSession } from "./newSession.ts";
import { TeamLink, type SavedTeamLink } from "./teamLink.ts";
import { sendExitCheck } from "./teaching.ts";
import { timeQuestion } from "../game/asking.ts";
import { closeInStore, fenceWrites } from "./roomStore.ts";
import type { Lease } from "../store/RoomLeases.ts";
import { LOOP_MS, PATCH_MS, RECONNECT_SECONDS, RESTORED_ROOM_WAIT_MS, restoreKeyOf, SHUTDOWN_SAVE_MS, storeKeyOf } from "./roomOptions.ts";
import type { RoomMeta, RoomOptions, RoomServices } from "./roomOptions.ts";
export { storeKeyOf, type RoomMeta, type RoomOptions, type RoomServices };
import { DebriefReplays } from "../replays/DebriefReplays.ts";
import { replayPool } from "../replays/ReplayPool.ts";

export class ClusterRoom extends Room<{ state: ClusterRoomState; metadata: RoomMeta }> {
  session!: GameSession;
  private persistence?: Persistence;
  private lease?: Lease; // several processes: this one runs the game while it holds it (RoomLeases.ts)
  private views = new Map<string, StateView>();
  private dirty = true;
  private stopLoop?: () => void;
  private lastTick = performance.now();
  private readonly creator = new CreatorSeat();
  private shuttingDown = false;
  /** The server's services, from the room's options (set first thing in onCreate). */
  private services?: RoomServices;
  private readonly wall = new WallAnchor();
  private readonly logCursor: LogCursor = { requests: 0, eventRevision: 0 };
  /** Traffic sampled since the last patch. */
  private trafficBuffer: string[] = [];
  /** The room's place under the server's caps, and its clients' flood windows. */
  private readonly limits = new RoomLimits(() => this.session);
  readonly hostPresence = new HostPresence(); // a workshop whose host is gone too long pauses and waits
  /** "You against the bot": replayed off the event loop when the game enters the debrief. */
  private readonly replays = new DebriefReplays(replayPool, (line) => this.log(line));
  private team?: TeamLink; // a class's team room (no creator: entered through class tickets, commanded by its class; teamLink.ts)

  constructor() {
    super();
    // Every frame counts toward its client's flood cut; malformed ones are answered (frames.ts).
    guardFrames(this, (c) => this.limits.frame(c.sessionId));
  }

  override async onCreate({ services, ...options }: RoomOptions): Promise<void> {
    // Colyseus' patch timer runs from before onCreate: the state must exist before the first await.
    this.state = new ClusterRoomState();
    this.services = services;
    if (services.hostAwayMs !== undefined) this.hostPresence.awayMs = services.hostAwayMs;
    // Refused (429 or 503, with the reason) before anything is built when the server cannot take it.
    this.limits.admit(options, services.caps);
    const store = services.store;
    const restoreKey = restoreKeyOf(options);
    let inputsStored = 0;
    if (restoreKey !== undefined) {
      if (!store) throw new Error("no store to restore from");
      const loaded = await Persistence.load<SessionSnapshot & { team?: SavedTeamLink }>(store, restoreKey, (s) => s.sim);
      this.session = new GameSession(loaded.state.options, loaded.state);
      inputsStored = loaded.inputsStored;
      this.creator.pending = false;
      if (loaded.state.team) this.team = await TeamLink.restore(this, loaded.state.team, () => (this.dirty = true));
    } else {
      this.session = await newSession(options, store);
      this.creator.pending = !(this.team = await TeamLink.attach(this, options, () => (this.dirty = true)));
    }
    const restored = restoreKey !== undefined;
    if (store) {
      const key = storeKeyOf(this.session.pin);
      this.lease = await services.leases?.claim(key); // before anything of the game is written
      if (!restored) await store.dropRoom(key);
      // The source reads the session's current simulation: the host may swap it for another scenario.
      const [session, team] = [() => this.session, () => this.team];
      const source = {
        get sim() {
          return session().sim;
        },
        state: () => JSON.stringify({ ...session().snapshot({ inputLog: false }), team: team()?.saved() }),
      };
      this.persistence = new Persistence(store, key, source, services.log, restored ? this.session.sim.state.revision : 0, inputsStored);
      const handOver = () => this.logged("handing the clients over", this.disconnect(CloseCode.SERVER_SHUTDOWN));
      if (this.lease) fenceWrites(this.persistence, services.leases!, this.lease, handOver);
    }
    this.metadata = this.meta();
    // Out of matchmaking: join and joinOrCreate never pick a room; joining one takes its PIN (onAuth).
    await this.setPrivate(true);
    // A restored room waits for its players; if none is back in time, it closes like any other.
    this.autoDispose = !restored && !this.team; // a team room lives as long as its class (teamLink.ts)
    if (restored && !this.team) {
      this.clock.setTimeout(() => {
        if (this.clients.length === 0) this.logged("closing the unclaimed restored room", this.disconnect());
      }, RESTORED_ROOM_WAIT_MS);
    }
    registerMessages(this, {
      session: () => this.session,
      limits: this.limits,
      resetStore: () => this.persistence?.reset(),
      disconnect: (player, why) => this.clients.getById(player)?.leave(CloseCode.CONSENTED, why),
      changed: () => {
        this.dirty = true;
      },
      log: (line) => this.log(line),
    });
    // On the process' one schedule of room loops (loopScheduler.ts), which lets sockets in between
    // rooms, rather than a timer of its own. The room's clock (its delayed calls) then ticks with
    // each patch (Colyseus does so for a room without a simulation interval), every PATCH_MS.
    this.stopLoop = roomLoops.add(LOOP_MS, () => this.tick());
    // Five patches a second: clients interpolate, and each patch carries two ticks of changes.
    this.patchRate = PATCH_MS;
    this.project([]);
  }

  private meta(): RoomMeta {
    return {
      pin: this.session.pin,
      mode: this.session.options.mode,
      scenario: this.session.sim.scenario.id,
      phase: this.session.phase,
      players: this.session.players.size,
      ...this.team?.meta,
    };
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
    if (this.team) return this.team.admission(o);
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
    return this.creator.mayReserve(this.roomId, sessionId, pass);
  }

  /** The host token, given as such or as the host's player key. */
  private provesHost(o: JoinOptions): boolean {
    return this.session.checkHostToken(o.hostToken) || this.session.checkHostToken(o.playerKey);
  }

  override onJoin(client: Client, raw: unknown): void {
    const parsed = JoinOptionsSchema.safeParse(raw ?? {});
    if (!parsed.success) throw new Error(`cannot join: ${readable(parsed.error)}`);
    const o = this.team?.redeem(parsed.data) ?? parsed.data;
    const creator = this.creator.isCreator(client.sessionId);
    if (!creator && o.pin !== this.session.pin) throw new Error("wrong PIN for this room");
    const host = creator || this.provesHost(o);
    // The solo player sits where they asked when creating the game (checked against the scenario in onCreate).
    const seat = creator && this.session.options.mode === "solo" ? (o.seat ?? "scheduler") : undefined;
    const joined = this.session.join(client.sessionId, o.nickname, { key: o.playerKey, host, spectator: o.spectate === true, seat, now: Date.now() });
    if ("ok" in joined) throw new Error(joined.message);
    const nickname = joined.nickname;
    this.autoDispose = true;
    this.team?.seated(client.sessionId, joined);
    const view = new StateView();
    client.view = view;
    this.views.set(client.sessionId, view);
    this.dirty = true;
    this.project([]);
    send(client, "welcome", { ...welcomeOf(this.session, client.sessionId, joined.key, nickname, host), ...this.team?.welcome() });
    this.sendReplays(client);
    sendExitCheck([client], this.session);
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
    // Rejects when the player is not back in time (onLeave then hands their seats to the bots): expected, not a failure.
    this.allowReconnection(client, RECONNECT_SECONDS).catch(() => undefined);
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
    this.logged("updating the room's listing", this.setMetadata(this.meta()));
  }

  override onUncaughtException(err: RoomException, method: RoomMethodName): void {
    this.log(`room ${this.session?.pin ?? this.roomId}: ${method} failed: ${err.message}`);
  }

  /** Tells the clients and saves; the server calls it before Colyseus' own shutdown reaches it (a hung Redis delays that), so it runs once. */
  override onBeforeShutdown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    const message = "The server is restarting: your game is saved and comes back by itself in a moment (if not, rejoin with the same PIN).";
    const shutdown: ServerMessages["shutdown"] = { message };
    this.broadcast("shutdown", shutdown);
    this.persistence?.capture();
    void this.persistence?.drain(SHUTDOWN_SAVE_MS).finally(() => this.logged("letting the clients go at shutdown", this.disconnect(CloseCode.SERVER_SHUTDOWN)));
  }

  /**
   * A room that empties out is over: its saved state goes. A room closing because the server
   * shuts down is saved whole, to come back when the server starts again (roomStore.ts).
   */
  override async onDispose(): Promise<void> {
    this.stopLoop?.();
    this.limits.release();
    const store = this.services?.store;
    if (!this.persistence || !store) return;
    const { leases } = this.services!;
    const key = storeKeyOf(this.session.pin);
    await closeInStore({ store, persistence: this.persistence, key, leases, lease: this.lease, shuttingDown: this.shuttingDown, log: (l) => this.log(l) });
  }

  private log(line: string): void {
    (this.services?.log ?? console.log)(line);
  }

  /** Room calls whose failure changes nothing for the game (its listing, a closing connection) are logged, not thrown. */
  private logged(what: string, p: Promise<unknown>): void {
    p.catch((err: Error) => this.log(`room ${this.session?.pin ?? this.roomId}: ${what} failed: ${err.message}`));
  }

  // ---- the loop -------------------------------------------------------------------------------

  /** One run of the loop, given the wall time since the last; a failure is reported, never thrown into the schedule. */
  private tick(): void {
    const now = performance.now();
    const dt = now - this.lastTick;
    this.lastTick = now;
    try {
      this.loop(dt);
    } catch (err) {
      this.onUncaughtException(new TimestepException(err as Error, (err as Error).message), "setTimestep");
    }
  }

  private loop(dt: number): void {
    const before = this.session.phase;
    if (this.hostPresence.watch(this.session, Date.now()) || timeQuestion(this.session, Date.now())) this.dirty = true;
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
    if (this.state.waitingForHost !== this.hostPresence.waiting) this.state.waitingForHost = this.hostPresence.waiting;
    projectEtcd(this.state, changes);
    if (finished.length || this.session.phase === "running") sampleTraffic(this.trafficBuffer, this.session, finished);
    for (const client of this.clients) {
      const view = this.views.get(client.sessionId);
      if (view) updateView(view, this.state, this.session, client.sessionId);
    }
    this.replays.update(this.session, () => this.sendReplays());
    if (this.metadata && this.metadata.phase !== this.session.phase && this.session.phase === "debrief") sendExitCheck(this.clients, this.session);
    if (this.metadata && this.metadata.phase !== this.session.phase) this.logged("updating the room's listing", this.setMetadata(this.meta()));
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

  /** The student reports as the holder of `token` may read them (reportAccess.ts), undefined for a stranger. */
  reportFor(token: string, student?: string) {
    const caller = this.session.apiCaller(token);
    return caller && reportFor(reportOf(this.session, this.replays.current), caller, student);
  }

  // ---- the Kubernetes API (called by server/k8s across processes through the matchmaker) ------

  /** Who a bearer token is, and the clocks to print timestamps with; undefined for a stranger. */
  apiAuth(token: string): ApiAuth | undefined {
    const [caller, now] = [this.session.apiCaller(token), this.session.sim.now];
    return caller && { caller, store: storeKeyOf(this.session.pin), gameNow: now, wallNow: this.wall.wallNow(now), phase: this.session.phase };
  }

  /** A write from kubectl: answered once the store (and so every watch) has it; players' views follow at the next tick, as after a click. */
  async apiWrite(token: string, request: ApiRequest): Promise<{ result: ApiResult; revision: number; user?: string }> {
    const result = this.session.apiRequest(token, request);
    this.dirty = true;
    if (this.persistence) await this.persistence.writeNow(3_000);
    // Who the request acted as, for a refusal worded as Kubernetes words it.
    return { result, revision: this.session.sim.state.revision, user: kubectlUser(this.session.apiCaller(token), request.type) };
  }

  /** kubectl top's CPU and memory figures from the simulation (k8s/usage.ts); undefined for a stranger. */
  apiUsage(token: string): UsageReport | undefined {
    return this.session.apiCaller(token) && usageReport(this.session.sim.state, this.session.sim.world, this.session.sim.now);
  }

  /** A pod's log for kubectl logs, built from the simulation (k8s/podLogs.ts); undefined for a stranger. */
  apiPodLog(token: string, namespace: string, name: string, want?: { container?: string; previous?: boolean }): PodLog | undefined {
    return this.session.apiCaller(token) && podLog(this.session.sim.state, this.session.sim.world, this.session.sim.now, namespace, name, want);
  }

  /** Puts a kubectl read in the API log, beside the game's own requests. */
  apiRead(token: string, verb: string, path: string, code: number, message: string): void {
    const caller = this.session.apiCaller(token);
    if (!caller) return;
    this.session.sim.api.recordRead({ user: caller.host ? "admin" : caller.name, role: "admin" }, verb, path, code, message, `${caller.name} (kubectl)`);
    this.dirty = true;
  }
}

// Every seat reservation asks the room first (mayReserve): see server/admission/admission.ts.
guardSeatReservations(ClusterRoom);
