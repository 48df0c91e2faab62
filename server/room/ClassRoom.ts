/**
 * The class room (team mode, issue #12): one PIN for a whole class. Created by the host with
 * `client.create("class", { mode: "workshop", teams: N, scenario, … })`, it opens N team rooms —
 * ordinary `cluster` rooms with the same scenario, seed, difficulty and questions, linked by a
 * server-only option (teamLink.ts) and spread over the server processes — then hands students
 * tickets into them, fans the host's controls out to them and shows every team's summary in
 * ClassState. With Redis the class is saved and comes back after a restart or the loss of its
 * process, as a game does (classStore.ts, classRelink.ts). Thin: the rules are ClassSession's
 * (server/game/ClassSession.ts).
 */
import { CloseCode, matchMaker, Room, type AuthContext, type Client } from "@colyseus/core";
import { CLASS_ROOM_NAME, ClassCreateOptionsSchema, ClassJoinOptionsSchema, type ClassServerMessages } from "../../shared/protocol/classMessages.ts";
import { ClassState } from "../../shared/protocol/classState.ts";
import { ROOM_NAME } from "../../shared/protocol/messages.ts";
import { teamsOf } from "../../shared/protocol/teams.ts";
import { getScenario } from "../../shared/sim/scenarios/index.ts";
import { admit, CreatorSeat, guardSeatReservations, type AdmissionPass, type AdmissionVerdict } from "../admission/admission.ts";
import type { ClassCommand } from "../game/classCommands.ts";
import { connectedIn } from "../game/classSnapshot.ts";
import { ClassSession } from "../game/ClassSession.ts";
import { HOST_AWAY_MS } from "../game/HostPresence.ts";
import type { TeamReport } from "../game/teamReport.ts";
import type { Admitted } from "../limits/RoomCaps.ts";
import { roomCostMs, scenarioPods } from "../limits/roomCost.ts";
import { ClassDebriefSender } from "./classDebriefSender.ts";
import { projectClass } from "./classProjection.ts";
import { registerClassMessages } from "./classRouter.ts";
import { guardFrames } from "./frames.ts";
import { readable } from "./messageRouter.ts";
import { newPin } from "./newSession.ts";
import { OneTurnEach } from "./oneTurnEach.ts";
import { noteRequester, requesterOf } from "./requester.ts";
import { RoomLimits } from "./roomLimits.ts";
import { RECONNECT_SECONDS, RESTORED_ROOM_WAIT_MS, restoreKeyOf, SHUTDOWN_SAVE_MS, type RoomOptions, type RoomServices } from "./roomOptions.ts";
import { announceClass, CLASS_LINK_OPTION, forgetClass, offerLink } from "./teamLink.ts";
import { closeClass, keepClass, loadClass, type ClassSaver } from "./classStore.ts";
import { relinkTeams, teamCommand } from "./classRelink.ts";

/** How often the class projects its teams' summaries into ClassState, ms. */
export const CLASS_PROJECT_MS = 500;

/** The class room's listing: a game's, and `kind: "class"` (GET /api/pin tells the client). */
export interface ClassMeta {
  pin: string;
  mode: "workshop";
  scenario: string;
  phase: string;
  players: number;
  kind: "class";
  teams: number;
}

export class ClassRoom extends Room<{ state: ClassState; metadata: ClassMeta }> {
  session!: ClassSession;
  private services?: RoomServices;
  private readonly creator = new CreatorSeat();
  private admitted?: Admitted;
  private readonly limits = new RoomLimits(() => undefined);
  private debrief?: ClassDebriefSender;
  /** Its team rooms are created one event-loop turn apart (oneTurnEach.ts). */
  private readonly creating = new OneTurnEach();
  /** With Redis: the class saved under its PIN's store key, its lease held (classStore.ts). */
  private saver?: ClassSaver;
  private shuttingDown = false;

  constructor() {
    super();
    guardFrames(this, (c) => this.limits.frame(c.sessionId));
  }

  override async onCreate({ services, ...options }: RoomOptions): Promise<void> {
    this.state = new ClassState();
    this.services = services;
    const restoreKey = restoreKeyOf(options);
    // A class saved by a previous run, or by a process that died: its team rooms are restored on their own and find it by its PIN.
    if (restoreKey !== undefined) {
      this.session = await loadClass(services.store, restoreKey, this.port);
      this.creator.pending = false; // no client created it: whoever comes first is no host for that
    } else await this.open(options, services);
    this.saver = await keepClass(this.session, services, restoreKey !== undefined, () => this.disconnect(CloseCode.SERVER_SHUTDOWN).catch(() => undefined));
    const o = this.session.options;
    const joinUrl = `${services.joinUrl?.() ?? ""}/?pin=${this.session.pin}`;
    Object.assign(this.state, { pin: this.session.pin, scenario: o.scenario, difficulty: o.difficulty, joinUrl });
    if (restoreKey !== undefined) await relinkTeams(this.session, this.roomId);
    this.metadata = this.meta();
    this.debrief = new ClassDebriefSender(this.session);
    await this.setPrivate(true);
    registerClassMessages(this, { session: this.session, limits: this.limits, changed: () => this.project(), log: (l) => this.log(l) });
    // The class's view changes when it projects (twice a second) or when someone joins, leaves or
    // moves: patched at that pace, its 60 members each get fewer, fuller patches than at a game's rate.
    this.patchRate = CLASS_PROJECT_MS;
    this.clock.setInterval(() => {
      this.project();
      void this.session.watchHost(Date.now(), services.hostAwayMs ?? HOST_AWAY_MS);
    }, CLASS_PROJECT_MS);
    // A restored class waits for its people; if none is back in time, it closes like any other.
    if (restoreKey !== undefined) {
      this.autoDispose = false;
      this.clock.setTimeout(() => {
        if (this.clients.length === 0) this.disconnect().catch(() => undefined);
      }, RESTORED_ROOM_WAIT_MS);
    }
    this.project();
  }

  /** A new class: its options checked, its PIN drawn, its team rooms opened (spread over the processes). */
  private async open(options: Record<string, unknown>, services: RoomServices): Promise<void> {
    const parsed = ClassCreateOptionsSchema.safeParse(options);
    if (!parsed.success) throw new Error(`cannot create the class: ${readable(parsed.error)}`);
    const o = parsed.data;
    const scenario = getScenario(o.scenario);
    if (!scenario) throw new Error(`cannot create the class: there is no scenario "${o.scenario}"`);
    // Checked against the caps as its N games; once its team rooms exist they count themselves (the class then costs nothing).
    const planned = o.teams * roomCostMs({ pods: scenarioPods(scenario), speed: 1 });
    this.admitted = services.caps.admit(requesterOf(options), () => (this.session?.teams.length ? 0 : planned), `a class of ${o.teams} teams`);
    const seed = o.seed ?? Math.floor(Math.random() * 0xffffffff);
    this.session = new ClassSession({ ...o, seed }, await newPin(services.store), this.port);
    await announceClass(this.session.pin, this.roomId);
    try {
      for (const team of teamsOf(o.teams)) {
        const link = await offerLink(this.roomId, team.id, this.session.pin);
        const { mode, scenario: sc, difficulty, questions, noSpeedPoints } = o;
        // One team a turn: creating twelve games in one go held the process for half a second.
        const teamOptions = { mode, scenario: sc, difficulty, seed, questions, noSpeedPoints, [CLASS_LINK_OPTION]: link };
        const room = await this.creating.run(() => matchMaker.createRoom(ROOM_NAME, teamOptions));
        this.session.addTeam(team, room.roomId, (room.metadata as { pin?: string } | undefined)?.pin);
      }
    } catch (err) {
      await this.session.close();
      this.admitted.release();
      throw new Error(`cannot create the class: a team's game could not be opened (${(err as Error).message})`);
    }
  }

  private meta(): ClassMeta {
    const s = this.session;
    return { pin: s.pin, mode: "workshop", scenario: s.options.scenario, phase: s.phase, players: s.students.size, kind: "class", teams: s.teams.length };
  }

  /** How the class reaches its team rooms, wherever they run (a team restored in a new room is found by its PIN: classRelink.ts). */
  private readonly port = { command: (roomId: string, c: ClassCommand) => teamCommand(this.session, roomId, c) };

  private project(): void {
    const phase = this.state.phase;
    projectClass(this.state, this.session);
    this.saver?.capture();
    this.debrief?.update(this.clients);
    if (phase !== this.state.phase || this.metadata.players !== this.session.students.size)
      this.setMetadata(this.meta()).catch((err: Error) => this.log(`class ${this.session.pin}: updating the listing failed: ${err.message}`));
  }

  private log(line: string): void {
    (this.services?.log ?? console.log)(line);
  }

  // ---- people ---------------------------------------------------------------------------------

  static override async onAuth(_token: string, options: unknown, context: AuthContext): Promise<AdmissionPass> {
    noteRequester(options, context);
    return admit(options, context);
  }

  /** Whether the class takes a joiner (asked by onAuth, across processes). */
  admission(raw: unknown): AdmissionVerdict {
    const parsed = ClassJoinOptionsSchema.safeParse(raw ?? {});
    if (!parsed.success) return { ok: false, code: 400, message: `cannot join: ${readable(parsed.error)}` };
    if (parsed.data.pin !== this.session.pin) return { ok: false, code: 403, message: "wrong PIN for this class" };
    const r = this.session.admit(parsed.data);
    return "ok" in r ? { ok: false, code: r.code, message: r.message } : { ok: true };
  }

  mayReserve(sessionId: string, pass: AdmissionPass | undefined): boolean {
    return this.creator.mayReserve(this.roomId, sessionId, pass);
  }

  override async onJoin(client: Client, raw: unknown): Promise<void> {
    const parsed = ClassJoinOptionsSchema.safeParse(raw ?? {});
    if (!parsed.success) throw new Error(`cannot join: ${readable(parsed.error)}`);
    const creator = this.creator.isCreator(client.sessionId);
    if (!creator && parsed.data.pin !== this.session.pin) throw new Error("wrong PIN for this class");
    const joined = this.session.join(client.sessionId, parsed.data, creator);
    if ("ok" in joined) throw new Error(joined.message);
    this.autoDispose = true; // a restored class waited for its first person back
    const host = joined.who.kind === "host";
    const s = joined.student;
    const sc = getScenario(this.session.options.scenario)!;
    this.tell(client, "welcome", {
      studentId: s?.id ?? "",
      playerKey: host ? this.session.hostToken : (s?.key ?? ""),
      nickname: s?.nickname ?? (host ? "Host" : "Projector"),
      host,
      projector: joined.who.kind === "projector",
      hostToken: host ? this.session.hostToken : undefined,
      pin: this.session.pin,
      scenario: { id: sc.id, title: sc.title },
    });
    this.debrief?.joined(client, joined.who.kind !== "student");
    // A student coming back (a reload, another device with their key) goes back to their team and seat.
    if (s?.team) {
      const join = await this.session.returning(s).catch(() => undefined);
      if (join) this.tell(client, "team.join", join);
    }
    this.project();
  }

  /** Sends one of the class's server messages (shared/protocol/classMessages.ts). */
  tell<T extends keyof ClassServerMessages>(client: Client, type: T, payload: ClassServerMessages[T]): void {
    client.send(type, payload);
  }

  override onDrop(client: Client, code?: number): void {
    if (code === CloseCode.WITH_ERROR) {
      this.onLeave(client);
      return;
    }
    // A reload comes back as a new connection with the student's key: the dropped one no longer counts as here.
    this.session.drop(client.sessionId);
    this.project();
    this.allowReconnection(client, RECONNECT_SECONDS).catch(() => undefined);
  }

  override onReconnect(client: Client): void {
    this.session.reconnect(client.sessionId);
    this.project();
  }

  override onLeave(client: Client): void {
    this.limits.forget(client.sessionId);
    this.debrief?.left(client);
    this.session.leave(client.sessionId);
    this.project();
  }

  /** A team room's summary, about once a second (teamLink.ts, across processes); a team restored in a new room has its students sent back in. */
  teamReport(team: string, roomId: string, report: TeamReport, pin?: string): boolean {
    const before = this.session.teams.find((t) => t.team.id === team)?.roomId;
    const taken = this.session.report(team, roomId, report, pin);
    if (taken && before !== roomId) void this.sendBack(team);
    return taken;
  }

  /** Every connected student of a team whose game moved gets a ticket into its new room (team.join "returning"). */
  private async sendBack(team: string): Promise<void> {
    for (const s of connectedIn(this.session, team)) {
      const join = await this.session.returning(s).catch(() => undefined);
      const client = s.clientId ? this.clients.getById(s.clientId) : undefined;
      if (join && client) this.tell(client, "team.join", join);
    }
  }

  /** Tells the clients and saves (the server is shutting down: the class and its teams come back when it starts again). */
  override onBeforeShutdown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.broadcast("shutdown", {
      message: "The server is restarting: your class is saved and comes back by itself in a moment (if not, join again with the same PIN).",
    });
    this.saver?.capture();
    void (this.saver?.drain(SHUTDOWN_SAVE_MS) ?? Promise.resolve(true)).finally(() => this.disconnect(CloseCode.SERVER_SHUTDOWN).catch(() => undefined));
  }

  /**
   * A class that empties out is over: its team rooms close and its saved state goes. A class
   * closing because the server shuts down (or taken over by another process) leaves both.
   */
  override async onDispose(): Promise<void> {
    this.admitted?.release();
    const over = !this.shuttingDown && !this.saver?.lease?.lost;
    if (over) await this.session?.close();
    if (over && this.session) await forgetClass(this.session.pin).catch(() => undefined);
    await closeClass(this.saver, this.services, this.shuttingDown, (l) => this.log(l));
  }
}

// Every seat reservation asks the class first (mayReserve): see server/admission/admission.ts.
guardSeatReservations(ClassRoom);

export { CLASS_ROOM_NAME };
