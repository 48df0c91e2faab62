/**
 * The client's link to its game room: create or join, send messages and get their answers,
 * follow the synchronised state, and come back by itself after a network drop or a reload.
 */
import { Client, type Room } from "@colyseus/sdk";

export interface Answer {
  ok: boolean;
  code: number;
  reason?: string;
  message: string;
}

export interface Welcome {
  playerId: string;
  /** The player's secret identity in this game: kept per PIN and sent back to come back as the same player. */
  playerKey: string;
  nickname: string;
  host: boolean;
  hostToken?: string;
  /** The player's token for the game's Kubernetes API (kubectl); the host uses the host token. */
  apiToken?: string;
  pin: string;
  scenario: { id: string; title: string; summary: string; intro: string; debrief: string; hints: Record<string, string>; win: { minAvailability: number; window: string } };
}

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
  room?: Room;
  welcome?: Welcome;
  private queue: ((a: Answer) => void)[] = [];
  private nextId = 1;
  private statusListeners: ((s: LinkStatus, why?: string) => void)[] = [];
  private shutdownMessage = "";

  onStatus(cb: (s: LinkStatus, why?: string) => void): void {
    this.statusListeners.push(cb);
  }

  private status(s: LinkStatus, why?: string): void {
    for (const cb of this.statusListeners) cb(s, why);
  }

  async create(options: Record<string, unknown>): Promise<Welcome> {
    return this.enter(await this.client.create("cluster", options));
  }

  async join(pin: string, options: Record<string, unknown>): Promise<Welcome> {
    const res = await fetch(`/api/pin/${encodeURIComponent(pin)}`);
    const body = (await res.json()) as { roomId?: string; message?: string };
    if (!res.ok || !body.roomId) throw new Error(body.message ?? `no game with PIN ${pin}`);
    const playerKey = keys()[pin];
    return this.enter(await this.client.joinById(body.roomId, { pin, ...options, ...(playerKey ? { playerKey } : {}) }));
  }

  /** After a reload: back into the same room and seats, if the room still holds them. */
  async resume(): Promise<Welcome | undefined> {
    const raw = sessionStorage.getItem(SAVED);
    if (!raw) return undefined;
    const saved = JSON.parse(raw) as Saved;
    try {
      const room = await this.client.reconnect(saved.token);
      this.welcome = saved.welcome;
      this.wire(room);
      return saved.welcome;
    } catch {
      sessionStorage.removeItem(SAVED);
      return undefined;
    }
  }

  private async enter(room: Room): Promise<Welcome> {
    const welcome = new Promise<Welcome>((resolve) => room.onMessage("welcome", resolve));
    this.wire(room);
    this.welcome = await welcome;
    if (this.welcome.playerKey) keepKey(this.welcome.pin, this.welcome.playerKey);
    this.save();
    return this.welcome;
  }

  /** What proves who this player is to the server's downloads: the host token, or the player's kubectl token. */
  get token(): string | undefined {
    const w = this.welcome;
    return w?.host ? w.hostToken : w?.apiToken;
  }

  private wire(room: Room): void {
    this.room = room;
    room.onMessage("welcome", (w: Welcome) => {
      this.welcome = w;
    });
    room.onMessage("result", (m: { result: Answer }) => this.queue.shift()?.(m.result));
    room.onMessage("shutdown", (m: { message: string }) => {
      this.shutdownMessage = m.message;
    });
    room.onDrop(() => this.status("reconnecting", "connection lost: reconnecting…"));
    room.onReconnect(() => {
      this.save();
      this.status("connected");
    });
    room.onLeave((code) => {
      this.queue.splice(0).forEach((r) => r({ ok: false, code: 503, message: "not connected" }));
      if (code === 4000) {
        sessionStorage.removeItem(SAVED);
        this.status("lost", "you left the game");
      } else {
        this.status("lost", this.shutdownMessage || `disconnected (code ${code}): rejoin with the PIN`);
      }
    });
    this.status("connected");
  }

  private save(): void {
    if (this.room && this.welcome) sessionStorage.setItem(SAVED, JSON.stringify({ token: this.room.reconnectionToken, welcome: this.welcome } satisfies Saved));
  }

  /** Sends a message; resolves with the room's answer (answers come back in order). */
  send(type: string, payload: Record<string, unknown> = {}): Promise<Answer> {
    if (!this.room || !this.room.connection.isOpen) return Promise.resolve({ ok: false, code: 503, message: "not connected to the game" });
    return new Promise((resolve) => {
      this.queue.push(resolve);
      this.room!.send(type, payload);
    });
  }

  /** An API request from one of the player's seats. */
  api(seat: string, request: Record<string, unknown>): Promise<Answer> {
    return this.send("api", { id: this.nextId++, seat, request });
  }

  async leave(): Promise<void> {
    sessionStorage.removeItem(SAVED);
    await this.room?.leave();
  }
}
