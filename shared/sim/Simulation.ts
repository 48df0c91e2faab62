/**
 * One game of Cluster Crew: the cluster, its API server, the machines, the traffic, the bots and
 * the score, advanced in fixed ticks of game time. It knows nothing of Colyseus, Redis or the
 * DOM, never reads the wall clock and draws randomness only from its seed: the same scenario,
 * seed and input log always give the same game.
 */
import { ApiServer, botActor, clip, MAX_AUDIT_ACTOR } from "./api/ApiServer.ts";
import { forwardingObserver, NO_OBSERVER, type ApiObserver } from "./api/context.ts";
import { Credentials } from "./api/credentials.ts";
import { Authenticator, type Identity } from "./api/identity.ts";
import { isPermitted } from "./api/authorize.ts";
import { ApiRequestSchema, type ApiRequest, type RequestOf } from "./api/requests.ts";
import { badRequest, type ApiResult } from "./api/status.ts";
import { applyManifests, buildMachines, clusterSeats, registerNodes, startAllReplicas } from "./bootstrap.ts";
import type { Difficulty } from "./bots/Bot.ts";
import { BotCrew } from "./bots/BotCrew.ts";
import { TICK_MS } from "./clock.ts";
import { applyFailure, applyTimer, type FailureEnv, type Timer } from "./failures/apply.ts";
import { describeFailure, parseInjection, type Failure } from "./failures/failures.ts";
import { ClusterState, type Change } from "./objects/ClusterState.ts";
import { streamFor } from "./random.ts";
import { getScenario, type Scenario } from "./scenarios/index.ts";
import { Scoreboard, type ScoringOptions } from "./scoring/Scoreboard.ts";
import { scopeOf } from "./scoring/incidents.ts";
import { clusterFacts } from "./scoring/clusterFacts.ts";
import { tickFigures } from "./scoring/tickFigures.ts";
import { serviceCurves, Traffic, type Finished, type RateCurve } from "./traffic/Traffic.ts";
import { restoreWorld, snapshotWorld } from "./world/snapshot.ts";
import { runNodeAgents, type NodeAgentEnv } from "./world/nodeAgent.ts";
import { runSystemControllers } from "./world/systemControllers.ts";
import { World } from "./world/World.ts";
import { finishInstalls, isSetupRequest, NodeSetupRequestSchema, SetupLog, setUpMachine, type SeatRequest } from "./world/nodeSetup.ts";
import { InputLog, type InputRecord } from "./inputLog.ts";
import { evaluateOutcome, type GameOutcome } from "./outcome.ts";
import { seatCanAct } from "./bots/canAct.ts";
import { SNAPSHOT_VERSION, type SimulationSnapshot } from "./simulationSnapshot.ts";

export interface SimulationOptions extends ScoringOptions {
  /** A scenario id from the catalogue, or a scenario object. */
  scenario: string | Scenario;
  seed: number;
  difficulty?: Difficulty;
  /** Seats whose bot starts switched off ("scheduler", "kubelet:node-1", or a role for all its seats). */
  botsOff?: readonly string[];
}

export { MAX_INPUT_LOG_CHARS, type InputRecord } from "./inputLog.ts";

/** What one tick produced, for the room to broadcast. */
export interface TickReport {
  tick: number;
  now: number;
  finished: Finished[];
}

export { SNAPSHOT_VERSION, type SimulationSnapshot };

export class Simulation {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly difficulty: Difficulty;
  tick = 0;
  readonly state: ClusterState;
  readonly world: World;
  readonly auth = new Authenticator();
  readonly api: ApiServer;
  readonly traffic = new Traffic();
  /** The setup steps taken on bare servers (they never reach the API server's log). */
  readonly setupLog = new SetupLog();
  score = new Scoreboard();
  /** Inputs from outside, for replays (bounded: see InputLog). */
  private log = new InputLog();
  /** Failures injected from outside (the chaos panel), at most MAX_INJECTED_FAILURES. */
  private injected = 0;
  private crew: BotCrew;
  private timers: Timer[] = [];
  /** Failures injected so far: each draws from its own random stream. */
  private injections = 0;
  /** The scenario's events in time order. */
  private readonly script: Scenario["events"];
  private nextScriptEvent = 0;
  private readonly curves = new Map<string, RateCurve>();
  private readonly observer: { current: ApiObserver } = { current: NO_OBSERVER };
  private readonly credentials = new Credentials(this.auth);
  /** Each seat's bot as the API log names it ("system:kube-scheduler (bot)"). */
  private readonly botActors = new Map<string, string>();

  /** A new game, or (with `saved`) a saved game continued exactly where it was. */
  constructor(opts: SimulationOptions, saved?: SimulationSnapshot) {
    const scenario = typeof opts.scenario === "string" ? getScenario(opts.scenario) : opts.scenario;
    if (!scenario) throw new Error(`unknown scenario "${String(opts.scenario)}"`);
    this.scenario = scenario;
    this.seed = opts.seed >>> 0;
    this.difficulty = opts.difficulty ?? "normal";
    this.script = [...scenario.events].sort((a, b) => a.atSec - b.atSec);
    const observer = forwardingObserver(() => this.observer.current);
    this.state = saved ? ClusterState.restore(saved.cluster) : new ClusterState();
    this.world = saved ? restoreWorld(saved.world, (svc) => this.endpointsOf(svc)) : new World();
    this.api = new ApiServer(this.state, this.world, this.auth, observer, () => this.now);
    for (const d of scenario.deployments) if (d.service) this.curves.set(d.name, d.service.traffic);
    this.crew = new BotCrew(this.difficulty, saved ? saved.botsOff : (opts.botsOff ?? []));
    if (saved) {
      this.resume(saved);
      return;
    }

    buildMachines(this.world, scenario);
    this.world.electLeaders(0);
    applyManifests(this.state, scenario);
    const boot = {
      state: this.state,
      world: this.world,
      as: (who: string, r: ApiRequest) => this.callAs(who, r),
      runSystemControllers: () => this.runControllers(),
    };
    registerNodes(boot);
    if (scenario.start === "running") startAllReplicas(boot);
    this.score.noSpeedPoints = opts.noSpeedPoints === true;
    this.observer.current = this.score;
    this.ensureBots();
  }

  private resume(saved: SimulationSnapshot): void {
    this.tick = saved.tick;
    this.traffic.restore(saved.traffic);
    this.score = Scoreboard.restore(saved.score);
    this.observer.current = this.score;
    this.timers = structuredClone(saved.timers);
    this.nextScriptEvent = saved.nextScriptEvent;
    // Records are never changed once recorded: a shallow copy is enough (a deep one of a full log takes 0.2 s).
    this.log = new InputLog(saved.inputLog.slice(), saved.inputsDropped ?? 0);
    this.injected = saved.injected ?? saved.inputLog.filter((r) => r.kind === "failure").length;
    this.injections = saved.injections;
    this.ensureBots();
    this.crew.restore(saved.bots);
  }

  /**
   * Everything needed to continue this game later, as plain JSON-safe data. Without objects,
   * it is what the store keeps beside the registry (which already holds the objects); without
   * the input log, what it keeps beside the log it appends to (see Persistence).
   */
  snapshot(opts: { objects?: boolean; inputLog?: boolean } = {}): SimulationSnapshot {
    return {
      version: SNAPSHOT_VERSION,
      scenario: structuredClone(this.scenario),
      seed: this.seed,
      difficulty: this.difficulty,
      tick: this.tick,
      cluster: opts.objects === false ? { ...this.state.snapshot(), objects: [] } : structuredClone(this.state.snapshot()),
      world: snapshotWorld(this.world, (svc) => this.endpointsOf(svc)),
      traffic: this.traffic.snapshot(),
      score: this.score.snapshot(),
      bots: this.crew.snapshot(),
      timers: structuredClone(this.timers),
      nextScriptEvent: this.nextScriptEvent,
      inputLog: opts.inputLog === false ? [] : this.log.records.slice(),
      botsOff: [...this.crew.off],
      injections: this.injections,
      inputsDropped: this.inputsDropped,
      injected: this.injected,
    };
  }

  private endpointsOf(service: string) {
    const ep = this.state.endpoints.get(service);
    return ep && { version: ep.metadata.resourceVersion, addresses: ep.addresses };
  }

  /** Continues a saved game. Requests that were in flight are lost, as a restart would lose them. */
  static restore(saved: SimulationSnapshot): Simulation {
    if (saved.version !== SNAPSHOT_VERSION) throw new Error(`cannot resume a game saved in format ${saved.version} (this version reads ${SNAPSHOT_VERSION})`);
    return new Simulation({ scenario: saved.scenario, seed: saved.seed, difficulty: saved.difficulty }, saved);
  }

  /** Game time now, ms. */
  get now(): number {
    return this.tick * TICK_MS;
  }

  get durationTicks(): number {
    return (this.scenario.durationSec * 1000) / TICK_MS;
  }

  isOver(): boolean {
    return this.tick >= this.durationTicks;
  }

  // ---- credentials -------------------------------------------------------------------------

  /** A bearer token for a component ("scheduler", "kubelet:node-1", "admin", …), as the room hands to the player in that seat. */
  tokenFor(who: string): string {
    return this.credentials.tokenFor(who);
  }

  /** The room's own components and the bots act as their identity, through the same API layer. */
  private callAs(who: string, request: SeatRequest, actor = ""): ApiResult {
    return this.act(this.credentials.identity(who), request, actor);
  }

  /** A request as `who`: a setup step is done on the machine (world/nodeSetup.ts), anything else by the API server. */
  private act(who: Identity, request: unknown, actor: string): ApiResult {
    if (!isSetupRequest(request)) return this.api.handleAs(who, request, actor);
    const register = (r: RequestOf<"registerNode">) => this.callAs(`node-agent:${r.node}`, r, actor);
    return setUpMachine({ world: this.world, now: this.now, register, log: this.setupLog, actor }, who, request);
  }

  // ---- seats and bots ----------------------------------------------------------------------

  /** Every seat of the cluster as it is now: one scheduler, one controller manager, two per worker. */
  seats(): string[] {
    return clusterSeats(this.world);
  }

  /** Every seat has its bot (a worker joining brings two seats). */
  private ensureBots(): void {
    for (const seat of this.seats()) this.crew.ensure(seat);
  }

  /** Hands a seat to its bot (on) or takes it away for a human (off). */
  setBot(seat: string, on: boolean): ApiResult {
    if (!this.seats().includes(seat)) return badRequest(`no seat called ${seat}; seats are ${this.seats().join(", ")}`);
    this.log.add({ tick: this.tick, kind: "bot", seat, on });
    this.crew.set(seat, on);
    return { ok: true, code: 200, message: `${seat} is now played by ${on ? "its bot" : "a human"}` };
  }

  isBot(seat: string): boolean {
    return this.crew.isOn(seat);
  }

  // ---- input from outside ------------------------------------------------------------------

  /**
   * A request from a player's client, by bearer token. Logged so the game can be replayed — but
   * only as parsed (bounded, unknown fields dropped), and only when its token is valid and its
   * role may make it at all: anything else is refused without changing the game, so a replay
   * does not need it.
   */
  request(token: string, raw: unknown, actor = ""): ApiResult {
    const who = this.auth.authenticate(token);
    if (!who) return this.api.handle(token, raw, actor);
    const parsed = (isSetupRequest(raw) ? NodeSetupRequestSchema : ApiRequestSchema).safeParse(raw);
    if (!parsed.success) return this.act(who, raw, actor);
    const r = parsed.data;
    if (isSetupRequest(r) ? who.role === "kubelet" : isPermitted(who.role, r.type))
      this.log.add({ tick: this.tick, kind: "request", who, request: r, actor: clip(actor, MAX_AUDIT_ACTOR) });
    return this.act(who, r, actor);
  }

  /**
   * A request replayed from an input log: it was parsed and permitted when it was logged, so it is
   * neither parsed nor logged again (replays that only want the game's result save both).
   */
  replayRequest(who: Identity, request: SeatRequest, actor: string): ApiResult {
    return this.act(who, request, actor);
  }

  /** Injects a failure (chaos panel); validated, logged and marked on the timeline. */
  inject(raw: unknown, label?: string): ApiResult {
    const failure = parseInjection(raw, label, this.injected);
    if ("ok" in failure) return failure;
    this.injected++;
    this.log.add({ tick: this.tick, kind: "failure", failure, label });
    return this.applyFailure(failure, label);
  }

  /** Everything that came from outside, in order (complete unless inputsDropped > 0). */
  get inputLog(): readonly InputRecord[] {
    return this.log.records;
  }

  /** Inputs not recorded because the input log was full. */
  get inputsDropped(): number {
    return this.log.dropped;
  }

  private applyFailure(f: Failure, label?: string): ApiResult {
    this.injections++;
    // What the failure breaks is read before it strikes (a node's pods vanish with its power).
    const scope = scopeOf(f, this.state, this.now, (node) => this.world.machine(node)?.role === "control-plane");
    const env = this.failureEnv();
    env.targeted = (pod) => {
      scope.pod ??= pod;
    };
    const result = applyFailure(env, f);
    if (result.ok) {
      const text = label ?? describeFailure(f);
      this.score.failure(text, this.now, scope);
      this.callAs("admin", { type: "createEvent", involvedKind: "Cluster", involvedName: "chaos", reason: "Failure", message: text, warning: true });
    }
    return result;
  }

  private failureEnv(): FailureEnv {
    return {
      state: this.state,
      world: this.world,
      traffic: this.traffic,
      now: this.now,
      rng: streamFor(this.seed, this.tick, `chaos:${this.injections}`),
      agentEnv: this.agentEnv(),
      admin: (r) => this.callAs("admin", r),
      callAs: (who, r, actor) => (who === undefined ? this.api.handle("", r, actor) : this.callAs(who, r, actor)),
      schedule: (t) => this.timers.push(t),
      cancel: (match) => void this.timers.splice(0, this.timers.length, ...this.timers.filter((t) => !match(t))),
    };
  }

  // ---- the tick ----------------------------------------------------------------------------

  /** Advances the game by one tick of game time. */
  step(): TickReport {
    this.tick++;
    const now = this.now;
    this.runScript();
    this.world.electLeaders(now);
    finishInstalls(this.world, now);
    runNodeAgents(this.agentEnv());
    this.runControllers();
    this.runBots();
    const { state, world, tick, seed } = this;
    const finished = this.traffic.tick({ state, world, now, tick, seed, curves: serviceCurves(this.curves, state) });
    this.score.recordTraffic(finished, now);
    this.scoreTick();
    return { tick: this.tick, now, finished };
  }

  /** Plays the game to its end (or `ticks` more ticks). */
  run(ticks = this.durationTicks - this.tick): void {
    for (let i = 0; i < ticks; i++) this.step();
  }

  private runScript(): void {
    const events = this.script;
    while (this.nextScriptEvent < events.length && events[this.nextScriptEvent].atSec * 1000 <= this.now) {
      const e = events[this.nextScriptEvent++];
      this.applyFailure(e.failure, e.label);
    }
    if (this.timers.length === 0) return;
    const due = this.timers.filter((t) => t.at <= this.now);
    if (due.length === 0) return;
    this.timers = this.timers.filter((t) => t.at > this.now);
    const env = this.failureEnv();
    for (const t of due) applyTimer(env, t);
  }

  private agentEnv(): NodeAgentEnv {
    return {
      state: this.state,
      world: this.world,
      now: this.now,
      call: (node, r) => this.callAs(`node-agent:${node}`, r),
      onOomKill: (node) => this.score.oomKill(node),
    };
  }

  private runControllers(): void {
    runSystemControllers({ state: this.state, world: this.world, now: this.now, call: (r, controller) => this.callAs(`system:${controller}`, r) });
  }

  private runBots(): void {
    this.ensureBots();
    this.crew.run(
      (seat) => this.botCanAct(seat),
      (seat) => {
        let actor = this.botActors.get(seat);
        if (actor === undefined) this.botActors.set(seat, (actor = botActor(this.credentials.identity(seat).user)));
        return { state: this.state, world: this.world, now: this.now, call: (r) => this.callAs(seat, r, actor) };
      },
    );
  }

  /** A bot whose process is down, like a human there, cannot act; it does not knock in vain. */
  botCanAct(seat: string): boolean {
    return seatCanAct(this.world, seat);
  }

  private scoreTick(): void {
    const f = tickFigures(this.state, (pod, node) => this.isServing(pod, node));
    this.score.recordDeficits(f.deficits, this.now);
    this.score.endTick(this.now, f.pending, f.serving, f.whole, this.now % 1000 === 0 ? clusterFacts(this, f.short) : undefined);
  }

  /** Whether a pod's container is really up on a powered machine (not what the API believes). */
  isServing(pod: string, node: string): boolean {
    const m = node ? this.world.machine(node) : undefined;
    const c = m?.powered ? m.containers.get(pod) : undefined;
    return c !== undefined && c.state === "running" && c.stopAt === 0;
  }

  /** Takes the writes made since the last call: what the store must persist. */
  drainChanges(): Change[] {
    return this.state.drainChanges();
  }

  outcome(): GameOutcome {
    return evaluateOutcome(this);
  }
}
