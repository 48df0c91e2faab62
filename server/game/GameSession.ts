/**
 * One game room's rules, without Colyseus: the mode, the PIN and the host's token, the lobby of
 * players and the seats they hold, the game's phase and speed, and every player or host action,
 * answered with a Kubernetes-like status. The Colyseus room is a thin adapter around this.
 */
import { randomUUID } from "node:crypto";
import type { ApiRequest } from "../../shared/sim/api/requests.ts";
import { badRequest, conflict, forbidden, notFound, ok, unauthorized, unavailable, type ApiResult } from "../../shared/sim/api/status.ts";
import type { Difficulty } from "../../shared/sim/bots/Bot.ts";
import { TICK_MS } from "../../shared/sim/clock.ts";
import { getScenario, scenarioIds } from "../../shared/sim/scenarios/index.ts";
import { Simulation, type TickReport } from "../../shared/sim/Simulation.ts";
import { nicknameProblem, normaliseNickname } from "../admission/nicknames.ts";
import { sameSecret } from "../admission/secrets.ts";
import type { ApiCaller } from "../k8s/ports.ts";
import { randomPin } from "./pins.ts";
import { kubectlComponent } from "./kubectlSeat.ts";
import { moveRefusal, PHASE_RULES, type Move, type Phase } from "./phases.ts";
import { MAX_MEMBERS, Roster } from "./Roster.ts";
import { CLASS_HOST, type Admitted, type JoinRequest, type Player, type SessionOptions, type SessionSnapshot } from "./sessionTypes.ts";
import { kubectlActor } from "../../shared/sim/counterfactual/holdings.ts";
import { Quiz, type AnswerRecord } from "./Quiz.ts";
import { StudentLedger } from "./StudentLedger.ts";

export type { Admitted, ApiCaller, JoinRequest, Phase, Player, SessionOptions, SessionSnapshot };

/** What anyone but the host is told who tries a host control. */
const HOST_ONLY = forbidden("only the host can do that");

/** Longest a game may be asked to run ahead in one call (a stalled event loop must not burst). */
const MAX_CATCH_UP_MS = 1_000;

export class GameSession {
  readonly pin: string;
  readonly hostToken: string;
  options: SessionOptions;
  sim: Simulation;
  phase: Phase;
  speed = 1;
  locked = false;
  readonly players = new Map<string, Player>();
  /** Player keys the host lets apply manifests (applyGrant.ts). */
  readonly applyGrants = new Set<string>();
  private carryMs = 0;
  /** Runs after every tick played (a class's team room injects its chaos at a set game time: server/room/teamLink.ts). */
  afterTick?: () => void;
  /** Everyone the room knows by player key, with their seats and tokens, across drops and restarts. */
  private readonly roster: Roster;
  /** The scenario's checkpoints, the question open now and every answer given (Quiz.ts). */
  quiz: Quiz;
  /** For the student reports (report.ts): who held which seat when and the requests refused them. */
  readonly ledger: StudentLedger;

  /** A new game (with its PIN; a random one when absent), or (with `saved`) a saved game continued. */
  constructor(options: SessionOptions, saved?: SessionSnapshot, pin?: string) {
    this.options = options;
    if (saved) {
      this.pin = saved.pin;
      this.hostToken = saved.hostToken;
      this.phase = saved.phase === "running" ? "paused" : saved.phase;
      this.speed = saved.speed;
      this.locked = saved.locked;
      // A game saved before player keys existed comes back without its roster: players join anew.
      this.roster = new Roster(saved.roster);
      for (const key of saved.applyGrants ?? []) this.applyGrants.add(key);
      this.sim = Simulation.restore(saved.sim);
    } else {
      this.pin = pin ?? randomPin();
      this.hostToken = randomUUID();
      this.phase = options.mode === "workshop" ? "lobby" : "intro";
      this.sim = GameSession.newSim(options);
      this.roster = new Roster();
    }
    this.quiz = new Quiz(this.sim, saved?.quiz, options.questions);
    this.ledger = new StudentLedger(() => this.sim.now, saved?.ledger, this);
  }

  private static newSim(o: SessionOptions): Simulation {
    // Every seat starts with its bot; a seat taken by a connected human loses its bot.
    return new Simulation({ scenario: o.scenario, seed: o.seed, difficulty: o.difficulty, noSpeedPoints: o.noSpeedPoints });
  }

  // ---- players ------------------------------------------------------------------------------

  /**
   * Whether someone may join, and as whom; changes nothing. A returning player is known by their
   * key, never by their nickname: a nickname that looks like anyone's in the room (connected, away
   * or gone) or like the host's is refused. A locked room admits only returning keys and the host.
   */
  admit(nickname: string | undefined, who: JoinRequest): Admitted | ApiResult {
    const host = who.host === true;
    if (who.key !== undefined && this.roster.isKicked(who.key)) return forbidden("the host removed you from this room: ask the host whether you may come back");
    if (this.options.mode !== "workshop" && !host && !who.spectator)
      return forbidden("this is a private game: only its player can join (spectators are welcome)");
    const key = host ? this.hostToken : who.key !== undefined && this.roster.get(who.key) ? who.key : undefined;
    const member = key === undefined ? undefined : this.roster.get(key);
    if (this.locked && !host && !member) return forbidden("the room is locked: the host is not letting anyone else in");
    if (!member && !host && this.roster.size >= MAX_MEMBERS) return unavailable(`this room already knows ${MAX_MEMBERS} players: it takes nobody new`);
    const here = key === undefined ? undefined : [...this.players.values()].find((p) => p.key === key);
    if (here?.connected) return conflict("you are already in this game in another window or tab: carry on there, or close it first");
    const label = normaliseNickname(nickname ?? member?.nickname ?? (host ? "Host" : this.roster.freeName(this.players.size)));
    const problem = nicknameProblem(label, this.roster.nicknames(key), { host });
    if (problem) return conflict(problem);
    return { key, nickname: label, replaces: here?.id };
  }

  /**
   * Adds a player; returns the player (with the key to come back with) or why they cannot join.
   * A returning player gets their seats back; an away connection of theirs is replaced.
   */
  join(id: string, nickname: string | undefined, opts: JoinRequest & { now: number }): Player | ApiResult {
    const admitted = this.admit(nickname, opts);
    if ("ok" in admitted) return admitted;
    if (admitted.replaces !== undefined) this.players.delete(admitted.replaces);
    // Someone new is enrolled under a fresh key (the host under the host token).
    const key = admitted.key !== undefined && this.roster.get(admitted.key) ? admitted.key : this.roster.enrol(admitted.nickname, admitted.key);
    const member = this.roster.get(key)!;
    member.nickname = admitted.nickname;
    const player: Player = {
      id,
      key,
      nickname: admitted.nickname,
      // Host rights come from the host token only (checked by the room), never from a nickname.
      host: opts.host === true,
      spectator: opts.spectator === true,
      connected: true,
      seats: opts.spectator ? [] : member.seats.filter((seat) => this.seatExists(seat)),
    };
    this.players.set(id, player);
    if (opts.seat !== undefined) this.takeSeat(id, opts.seat);
    this.syncBots();
    return player;
  }

  /** The player's connection dropped: their bots cover until they come back (or leave for good). */
  disconnect(id: string): void {
    const p = this.players.get(id);
    if (!p) return;
    p.connected = false;
    this.syncBots();
  }

  reconnect(id: string): void {
    const p = this.players.get(id);
    if (!p) return;
    p.connected = true;
    this.syncBots();
  }

  /** The player is gone for good: seats go back to the bots (and wait in the roster for their key). */
  remove(id: string): void {
    const p = this.players.get(id);
    if (!p) return;
    this.remember(p);
    this.players.delete(id);
    this.syncBots();
  }

  isHost(id: string): boolean {
    return id === CLASS_HOST || this.players.get(id)?.host === true;
  }

  checkHostToken(token: string | undefined): boolean {
    return sameSecret(token, this.hostToken);
  }

  // ---- seats --------------------------------------------------------------------------------

  private seatExists(seat: string): boolean {
    return this.sim.seats().includes(seat);
  }

  takeSeat(id: string, seat: string): ApiResult {
    const p = this.players.get(id);
    if (!p) return notFound("you are not in this room");
    if (p.spectator) return forbidden("spectators watch: rejoin as a player to take a seat");
    if (!this.seatExists(seat)) return notFound(`there is no seat ${seat}; seats are ${this.sim.seats().join(", ")}`);
    if (p.seats.includes(seat)) return ok(`you already play ${seat}`);
    p.seats.push(seat);
    this.remember(p);
    this.syncBots();
    return ok(`you now play ${seat}`);
  }

  leaveSeat(id: string, seat: string): ApiResult {
    const p = this.players.get(id);
    if (!p) return notFound("you are not in this room");
    if (!p.seats.includes(seat)) return conflict(`you do not play ${seat}`);
    p.seats = p.seats.filter((s) => s !== seat);
    this.remember(p);
    this.syncBots();
    return ok(`${seat} is played by its bot again`);
  }

  /** Trades one held seat for another in one step (the seat left goes to its bot unless shared). */
  swapSeat(id: string, from: string, to: string): ApiResult {
    const p = this.players.get(id);
    if (!p) return notFound("you are not in this room");
    if (!p.seats.includes(from)) return conflict(`you do not play ${from}`);
    if (!this.seatExists(to)) return notFound(`there is no seat ${to}; seats are ${this.sim.seats().join(", ")}`);
    p.seats = [...new Set(p.seats.map((s) => (s === from ? to : s)))];
    this.remember(p);
    this.syncBots();
    return ok(`you now play ${to} instead of ${from}`);
  }

  /** Keeps the player's seats for their key (a spectator's visit leaves the seats they played alone). */
  private remember(p: Player): void {
    const m = this.roster.get(p.key);
    if (m && !p.spectator) m.seats = [...p.seats];
  }

  /** Who holds each seat (connected players only). */
  holders(seat: string): Player[] {
    return [...this.players.values()].filter((p) => p.connected && p.seats.includes(seat));
  }

  /** A seat is a bot's unless a connected human holds it (and the ledger notes who holds what from now). */
  private syncBots(): void {
    this.ledger.observe(this.players.values());
    for (const seat of this.sim.seats()) {
      const bot = this.holders(seat).length === 0;
      if (this.sim.isBot(seat) !== bot) this.sim.setBot(seat, bot);
    }
  }

  // ---- playing ------------------------------------------------------------------------------

  /** An API request from one of the player's seats. */
  request(id: string, seat: string, request: unknown): ApiResult {
    const p = this.players.get(id);
    if (!p) return notFound("you are not in this room");
    if (!p.seats.includes(seat)) return forbidden(`you do not play ${seat}: take the seat first`);
    const closed = PHASE_RULES[this.phase].closedToPlayers;
    if (closed) return conflict(closed);
    return this.ledger.answered(p, seat, request, () => this.sim.request(this.sim.tokenFor(seat), request, p.nickname));
  }

  /**
   * Advances game time by `realMs` of wall time at the current speed while running; returns the
   * ticks played. The game ends by itself when the scenario's time is up.
   */
  advance(realMs: number): TickReport[] {
    if (!PHASE_RULES[this.phase].clock) return [];
    this.carryMs += Math.min(realMs, MAX_CATCH_UP_MS) * this.speed;
    const reports: TickReport[] = [];
    while (this.carryMs >= TICK_MS && !this.sim.isOver() && this.phase === "running") {
      this.carryMs -= TICK_MS;
      reports.push(this.sim.step());
      this.afterTick?.();
      if (this.quiz.observe(this.sim)) [this.phase, this.carryMs] = ["paused", 0];
    }
    if (this.sim.isOver()) this.phase = "debrief";
    return reports;
  }

  // ---- the Kubernetes API (kubectl) -----------------------------------------------------------

  /** The player's bearer token for the room's Kubernetes API; the host's is the host token. */
  apiTokenOf(id: string): string | undefined {
    const p = this.players.get(id);
    if (!p) return undefined;
    if (p.host) return this.hostToken;
    return this.roster.apiToken(p.key, this.pin);
  }

  /** Who holds an API token, or undefined for a token this room never issued. */
  apiCaller(token: string): ApiCaller | undefined {
    if (this.checkHostToken(token)) return { name: "host", host: true, seats: [] };
    return this.roster.callerOf(token, this.players.values(), this.applyGrants);
  }

  /** A request made through the Kubernetes API, as the component kubectlSeat.ts picks; then the same rules as the panels'. */
  apiRequest(token: string, request: ApiRequest): ApiResult {
    const caller = this.apiCaller(token);
    if (!caller) return unauthorized("this token is not valid in this game: download a fresh kubeconfig from the game's kubectl box");
    const closed = PHASE_RULES[this.phase].closedToKubectl;
    if (closed) return conflict(closed);
    const component = kubectlComponent(caller, request.type);
    const actor = kubectlActor(caller.name);
    // A player with no seat yet is known but may do nothing: refused at permission, in the API log too.
    if (typeof component !== "string") return this.sim.api.refuse({ user: caller.name, role: "admin" }, request, component, actor, "permission");
    return this.ledger.answered(caller, component, request, () => this.sim.request(this.sim.tokenFor(component), request, actor));
  }

  // ---- host controls ------------------------------------------------------------------------

  assign(id: string, player: string, seat: string, exclusive: boolean): ApiResult {
    if (!this.isHost(id)) return HOST_ONLY;
    const target = this.players.get(player);
    if (!target) return notFound(`no player ${player} in this room`);
    if (exclusive) for (const other of this.players.values()) if (other !== target) other.seats = other.seats.filter((s) => s !== seat);
    const r = this.takeSeat(player, seat);
    if (exclusive) for (const other of this.players.values()) this.remember(other);
    return r.ok ? ok(`${target.nickname} now plays ${seat}`) : r;
  }

  unassign(id: string, player: string, seat: string): ApiResult {
    if (!this.isHost(id)) return HOST_ONLY;
    if (!this.players.has(player)) return notFound(`no player ${player} in this room`);
    return this.leaveSeat(player, seat);
  }

  /** Hands every seat back to the bots. */
  fillBots(id: string): ApiResult {
    if (!this.isHost(id)) return HOST_ONLY;
    for (const p of this.players.values()) {
      p.seats = [];
      this.remember(p);
    }
    this.syncBots();
    return ok("every seat is played by a bot");
  }

  chooseScenario(id: string, scenario: string, difficulty?: Difficulty, seed?: number, scoring: Pick<SessionOptions, "noSpeedPoints"> = {}): ApiResult {
    if (!this.isHost(id)) return HOST_ONLY;
    if (!PHASE_RULES[this.phase].scenarioChoice) return conflict("the scenario can only be changed before the game starts");
    if (!getScenario(scenario)) return notFound(`no scenario ${scenario}; scenarios are ${scenarioIds().join(", ")}`);
    this.options = { ...this.options, ...scoring, scenario, difficulty: difficulty ?? this.options.difficulty, seed: seed ?? this.options.seed };
    this.sim = GameSession.newSim(this.options);
    this.quiz = new Quiz(this.sim, undefined, this.options.questions);
    for (const p of this.players.values()) p.seats = p.seats.filter((s) => this.seatExists(s));
    this.syncBots();
    return ok(`scenario ${scenario} chosen`);
  }

  readonly start = (id: string): ApiResult => this.move(id, "start");
  readonly pause = (id: string): ApiResult => this.move(id, "pause");
  readonly resume = (id: string): ApiResult => this.move(id, "resume");
  readonly end = (id: string): ApiResult => this.move(id, "end");

  /** A host's move from phase to phase, as the phase table allows (phases.ts). */
  private move(id: string, move: Move): ApiResult {
    if (!this.isHost(id)) return HOST_ONLY;
    const to = PHASE_RULES[this.phase].moves[move];
    if (!to) return conflict(moveRefusal(this.phase, move));
    const held = this.quiz.holds(move, this.options.mode !== "workshop");
    if (held) return held;
    this.phase = to.to;
    if (move === "resume" && this.quiz.close()) this.phase = "paused";
    return ok(to.says);
  }

  setSpeed(id: string, speed: number): ApiResult {
    if (!this.isHost(id)) return HOST_ONLY;
    if (!(speed >= 0.5 && speed <= 4)) return badRequest("speed goes from 0.5× to 4×");
    this.speed = speed;
    return ok(`speed ${speed}×`);
  }

  lock(id: string, locked: boolean): ApiResult {
    if (!this.isHost(id)) return HOST_ONLY;
    this.locked = locked;
    return ok(locked ? "the room is locked: nobody new can join" : "the room is open again");
  }

  kick(id: string, player: string): ApiResult {
    if (!this.isHost(id)) return HOST_ONLY;
    const target = this.players.get(player);
    if (!target) return notFound(`no player ${player} in this room`);
    if (target.id === id) return conflict("you cannot kick yourself");
    this.remove(player);
    // Their key and kubectl token stop working now; the nickname is free again.
    this.roster.kick(target.key);
    return ok(`${target.nickname} was removed from the room`);
  }

  chaos(id: string, failure: unknown, label?: string): ApiResult {
    if (!this.isHost(id)) return HOST_ONLY;
    if (!PHASE_RULES[this.phase].chaos)
      return conflict(this.phase === "debrief" ? "the game is over: chaos has nothing left to break" : "chaos needs a game in progress: start it first");
    const r = this.sim.inject(failure, label);
    this.syncBots(); // a joining worker brings new seats
    return r;
  }

  /** Every answer given to a checkpoint or the exit check, as the student report reads them. */
  readonly answers = (): readonly AnswerRecord[] => this.quiz.answers;

  // ---- saving -------------------------------------------------------------------------------

  /** What is saved; without the input log when the store keeps it apart (appended, not rewritten). */
  snapshot(opts: { inputLog?: boolean } = {}): SessionSnapshot {
    for (const p of this.players.values()) this.remember(p);
    return {
      options: this.options,
      pin: this.pin,
      hostToken: this.hostToken,
      phase: this.phase,
      speed: this.speed,
      locked: this.locked,
      roster: this.roster.snapshot(),
      ledger: this.ledger.snapshot(),
      applyGrants: [...this.applyGrants],
      sim: this.sim.snapshot({ objects: false, inputLog: opts.inputLog }),
      quiz: this.quiz.snapshot(),
    };
  }
}
