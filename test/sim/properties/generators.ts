/**
 * fast-check generators of game plans (plan.ts): requests shaped like api/requests.ts's zod
 * schemas, failures shaped like failures.ts's, junk where either goes, walks of requests at one
 * pod, and whole plans of a given shape.
 */
import fc from "fast-check";
import type { RequestType } from "../../../shared/sim/api/requests.ts";
import { DIFFICULTIES } from "../../../shared/sim/bots/Bot.ts";
import type { FailureType } from "../../../shared/sim/failures/failures.ts";
import { FIXED_CALLERS, POD_STATES, SCENARIOS, type Act, type Caller, type Now, type Pick, type Plan, type Ref, type Spec, type Walk } from "./plan.ts";

/** fc.record without null-prototype objects (junk aside, they only make counterexamples harder to read). */
export function record<T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> {
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
  record({
    phase: fc.constantFrom("ContainerCreating", "Running"),
    ready: fc.constant(false),
    message: fc.constantFrom("Pulling image", "Container starting"),
  }),
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

/** A deployment or service manifest's labels: matching, mismatched or none. */
const labels = fc.constantFrom({ app: "shop" }, { app: "web" }, { app: "shop", tier: "front" }, {});
const workloadName = fc.oneof(fc.constantFrom("shop", "web", "api"), validName);

/** Workloads as kubectl apply asks for them: created, changed and deleted. */
export const workloadSpec: fc.Arbitrary<Spec> = fc.oneof(
  record({
    type: fc.constantFrom("createDeployment", "updateDeployment"),
    deployment: record({
      name: workloadName,
      replicas: fc.nat(6),
      selector: labels,
      templateLabels: labels,
      image: fc.constantFrom("nginx:1.27", "nginx:1.28", "shop:v2"),
      requests: record({ cpu: smallOrLarge(600, 20_000), memory: smallOrLarge(600, 20_000) }),
      memoryLimit: smallOrLarge(600, 20_000),
      startupMs: fc.nat(5000),
      capacityRps: fc.constantFrom(5, 20),
    }),
  }),
  record({
    type: fc.constantFrom("createService", "updateService"),
    service: record({ name: workloadName, selector: labels, port: fc.constantFrom(80, 8080), rps: fc.nat(60) }),
  }),
  record({ type: fc.constant("deleteDeployment"), deployment: deploymentRef }),
  record({ type: fc.constant("deleteService"), service: serviceRef }),
);

/** Requests shaped like the zod schemas of api/requests.ts, one branch per group of types. */
export const requestSpec: fc.Arbitrary<Spec> = fc.oneof(
  workloadSpec,
  record({ type: fc.constant("bind"), pod: podRef, node: nodeRef }),
  record({ type: fc.constantFrom("admit", "restart", "evict", "deletePod", "confirmPodDeletion", "gcPod"), pod: podRef }),
  record({ type: fc.constant("reject"), pod: podRef, reason: fc.constantFrom("OutOfcpu", "OutOfmemory") }),
  record({ type: fc.constant("createPod"), deployment: deploymentRef }),
  record({ type: fc.constantFrom("markNodeNotReady", "evictNodePods", "cordon", "uncordon", "deleteNode", "renewLease"), node: nodeRef }),
  record({ type: fc.constant("syncRules"), node: nodeRef, service: serviceRef, mode: fc.constantFrom("local-first", "spread") }),
  record({ type: fc.constant("scale"), deployment: deploymentRef, replicas: fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 100 })) }),
  record({ type: fc.constant("registerNode"), node: nodeRef, capacity: record({ cpu: smallOrLarge(600, 16_000), memory: smallOrLarge(600, 32_768) }) }),
  record({
    type: fc.constant("reportNodeStatus"),
    node: nodeRef,
    ready: fc.constantFrom("True", "False"),
    reason: fc.constantFrom("KubeletReady", "ContainerRuntimeDown", ""),
  }),
  record({ type: fc.constant("reportPodStatus"), pod: podRef, status: podStatus }),
  record({
    type: fc.constantFrom("createMirrorPod", "reportMirrorPod"),
    node: nodeRef,
    process: fc.constantFrom("api-server", "etcd", "scheduler", "controller-manager", "kube-proxy"),
    running: fc.boolean(),
  }),
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
export const REQUEST_TYPES: Record<RequestType, true> = {
  bind: true,
  admit: true,
  reject: true,
  restart: true,
  evict: true,
  createPod: true,
  deletePod: true,
  markNodeNotReady: true,
  evictNodePods: true,
  syncRules: true,
  scale: true,
  cordon: true,
  uncordon: true,
  deleteNode: true,
  registerNode: true,
  renewLease: true,
  reportNodeStatus: true,
  reportPodStatus: true,
  confirmPodDeletion: true,
  createMirrorPod: true,
  reportMirrorPod: true,
  updateEndpoints: true,
  gcPod: true,
  updateDeploymentStatus: true,
  createEvent: true,
  createDeployment: true,
  updateDeployment: true,
  deleteDeployment: true,
  createService: true,
  updateService: true,
  deleteService: true,
};

export const FAILURE_TYPES: Record<FailureType, true> = {
  killPod: true,
  crashContainer: true,
  oomPod: true,
  crashNode: true,
  restoreNode: true,
  stopProcess: true,
  startProcess: true,
  trafficSpike: true,
  slowImagePulls: true,
  memoryLeak: true,
  joinWorker: true,
  addBareServer: true,
  addControlPlane: true,
  removeControlPlane: true,
  scaleDeployment: true,
  outsiderRequest: true,
};

const processName = fc.constantFrom("container-runtime", "kubelet", "kube-proxy", "api-server", "scheduler", "controller-manager", "etcd");
const duration = fc.integer({ min: 1, max: 30 });
const spikeFactor = fc.oneof({ weight: 7, arbitrary: fc.integer({ min: 1, max: 5 }) }, { weight: 1, arbitrary: fc.constant(20) });

/** Failures shaped like failures/failures.ts FailureSchema, aimed at real or unknown targets. */
export const failureSpec: fc.Arbitrary<Spec> = fc.oneof(
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
  record({ type: fc.constant("addBareServer"), node: optional(fc.constantFrom("node-6", "node-1")) }),
  record({ type: fc.constant("addControlPlane"), node: optional(fc.constantFrom("cp-3", "cp-4", "cp-1")) }),
  record({ type: fc.constant("removeControlPlane"), node: nodeRef }),
  record({ type: fc.constant("scaleDeployment"), deployment: deploymentRef, replicas: fc.integer({ min: 0, max: 12 }) }),
  record({
    type: fc.constant("outsiderRequest"),
    kind: fc.constantFrom("anonymous", "wrong-node", "impossible"),
    node: optional(nodeRef),
    deployment: optional(deploymentRef),
  }),
);

const hugeString = fc.integer({ min: 64, max: 200_000 }).map((n) => "x".repeat(n));
/** Names that exist on every object's prototype: `type in HANDLERS` is true for them. */
const PROTOTYPE_KEYS = ["toString", "constructor", "__proto__", "valueOf", "hasOwnProperty", "isPrototypeOf"];
const anyValue = fc.anything({
  maxDepth: 2,
  withNullPrototype: true,
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withSparseArray: true,
  withBoxedValues: true,
});
const junkField = fc.oneof(
  anyValue,
  hugeString,
  validName,
  fc.constant({ $pick: 0 }),
  fc.constant(Object.create(null) as object),
  fc.constant([Object.create(null)]),
);

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
    {
      type: fc.constantFrom(...Object.keys(FAILURE_TYPES), ...PROTOTYPE_KEYS, "meteor"),
      node: junkField,
      pod: junkField,
      deployment: junkField,
      durationSec: junkField,
      factor: junkField,
    },
    { requiredKeys: ["type"] },
  ),
);

const caller: fc.Arbitrary<Caller> = fc.oneof(
  { weight: 3, arbitrary: fc.constant("rightful" as const) },
  { weight: 2, arbitrary: fc.constantFrom(...FIXED_CALLERS) },
);
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

export interface PlanShape {
  minTicks: number;
  maxTicks: number;
  minInputs?: number;
  maxInputs: number;
  /** Also send junk where requests go. */
  junkRequests?: boolean;
  /** Also inject junk where failures go. */
  junkFailures?: boolean;
}

export function planArb(shape: PlanShape): fc.Arbitrary<Plan> {
  return record({
    scenario: fc.constantFrom(...SCENARIOS),
    workerShare: fc.oneof(
      fc.constant(1),
      fc.integer({ min: 15, max: 60 }).map((pct) => pct / 100),
    ),
    seed: fc.integer({ min: 0, max: 0xffff_ffff }),
    difficulty: fc.constantFrom(...DIFFICULTIES),
    botsOff: fc.oneof(
      { weight: 4, arbitrary: fc.constant([] as string[]) },
      {
        weight: 1,
        arbitrary: fc.subarray(["scheduler", "controller-manager", "kubelet", "kube-proxy", "kubelet:node-1", "kube-proxy:node-1"], { minLength: 1 }),
      },
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
