/**
 * Property tests: random scenarios (every one but large-cluster, sometimes with smaller workers to
 * put nodes under pressure), seeds and difficulties, played with random API requests from random
 * callers (valid-looking ones aimed at existing and unknown objects, and junk), random failures,
 * "walks" of requests aimed at one pod over time, and seats handed between bots and humans, all
 * interleaved with the ticks. The cluster's invariants are checked after every tick and input.
 *
 * A failure prints fast-check's shrunk counterexample (the whole plan of the game: scenario,
 * seed, difficulty, ticks and the inputs with the thousandth of the game they come at) and the
 * seed and path to replay it: FC_SEED=<seed> FC_PATH=<path> npm test -- test/sim/properties.test.ts
 * FC_RUNS=<runs> widens every property (and lifts the time limit) for a longer hunt.
 */
import { expect } from "chai";
import fc from "fast-check";
import { admittedRequests } from "../../shared/sim/api/context.ts";
import type { RequestType } from "../../shared/sim/api/requests.ts";
import type { ApiResult } from "../../shared/sim/api/status.ts";
import { DIFFICULTIES, type Difficulty } from "../../shared/sim/bots/Bot.ts";
import type { FailureType } from "../../shared/sim/failures/failures.ts";
import { objectKey } from "../../shared/sim/objects/keys.ts";
import { holdsNodeResources, isActivePod, type PodObject } from "../../shared/sim/objects/types.ts";
import { getScenario, scenarioIds } from "../../shared/sim/scenarios/index.ts";
import { replay, Simulation, type SimulationOptions, type TickReport } from "../../shared/sim/Simulation.ts";

// ---- the plan of a game ----------------------------------------------------------------------

/** Every scenario but the large one (too slow to play dozens of times). */
const SCENARIOS = scenarioIds().filter((id) => id !== "large-cluster");

/**
 * Who sends a request: a fixed component, "rightful" (the component that makes this request in a
 * real cluster, for the node it concerns, so that many requests are accepted) or "forged" (an
 * unknown bearer token).
 */
const FIXED_CALLERS = [
  "scheduler",
  "controller-manager",
  "kubelet:node-1",
  "kubelet:node-2",
  "kube-proxy:node-2",
  "node-agent:node-1",
  "node-agent:node-2",
  "system",
  "admin",
  "forged",
] as const;
type Caller = (typeof FIXED_CALLERS)[number] | "rightful";

/** Pods in one state of their lifecycle, to aim requests at pods they can apply to. */
const POD_STATES = ["any", "pending", "scheduled", "started", "finished", "terminating"] as const;
type PodState = (typeof POD_STATES)[number];

/**
 * An object of the game picked when the input is sent: the i-th pod (in the given state, when
 * there is one), node, deployment or service that exists then.
 */
interface Pick {
  $pick: number;
  among?: PodState;
}
/** A name field: an existing object picked at send time, or a literal (often unknown, sometimes invalid) name. */
type Ref = Pick | string;
/** A game time relative to the moment the input is sent, ms. */
interface Now {
  $now: number;
}

/** A request or failure with Refs in its name fields; resolved against the game when sent. */
type Spec = { type: string } & Record<string, unknown>;

type Act =
  | { kind: "request"; who: Caller; req: Spec }
  | { kind: "junk"; who: Caller; raw: unknown }
  | { kind: "failure"; failure: Spec }
  | { kind: "junkFailure"; raw: unknown }
  | { kind: "bot"; seat: number; on: boolean };

/**
 * A walk: requests aimed at one pod (chosen when the walk starts, written {$focus} in the
 * requests), each some ticks after the one before — e.g. a node agent reporting a pod's
 * statuses in an order of its own.
 */
interface Walk {
  focus: Pick;
  steps: { delay: number; who: Caller; req: Spec }[];
}

/** Inputs sent before a tick: `at` in thousandths of the game (0 = before the first tick, 1000 = after the last). */
type Input = { at: number; batch: Act[] } | { at: number; walk: Walk };

interface Plan {
  scenario: string;
  /** Workers' CPU and memory as a share of the scenario's (1: as written), to put nodes under pressure. */
  workerShare: number;
  seed: number;
  difficulty: Difficulty;
  botsOff: string[];
  ticks: number;
  inputs: Input[];
}

/** fc.record without null-prototype objects (junk aside, they only make counterexamples harder to read). */
function record<T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> {
  return fc.record(model, { noNullPrototype: true }) as fc.Arbitrary<T>;
}

const validName = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?$/);
const invalidName = fc.constantFrom("", "Node-1", "node_1", "a".repeat(64), "-web", "web-", "pod/1");

/** Small indices often, so that several inputs of a game aim at the same object. */
const index = fc.oneof(fc.nat(2), fc.nat(1000));

function ref(unknown: readonly string[], pick: fc.Arbitrary<Pick> = index.map((i) => ({ $pick: i }))): fc.Arbitrary<Ref> {
  return fc.oneof(
    { weight: 8, arbitrary: pick },
    { weight: 2, arbitrary: fc.constantFrom(...unknown) },
    { weight: 1, arbitrary: validName },
    { weight: 1, arbitrary: invalidName },
  );
}

const podRef = ref(["web-zzzzz", "ghost", "web", "api-bcdfg"], record({ $pick: index, among: fc.constantFrom(...POD_STATES) }));
const nodeRef = ref(["node-9", "cp-9", "nope", "node-0"]);
const deploymentRef = ref(["ghost", "db", "web-x"]);
const serviceRef = ref(["ghost", "db"]);
const optional = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const smallOrLarge = (small: number, large: number) => fc.oneof(fc.integer({ min: 1, max: small }), fc.integer({ min: 1, max: large }));

/** A time field: mostly "now" (or near it) when sent, as the node agent reports it; sometimes any number. */
const time = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -3000, max: 3000 }).map((d): Now => ({ $now: d })) },
  { weight: 1, arbitrary: fc.integer({ min: -1, max: 60_000 }) },
);

/** Status patches like the node agent's own reports, and any mix of fields. */
const podStatus = fc.oneof(
  record({ phase: fc.constantFrom("ContainerCreating", "Running"), ready: fc.constant(false), message: fc.constantFrom("Pulling image", "Container starting") }),
  record({ phase: fc.constant("Running"), ready: fc.constant(true), reason: fc.constant(""), message: fc.constant(""), startedAt: time, readyAt: time }),
  record({ ready: fc.constant(false), reason: fc.constantFrom("Error", "OOMKilled", "CrashLoopBackOff"), restartAfter: time }),
  record({ phase: fc.constantFrom("Failed", "Succeeded"), ready: fc.constant(false), reason: fc.constantFrom("", "Error", "Evicted"), finishedAt: time }),
  fc.record(
    {
      phase: fc.constantFrom("ContainerCreating", "Running", "Failed", "Succeeded"),
      ready: fc.boolean(),
      reason: fc.constantFrom("", "Error", "OOMKilled", "CrashLoopBackOff", "Evicted", "Killing"),
      message: fc.constantFrom("", "hello", "Container starting"),
      podIP: fc.constantFrom("", "10.244.1.99"),
      startedAt: time,
      readyAt: time,
      finishedAt: time,
      restartAfter: fc.oneof(fc.constant(0), time),
      restartCount: fc.nat(5),
    },
    { requiredKeys: [], noNullPrototype: true },
  ),
);

/** Requests shaped like the zod schemas of api/requests.ts, one branch per group of types. */
const requestSpec: fc.Arbitrary<Spec> = fc.oneof(
  record({ type: fc.constant("bind"), pod: podRef, node: nodeRef }),
  record({ type: fc.constantFrom("admit", "restart", "evict", "deletePod", "confirmPodDeletion", "gcPod"), pod: podRef }),
  record({ type: fc.constant("reject"), pod: podRef, reason: fc.constantFrom("OutOfcpu", "OutOfmemory") }),
  record({ type: fc.constant("createPod"), deployment: deploymentRef }),
  record({ type: fc.constantFrom("markNodeNotReady", "evictNodePods", "cordon", "uncordon", "deleteNode", "renewLease"), node: nodeRef }),
  record({ type: fc.constant("syncRules"), node: nodeRef, service: serviceRef, mode: fc.constantFrom("local-first", "spread") }),
  record({ type: fc.constant("scale"), deployment: deploymentRef, replicas: fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 100 })) }),
  record({ type: fc.constant("registerNode"), node: nodeRef, capacity: record({ cpu: smallOrLarge(600, 16_000), memory: smallOrLarge(600, 32_768) }) }),
  record({ type: fc.constant("reportNodeStatus"), node: nodeRef, ready: fc.constantFrom("True", "False"), reason: fc.constantFrom("KubeletReady", "ContainerRuntimeDown", "") }),
  record({ type: fc.constant("reportPodStatus"), pod: podRef, status: podStatus }),
  record({
    type: fc.constant("updateEndpoints"),
    service: serviceRef,
    addresses: fc.array(record({ pod: podRef, node: nodeRef, ip: fc.constantFrom("10.244.1.2", "", "1.2.3.4") }), { maxLength: 4 }),
  }),
  record({ type: fc.constant("updateDeploymentStatus"), deployment: deploymentRef, replicas: fc.nat(12), readyReplicas: fc.nat(12) }),
  record({
    type: fc.constant("createEvent"),
    involvedKind: fc.constantFrom("Cluster", "Pod", "Node", ""),
    involvedName: fc.oneof(podRef, fc.constantFrom("chaos", "")),
    reason: fc.constantFrom("Failure", "Note", ""),
    message: fc.constantFrom("something happened", "", "x".repeat(301)),
    warning: fc.boolean(),
  }),
);

/** Every request type, so the generator above can be checked to cover them all. */
const REQUEST_TYPES: Record<RequestType, true> = {
  bind: true, admit: true, reject: true, restart: true, evict: true, createPod: true, deletePod: true,
  markNodeNotReady: true, evictNodePods: true, syncRules: true, scale: true, cordon: true, uncordon: true,
  deleteNode: true, registerNode: true, renewLease: true, reportNodeStatus: true, reportPodStatus: true,
  confirmPodDeletion: true, updateEndpoints: true, gcPod: true, updateDeploymentStatus: true, createEvent: true,
};

const FAILURE_TYPES: Record<FailureType, true> = {
  killPod: true, crashContainer: true, oomPod: true, crashNode: true, restoreNode: true, stopProcess: true,
  startProcess: true, trafficSpike: true, slowImagePulls: true, memoryLeak: true, joinWorker: true,
  addControlPlane: true, removeControlPlane: true, scaleDeployment: true,
};

const processName = fc.constantFrom("container-runtime", "kubelet", "kube-proxy", "api-server", "scheduler", "controller-manager", "etcd");
const duration = fc.integer({ min: 1, max: 30 });
const spikeFactor = fc.oneof({ weight: 7, arbitrary: fc.integer({ min: 1, max: 5 }) }, { weight: 1, arbitrary: fc.constant(20) });

/** Failures shaped like failures/failures.ts FailureSchema, aimed at real or unknown targets. */
const failureSpec: fc.Arbitrary<Spec> = fc.oneof(
  record({ type: fc.constantFrom("killPod", "crashContainer", "oomPod"), pod: optional(podRef), deployment: optional(deploymentRef) }),
  record({ type: fc.constant("crashNode"), node: nodeRef, durationSec: optional(duration) }),
  record({ type: fc.constant("restoreNode"), node: nodeRef }),
  record({ type: fc.constant("stopProcess"), node: nodeRef, process: processName, durationSec: optional(duration) }),
  record({ type: fc.constant("startProcess"), node: nodeRef, process: processName }),
  // Spikes multiply: mostly small factors, so that stacked spikes stay within what a test can play quickly.
  record({ type: fc.constant("trafficSpike"), service: serviceRef, factor: spikeFactor, durationSec: duration }),
  record({ type: fc.constant("slowImagePulls"), node: optional(nodeRef), factor: fc.integer({ min: 1, max: 50 }), durationSec: duration }),
  record({ type: fc.constant("memoryLeak"), deployment: deploymentRef, mibPerSec: fc.integer({ min: 0, max: 200 }) }),
  record({
    type: fc.constant("joinWorker"),
    node: optional(fc.constantFrom("node-4", "node-5", "node-1")),
    cpu: optional(fc.integer({ min: 500, max: 8000 })),
    memory: optional(fc.integer({ min: 512, max: 16_384 })),
  }),
  record({ type: fc.constant("addControlPlane"), node: optional(fc.constantFrom("cp-3", "cp-4", "cp-1")) }),
  record({ type: fc.constant("removeControlPlane"), node: nodeRef }),
  record({ type: fc.constant("scaleDeployment"), deployment: deploymentRef, replicas: fc.integer({ min: 0, max: 12 }) }),
);

const hugeString = fc.integer({ min: 64, max: 200_000 }).map((n) => "x".repeat(n));
/** Names that exist on every object's prototype: `type in HANDLERS` is true for them. */
const PROTOTYPE_KEYS = ["toString", "constructor", "__proto__", "valueOf", "hasOwnProperty", "isPrototypeOf"];
const anyValue = fc.anything({ maxDepth: 2, withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withSparseArray: true, withBoxedValues: true });
const junkField = fc.oneof(anyValue, hugeString, validName, fc.constant({ $pick: 0 }), fc.constant(Object.create(null) as object), fc.constant([Object.create(null)]));

/** More endpoint addresses than the schema allows (printed short in counterexamples). */
function tooManyAddresses(): unknown[] {
  const list = Array.from({ length: 1500 }, () => ({ pod: "web-x", node: "node-1", ip: "" }));
  return Object.assign(list, { [fc.toStringMethod]: () => "[...1500 addresses]" });
}

/** Anything at all where a request should be: non-objects, arrays, wrong types, unknown types, huge strings. */
const junkRequest: fc.Arbitrary<unknown> = fc.oneof(
  anyValue,
  fc.constantFrom(null, undefined, 0, -1, Number.NaN, Infinity, "", "bind", true, [], {}, [{ type: "bind" }]),
  fc.array(anyValue, { maxLength: 4 }),
  {
    weight: 3,
    arbitrary: fc.record(
      {
        type: fc.oneof(
          { weight: 2, arbitrary: fc.constantFrom(...Object.keys(REQUEST_TYPES)) },
          { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS, "", "BIND", " bind") },
          { weight: 1, arbitrary: anyValue },
        ),
        pod: junkField,
        node: junkField,
        deployment: junkField,
        service: junkField,
        replicas: junkField,
        status: junkField,
        addresses: junkField,
      },
      { requiredKeys: ["type"] },
    ),
  },
  fc.record({
    type: fc.constantFrom(...Object.keys(REQUEST_TYPES)),
    pod: hugeString,
    node: hugeString,
    deployment: hugeString,
    service: hugeString,
    reason: hugeString,
    status: fc.record({ message: hugeString }),
    addresses: fc.constant(tooManyAddresses()),
  }),
);

const junkFailure: fc.Arbitrary<unknown> = fc.oneof(
  anyValue,
  fc.record(
    { type: fc.constantFrom(...Object.keys(FAILURE_TYPES), ...PROTOTYPE_KEYS, "meteor"), node: junkField, pod: junkField, deployment: junkField, durationSec: junkField, factor: junkField },
    { requiredKeys: ["type"] },
  ),
);

const caller: fc.Arbitrary<Caller> = fc.oneof({ weight: 3, arbitrary: fc.constant("rightful" as const) }, { weight: 2, arbitrary: fc.constantFrom(...FIXED_CALLERS) });
/** Junk comes as often with a forged token as with a real one: both paths must answer it. */
const junkCaller: fc.Arbitrary<Caller> = fc.oneof(fc.constant("forged" as const), fc.constant("rightful" as const), fc.constantFrom(...FIXED_CALLERS));

const FOCUS = { $focus: 1 };
/** Requests about the walk's pod: mostly status reports, and every other request that names a pod. */
const podRequest: fc.Arbitrary<Spec> = fc.oneof(
  { weight: 4, arbitrary: record({ type: fc.constant("reportPodStatus"), pod: fc.constant(FOCUS), status: podStatus }) },
  { weight: 2, arbitrary: record({ type: fc.constantFrom("admit", "restart", "evict", "deletePod", "confirmPodDeletion", "gcPod"), pod: fc.constant(FOCUS) }) },
  { weight: 1, arbitrary: record({ type: fc.constant("reject"), pod: fc.constant(FOCUS), reason: fc.constantFrom("OutOfcpu", "OutOfmemory") }) },
  { weight: 1, arbitrary: record({ type: fc.constant("bind"), pod: fc.constant(FOCUS), node: nodeRef }) },
);

const walkArb: fc.Arbitrary<Walk> = record({
  focus: record({ $pick: index, among: fc.constantFrom(...POD_STATES) }),
  steps: fc.array(
    record({
      delay: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 60 })),
      who: fc.oneof({ weight: 4, arbitrary: fc.constant("rightful" as const) }, { weight: 1, arbitrary: fc.constantFrom(...FIXED_CALLERS) }),
      req: podRequest,
    }),
    { minLength: 2, maxLength: 6 },
  ),
});

function actArb(shape: PlanShape): fc.Arbitrary<Act> {
  const acts: fc.WeightedArbitrary<Act>[] = [
    { weight: 6, arbitrary: record({ kind: fc.constant("request" as const), who: caller, req: requestSpec }) },
    { weight: 2, arbitrary: record({ kind: fc.constant("failure" as const), failure: failureSpec }) },
    { weight: 1, arbitrary: record({ kind: fc.constant("bot" as const), seat: fc.nat(20), on: fc.boolean() }) },
  ];
  if (shape.junkRequests) acts.push({ weight: 4, arbitrary: record({ kind: fc.constant("junk" as const), who: junkCaller, raw: junkRequest }) });
  if (shape.junkFailures) acts.push({ weight: 1, arbitrary: record({ kind: fc.constant("junkFailure" as const), raw: junkFailure }) });
  return fc.oneof(...acts);
}

interface PlanShape {
  minTicks: number;
  maxTicks: number;
  minInputs?: number;
  maxInputs: number;
  /** Also send junk where requests go. */
  junkRequests?: boolean;
  /** Also inject junk where failures go. */
  junkFailures?: boolean;
}

function planArb(shape: PlanShape): fc.Arbitrary<Plan> {
  return record({
    scenario: fc.constantFrom(...SCENARIOS),
    workerShare: fc.oneof(fc.constant(1), fc.integer({ min: 15, max: 60 }).map((pct) => pct / 100)),
    seed: fc.integer({ min: 0, max: 0xffff_ffff }),
    difficulty: fc.constantFrom(...DIFFICULTIES),
    botsOff: fc.oneof(
      { weight: 4, arbitrary: fc.constant([] as string[]) },
      { weight: 1, arbitrary: fc.subarray(["scheduler", "controller-manager", "kubelet", "kube-proxy", "kubelet:node-1", "kube-proxy:node-1"], { minLength: 1 }) },
    ),
    ticks: fc.integer({ min: shape.minTicks, max: shape.maxTicks }),
    inputs: fc.array(
      fc.oneof(
        { weight: 4, arbitrary: record({ at: fc.integer({ min: 0, max: 1000 }), batch: fc.array(actArb(shape), { minLength: 1, maxLength: 3 }) }) },
        { weight: 1, arbitrary: record({ at: fc.integer({ min: 0, max: 1000 }), walk: walkArb }) },
      ),
      // size "max": as many inputs as maxInputs allows, not fast-check's small default.
      { minLength: shape.minInputs ?? 0, maxLength: shape.maxInputs, size: "max" },
    ),
  });
}

// ---- playing a plan --------------------------------------------------------------------------

interface Hooks {
  /** After the game is built, before any input or tick. */
  start?(sim: Simulation): void;
  /** Around each request: call send() to deliver it. */
  request?(sim: Simulation, send: () => ApiResult, what: string): void;
  /** Around each failure injection: call send() to inject it. */
  failure?(sim: Simulation, send: () => ApiResult, what: string): void;
  /** After each input of any kind. */
  input?(sim: Simulation, what: string): void;
  /** After each tick. */
  tick?(sim: Simulation, report: TickReport): void;
}

function optionsOf(plan: Plan): SimulationOptions {
  const scenario = getScenario(plan.scenario)!;
  const w = scenario.cluster.workers;
  const workers = { ...w, cpu: Math.round(w.cpu * plan.workerShare), memory: Math.round(w.memory * plan.workerShare) };
  return {
    scenario: plan.workerShare === 1 ? plan.scenario : { ...scenario, cluster: { ...scenario.cluster, workers } },
    seed: plan.seed,
    difficulty: plan.difficulty,
    botsOff: plan.botsOff,
  };
}

/** A value in an assertion message: short, and printable whatever it is. */
function show(x: unknown, max = 300): string {
  const s = fc.stringify(x);
  return s.length > max ? `${s.slice(0, max)}… (${s.length} chars)` : s;
}

function isPick(x: unknown): x is Pick {
  return typeof x === "object" && x !== null && typeof (x as Pick).$pick === "number";
}

function isNow(x: unknown): x is Now {
  return typeof x === "object" && x !== null && typeof (x as Now).$now === "number";
}

function inState(p: PodObject, state: PodState): boolean {
  const phase = p.status.phase;
  switch (state) {
    case "any": return true;
    case "pending": return phase === "Pending";
    case "scheduled": return phase === "Scheduled";
    case "started": return phase === "ContainerCreating" || phase === "Running";
    case "finished": return phase === "Failed" || phase === "Succeeded";
    case "terminating": return p.metadata.deletionTimestamp !== undefined;
  }
}

/** The names a Pick in a field of this name chooses among, as the game stands now. */
function namesFor(sim: Simulation, field: string, among: PodState = "any"): string[] {
  switch (field) {
    case "pod":
    case "involvedName": {
      if (among !== "any") {
        const names = [...sim.state.pods.values()].filter((p) => inState(p, among)).map((p) => p.metadata.name);
        if (names.length) return names;
      }
      // Pods in the API and pods whose containers linger on a machine after their object is gone.
      const names = new Set(sim.state.pods.keys());
      for (const m of sim.world.machines.values()) for (const p of m.containers.keys()) names.add(p);
      return [...names];
    }
    // Workers first: the small indices most picks use aim at the nodes that run pods.
    case "node": return [...new Set([...sim.world.workers().map((m) => m.name), ...sim.world.machines.keys(), ...sim.state.nodes.keys()])];
    case "deployment": return [...sim.state.deployments.keys()];
    case "service": return [...sim.state.services.keys()];
    default: return [];
  }
}

/** A walk's pod: picked when its first request is sent. */
interface Focus {
  pick: Pick;
  name?: string;
}

/**
 * Replaces every Pick by a name that exists now (or a fallback when there is none), every {$now}
 * by a game time, every {$focus} by the walk's pod, and drops absent options.
 */
function resolve(sim: Simulation, value: unknown, field = "", focus?: Focus): unknown {
  if (typeof value === "object" && value !== null && "$focus" in value && focus) {
    focus.name ??= resolve(sim, focus.pick, "pod") as string;
    return focus.name;
  }
  if (isPick(value)) {
    const names = namesFor(sim, field, value.among);
    return names.length ? names[value.$pick % names.length] : `no-${field || "object"}`;
  }
  if (isNow(value)) return sim.now + value.$now;
  if (Array.isArray(value)) return value.map((v) => resolve(sim, v, field, focus));
  if (typeof value === "object" && value !== null && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = resolve(sim, v, k, focus);
    return out;
  }
  return value;
}

/** The component that makes this request in a real cluster, for the node the request concerns. */
function rightfulCaller(sim: Simulation, r: Record<string, unknown>): string {
  const podNode = () => (typeof r.pod === "string" && sim.state.pods.get(r.pod)?.spec.nodeName) || "node-1";
  const node = typeof r.node === "string" && r.node !== "" ? r.node : "node-1";
  switch (r.type as RequestType) {
    case "bind": return "scheduler";
    case "admit":
    case "reject":
    case "restart":
    case "evict": return `kubelet:${podNode()}`;
    case "createPod":
    case "markNodeNotReady":
    case "evictNodePods": return "controller-manager";
    case "deletePod": return sim.tick % 2 === 0 ? "admin" : "controller-manager";
    case "syncRules": return `kube-proxy:${node}`;
    case "scale":
    case "cordon":
    case "uncordon":
    case "deleteNode":
    case "createEvent": return "admin";
    case "registerNode":
    case "renewLease":
    case "reportNodeStatus": return `node-agent:${node}`;
    case "reportPodStatus":
    case "confirmPodDeletion": return `node-agent:${podNode()}`;
    case "updateEndpoints":
    case "gcPod":
    case "updateDeploymentStatus": return "system";
    default: return "admin";
  }
}

function tokenOf(sim: Simulation, who: string): string {
  return who === "forged" ? "forged.0000" : sim.tokenFor(who);
}

function perform(sim: Simulation, act: Act, hooks: Hooks, focus?: Focus): void {
  let what: string;
  switch (act.kind) {
    case "request":
    case "junk": {
      const raw = act.kind === "request" ? (resolve(sim, act.req, "", focus) as Record<string, unknown>) : act.raw;
      const who = act.who === "rightful" ? rightfulCaller(sim, (raw ?? {}) as Record<string, unknown>) : act.who;
      const token = tokenOf(sim, who);
      what = `t=${sim.tick}: ${who} sends ${show(raw)}`;
      const send = () => sim.request(token, raw, "property-test");
      if (hooks.request) hooks.request(sim, send, what);
      else send();
      break;
    }
    case "failure":
    case "junkFailure": {
      const raw = act.kind === "failure" ? resolve(sim, act.failure) : act.raw;
      what = `t=${sim.tick}: inject ${show(raw)}`;
      const send = () => sim.inject(raw);
      if (hooks.failure) hooks.failure(sim, send, what);
      else send();
      break;
    }
    case "bot": {
      const seats = sim.seats();
      const seat = seats[act.seat % seats.length];
      what = `t=${sim.tick}: ${seat} to ${act.on ? "its bot" : "a human"}`;
      sim.setBot(seat, act.on);
      break;
    }
  }
  hooks.input?.(sim, what);
}

/** A plan's inputs in the order they are sent, each with the tick it is sent before. */
function timeline(plan: Plan): { tick: number; acts: Act[]; focus?: Focus }[] {
  const out: { tick: number; acts: Act[]; focus?: Focus }[] = [];
  for (const input of plan.inputs) {
    let tick = Math.floor((input.at * plan.ticks) / 1000);
    if ("batch" in input) {
      out.push({ tick, acts: input.batch });
      continue;
    }
    const focus: Focus = { pick: input.walk.focus };
    for (const step of input.walk.steps) {
      tick = Math.min(tick + step.delay, plan.ticks);
      out.push({ tick, acts: [{ kind: "request", who: step.who, req: step.req }], focus });
    }
  }
  // A stable sort: inputs due at the same tick go in the plan's order.
  return out.sort((a, b) => a.tick - b.tick);
}

/** Plays a plan: its inputs before the ticks they are due, the hooks after each. */
function play(plan: Plan, hooks: Hooks = {}): Simulation {
  const sim = new Simulation(optionsOf(plan));
  hooks.start?.(sim);
  const due = timeline(plan);
  let next = 0;
  const sendDue = () => {
    while (next < due.length && due[next].tick <= sim.tick) {
      const { acts, focus } = due[next++];
      for (const act of acts) perform(sim, act, hooks, focus);
    }
  };
  for (let t = 0; t < plan.ticks; t++) {
    sendDue();
    const report = sim.step();
    hooks.tick?.(sim, report);
  }
  sendDue();
  return sim;
}

/** Where a check failed, for the assertion message. */
const at = (sim: Simulation, what: string) => `[${sim.scenario.id} seed ${sim.seed} ${sim.difficulty}, tick ${sim.tick}, after ${what}]`;

// ---- fast-check settings ---------------------------------------------------------------------

function params<Ts extends unknown[] = [Plan]>(numRuns: number): fc.Parameters<Ts> {
  const runs = Number(process.env.FC_RUNS);
  const seed = Number(process.env.FC_SEED);
  return {
    numRuns: runs > 0 ? runs : numRuns,
    ...(Number.isFinite(seed) && process.env.FC_SEED ? { seed } : {}),
    ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}),
    // A safety net for slow machines: stop (and report what was found so far) rather than hang.
    plugins: [fc.interruptAfterTimeLimit(runs > 0 ? 3_600_000 : 40_000)],
  };
}

// ---- invariants ------------------------------------------------------------------------------

/** Fails with the message, built only on failure: the checks run after every tick and input. */
function ensure(ok: boolean, message: () => string): void {
  if (!ok) expect.fail(message());
}

/** A pod's container is on one machine at most, and an active pod's container only on its node. */
function checkContainers(sim: Simulation, what: string): void {
  const where = new Map<string, string>();
  for (const m of sim.world.machines.values()) {
    for (const [key, c] of m.containers) {
      ensure(c.pod === key, () => `${at(sim, what)} container keyed ${key} on ${m.name} runs pod ${c.pod}`);
      // A container being stopped (deleted or moved pod) may linger for its grace period.
      if (c.stopAt > 0) continue;
      const other = where.get(c.pod);
      ensure(other === undefined, () => `${at(sim, what)} pod ${c.pod} has a live container on ${other} and on ${m.name}`);
      where.set(c.pod, m.name);
      const pod = sim.state.pods.get(c.pod);
      if (pod && isActivePod(pod)) {
        ensure(pod.spec.nodeName === m.name, () => `${at(sim, what)} active pod ${c.pod} is bound to "${pod.spec.nodeName}" but its container runs on ${m.name}`);
      }
    }
  }
}

/** The requests of pods holding a node's resources fit in its allocatable; free resources are never negative. */
function checkResources(sim: Simulation, what: string): void {
  const held = new Map<string, { cpu: number; memory: number }>();
  for (const p of sim.state.pods.values()) {
    if (!p.spec.nodeName || !holdsNodeResources(p)) continue;
    let h = held.get(p.spec.nodeName);
    if (!h) held.set(p.spec.nodeName, (h = { cpu: 0, memory: 0 }));
    h.cpu += p.spec.requests.cpu;
    h.memory += p.spec.requests.memory;
  }
  for (const node of sim.state.nodes.values()) {
    const name = node.metadata.name;
    const alloc = node.status.allocatable;
    const h = held.get(name) ?? { cpu: 0, memory: 0 };
    const where = () => {
      const pods = [...sim.state.pods.values()].filter((p) => p.spec.nodeName === name && holdsNodeResources(p));
      return `${at(sim, what)} node ${name} (allocatable ${alloc.cpu}m/${alloc.memory}Mi) holds ${pods.map((p) => `${p.metadata.name}(${p.status.phase})`).join(", ")}`;
    };
    ensure(h.cpu <= alloc.cpu, () => `${where()}: CPU requests ${h.cpu}m exceed allocatable ${alloc.cpu}m`);
    ensure(h.memory <= alloc.memory, () => `${where()}: memory requests ${h.memory}Mi exceed allocatable ${alloc.memory}Mi`);
    // The API server's own view (what admission uses) agrees and leaves no negative free resources.
    const used = admittedRequests(sim.state, name);
    ensure(used.cpu === h.cpu && used.memory === h.memory, () => `${where()}: the API server counts ${used.cpu}m/${used.memory}Mi reserved, the pods hold ${h.cpu}m/${h.memory}Mi`);
    ensure(alloc.cpu - used.cpu >= 0 && alloc.memory - used.memory >= 0, () => `${where()}: negative free resources`);
  }
}

/** The whole physical side a request could touch: machines (containers, proxy rules, …), leaders, leaks. */
function worldPrint(sim: Simulation): string {
  return JSON.stringify({
    machines: [...sim.world.machines.values()].map((m) => ({
      ...m,
      containers: [...m.containers.entries()],
      images: [...m.images],
      proxyRules: [...m.proxyRules.entries()],
    })),
    leaders: sim.world.leaders,
    leaks: [...sim.world.memoryLeaks.entries()],
  });
}

interface Fingerprint {
  revision: number;
  pending: number;
  objects: string;
  world: string;
  traffic: string;
}

function fingerprint(sim: Simulation): Fingerprint {
  return {
    revision: sim.state.revision,
    pending: sim.state.pendingChanges().length,
    objects: JSON.stringify(sim.state.allObjects()),
    world: worldPrint(sim),
    traffic: JSON.stringify(sim.traffic.snapshot()),
  };
}

function expectUnchanged(sim: Simulation, before: Fingerprint, why: string): void {
  const after = fingerprint(sim);
  expect(after.revision, `${why}: the revision moved`).to.equal(before.revision);
  expect(after.pending, `${why}: changes were queued for the store`).to.equal(before.pending);
  expect(after.objects === before.objects, `${why}: the API objects changed`).to.equal(true);
  expect(after.world === before.world, `${why}: the machines (containers, proxy rules, …) changed`).to.equal(true);
  expect(after.traffic === before.traffic, `${why}: the traffic changed`).to.equal(true);
}

const ANSWER_CODES = [200, 201, 400, 401, 403, 404, 409, 422, 429, 503];

/** An answer the room can send back: a well-formed ApiResult with a known code, never a 500. */
function expectAnswer(result: unknown, why: string): void {
  expect(result, `${why}: no answer`).to.be.an("object");
  const r = result as ApiResult;
  expect(r.code, `${why}: answered 500: ${r.message}`).to.not.equal(500);
  expect(ANSWER_CODES, `${why}: unexpected code ${r.code}`).to.include(r.code);
  expect(r.ok, `${why}: ok must be a boolean`).to.be.a("boolean");
  expect(r.ok, `${why}: ok ${r.ok} with code ${r.code}`).to.equal(r.code < 300);
  expect(r.message, `${why}: the answer needs a message`).to.be.a("string").that.is.not.empty;
}

function sendWithoutThrowing(send: () => ApiResult, why: string): ApiResult {
  let result: ApiResult | undefined;
  let error: unknown;
  try {
    result = send();
  } catch (err) {
    error = err;
  }
  expect(error, `${why}: threw ${error instanceof Error ? error.stack?.split("\n").slice(0, 3).join(" | ") : String(error)}`).to.equal(undefined);
  return result!;
}

// ---- the properties --------------------------------------------------------------------------

describe("properties (random scenarios, seeds, requests and failures)", function () {
  this.timeout(120_000);

  it("the generators cover every request and failure type", () => {
    const requestTypes = new Set<string>();
    const failureTypes = new Set<string>();
    for (const r of fc.sample(requestSpec, { numRuns: 2000, seed: 1 })) requestTypes.add(r.type);
    for (const f of fc.sample(failureSpec, { numRuns: 2000, seed: 1 })) failureTypes.add(f.type);
    expect([...requestTypes].sort()).to.deep.equal(Object.keys(REQUEST_TYPES).sort());
    expect([...failureTypes].sort()).to.deep.equal(Object.keys(FAILURE_TYPES).sort());
  });

  describe("cluster invariants", () => {
    it("never has a pod's container on two machines, nor an active pod's container off its node", () => {
      fc.assert(
        fc.property(planArb({ minTicks: 100, maxTicks: 500, maxInputs: 30 }), (plan) => {
          play(plan, {
            start: (sim) => checkContainers(sim, "start"),
            input: (sim, what) => checkContainers(sim, what),
            tick: (sim) => checkContainers(sim, "the tick"),
          });
        }),
        params(40),
      );
    });

    it("never reserves more than a node's allocatable resources for the pods that hold them", () => {
      fc.assert(
        fc.property(planArb({ minTicks: 100, maxTicks: 500, maxInputs: 30 }), (plan) => {
          play(plan, {
            start: (sim) => checkResources(sim, "start"),
            input: (sim, what) => checkResources(sim, what),
            tick: (sim) => checkResources(sim, "the tick"),
          });
        }),
        params(60),
      );
    });
  });

  describe("pod lifecycle", () => {
    it("never brings a finished (Failed or Succeeded) pod back to life", () => {
      fc.assert(
        fc.property(planArb({ minTicks: 100, maxTicks: 500, maxInputs: 30 }), (plan) => {
          const finished = new Map<string, string>();
          const check = (sim: Simulation, what: string) => {
            for (const p of sim.state.pods.values()) {
              const { phase } = p.status;
              const terminal = phase === "Failed" || phase === "Succeeded";
              const was = finished.get(p.metadata.uid);
              if (was) ensure(terminal, () => `${at(sim, what)} pod ${p.metadata.name} had ${was} but is ${phase} again (reason "${p.status.reason}")`);
              else if (terminal) finished.set(p.metadata.uid, `${phase} (${p.status.reason || "no reason"})`);
            }
          };
          play(plan, { start: (sim) => check(sim, "start"), input: check, tick: (sim) => check(sim, "the tick") });
        }),
        params(50),
      );
    });
  });

  describe("traffic", () => {
    it("ends every request in exactly one outcome: generated = served + dropped + timed out + in flight", () => {
      fc.assert(
        fc.property(planArb({ minTicks: 100, maxTicks: 500, maxInputs: 30 }), (plan) => {
          const ended = new Set<number>();
          play(plan, {
            tick: (sim, report) => {
              const where = () => at(sim, "the tick");
              const generated = sim.traffic.snapshot().nextId - 1;
              for (const f of report.finished) {
                ensure(!ended.has(f.id), () => `${where()} request ${f.id} ended twice (now ${f.outcome})`);
                ensure(f.id >= 1 && f.id <= generated, () => `${where()} request id ${f.id} was never generated (${generated} were)`);
                ensure(["served", "dropped", "timedOut"].includes(f.outcome), () => `${where()} request ${f.id} ended as ${f.outcome}`);
                ended.add(f.id);
              }
              const inFlight = sim.traffic.inFlight();
              const flying = new Set<number>();
              for (const r of inFlight) {
                ensure(!ended.has(r.id), () => `${where()} request ${r.id} ended but is still in flight`);
                ensure(!flying.has(r.id), () => `${where()} request ${r.id} is in flight twice`);
                flying.add(r.id);
              }
              ensure(inFlight.length === sim.traffic.inFlightCount, () => `${where()} inFlightCount ${sim.traffic.inFlightCount}, ${inFlight.length} in flight`);
              const t = sim.score.totals;
              ensure(t.served + t.dropped + t.timedOut === ended.size, () => `${where()} the score counts ${t.served}+${t.dropped}+${t.timedOut}, ${ended.size} ended`);
              ensure(generated === ended.size + sim.traffic.inFlightCount, () => `${where()} ${generated} generated, ${ended.size} ended, ${sim.traffic.inFlightCount} in flight`);
            },
          });
        }),
        params(40),
      );
    });

    it("lists every request in flight however many there are, even when the chaos panel stacks spikes", () => {
      // The random games keep spikes small to stay fast; this storm is the largest three clicks make:
      // three ×20 spikes on traffic-spike's 50 req/s, 400 000 req/s for the ~1.3 s a request may wait.
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), fc.constantFrom(...DIFFICULTIES), (seed, difficulty) => {
          const sim = new Simulation({ scenario: "traffic-spike", seed, difficulty });
          for (let i = 0; i < 3; i++) expect(sim.inject({ type: "trafficSpike", service: "web", factor: 20, durationSec: 30 }).ok).to.equal(true);
          for (let t = 0; t < 13; t++) {
            sim.step();
            let listed: number;
            try {
              listed = sim.traffic.inFlight().length;
            } catch (err) {
              expect.fail(`[traffic-spike seed ${seed} ${difficulty}, tick ${sim.tick}, ${sim.traffic.inFlightCount} in flight] inFlight() threw ${(err as Error).message}`);
            }
            ensure(listed === sim.traffic.inFlightCount, () => `tick ${sim.tick}: ${listed} listed, ${sim.traffic.inFlightCount} in flight`);
          }
        }),
        // Each run is a second or so of heavy traffic: two runs, and no shrinking (any seed shows it).
        { ...params<[number, Difficulty]>(2), numRuns: 2, endOnFailure: true },
      );
    });
  });

  describe("the store", () => {
    it("sees the revision strictly increase by one per write, and no object newer than the revision", () => {
      fc.assert(
        fc.property(planArb({ minTicks: 100, maxTicks: 500, maxInputs: 30 }), (plan) => {
          let last = 0;
          const drain = (sim: Simulation, what: string) => {
            for (const ch of sim.drainChanges()) {
              ensure(ch.revision === last + 1, () => `${at(sim, what)} change ${ch.type} ${ch.key} at revision ${ch.revision} after revision ${last}`);
              last = ch.revision;
            }
            ensure(last === sim.state.revision, () => `${at(sim, what)} the revision is ${sim.state.revision} but the last change stored is ${last}`);
            for (const obj of sim.state.allObjects()) {
              const rv = obj.metadata.resourceVersion;
              ensure(rv >= 1 && rv <= sim.state.revision, () => `${at(sim, what)} ${objectKey(obj)} has resourceVersion ${rv}, revision is ${sim.state.revision}`);
            }
          };
          play(plan, { start: (sim) => drain(sim, "start"), input: drain, tick: (sim) => drain(sim, "the tick") });
        }),
        params(40),
      );
    });

    it("rebuilds exactly the cluster's objects by applying the drained changes in order", () => {
      fc.assert(
        fc.property(planArb({ minTicks: 100, maxTicks: 500, maxInputs: 30 }), (plan) => {
          // What a store persisting the drained changes would hold: key -> [resourceVersion, JSON].
          const store = new Map<string, [number, string]>();
          const apply = (sim: Simulation, what: string) => {
            for (const ch of sim.drainChanges()) {
              ensure(ch.key === objectKey(ch.object), () => `${at(sim, what)} change key ${ch.key} for ${objectKey(ch.object)}`);
              const stored = store.get(ch.key)?.[0] ?? 0;
              ensure(ch.previous === stored, () => `${at(sim, what)} ${ch.type} ${ch.key} says it replaces revision ${ch.previous}, the store holds ${stored}`);
              if (ch.type === "put") {
                ensure(ch.object.metadata.resourceVersion === ch.revision, () => `${at(sim, what)} ${ch.key} has resourceVersion ${ch.object.metadata.resourceVersion}, stored at revision ${ch.revision}`);
                store.set(ch.key, [ch.revision, JSON.stringify(ch.object)]);
              } else {
                ensure(stored > 0, () => `${at(sim, what)} deleted ${ch.key}, which was never stored`);
                store.delete(ch.key);
              }
            }
          };
          const compare = (sim: Simulation, what: string) => {
            apply(sim, what);
            const live = new Map(sim.state.allObjects().map((o) => [objectKey(o), JSON.stringify(o)]));
            expect([...store.keys()].sort(), `${at(sim, what)} stored keys`).to.deep.equal([...live.keys()].sort());
            for (const [k, v] of live) ensure(store.get(k)?.[1] === v, () => `${at(sim, what)} ${k} is ${v}, the store holds ${store.get(k)?.[1]}`);
          };
          let ticks = 0;
          const sim = play(plan, {
            start: (s) => compare(s, "start"),
            input: apply,
            tick: (s) => (++ticks % 10 === 0 ? compare(s, "the tick") : apply(s, "the tick")),
          });
          compare(sim, "the end");
        }),
        params(40),
      );
    });
  });

  describe("the API server", () => {
    it("changes nothing when it rejects a request", () => {
      let rejected = 0;
      fc.assert(
        fc.property(planArb({ minTicks: 50, maxTicks: 250, maxInputs: 40, junkRequests: true, junkFailures: true }), (plan) => {
          play(plan, {
            request: (sim, send, what) => {
              const before = fingerprint(sim);
              let result: ApiResult | undefined;
              try {
                result = send();
              } catch {
                // Throwing is the next property's concern; a request that throws must change nothing either.
              }
              if (result?.ok) return;
              rejected++;
              expectUnchanged(sim, before, `${at(sim, what)} rejected (${result ? `${result.code} ${result.message}` : "threw"})`);
            },
          });
        }),
        params(40),
      );
      expect(rejected, "no request was rejected: the property tested nothing").to.be.greaterThan(100);
    });

    it("changes nothing when it refuses a failure", () => {
      let refused = 0;
      fc.assert(
        fc.property(planArb({ minTicks: 50, maxTicks: 250, maxInputs: 30, junkFailures: true }), (plan) => {
          play(plan, {
            failure: (sim, send, what) => {
              const before = fingerprint(sim);
              const result = send();
              if (result.ok) return;
              refused++;
              expectUnchanged(sim, before, `${at(sim, what)} refused (${result.code} ${result.message})`);
            },
          });
        }),
        params(30),
      );
      expect(refused, "no failure was refused: the property tested nothing").to.be.greaterThan(10);
    });

    it("never throws and never answers 500, whatever it is sent", () => {
      fc.assert(
        fc.property(planArb({ minTicks: 30, maxTicks: 200, maxInputs: 40, junkRequests: true, junkFailures: true }), (plan) => {
          play(plan, {
            request: (sim, send, what) => expectAnswer(sendWithoutThrowing(send, `${at(sim, what)}`), at(sim, what)),
            failure: (sim, send, what) => expectAnswer(sendWithoutThrowing(send, `${at(sim, what)}`), at(sim, what)),
          });
        }),
        params(60),
      );
    });
  });

  describe("determinism", () => {
    it("plays the same game twice from the same scenario, seed, difficulty and inputs, and replays it from its input log", () => {
      // Every game gets at least one failure and one request from outside, on top of its plan.
      const gameWithChaos = fc
        .record({
          plan: planArb({ minTicks: 100, maxTicks: 350, maxInputs: 25 }),
          failure: record({ at: fc.integer({ min: 0, max: 1000 }), failure: failureSpec }),
          request: record({ at: fc.integer({ min: 0, max: 1000 }), req: requestSpec }),
        })
        .map(({ plan, failure, request }): Plan => ({
          ...plan,
          inputs: [
            ...plan.inputs,
            { at: failure.at, batch: [{ kind: "failure", failure: failure.failure }] },
            { at: request.at, batch: [{ kind: "request", who: "rightful", req: request.req }] },
          ],
        }));
      let withBoth = 0;
      let games = 0;
      fc.assert(
        fc.property(gameWithChaos, (plan) => {
          const first = play(plan);
          const second = play(plan);
          const outcome = JSON.stringify(first.outcome());
          expect(JSON.stringify(second.outcome()), "the same plan gave a different outcome").to.equal(outcome);
          expect(JSON.stringify(second.state.allObjects()) === JSON.stringify(first.state.allObjects()), "the same plan gave different objects").to.equal(true);
          const again = replay(optionsOf(plan), first.inputLog, first.tick);
          expect(again.tick).to.equal(first.tick);
          expect(JSON.stringify(again.outcome()), "the replay of the input log gave a different outcome").to.equal(outcome);
          expect(JSON.stringify(again.state.allObjects()) === JSON.stringify(first.state.allObjects()), "the replay gave different objects").to.equal(true);
          games++;
          if (first.inputLog.some((r) => r.kind === "request") && first.inputLog.some((r) => r.kind === "failure")) withBoth++;
        }),
        params(30),
      );
      // Requests with forged tokens and failures with malformed names are not logged: most games still have both.
      expect(withBoth, `only ${withBoth} of ${games} games logged both a request and a failure`).to.be.at.least(games / 2);
    });
  });
});
