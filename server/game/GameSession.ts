/**
 * One game room's rules, without Colyseus: the mode, the PIN and the host's token, the lobby of
 * players and the seats they hold, the game's phase and speed, and every player or host action,
 * answered with a Kubernetes-like status. The Colyseus room is a thin adapter around this.
 */
import { randomInt, randomUUID, timingSafeEqual } from "node:crypto";
import { isPermitted } from "../../shared/sim/api/authorize.ts";
import type { Role } from "../../shared/sim/api/identity.ts";
import type { ApiRequest } from "../../shared/sim/api/requests.ts";
import { badRequest, conflict, forbidden, notFound, ok, unauthorized, type ApiResult } from "../../shared/sim/api/status.ts";
import type { Difficulty } from "../../shared/sim/bots/Bot.ts";
import { TICK_MS } from "../../shared/sim/clock.ts";
import { getScenario, scenarioIds } from "../../shared/sim/scenarios/index.ts";
import { Simulation, type SimulationSnapshot, type TickReport } from "../../shared/sim/Simulation.ts";
import type { Mode } from "../../shared/protocol/messages.ts";
import { RateLimiter, type Verdict } from "../limits/RateLimiter.ts";

/** The role a seat plays: "kubelet:node-1" → kubelet. */
const seatRole = (seat: string) => seat.split(":")[0] as Role;

export type Phase = "lobby" | "intro" | "running" | "paused" | "debrief";

export interface Player {
  id: string;
  nickname: string;
  host: boolean;
  spectator: boolean;
  connected: boolean;
  /** Seats the player holds ("scheduler", "kubelet:node-2", …); several players may share one. */
  seats: string[];
}

export interface SessionOptions {
  mode: Mode;
  scenario: string;
  difficulty: Difficulty;
  seed: number;
}

/** What is saved with the game so a restarted server can bring the room back. */
export interface SessionSnapshot {
  options: SessionOptions;
  pin: string;
  hostToken: string;
  phase: Phase;
  speed: number;
  locked: boolean;
  /** Seats by nickname, so returning players get theirs back. */
  seatsByNickname: Record<string, string[]>;
  /** Each player's token for the room's Kubernetes API (kubectl), by nickname: kubeconfigs outlive restarts. */
  apiTokens?: Record<string, string>;
  sim: SimulationSnapshot;
}

/** Who a Kubernetes API token belongs to. */
export interface ApiCaller {
  /** The host (cluster admin) or a player's nickname. */
  name: string;
  host: boolean;
  /** The seats the player holds now (the host acts as the cluster admin instead). */
  seats: string[];
}

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
  private readonly limits = new Map<string, RateLimiter>();
  private carryMs = 0;
  /** Seats remembered by nickname across disconnects and restarts. */
  private readonly remembered = new Map<string, string[]>();
  /** Kubernetes API tokens by nickname, and nicknames by token. */
  private readonly apiTokens = new Map<string, string>();
  private readonly apiTokenOwners = new Map<string, string>();

  constructor(options: SessionOptions, saved?: SessionSnapshot) {
    this.options = options;
    if (saved) {
      this.pin = saved.pin;
      this.hostToken = saved.hostToken;
      this.phase = saved.phase === "running" ? "paused" : saved.phase;
      this.speed = saved.speed;
      this.locked = saved.locked;
      for (const [nick, seats] of Object.entries(saved.seatsByNickname)) this.remembered.set(nick, seats);
      for (const [nick, token] of Object.entries(saved.apiTokens ?? {})) this.setApiToken(nick, token);
      this.sim = Simulation.restore(saved.sim);
    } else {
      this.pin = String(randomInt(0, 1_000_000)).padStart(6, "0");
      this.hostToken = randomUUID();
      this.phase = options.mode === "workshop" ? "lobby" : "intro";
      this.sim = GameSession.newSim(options);
    }
  }

  private static newSim(o: SessionOptions): Simulation {
    // Every seat starts with its bot; a seat taken by a connected human loses its bot.
    return new Simulation({ scenario: o.scenario, seed: o.seed, difficulty: o.difficulty });
  }

  // ---- players ------------------------------------------------------------------------------

  /** Adds a player; returns the player or why they cannot join. */
  join(id: string, nickname: string, opts: { host?: boolean; spectator?: boolean; now: number }): Player | ApiResult {
    if (this.locked && !opts.host && !this.remembered.has(nickname)) return forbidden("the room is locked: the host is not letting anyone else in");
    const taken = [...this.players.values()].some((p) => p.connected && p.nickname.toLowerCase() === nickname.toLowerCase());
    if (taken) return conflict(`someone in this room is already called ${nickname}: pick another nickname`);
    const player: Player = {
      id,
      nickname,
      // Host rights come from the host token only (checked by the room), never from a nickname.
      host: opts.host === true,
      spectator: opts.spectator === true,
      connected: true,
      seats: [],
    };
    this.players.set(id, player);
    this.limits.set(id, new RateLimiter(opts.now));
    // A returning player (after a reload or a server restart) gets their seats back.
    for (const seat of this.remembered.get(nickname) ?? []) if (this.sim.seats().includes(seat)) player.seats.push(seat);
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

  /** The player is gone for good: seats go back to the bots. */
  remove(id: string): void {
    const p = this.players.get(id);
    if (!p) return;
    this.remembered.set(p.nickname, [...p.seats]);
    this.players.delete(id);
    this.limits.delete(id);
    this.syncBots();
  }

  isHost(id: string): boolean {
    return this.players.get(id)?.host === true;
  }

  checkHostToken(token: string | undefined): boolean {
    if (!token) return false;
    const a = Buffer.from(token);
    const b = Buffer.from(this.hostToken);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** Counts a message from a player against their limits. */
  limit(id: string, now: number): Verdict {
    return this.limits.get(id)?.check(now) ?? "cut";
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

  private remember(p: Player): void {
    this.remembered.set(p.nickname, [...p.seats]);
  }

  /** Who holds each seat (connected players only). */
  holders(seat: string): Player[] {
    return [...this.players.values()].filter((p) => p.connected && p.seats.includes(seat));
  }

  /** A seat is a bot's unless a connected human holds it. */
  private syncBots(): void {
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
    if (this.phase === "lobby" || this.phase === "intro") return conflict("the game has not started yet: wait for the host to start it");
    if (this.phase === "paused") return conflict("the game is paused: the cluster is frozen until the host resumes");
    if (this.phase === "debrief") return conflict("the game is over: see the debrief");
    return this.sim.request(this.sim.tokenFor(seat), request, p.nickname);
  }

  /**
   * Advances game time by `realMs` of wall time at the current speed while running; returns the
   * ticks played. The game ends by itself when the scenario's time is up.
   */
  advance(realMs: number): TickReport[] {
    if (this.phase !== "running") return [];
    this.carryMs += Math.min(realMs, MAX_CATCH_UP_MS) * this.speed;
    const reports: TickReport[] = [];
    while (this.carryMs >= TICK_MS && !this.sim.isOver()) {
      this.carryMs -= TICK_MS;
      reports.push(this.sim.step());
    }
    if (this.sim.isOver()) this.phase = "debrief";
    return reports;
  }

  // ---- the Kubernetes API (kubectl) -----------------------------------------------------------

  private setApiToken(nickname: string, token: string): void {
    this.apiTokens.set(nickname, token);
    this.apiTokenOwners.set(token, nickname);
  }

  /** The player's bearer token for the room's Kubernetes API; the host's is the host token. */
  apiTokenOf(id: string): string | undefined {
    const p = this.players.get(id);
    if (!p) return undefined;
    if (p.host) return this.hostToken;
    let token = this.apiTokens.get(p.nickname);
    if (!token) this.setApiToken(p.nickname, (token = `${this.pin}.${randomUUID()}`));
    return token;
  }

  /** Who holds an API token, or undefined for a token this room never issued. */
  apiCaller(token: string): ApiCaller | undefined {
    if (this.checkHostToken(token)) return { name: "host", host: true, seats: [] };
    const nickname = this.apiTokenOwners.get(token);
    if (nickname === undefined) return undefined;
    const player = [...this.players.values()].find((p) => p.nickname === nickname);
    return { name: nickname, host: false, seats: [...(player?.seats ?? this.remembered.get(nickname) ?? [])] };
  }

  /**
   * A request made through the Kubernetes API. The host acts as the cluster admin; a player acts
   * as whichever of their seats may make it (or, when none may, as their first seat, so the
   * answer names who could). It then meets the same rules as a request from the game's panels.
   */
  apiRequest(token: string, request: ApiRequest): ApiResult {
    const caller = this.apiCaller(token);
    if (!caller) return unauthorized("this token is not valid in this game: download a fresh kubeconfig from the game's kubectl box");
    if (this.phase === "lobby" || this.phase === "intro") return conflict("the game has not started yet: wait for the host to start it (reading works already)");
    if (this.phase === "paused") return conflict("the game is paused: the cluster is frozen until the host resumes");
    if (this.phase === "debrief") return conflict("the game is over: the cluster can still be read, but not changed");
    let component: string;
    if (caller.host) component = "admin";
    else {
      if (caller.seats.length === 0) return forbidden(`${caller.name} plays no component yet: take a seat in the game first, then kubectl acts as that seat`);
      component = caller.seats.find((s) => isPermitted(seatRole(s), request.type)) ?? caller.seats[0];
    }
    return this.sim.request(this.sim.tokenFor(component), request, `${caller.name} (kubectl)`);
  }

  // ---- host controls ------------------------------------------------------------------------

  private hostOnly(id: string): ApiResult | undefined {
    return this.isHost(id) ? undefined : forbidden("only the host can do that");
  }

  assign(id: string, player: string, seat: string, exclusive: boolean): ApiResult {
    const denied = this.hostOnly(id);
    if (denied) return denied;
    const target = this.players.get(player);
    if (!target) return notFound(`no player ${player} in this room`);
    if (exclusive) for (const other of this.players.values()) if (other !== target) other.seats = other.seats.filter((s) => s !== seat);
    const r = this.takeSeat(player, seat);
    if (exclusive) for (const other of this.players.values()) this.remember(other);
    return r.ok ? ok(`${target.nickname} now plays ${seat}`) : r;
  }

  unassign(id: string, player: string, seat: string): ApiResult {
    const denied = this.hostOnly(id);
    if (denied) return denied;
    if (!this.players.has(player)) return notFound(`no player ${player} in this room`);
    return this.leaveSeat(player, seat);
  }

  /** Hands every seat back to the bots. */
  fillBots(id: string): ApiResult {
    const denied = this.hostOnly(id);
    if (denied) return denied;
    for (const p of this.players.values()) {
      p.seats = [];
      this.remember(p);
    }
    this.syncBots();
    return ok("every seat is played by a bot");
  }

  chooseScenario(id: string, scenario: string, difficulty?: Difficulty, seed?: number): ApiResult {
    const denied = this.hostOnly(id);
    if (denied) return denied;
    if (this.phase !== "lobby" && this.phase !== "intro") return conflict("the scenario can only be changed before the game starts");
    if (!getScenario(scenario)) return notFound(`no scenario ${scenario}; scenarios are ${scenarioIds().join(", ")}`);
    this.options = { ...this.options, scenario, difficulty: difficulty ?? this.options.difficulty, seed: seed ?? this.options.seed };
    this.sim = GameSession.newSim(this.options);
    for (const p of this.players.values()) p.seats = p.seats.filter((s) => this.seatExists(s));
    this.syncBots();
    return ok(`scenario ${scenario} chosen`);
  }

  start(id: string): ApiResult {
    const denied = this.hostOnly(id);
    if (denied) return denied;
    if (this.phase === "lobby") {
      this.phase = "intro";
      return ok("showing the scenario's intro: start again to begin");
    }
    if (this.phase === "intro") {
      this.phase = "running";
      return ok("the game is running");
    }
    return conflict(`the game is ${this.phase}: it can only be started from the lobby or the intro`);
  }

  pause(id: string): ApiResult {
    const denied = this.hostOnly(id);
    if (denied) return denied;
    if (this.phase !== "running") return conflict(`the game is ${this.phase}, not running`);
    this.phase = "paused";
    return ok("paused");
  }

  resume(id: string): ApiResult {
    const denied = this.hostOnly(id);
    if (denied) return denied;
    if (this.phase !== "paused") return conflict(`the game is ${this.phase}, not paused`);
    this.phase = "running";
    return ok("resumed");
  }

  setSpeed(id: string, speed: number): ApiResult {
    const denied = this.hostOnly(id);
    if (denied) return denied;
    if (!(speed >= 0.5 && speed <= 4)) return badRequest("speed goes from 0.5× to 4×");
    this.speed = speed;
    return ok(`speed ${speed}×`);
  }

  end(id: string): ApiResult {
    const denied = this.hostOnly(id);
    if (denied) return denied;
    if (this.phase === "debrief") return conflict("the game is already over");
    this.phase = "debrief";
    return ok("the game is over: here is the debrief");
  }

  lock(id: string, locked: boolean): ApiResult {
    const denied = this.hostOnly(id);
    if (denied) return denied;
    this.locked = locked;
    return ok(locked ? "the room is locked: nobody new can join" : "the room is open again");
  }

  kick(id: string, player: string): ApiResult {
    const denied = this.hostOnly(id);
    if (denied) return denied;
    const target = this.players.get(player);
    if (!target) return notFound(`no player ${player} in this room`);
    if (target.id === id) return conflict("you cannot kick yourself");
    this.remove(player);
    this.remembered.delete(target.nickname);
    return ok(`${target.nickname} was removed from the room`);
  }

  chaos(id: string, failure: unknown, label?: string): ApiResult {
    const denied = this.hostOnly(id);
    if (denied) return denied;
    if (this.phase !== "running" && this.phase !== "paused") return conflict("chaos needs a game in progress: start it first");
    const r = this.sim.inject(failure, label);
    this.syncBots(); // a joining worker brings new seats
    return r;
  }

  // ---- saving -------------------------------------------------------------------------------

  /** What is saved; without the input log when the store keeps it apart (appended, not rewritten). */
  snapshot(opts: { inputLog?: boolean } = {}): SessionSnapshot {
    const seatsByNickname: Record<string, string[]> = Object.fromEntries(this.remembered);
    for (const p of this.players.values()) seatsByNickname[p.nickname] = [...p.seats];
    return {
      options: this.options,
      pin: this.pin,
      hostToken: this.hostToken,
      phase: this.phase,
      speed: this.speed,
      locked: this.locked,
      seatsByNickname,
      apiTokens: Object.fromEntries(this.apiTokens),
      sim: this.sim.snapshot({ objects: false, inputLog: opts.inputLog }),
    };
  }
}
