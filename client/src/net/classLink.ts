/**
 * The client's link to a class (team mode): create one (the host) or join it by PIN, pick a team,
 * follow the class's `team.join` into a team room (through the game connection, so the team's
 * game screen is today's), and come back after a reload — the class sends the student back to
 * the same team and seat. The class room stays connected while its student plays, so the host
 * can move them. When the class's server process goes away (a restart, a failover: the class
 * comes back in a new room under the same PIN), the class is followed as a game is (rejoin.ts):
 * "reconnecting…", then back in, and a student is sent back into their team.
 */
import type { Room } from "@colyseus/sdk";
import type {
  CLASS_ROOM_NAME,
  ClassCreateOptionsInput,
  ClassDebrief,
  ClassMessage,
  ClassMessageType,
  ClassServerMessages,
  ClassWelcome,
  TeamJoin,
} from "../../../shared/protocol/classMessages.ts";
import type { ClassState } from "../../../shared/protocol/classState.ts";
import type { Answer, Connection, LinkStatus } from "./connection.ts";
import { followGame, roomOfPin } from "./rejoin.ts";

/** The class room type (typed from the server's constant, without bundling the server's schemas). */
const CLASS: typeof CLASS_ROOM_NAME = "class";
/** The class this tab is in, for a reload: its PIN and the key to come back with. */
const SAVED = "cluster-crew.class";
/** Class keys by PIN, in localStorage: a student who closes the tab and joins again gets their team back. */
const KEYS = "cluster-crew.classes";

function keys(): Record<string, string> {
  try {
    return JSON.parse(localStorage.getItem(KEYS) ?? "{}") as Record<string, string>;
  } catch {
    return {};
  }
}

/** What GET /api/pin answers. */
export interface PinLookup {
  roomId: string;
  kind: "class" | "game";
  message?: string;
}

export async function lookUpPin(pin: string): Promise<PinLookup> {
  const res = await fetch(`/api/pin/${encodeURIComponent(pin)}`);
  const body = (await res.json()) as Partial<PinLookup> & { message?: string };
  if (!res.ok || !body.roomId) throw new Error(body.message ?? `no game with PIN ${pin}`);
  return { roomId: body.roomId, kind: body.kind === "class" ? "class" : "game" };
}

export class ClassLink {
  room?: Room<ClassState>;
  welcome?: ClassWelcome;
  private queue: ((a: Answer) => void)[] = [];
  private joinListeners: ((j: TeamJoin) => void)[] = [];
  /** The class debrief, once every team's game is over (classViews/classDebriefDialog.ts shows it). */
  debrief?: ClassDebrief;
  private debriefListeners: ((d: ClassDebrief) => void)[] = [];
  /** A team.join that came before anyone listened (a returning student's, right after the welcome). */
  private pending?: TeamJoin;
  /** The link to the class room: "reconnecting" while its process is gone and the class not yet back. */
  status: { status: LinkStatus; why?: string } = { status: "connected" };

  constructor(readonly connection: Connection) {}

  /** Calls `cb` with every team.join from now on (and one that waited). */
  onTeamJoin(cb: (j: TeamJoin) => void): void {
    this.joinListeners.push(cb);
    const p = this.pending;
    this.pending = undefined;
    if (p) cb(p);
  }

  /** Calls `cb` with the class debrief when it comes (at once when it already has). */
  onDebrief(cb: (d: ClassDebrief) => void): void {
    this.debriefListeners.push(cb);
    if (this.debrief) cb(this.debrief);
  }

  async create(options: ClassCreateOptionsInput): Promise<ClassWelcome> {
    return this.enter(await this.connection.client.create<ClassState>(CLASS, options));
  }

  async join(roomId: string, pin: string, nickname: string | undefined): Promise<ClassWelcome> {
    const playerKey = keys()[pin];
    return this.enter(
      await this.connection.client.joinById<ClassState>(roomId, { pin, ...(nickname ? { nickname } : {}), ...(playerKey ? { playerKey } : {}) }),
    );
  }

  /** After a reload: back into the class (and, for a student with a team, into the team). */
  async resume(): Promise<ClassWelcome | undefined> {
    const raw = sessionStorage.getItem(SAVED);
    if (!raw) return undefined;
    const { pin, key } = JSON.parse(raw) as { pin: string; key: string };
    try {
      const { roomId } = await lookUpPin(pin);
      // The team room is entered anew through the class (a ticket), not by its old reconnection token.
      this.connection.forget();
      return await this.enter(await this.connection.client.joinById<ClassState>(roomId, { pin, playerKey: key }));
    } catch {
      sessionStorage.removeItem(SAVED);
      return undefined;
    }
  }

  private async enter(room: Room<ClassState>): Promise<ClassWelcome> {
    const welcome = await this.wire(room);
    this.follow(room, welcome.pin);
    return welcome;
  }

  private async wire(room: Room<ClassState>): Promise<ClassWelcome> {
    this.room = room;
    const on = <T extends keyof ClassServerMessages>(type: T, cb: (m: ClassServerMessages[T]) => void) => room.onMessage(type, cb);
    const welcome = new Promise<ClassWelcome>((resolve) => on("welcome", resolve));
    on("result", (m) => this.queue.shift()?.(m.result));
    on("shutdown", () => {});
    on("class.debrief", (d) => {
      this.debrief = d;
      for (const cb of this.debriefListeners) cb(d);
    });
    on("team.join", (j) => {
      if (this.joinListeners.length === 0) this.pending = j;
      for (const cb of this.joinListeners) cb(j);
    });
    room.onLeave(() => {
      for (const answer of this.queue.splice(0)) answer({ ok: false, code: 503, reason: "ServiceUnavailable", message: "not connected to the class" });
    });
    this.welcome = await welcome;
    const all = keys();
    all[this.welcome.pin] = this.welcome.playerKey;
    localStorage.setItem(KEYS, JSON.stringify(all));
    sessionStorage.setItem(SAVED, JSON.stringify({ pin: this.welcome.pin, key: this.welcome.playerKey }));
    return this.welcome;
  }

  /** Keeps this tab in the class when its room is lost: found again by its PIN and joined with the kept key (the host's is the host token). */
  private follow(room: Room<ClassState>, pin: string): void {
    followGame(room, {
      pin,
      lookup: roomOfPin,
      join: async (roomId) => {
        const next = await this.connection.client.joinById<ClassState>(roomId, { pin, playerKey: this.welcome?.playerKey });
        await this.wire(next);
        return next;
      },
      moved: () => {},
      status: (status, why) => {
        this.status = { status, why };
      },
    });
  }

  /** Sends a class message; resolves with the class's answer (answers come back in order). */
  send<T extends ClassMessageType>(type: T, payload: ClassMessage<T>): Promise<Answer> {
    if (!this.room?.connection.isOpen) return Promise.resolve({ ok: false, code: 503, reason: "ServiceUnavailable", message: "not connected to the class" });
    return new Promise((resolve) => {
      this.queue.push(resolve);
      this.room!.send(type, payload);
    });
  }

  /** Goes into the team room a team.join names (the game connection's room from then on). */
  enterTeam(j: TeamJoin) {
    return this.connection.enterTeam(j.roomId, j.ticket);
  }

  /** Out of the class for good (this tab forgets it). */
  async leave(): Promise<void> {
    sessionStorage.removeItem(SAVED);
    await this.room?.leave().catch(() => undefined);
  }
}
