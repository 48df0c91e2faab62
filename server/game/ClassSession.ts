/**
 * One class's rules, without Colyseus (team mode, issue #12): its PIN and host token, its teams
 * (each a team room, reached through a TeamPort), its students and which team each is in, and
 * every host control fanned out to the teams. A student picks a team (or "auto": the team with
 * the most free seats) and is given a single-use ticket into that team's room; the host moves
 * students, and chaos reaches every team at the same game time. The class room is a thin
 * adapter around this; the team rooms' side is server/room/teamLink.ts.
 */
import { randomUUID } from "node:crypto";
import type { ClassCreateOptions, ClassJoinOptions, TeamJoin } from "../../shared/protocol/classMessages.ts";
import type { Board, ClassPhase } from "../../shared/protocol/classState.ts";
import type { Team } from "../../shared/protocol/teams.ts";
import { conflict, forbidden, notFound, ok, unavailable, type ApiResult } from "../../shared/sim/api/status.ts";
import { TICK_MS } from "../../shared/sim/clock.ts";
import { nicknameProblem, normaliseNickname } from "../admission/nicknames.ts";
import { sameSecret } from "../admission/secrets.ts";
import type { ClassCommand, ClassCommandAnswer, TeamClock } from "./classCommands.ts";
import type { Move } from "./phases.ts";
import type { TeamReport } from "./teamReport.ts";

/** How far ahead of the fastest team's clock the class sets chaos, game ms: every team reaches it after the command has arrived. */
export const CHAOS_LEAD_MS = 2_000;
/** Students one class knows at most (60 is a large class; churn adds some). */
export const MAX_CLASS_STUDENTS = 300;

/** How the class reaches its team rooms (matchMaker.remoteRoomCall in the room; a fake in tests). */
export interface TeamPort {
  command(roomId: string, command: ClassCommand): Promise<ClassCommandAnswer>;
}

export interface ClassTeam {
  team: Team;
  roomId: string;
  /** The team game's PIN: it finds the team again after a restart or a failover moved it to a new room (classSnapshot.ts). */
  pin?: string;
  /** The team room's last summary (none before its first). */
  report?: TeamReport;
}

export interface Student {
  /** Opaque: the key of ClassState.students, shown to others. */
  id: string;
  /** The secret the student comes back with (never shown to others). */
  key: string;
  nickname: string;
  /** The team id, or "" before they picked. */
  team: string;
  connected: boolean;
  /** Their class-room connection while connected. */
  clientId?: string;
}

/** Who a connection to the class room is. */
export type ClassClient = { kind: "host" } | { kind: "projector" } | { kind: "student"; student: string };

/** A team.join to send to one connection. */
export interface Dispatch {
  clientId: string;
  join: TeamJoin;
}

const HOST_ONLY = forbidden("only the host can do that");
const isClock = (a: ClassCommandAnswer): a is TeamClock => "now" in a;

export class ClassSession {
  readonly teams: ClassTeam[] = [];
  readonly students = new Map<string, Student>();
  private readonly clients = new Map<string, ClassClient>();
  board: Board = "ranked";
  /** Wall-clock ms since which no host connection has been here; undefined while one is. */
  private hostAwaySince?: number;
  /** The host has been gone too long: every team waits (and says so) until the host is back. */
  waitingForHost = false;

  constructor(
    readonly options: ClassCreateOptions & { seed: number },
    readonly pin: string,
    private readonly port: TeamPort,
    /** A restored class keeps its host's token (classSnapshot.ts). */
    readonly hostToken: string = randomUUID(),
  ) {}

  /** The host's "no points for speed", the same in every team. */
  get noSpeedPoints(): boolean {
    return this.options.noSpeedPoints;
  }

  addTeam(team: Team, roomId: string, pin?: string): void {
    this.teams.push({ team, roomId, pin });
  }

  // ---- people ---------------------------------------------------------------------------------

  private studentByKey(key: string | undefined): Student | undefined {
    return key === undefined ? undefined : [...this.students.values()].find((s) => s.key === key);
  }

  private provesHost(o: ClassJoinOptions): boolean {
    return sameSecret(o.hostToken, this.hostToken) || sameSecret(o.playerKey, this.hostToken);
  }

  /** Whether someone may join, and as whom; changes nothing. */
  admit(o: ClassJoinOptions, creator = false): ClassClient | (ApiResult & { ok: false }) {
    if (creator || this.provesHost(o)) return o.projector ? { kind: "projector" } : { kind: "host" };
    if (o.projector) return forbidden("the projector view is the host's: open it from the host's screen");
    const back = this.studentByKey(o.playerKey);
    if (back?.connected) return conflict("you are already in this class in another window or tab: carry on there, or close it first");
    if (back) return { kind: "student", student: back.id };
    if (this.students.size >= MAX_CLASS_STUDENTS) return unavailable(`this class already knows ${MAX_CLASS_STUDENTS} students: it takes nobody new`);
    const nickname = normaliseNickname(o.nickname ?? "");
    if (!nickname) return conflict("pick a nickname");
    const problem = nicknameProblem(
      nickname,
      [...this.students.values()].map((s) => s.nickname),
      { host: false },
    );
    return problem ? conflict(problem) : { kind: "student", student: "" };
  }

  /** Adds a connection: the host, the projector, a returning student or a new one. */
  join(clientId: string, o: ClassJoinOptions, creator = false): { who: ClassClient; student?: Student } | (ApiResult & { ok: false }) {
    const who = this.admit(o, creator);
    if ("ok" in who) return who;
    if (who.kind !== "student") {
      this.clients.set(clientId, who);
      return { who };
    }
    let student = this.students.get(who.student);
    if (!student) {
      student = { id: randomUUID().slice(0, 8), key: randomUUID(), nickname: normaliseNickname(o.nickname ?? ""), team: "", connected: true };
      this.students.set(student.id, student);
    }
    Object.assign(student, { connected: true, clientId });
    const me: ClassClient = { kind: "student", student: student.id };
    this.clients.set(clientId, me);
    return { who: me, student };
  }

  /** A connection dropped (it may come back within the reconnection window, or as a new connection with the key). */
  drop(clientId: string): void {
    const s = this.studentOf(clientId);
    if (s && s.clientId === clientId) s.connected = false;
  }

  /** A dropped connection came back. */
  reconnect(clientId: string): void {
    const s = this.studentOf(clientId);
    if (s && s.clientId === clientId) s.connected = true;
  }

  /** A connection closed for good. */
  leave(clientId: string): void {
    const who = this.clients.get(clientId);
    this.clients.delete(clientId);
    const s = who?.kind === "student" ? this.students.get(who.student) : undefined;
    if (s && s.clientId === clientId) Object.assign(s, { connected: false, clientId: undefined });
  }

  isHost(clientId: string): boolean {
    return this.clients.get(clientId)?.kind === "host";
  }

  private studentOf(clientId: string): Student | undefined {
    const who = this.clients.get(clientId);
    return who?.kind === "student" ? this.students.get(who.student) : undefined;
  }

  private teamOf(id: string): ClassTeam | undefined {
    return this.teams.find((t) => t.team.id === id);
  }

  // ---- teams ----------------------------------------------------------------------------------

  /** Seats a newcomer could take in a team without sharing, as far as the class knows. */
  private freeSeats(t: ClassTeam): number {
    const seats = t.report ? t.report.players + t.report.seatsFree : 0;
    const members = [...this.students.values()].filter((s) => s.team === t.team.id && s.connected).length;
    return seats - Math.max(t.report?.players ?? 0, members);
  }

  /** "auto": the team with the most free seats; on a tie, the fewest students; then the first. */
  balancedTeam(): ClassTeam {
    const members = (t: ClassTeam) => [...this.students.values()].filter((s) => s.team === t.team.id).length;
    return this.teams.reduce((best, t) => {
      const d = this.freeSeats(t) - this.freeSeats(best);
      return d > 0 || (d === 0 && members(t) < members(best)) ? t : best;
    });
  }

  /** A single-use ticket into a team's room, given to that room first (it admits nobody else). */
  private async ticket(t: ClassTeam, student: string, nickname: string, host: boolean, reason: TeamJoin["reason"], retry = true): Promise<TeamJoin> {
    const [roomId, ticket] = [t.roomId, `${t.roomId}.${randomUUID()}`];
    try {
      await this.port.command(roomId, { type: "ticket", ticket, student, nickname, host });
    } catch (err) {
      // The team's game was found in another room meanwhile (a restart, a failover): a ticket for that room.
      if (retry && t.roomId !== roomId) return this.ticket(t, student, nickname, host, reason, false);
      throw err;
    }
    return { roomId, ticket, team: t.team.id, reason };
  }

  /** A student picks a team (or "auto"); answered with the ticket to go in. */
  async choose(clientId: string, team: string): Promise<{ result: ApiResult; join?: TeamJoin }> {
    const s = this.studentOf(clientId);
    if (!s) return { result: forbidden(this.isHost(clientId) ? "the host does not play in a team: open a team's game to watch it" : "join the class first") };
    const t = team === "auto" ? this.balancedTeam() : this.teamOf(team);
    if (!t) return { result: notFound(`this class has no team ${team}: its teams are ${this.teams.map((x) => x.team.id).join(", ")}`) };
    if (s.team && s.team !== t.team.id) return { result: conflict(`you are in team ${this.teamOf(s.team)?.team.name}: ask the host to move you`) };
    s.team = t.team.id;
    return { result: ok(`you are in team ${t.team.name}`), join: await this.ticket(t, s.id, s.nickname, false, "chosen") };
  }

  /** A returning student goes back to their team (the same seat: the team room knows them). */
  async returning(student: Student): Promise<TeamJoin | undefined> {
    const t = this.teamOf(student.team);
    return t && this.ticket(t, student.id, student.nickname, false, "returning");
  }

  /** The host moves a student to another team: they are told (team.join) when connected. */
  async moveStudent(clientId: string, studentId: string, team: string): Promise<{ result: ApiResult; send?: Dispatch }> {
    if (!this.isHost(clientId)) return { result: HOST_ONLY };
    const s = this.students.get(studentId);
    const t = this.teamOf(team);
    if (!s) return { result: notFound(`no student ${studentId} in this class`) };
    if (!t) return { result: notFound(`this class has no team ${team}`) };
    if (s.team === team) return { result: ok(`${s.nickname} is in team ${t.team.name} already`) };
    s.team = team;
    const result = ok(`${s.nickname} moves to team ${t.team.name}`);
    if (!s.connected || !s.clientId) return { result };
    return { result, send: { clientId: s.clientId, join: await this.ticket(t, s.id, s.nickname, false, "moved") } };
  }

  /** Every connected student without a team goes to a balanced one. */
  async balance(clientId: string): Promise<{ result: ApiResult; send: Dispatch[] }> {
    if (!this.isHost(clientId)) return { result: HOST_ONLY, send: [] };
    const send: Dispatch[] = [];
    for (const s of this.students.values()) {
      if (s.team || !s.connected || !s.clientId) continue;
      const t = this.balancedTeam();
      s.team = t.team.id;
      send.push({ clientId: s.clientId, join: await this.ticket(t, s.id, s.nickname, false, "chosen") });
    }
    return { result: ok(send.length ? `${send.length} students placed in teams` : "every student has a team already"), send };
  }

  /** The host opens one team's full game (as its host). */
  async openTeam(clientId: string, team: string): Promise<{ result: ApiResult; join?: TeamJoin }> {
    if (!this.isHost(clientId)) return { result: HOST_ONLY };
    const t = this.teamOf(team);
    if (!t) return { result: notFound(`this class has no team ${team}`) };
    return { result: ok(`opening team ${t.team.name}`), join: await this.ticket(t, "host", "Host", true, "host") };
  }

  // ---- host controls on every team (or one) ---------------------------------------------------

  private targets(team: string | undefined): ClassTeam[] | ApiResult {
    if (team === undefined) return this.teams;
    const t = this.teamOf(team);
    return t ? [t] : notFound(`this class has no team ${team}`);
  }

  /** Sends one command to each team; one answer for the host: what worked, and each team that refused and why. */
  private async fanOut(teams: ClassTeam[], command: (t: ClassTeam) => ClassCommand, done: string): Promise<ApiResult> {
    const answers = await Promise.all(
      teams.map((t) =>
        this.port.command(t.roomId, command(t)).then(
          (a) => a as ApiResult,
          (err: Error) => unavailable(`the team did not answer (${err.message})`),
        ),
      ),
    );
    const refused = answers.flatMap((a, i) => (a.ok ? [] : [`${teams[i].team.name}: ${a.message}`]));
    const scope = teams.length === 1 ? `team ${teams[0].team.name}` : "every team";
    if (refused.length === 0) return ok(`${done} (${scope})`);
    if (refused.length === teams.length) return { ...(answers[0] as ApiResult & { ok: false }), message: refused.join("; ") };
    return ok(`${done} — except ${refused.join("; ")}`);
  }

  async control(clientId: string, move: Move, team?: string): Promise<ApiResult> {
    if (!this.isHost(clientId)) return HOST_ONLY;
    const teams = this.targets(team);
    if (!Array.isArray(teams)) return teams;
    const said = { start: "started", pause: "paused", resume: "resumed", end: "ended" }[move];
    return this.fanOut(teams, () => ({ type: "move", move }), said);
  }

  async speed(clientId: string, speed: number, team?: string): Promise<ApiResult> {
    if (!this.isHost(clientId)) return HOST_ONLY;
    const teams = this.targets(team);
    if (!Array.isArray(teams)) return teams;
    return this.fanOut(teams, () => ({ type: "speed", speed }), `speed ${speed}×`);
  }

  /**
   * Chaos at the same game time in every team: the class asks each team its clock, picks T — the
   * fastest team's time plus CHAOS_LEAD_MS, on a whole tick — and each team room injects the
   * failure when its own clock reaches T (a paused or slower team later in wall time, at the same
   * game time). Teams not yet playing are left out and named.
   */
  async chaos(clientId: string, failure: unknown, label?: string, team?: string): Promise<ApiResult & { at?: number }> {
    if (!this.isHost(clientId)) return HOST_ONLY;
    const teams = this.targets(team);
    if (!Array.isArray(teams)) return teams;
    const clocks = await Promise.all(teams.map((t) => this.port.command(t.roomId, { type: "clock" }).catch(() => undefined)));
    const playing = teams.filter((_, i) => {
      const c = clocks[i];
      return c && isClock(c) && (c.phase === "running" || c.phase === "paused");
    });
    if (playing.length === 0) return conflict("chaos needs a game in progress: start it first");
    const fastest = Math.max(...clocks.map((c) => (c && isClock(c) ? c.now : 0)));
    const at = Math.ceil((fastest + CHAOS_LEAD_MS) / TICK_MS) * TICK_MS;
    const left = teams.filter((t) => !playing.includes(t)).map((t) => `${t.team.name} (not playing yet)`);
    const r = await this.fanOut(playing, () => ({ type: "chaos", failure, label, at }), `the failure strikes at game time ${clockText(at)}`);
    return { ...(left.length && r.ok ? { ...r, message: `${r.message} — except ${left.join(", ")}` } : r), at };
  }

  setBoard(clientId: string, board: Board): ApiResult {
    // The projector was opened with the host's token: its own buttons choose what the wall shows.
    if (!this.isHost(clientId) && this.clients.get(clientId)?.kind !== "projector") return HOST_ONLY;
    this.board = board;
    return ok(board === "ranked" ? "the projector shows the ranking" : board === "hidden" ? "the ranking is hidden" : "the projector shows the class's total");
  }

  /**
   * As a workshop's host presence (server/game/HostPresence.ts), for the whole class: a host gone
   * `awayMs` pauses every running team, which says it waits for the host; the host's return
   * clears that (and the host resumes). Called with the wall clock; true when it told the teams.
   */
  async watchHost(now: number, awayMs: number): Promise<boolean> {
    const here = [...this.clients.values()].some((c) => c.kind === "host");
    if (here) this.hostAwaySince = undefined;
    else this.hostAwaySince ??= now;
    const away = !here && now - (this.hostAwaySince ?? now) >= awayMs;
    if (away === this.waitingForHost) return false;
    this.waitingForHost = away;
    await Promise.all(this.teams.map((t) => this.port.command(t.roomId, { type: "hostAway", away }).catch(() => undefined)));
    return true;
  }

  // ---- what the teams say -----------------------------------------------------------------------

  /** A team room's summary; false when it comes from a room that is not this class's team (a team's game restored in a new room is, by its PIN). */
  report(team: string, roomId: string, report: TeamReport, pin?: string): boolean {
    const t = this.teamOf(team);
    if (!t || (t.roomId !== roomId && (pin === undefined || t.pin !== pin))) return false;
    Object.assign(t, { roomId, report, pin: t.pin ?? pin });
    return true;
  }

  /** The class's phase: lobby until a team plays, debrief when every team has ended, else playing or (every team) paused. */
  get phase(): ClassPhase {
    const phases = this.teams.map((t) => t.report?.phase ?? "lobby");
    if (phases.every((p) => p === "debrief")) return "debrief";
    if (phases.some((p) => p === "running")) return "playing";
    if (phases.some((p) => p === "paused")) return "paused";
    return "lobby";
  }

  /** The slowest team's game time, ms. */
  get gameNow(): number {
    return Math.min(...this.teams.map((t) => t.report?.gameNow ?? 0));
  }

  /** The seat a student plays in their team, from its last summary ("" when none). */
  seatOf(s: Student): string {
    return this.teamOf(s.team)?.report?.seats.find((x) => x.nickname === s.nickname)?.seat ?? "";
  }

  /** Tells every team room to close (the class is over). */
  async close(): Promise<void> {
    await Promise.all(this.teams.map((t) => this.port.command(t.roomId, { type: "close" }).catch(() => undefined)));
  }
}

/** Game time as m:ss. */
export const clockText = (ms: number) => `${Math.floor(ms / 60_000)}:${String(Math.floor((ms % 60_000) / 1000)).padStart(2, "0")}`;
