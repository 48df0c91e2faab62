/**
 * The client's link to its game room: create or join, send messages and get their answers,
 * follow the synchronised state, and come back by itself after a network drop, a reload, or the
 * loss of the server process that ran the game (rejoin.ts: the game found again by its PIN).
 */
import { Client, type Room } from "@colyseus/sdk";
import type { ClientMessage, ClientMessageType, CreateOptionsInput, JoinOptionsInput, ROOM_NAME } from "../../../shared/protocol/messages.ts";
import type { ExitCheckMessage, ServerMessages, ServerMessageType, VsBotMessage, Welcome } from "../../../shared/protocol/serverMessages.ts";
import type { ClusterRoomState } from "../../../shared/protocol/state.ts";
import type { ApiRequest } from "../../../shared/sim/api/requests.ts";
import type { ApiResult } from "../../../shared/sim/api/status.ts";
import type { NodeSetupRequest } from "../../../shared/sim/world/nodeSetup.ts";
import { followGame, LEFT_ON_PURPOSE, roomOfPin } from "./rejoin.ts";

/** The room type to create (typed from the server's constant, without bundling the server's schemas). */
const ROOM: typeof ROOM_NAME = "cluster";

/** Listens for one of the room's messages with its declared payload (shared/protocol/serverMessages.ts). */
function on<T extends ServerMessageType>(room: Room<ClusterRoomState>, type: T, cb: (payload: ServerMessages[T]) => void): void {
  room.onMessage(type, cb);
}

/** The room's answer to a message: a Kubernetes-like status (shared/sim/api/status.ts). */
export type Answer = ApiResult;
export type { ExitCheckMessage, VsBotMessage, Welcome };

export type LinkStatus = "connected" | "reconnecting" | "lost";

const SAVED = "cluster-crew.session";
/** Player keys by PIN, in localStorage: a player coming back to a game (even after a server restart) is known by it. */
const KEYS = "cluster-crew.players";
/** Games whose player keys are kept at most (the oldest forgotten first). */
const KEPT_KEYS = 20;

function keys(): Record<string, string> {
  try {
    return JSON.parse(localStorage.getItem(KEYS) ?? "{}") as Record<string, string>;
  } catch {
    return {};
  }
}

function keepKey(pin: string, key: string): void {
  const all = keys();
  delete all[pin];
  all[pin] = key;
  const pins = Object.keys(all);
  for (const old of pins.slice(0, Math.max(0, pins.length - KEPT_KEYS))) delete all[old];
  localStorage.setItem(KEYS, JSON.stringify(all));
}

/** What a reload needs to come back into the same room and seats. */
interface Saved {
  token: string;
  welcome: Welcome;
}

export class Connection {
  readonly client = new Client(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}`);
  room?: Room<ClusterRoomState>;
  welcome?: Welcome;
  private queue: ((a: Answer) => void)[] = [];
  private nextId = 1;
  private statusListeners: ((s: LinkStatus, why?: string) => void)[] = [];
  private shutdownMessage = "";
  /** "You against the bot", as last received (the debrief shows it; it may come before or after the debrief opens). */
  vsBot?: VsBotMessage;
  private vsBotListeners: ((m: VsBotMessage) => void)[] = [];
  /** The player's exit check at the debrief, as last received (with the right answers once all are answered). */
  exitCheck?: ExitCheckMessage;
  private exitListeners: ((m: ExitCheckMessage) => void)[] = [];
  private roomListeners: ((room: Room<ClusterRoomState>) => void)[] = [];

  /** Calls `cb` with the room now and with every room the game moves to (failover: rejoin.ts). */
  onRoom(cb: (room: Room<ClusterRoomState>) => void): void {
    this.roomListeners.push(cb);
    if (this.room) cb(this.room);
  }

  /** Calls `cb` with every exit-check message from now on. */
  onExitCheck(cb: (m: ExitCheckMessage) => void): void {
    this.exitListeners.push(cb);
  }

  /** Calls `cb` with every "you against the bot" message from now on. */
  onVsBot(cb: (m: VsBotMessage) => void): void {
    this.vsBotListeners.push(cb);
  }

  onStatus(cb: (s: LinkStatus, why?: string) => void): void {
    this.statusListeners.push(cb);
  }

  private status(s: LinkStatus, why?: string): void {
    for (const cb of this.statusListeners) cb(s, why);
  }

  async create(options: CreateOptionsInput): Promise<Welcome> {
    return this.enter(await this.client.create<ClusterRoomState>(ROOM, options));
  }

  async join(pin: string, options: Omit<JoinOptionsInput, "pin" | "playerKey">): Promise<Welcome> {
    const res = await fetch(`/api/pin/${encodeURIComponent(pin)}`);
    const body = (await res.json()) as { roomId?: string; message?: string };
    if (!res.ok || !body.roomId) throw new Error(body.message ?? `no game with PIN ${pin}`);
    const playerKey = keys()[pin];
    return this.enter(await this.client.joinById<ClusterRoomState>(body.roomId, { pin, ...options, ...(playerKey ? { playerKey } : {}) }));
  }

  /** Team mode: into a class's team room with the class's single-use ticket (classLink.ts). */
  async enterTeam(roomId: string, ticket: string): Promise<Welcome> {
    return this.enter(await this.client.joinById<ClusterRoomState>(roomId, { ticket }));
  }

  /** Forgets the saved room without leaving it (its class brings this player back instead). */
  forget(): void {
    sessionStorage.removeItem(SAVED);
  }

  /** Leaves the room this connection is in, if any, without ending the page (a team move; the host back to the class). */
  async leaveRoom(): Promise<void> {
    sessionStorage.removeItem(SAVED);
    const room = this.room;
    this.room = undefined;
    await room?.leave().catch(() => undefined);
  }

  /** After a reload: back into the same room and seats, if the room still holds them. */
  async resume(): Promise<Welcome | undefined> {
    const raw = sessionStorage.getItem(SAVED);
    if (!raw) return undefined;
    const saved = JSON.parse(raw) as Saved;
    try {
      const room = await this.client.reconnect<ClusterRoomState>(saved.token);
      this.welcome = saved.welcome;
      this.wire(room);
      this.follow(room, saved.welcome.pin);
      return saved.welcome;
    } catch {
      sessionStorage.removeItem(SAVED);
      // The room is gone, the game perhaps not (it moved to another server process): by its PIN, with the kept key.
      return keys()[saved.welcome.pin] ? this.join(saved.welcome.pin, {}).catch(() => undefined) : undefined;
    }
  }

  private async enter(room: Room<ClusterRoomState>): Promise<Welcome> {
    const welcome = new Promise<Welcome>((resolve) => on(room, "welcome", resolve));
    this.wire(room);
    this.welcome = await welcome;
    if (this.welcome.playerKey) keepKey(this.welcome.pin, this.welcome.playerKey);
    this.save();
    this.follow(room, this.welcome.pin);
    return this.welcome;
  }

  /** Keeps the player in the game when its room is lost: found again by its PIN and joined with the kept key (rejoin.ts). */
  private follow(room: Room<ClusterRoomState>, pin: string): void {
    let current = room;
    followGame(room, {
      pin,
      lookup: roomOfPin,
      join: (roomId) => this.client.joinById<ClusterRoomState>(roomId, { pin, playerKey: keys()[pin] ?? this.welcome?.playerKey }),
      moved: (next) => {
        current = next;
        this.answerPending();
        this.wire(next);
      },
      // Not from a room this connection has left meanwhile (a class sent the player into their team's new room).
      status: (s, why) => this.room === current && this.status(s, s === "lost" ? this.shutdownMessage || why : why),
    });
  }

  /** What proves who this player is to the server's downloads: the host token, or the player's kubectl token. */
  get token(): string | undefined {
    const w = this.welcome;
    return w?.host ? w.hostToken : w?.apiToken;
  }

  private wire(room: Room<ClusterRoomState>): void {
    this.room = room;
    on(room, "welcome", (w) => {
      this.welcome = w;
      if (w.playerKey) keepKey(w.pin, w.playerKey);
      this.save();
    });
    on(room, "result", (m) => this.queue.shift()?.(m.result));
    on(room, "shutdown", (m) => {
      this.shutdownMessage = m.message;
    });
    on(room, "exitCheck", (m) => {
      this.exitCheck = m;
      for (const cb of this.exitListeners) cb(m);
    });
    on(room, "vsBot", (m) => {
      this.vsBot = m;
      for (const cb of this.vsBotListeners) cb(m);
    });
    // Drops and losses other than leaving are followGame's (rejoin.ts): it says "reconnecting…".
    room.onReconnect(() => this.save());
    room.onLeave((code) => {
      if (this.room !== room) return;
      this.answerPending();
      if (code === LEFT_ON_PURPOSE) {
        sessionStorage.removeItem(SAVED);
        this.status("lost", "you left the game");
      }
    });
    for (const cb of this.roomListeners) cb(room);
    this.status("connected");
  }

  /** Messages still waiting for an answer when their room is gone get one: 503. */
  private answerPending(): void {
    for (const answer of this.queue.splice(0)) answer({ ok: false, code: 503, reason: "ServiceUnavailable", message: "not connected" });
  }

  private save(): void {
    if (this.room && this.welcome) sessionStorage.setItem(SAVED, JSON.stringify({ token: this.room.reconnectionToken, welcome: this.welcome } satisfies Saved));
  }

  /** Sends a message of the shared contract; resolves with the room's answer (answers come back in order). */
  send<T extends ClientMessageType>(type: T, payload: ClientMessage<T>): Promise<Answer> {
    if (!this.room?.connection.isOpen) return Promise.resolve({ ok: false, code: 503, reason: "ServiceUnavailable", message: "not connected to the game" });
    return new Promise((resolve) => {
      this.queue.push(resolve);
      this.room!.send(type, payload);
    });
  }

  /** An API request from one of the player's seats. */
  api(seat: string, request: ApiRequest): Promise<Answer> {
    return this.send("api", { id: this.nextId++, seat, request });
  }

  /** A setup step on a bare server, from its kubelet seat (not an API request: see NodeSetupMessageSchema). */
  setup(seat: string, request: NodeSetupRequest): Promise<Answer> {
    return this.send("node.setup", { id: this.nextId++, seat, request });
  }

  /** Runs when the player leaves (team mode: a student leaves their class too; main.ts sets it). */
  onLeaving?: () => Promise<void>;

  async leave(): Promise<void> {
    sessionStorage.removeItem(SAVED);
    await this.onLeaving?.();
    await this.room?.leave();
  }
}
