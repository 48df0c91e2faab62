/**
 * A class's team room (team mode, issue #12): an ordinary `cluster` room in workshop mode that
 * its class room created, linked by a server-only option (`classLink`: a single-use key the class
 * put in the presence — Redis with several processes — that no client can guess). The link:
 * - admits only through a class ticket (a student sent here by the class, or the host), or a
 *   returning player key — the team room's own PIN opens nothing, and it is not listed by PIN;
 * - seats a newcomer in a free seat (no one holds it), else shares the least-shared seat;
 * - takes the class's commands (phase moves, speed, chaos at a set game time, tickets, close);
 * - pushes its summary (server/game/teamReport.ts) to the class about once a second;
 * - is saved with its game (SavedTeamLink) and, restored after a restart or a failover, finds its
 *   class again by the class's PIN (the class announces the room it runs in: announceClass).
 * ClusterRoom calls it in a few one-line places; the rules stay in GameSession.
 */
import { randomUUID } from "node:crypto";
import { matchMaker, type Room } from "@colyseus/core";
import type { JoinOptions } from "../../shared/protocol/messages.ts";
import type { TeamInfo } from "../../shared/protocol/serverMessages.ts";
import { teamById } from "../../shared/protocol/teams.ts";
import { badRequest, conflict, ok, type ApiResult } from "../../shared/sim/api/status.ts";
import { TICK_MS } from "../../shared/sim/clock.ts";
import type { ClassCommand, ClassCommandAnswer } from "../game/classCommands.ts";
import type { GameSession, Player } from "../game/GameSession.ts";
import { PHASE_RULES } from "../game/phases.ts";
import { CLASS_HOST } from "../game/sessionTypes.ts";
import { hostless } from "../game/asking.ts";
import { teamReport } from "../game/teamReport.ts";
import type { AdmissionVerdict } from "../admission/admission.ts";

/** The create option that links a team room to its class (a key into the presence, never the link itself). */
export const CLASS_LINK_OPTION = "classLink";
/** How often a team room tells its class how it is doing, ms. */
export const REPORT_MS = 1_000;
/** Summaries in a row the class may leave unanswered before its team room closes (the class is gone: its process died). */
export const ORPHAN_REPORTS = 60;
/** How long a ticket the class made may wait for its student, ms. */
export const TICKET_TTL_MS = 60_000;
/** How long the class's link key waits in the presence for its team room, s. */
export const LINK_TTL_SECONDS = 60;

const linkKey = (id: string) => `class-link:${id}`;
/** The presence key naming the room a class runs in now (a class restored after a restart or a failover runs in a new room). */
const classRoomKey = (classPin: string) => `class-room:${classPin}`;

/** A class says where it runs (at its creation and at its restore): its teams find it there when their summaries go unanswered. */
export async function announceClass(classPin: string, roomId: string): Promise<void> {
  await matchMaker.presence.set(classRoomKey(classPin), roomId);
}

/** The class is over: its teams have nothing to find. */
export async function forgetClass(classPin: string): Promise<void> {
  await matchMaker.presence.del(classRoomKey(classPin));
}

/** What a team room saves of its link beside its game, to relink to its class when restored (server/room/ClusterRoom.ts). */
export interface SavedTeamLink {
  classPin: string;
  team: string;
  /** Each class student's player key in this team. */
  keys: Record<string, string>;
  chaos: { at: number; failure: unknown; label?: string }[];
}

/** Puts a link for a team room in the presence (cross-process); returns the key to create the room with. */
export async function offerLink(classOf: string, team: string, classPin: string): Promise<string> {
  const id = randomUUID();
  await matchMaker.presence.setex(linkKey(id), JSON.stringify({ classOf, team, classPin }), LINK_TTL_SECONDS);
  return id;
}

/** A team room's listing adds which class and team it is (server/app.ts never finds it by PIN). */
export interface TeamMeta {
  classOf?: string;
  team?: string;
}

interface Ticket {
  student: string;
  nickname: string;
  host: boolean;
  until: number;
}

/** What a team room needs of its room (ClusterRoom). */
interface TeamRoomPort extends Room {
  session: GameSession;
  hostPresence: { awayMs: number; waiting: boolean };
}

export class TeamLink {
  private readonly tickets = new Map<string, Ticket>();
  /** Each class student's player key in this team: coming back, they get the same seats. */
  private readonly keys = new Map<string, string>();
  /** The chaos waiting for its game time, in order. */
  private chaos: { at: number; failure: unknown; label?: string }[] = [];
  /** The ticket being redeemed by the join in progress (onJoin is synchronous: set by redeem, read by seated). */
  private redeeming?: Ticket;
  /** Summaries in a row the class did not take. */
  private unanswered = 0;

  private constructor(
    private readonly room: TeamRoomPort,
    /** The class room's id: a restored class runs in a new room, found again by its PIN (report). */
    private classOf: string,
    readonly team: string,
    readonly classPin: string,
    /** Something changed that the room's next loop must project (a phase the class moved). */
    private readonly changed: () => void,
  ) {}

  /**
   * The link of a room created with `classLink` (undefined for every other room); throws when the
   * key is unknown (a client's guess, or expired): only a class creates team rooms.
   */
  static async attach(room: TeamRoomPort, options: Record<string, unknown>, changed: () => void): Promise<TeamLink | undefined> {
    const id = options[CLASS_LINK_OPTION];
    if (id === undefined) return undefined;
    const raw = typeof id === "string" ? await matchMaker.presence.get(linkKey(id)) : undefined;
    if (!raw) throw new Error("cannot create the room: a team room is opened by its class only");
    await matchMaker.presence.del(linkKey(id as string));
    const { classOf, team, classPin } = JSON.parse(raw) as { classOf: string; team: string; classPin: string };
    return new TeamLink(room, classOf, team, classPin, changed).wire();
  }

  /** The link of a team room restored from the store (a restart, a failover): its class found again by the class's PIN. */
  static async restore(room: TeamRoomPort, saved: SavedTeamLink, changed: () => void): Promise<TeamLink> {
    const classOf = ((await matchMaker.presence.get(classRoomKey(saved.classPin))) as string | null) ?? `class ${saved.classPin}`;
    const link = new TeamLink(room, classOf, saved.team, saved.classPin, changed);
    for (const [student, key] of Object.entries(saved.keys)) link.keys.set(student, key);
    link.chaos = saved.chaos;
    return link.wire();
  }

  private wire(): this {
    const room = this.room;
    // The host is in the class room, not here: the class decides when a game waits for its host.
    room.hostPresence.awayMs = Number.POSITIVE_INFINITY;
    // …nor beside its questions: they reveal and go on by themselves (server/game/asking.ts).
    hostless.add(room.session);
    room.session.afterTick = () => this.strike();
    // Every team plays the class's scenario, seed and difficulty: the comparison stays fair.
    room.session.chooseScenario = () => conflict("every team of a class plays the class's scenario: create another class to play another");
    room.clock.setInterval(() => this.report(), REPORT_MS);
    // Called by the class across processes (matchMaker.remoteRoomCall calls the room's own property).
    (room as unknown as { classCommand: (c: ClassCommand) => ClassCommandAnswer }).classCommand = (c) => this.command(c);
    // Colyseus 0.18 keeps the handle of the auto-dispose timer it cleared when autoDispose went
    // false, and an emptied room whose handle is set never disposes: a team room (autoDispose off:
    // it lives as long as its class) being closed with players in it — the class over, a shutdown
    // — would hang there (and a SIGTERM with it). A fresh timer, once closing, lets it go.
    const disconnect = room.disconnect.bind(room);
    room.disconnect = (code?: number) => {
      const closing = disconnect(code);
      (room as unknown as { resetAutoDisposeTimeout(seconds: number): void }).resetAutoDisposeTimeout(0);
      return closing;
    };
    return this;
  }

  /** What is saved with the team's game (SavedTeamLink). */
  saved(): SavedTeamLink {
    return { classPin: this.classPin, team: this.team, keys: Object.fromEntries(this.keys), chaos: this.chaos };
  }

  /** The room's listing: a team room is never found by PIN (server/app.ts skips `classOf`). */
  get meta(): Required<TeamMeta> {
    return { classOf: this.classOf, team: this.team };
  }

  /** What the welcome says of the team (its name and colour, the class's PIN). */
  welcome(): { team?: TeamInfo } {
    const t = teamById(this.team);
    return t ? { team: { ...t, classPin: this.classPin } } : {};
  }

  // ---- entering -------------------------------------------------------------------------------

  private ticket(raw: string | undefined, now = Date.now()): Ticket | undefined {
    const t = raw === undefined ? undefined : this.tickets.get(raw);
    return t && t.until >= now ? t : undefined;
  }

  /**
   * Whether the room takes this joiner: only with a live class ticket (the class sends one to a
   * student who picks this team, is moved here or comes back, and to the host). A dropped player
   * comes back through Colyseus' reconnection, which asks nothing.
   */
  admission(o: JoinOptions): AdmissionVerdict {
    const t = this.ticket(o.ticket);
    if (!t) return { ok: false, code: 403, message: this.refusal() };
    const r = this.room.session.admit(t.nickname, { key: this.keys.get(t.student), host: t.host });
    return "ok" in r ? { ok: false, code: r.code, message: r.message } : { ok: true };
  }

  private refusal(): string {
    return `this is a team of the class with PIN ${this.classPin}: join the class with that PIN and pick a team (a ticket lasts a minute and opens the team once)`;
  }

  /**
   * The join options as the room's ordinary workshop join reads them: a ticket's student comes
   * with their nickname and (back in this team) their player key, the host with the host token;
   * the ticket is used up. Throws for anything else.
   */
  redeem(o: JoinOptions): JoinOptions {
    const s = this.room.session;
    const t = this.ticket(o.ticket);
    if (o.ticket) this.tickets.delete(o.ticket);
    this.redeeming = t;
    if (!t) throw new Error(this.refusal());
    return { nickname: t.nickname, pin: s.pin, playerKey: this.keys.get(t.student), ...(t.host ? { hostToken: s.hostToken } : {}) };
  }

  /** After the join: the student's key is kept for their return, and a newcomer gets a seat. */
  seated(clientId: string, player: Player): void {
    const t = this.redeeming;
    this.redeeming = undefined;
    // Every student may leave; the team stays as long as its class does.
    this.room.autoDispose = false;
    if (t && !t.host) this.keys.set(t.student, player.key);
    if (player.host || player.spectator || player.seats.length > 0) return;
    const s = this.room.session;
    const holders = (seat: string) => s.holders(seat).filter((p) => p.id !== clientId).length;
    const seats = s.sim.seats();
    const seat = seats.reduce((best, seat) => (holders(seat) < holders(best) ? seat : best), seats[0]);
    if (seat) s.takeSeat(clientId, seat);
  }

  // ---- the class's commands -------------------------------------------------------------------

  command(c: ClassCommand): ClassCommandAnswer {
    const s = this.room.session;
    this.changed();
    switch (c.type) {
      case "move":
        return c.move === "start"
          ? s.start(CLASS_HOST)
          : c.move === "pause"
            ? s.pause(CLASS_HOST)
            : c.move === "resume"
              ? s.resume(CLASS_HOST)
              : s.end(CLASS_HOST);
      case "speed":
        return s.setSpeed(CLASS_HOST, c.speed);
      case "clock":
        return { now: s.sim.now, phase: s.phase, speed: s.speed };
      case "chaos":
        return this.schedule(c.failure, c.label, c.at);
      case "ticket":
        for (const [k, t] of this.tickets) if (t.until < Date.now()) this.tickets.delete(k);
        this.tickets.set(c.ticket, { student: c.student, nickname: c.nickname, host: c.host, until: Date.now() + TICKET_TTL_MS });
        return ok("ticket taken");
      case "hostAway": {
        this.room.hostPresence.waiting = c.away;
        const to = PHASE_RULES[s.phase].hostAway;
        if (c.away && to) s.phase = to;
        return ok(c.away ? "waiting for the host" : "the host is back");
      }
      case "close":
        void this.room.disconnect().catch(() => undefined);
        return ok("closing");
    }
  }

  /** The failure strikes when this team's game clock reaches `at`: right after the tick that gets there (strike). */
  private schedule(failure: unknown, label: string | undefined, at: number): ApiResult {
    const s = this.room.session;
    if (!PHASE_RULES[s.phase].chaos) return conflict("chaos needs a game in progress: start it first");
    if (!Number.isInteger(at) || at % TICK_MS !== 0) return badRequest(`chaos time ${at} is not a whole tick`);
    if (at < s.sim.now) return conflict(`this team's clock (${s.sim.now} ms) has passed ${at} ms already`);
    this.chaos.push({ at, failure, label });
    this.chaos.sort((a, b) => a.at - b.at);
    if (at === s.sim.now) this.strike();
    return ok(`the failure strikes at game time ${at / 1000} s`);
  }

  /** Injects every failure whose game time has come (after each tick, and when one is set for now). */
  private strike(): void {
    const s = this.room.session;
    while (this.chaos.length > 0 && this.chaos[0].at <= s.sim.now) {
      const c = this.chaos.shift()!;
      const r = s.chaos(CLASS_HOST, c.failure, c.label);
      if (!r.ok) console.warn(`team ${this.team}: the class's chaos at ${c.at} ms was refused: ${r.message}`);
    }
  }

  /**
   * Tells the class how the team is doing; a class that does not answer is tried again next time,
   * and for ORPHAN_REPORTS at most. Meanwhile the class may have come back in another room (a
   * restart, a failover): it is looked up by its PIN, and the summary carries the team game's PIN,
   * by which the class knows its team in a new room.
   */
  private report(): void {
    const s = this.room.session;
    matchMaker.remoteRoomCall(this.classOf, "teamReport", [this.team, this.room.roomId, teamReport(s), s.pin]).then(
      () => {
        this.unanswered = 0;
      },
      async () => {
        if (++this.unanswered === ORPHAN_REPORTS) return void this.room.disconnect().catch(() => undefined);
        const now = (await matchMaker.presence.get(classRoomKey(this.classPin)).catch(() => undefined)) as string | null | undefined;
        if (now && now !== this.classOf) {
          this.classOf = now;
          void this.room.setMetadata(this.meta).catch(() => undefined);
        }
      },
    );
  }
}
