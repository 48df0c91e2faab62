/**
 * Requests on pods: the scheduler's binding, the kubelet's admission, rejection, restart and
 * eviction, the controller manager's create and delete, and the node agent's status reports.
 * Each handler validates everything first and writes only when the request is accepted.
 */
import { hash32, hashString } from "../../random.ts";
import type { ClusterState } from "../../objects/ClusterState.ts";
import type { DeploymentObject, PodObject } from "../../objects/types.ts";
import { isActivePod, NAMESPACE, NOT_YET } from "../../objects/types.ts";
import { MEMORY_PRESSURE_RATIO } from "../../tuning.ts";
import { census, podLabels, podLimit } from "../../objects/rollout.ts";
import { isRunning, memoryInUse } from "../../world/Machine.ts";
import { admittedRequests, formatCpu, formatMemory, type HandlerContext } from "../context.ts";
import type { RequestOf } from "../requests.ts";
import { gcMirrorPod } from "./mirrorPods.ts";
import { conflict, invalid, notFound, ok, unavailable, type ApiResult } from "../status.ts";

const podNotFound = (name: string) => notFound(`pod ${name} not found (it may have been deleted or replaced)`);

function setStatus(p: PodObject, status: Partial<PodObject["status"]>): PodObject {
  return { ...p, status: { ...p.status, ...status } };
}

function event(ctx: HandlerContext, pod: PodObject, reason: string, message: string, source: string, warning = false) {
  ctx.state.recordEvent(
    { involvedObject: { kind: "Pod", name: pod.metadata.name }, reason, message, type: warning ? "Warning" : "Normal", source, time: ctx.now },
    ctx.now,
    NAMESPACE,
  );
}

/** What a Scheduled pod lacks on its node, if anything: the kubelet's admission check. */
export function admissionShortfall(state: ClusterState, pod: PodObject): { reason: "OutOfcpu" | "OutOfmemory"; message: string } | undefined {
  const node = state.nodes.get(pod.spec.nodeName);
  if (!node) return undefined;
  const used = admittedRequests(state, node.metadata.name);
  const free = { cpu: node.status.allocatable.cpu - used.cpu, memory: node.status.allocatable.memory - used.memory };
  const n = node.metadata.name;
  if (pod.spec.requests.cpu > free.cpu) {
    return { reason: "OutOfcpu", message: `${pod.metadata.name} requests ${formatCpu(pod.spec.requests.cpu)} but ${n} has ${formatCpu(free.cpu)} free` };
  }
  if (pod.spec.requests.memory > free.memory) {
    return {
      reason: "OutOfmemory",
      message: `${pod.metadata.name} requests ${formatMemory(pod.spec.requests.memory)} but ${n} has ${formatMemory(free.memory)} free`,
    };
  }
  return undefined;
}

export function bind(ctx: HandlerContext, r: RequestOf<"bind">): ApiResult {
  const pod = ctx.state.pods.get(r.pod);
  if (!pod) return podNotFound(r.pod);
  if (pod.spec.nodeName) return conflict(`pod ${r.pod} is already bound to ${pod.spec.nodeName}`);
  if (pod.status.phase !== "Pending" || pod.metadata.deletionTimestamp !== undefined) {
    return conflict(`pod ${r.pod} is ${pod.metadata.deletionTimestamp !== undefined ? "being deleted" : pod.status.phase}; only Pending pods are bound`);
  }
  const node = ctx.state.nodes.get(r.node);
  if (!node) return notFound(`node ${r.node} not found`);
  if (node.spec.role === "control-plane") {
    return invalid(`${r.node} is a control-plane node: its NoSchedule taint keeps workloads off it; pick a worker`);
  }
  if (node.status.ready !== "True") return invalid(`${r.node} is NotReady: the scheduler only binds pods to Ready nodes`);
  if (node.spec.unschedulable) return invalid(`${r.node} is cordoned (unschedulable): no new pods may be placed on it`);
  const bound = ctx.state.update(
    setStatus({ ...pod, spec: { ...pod.spec, nodeName: r.node } }, { phase: "Scheduled", scheduledAt: ctx.now, reason: "", message: "" }),
  );
  event(ctx, bound, "Scheduled", `Successfully assigned ${NAMESPACE}/${r.pod} to ${r.node}`, "default-scheduler");
  ctx.observer.podBound(bound, ctx.now);
  return ok(`pod ${r.pod} bound to ${r.node}`, 201);
}

/** Common checks for the kubelet's own pod actions: the pod exists and is in an expected phase. */
function kubeletPod(ctx: HandlerContext, name: string): PodObject | ApiResult {
  const pod = ctx.state.pods.get(name);
  if (!pod) return podNotFound(name);
  return pod;
}

const isResult = (x: PodObject | ApiResult): x is ApiResult => "ok" in x;

function runtimeDown(ctx: HandlerContext, node: string): ApiResult | undefined {
  const m = ctx.world.machine(node);
  if (m && !isRunning(m, "container-runtime")) {
    return unavailable(`the container runtime on ${node} is down: the kubelet cannot run containers until it is back`);
  }
  return undefined;
}

export function admit(ctx: HandlerContext, r: RequestOf<"admit">): ApiResult {
  const pod = kubeletPod(ctx, r.pod);
  if (isResult(pod)) return pod;
  if (pod.status.phase !== "Scheduled") return conflict(`pod ${r.pod} is ${pod.status.phase}; only a Scheduled pod can be started`);
  const short = admissionShortfall(ctx.state, pod);
  if (short) return invalid(`${short.message}: reject it (${short.reason}) instead`);
  const down = runtimeDown(ctx, pod.spec.nodeName);
  if (down) return down;
  ctx.state.update(setStatus(pod, { phase: "ContainerCreating", admittedAt: ctx.now }));
  return ok(`pod ${r.pod} admitted on ${pod.spec.nodeName}: pulling image ${pod.spec.image}`);
}

export function reject(ctx: HandlerContext, r: RequestOf<"reject">): ApiResult {
  const pod = kubeletPod(ctx, r.pod);
  if (isResult(pod)) return pod;
  if (pod.status.phase !== "Scheduled") return conflict(`pod ${r.pod} is ${pod.status.phase}; only a Scheduled pod can be rejected`);
  const short = admissionShortfall(ctx.state, pod);
  if (!short) return invalid(`pod ${r.pod} fits on ${pod.spec.nodeName}: start it instead of rejecting it`);
  if (short.reason !== r.reason) return invalid(`${short.message}: the reason is ${short.reason}, not ${r.reason}`);
  const rejected = ctx.state.update(setStatus(pod, { phase: "Failed", ready: false, reason: short.reason, message: short.message, finishedAt: ctx.now }));
  event(ctx, rejected, short.reason, `Node didn't have enough resource: ${short.message}`, `kubelet/${pod.spec.nodeName}`, true);
  ctx.observer.podRejected(rejected, ctx.now);
  return ok(`pod ${r.pod} rejected (${short.reason}); its deployment will need a new pod`);
}

/** A pod whose container has exited and waits for the kubelet to restart it. */
export function isWaitingForRestart(pod: PodObject): boolean {
  return isActivePod(pod) && pod.status.restartAfter > 0;
}

export function restart(ctx: HandlerContext, r: RequestOf<"restart">): ApiResult {
  const pod = kubeletPod(ctx, r.pod);
  if (isResult(pod)) return pod;
  if (!isWaitingForRestart(pod)) {
    return conflict(`pod ${r.pod}'s container has not crashed (${pod.status.phase}${pod.status.ready ? ", ready" : ""}): nothing to restart`);
  }
  const c = ctx.world.machine(pod.spec.nodeName)?.containers.get(r.pod);
  if (c && c.state !== "exited") return conflict(`pod ${r.pod}'s container is ${c.state}: nothing to restart`);
  if (ctx.now < pod.status.restartAfter) {
    const wait = ((pod.status.restartAfter - ctx.now) / 1000).toFixed(1);
    return invalid(`back-off: ${r.pod} may restart in ${wait} s (CrashLoopBackOff doubles the wait after each crash)`);
  }
  const down = runtimeDown(ctx, pod.spec.nodeName);
  if (down) return down;
  ctx.state.update(setStatus(pod, { restartAfter: 0, restartCount: pod.status.restartCount + 1, reason: "", message: "" }));
  event(ctx, pod, "Started", `Restarting container of ${r.pod}`, `kubelet/${pod.spec.nodeName}`);
  return ok(`restarting ${r.pod}'s container (restart #${pod.status.restartCount + 1})`);
}

export function evict(ctx: HandlerContext, r: RequestOf<"evict">): ApiResult {
  const pod = kubeletPod(ctx, r.pod);
  if (isResult(pod)) return pod;
  if (!isActivePod(pod) || pod.status.admittedAt < 0) {
    return conflict(`pod ${r.pod} is ${pod.status.phase} and not started on ${pod.spec.nodeName}: nothing to evict`);
  }
  const m = ctx.world.machine(pod.spec.nodeName);
  const share = m ? memoryInUse(m, true) / m.capacity.memory : 0;
  if (share < MEMORY_PRESSURE_RATIO) {
    return invalid(
      `${pod.spec.nodeName} is not under memory pressure (${Math.round(share * 100)}% of memory in use; the kubelet evicts from ${Math.round(MEMORY_PRESSURE_RATIO * 100)}%)`,
    );
  }
  const evicted = ctx.state.update(
    setStatus(pod, { phase: "Failed", ready: false, reason: "Evicted", message: "The node was low on resource: memory", finishedAt: ctx.now }),
  );
  event(ctx, evicted, "Evicted", `The node was low on resource: memory. Evicting ${r.pod}`, `kubelet/${pod.spec.nodeName}`, true);
  ctx.observer.podEvicted(evicted, ctx.now);
  return ok(`pod ${r.pod} evicted from ${pod.spec.nodeName} to relieve memory pressure`);
}

const SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** A Kubernetes-like generated pod name (web-7d9fx), unique and derived from the revision. */
function podName(ctx: HandlerContext, deployment: string): string {
  for (let salt = 0; ; salt++) {
    let h = hash32(ctx.state.revision, hashString(deployment), salt);
    let suffix = "";
    for (let i = 0; i < 5; i++) {
      suffix += SUFFIX_ALPHABET[h % SUFFIX_ALPHABET.length];
      h = Math.floor(h / SUFFIX_ALPHABET.length);
    }
    const name = `${deployment}-${suffix}`;
    if (!ctx.state.pods.has(name)) return name;
  }
}

export function activeReplicas(ctx: HandlerContext, d: DeploymentObject): number {
  let n = 0;
  for (const p of ctx.state.podsOf(d.metadata.name)) if (isActivePod(p)) n++;
  return n;
}

export function createPod(ctx: HandlerContext, r: RequestOf<"createPod">): ApiResult {
  const d = ctx.state.deployments.get(r.deployment);
  if (!d) return notFound(`deployment ${r.deployment} not found`);
  const c = census(d, ctx.state.podsOf(r.deployment));
  const active = c.active.length;
  // During a rollout one extra pod may run (maxSurge 1), as long as new pods are still missing.
  if (active >= podLimit(d, c) || c.current >= d.spec.replicas) {
    return invalid(`deployment ${r.deployment} already has ${active} of ${d.spec.replicas} desired replicas: a new pod would be one too many`);
  }
  const name = podName(ctx, r.deployment);
  const pod = ctx.state.create<PodObject>(
    {
      kind: "Pod",
      metadata: { name, namespace: NAMESPACE, labels: podLabels(d), ownerReferences: [{ kind: "Deployment", name: r.deployment }] },
      spec: { ...d.spec.template, nodeName: "" },
      status: {
        phase: "Pending",
        ready: false,
        reason: "",
        message: "",
        restartCount: 0,
        podIP: "",
        scheduledAt: NOT_YET,
        admittedAt: NOT_YET,
        startedAt: NOT_YET,
        readyAt: NOT_YET,
        finishedAt: NOT_YET,
        restartAfter: 0,
      },
    },
    ctx.now,
  );
  ctx.state.recordEvent(
    {
      involvedObject: { kind: "Deployment", name: r.deployment },
      reason: "SuccessfulCreate",
      message: `Created pod: ${name}`,
      type: "Normal",
      source: "replicaset-controller",
      time: ctx.now,
    },
    ctx.now,
    NAMESPACE,
  );
  ctx.observer.podCreated(pod, ctx.now);
  const surge = active + 1 > d.spec.replicas ? ": one above desired while a rollout replaces the old pods" : "";
  return ok(`pod ${name} created for ${r.deployment} (${active + 1} of ${d.spec.replicas}${surge})`, 201, name);
}

/** Starts a pod's deletion: at once when nothing runs it, gracefully through its kubelet otherwise. */
export function beginDeletion(ctx: HandlerContext, pod: PodObject, source: string): void {
  const runsSomewhere = pod.spec.nodeName !== "" && isActivePod(pod) && ctx.state.nodes.has(pod.spec.nodeName);
  if (!runsSomewhere) {
    ctx.state.delete("Pod", pod.metadata.name);
    return;
  }
  const terminating = ctx.state.update({
    ...pod,
    metadata: { ...pod.metadata, deletionTimestamp: ctx.now },
    status: { ...pod.status, phase: "Terminating", ready: false, reason: "Killing" },
  });
  event(ctx, terminating, "Killing", `Stopping container of ${pod.metadata.name}`, source);
}

export function deletePod(ctx: HandlerContext, r: RequestOf<"deletePod">): ApiResult {
  const pod = ctx.state.pods.get(r.pod);
  if (!pod) return podNotFound(r.pod);
  if (pod.metadata.deletionTimestamp !== undefined) return conflict(`pod ${r.pod} is already being deleted`);
  if (ctx.who.role === "controller-manager" && isActivePod(pod)) {
    const owner = pod.metadata.ownerReferences?.[0]?.name;
    const d = owner ? ctx.state.deployments.get(owner) : undefined;
    if (d) {
      const active = activeReplicas(ctx, d);
      if (active <= d.spec.replicas) {
        return invalid(`deleting ${r.pod} would leave ${owner} below its ${d.spec.replicas} desired replicas (it has ${active})`);
      }
    }
  }
  beginDeletion(ctx, pod, ctx.who.role === "admin" ? "admin" : "replicaset-controller");
  return ok(`pod ${r.pod} ${ctx.state.pods.has(r.pod) ? "is terminating" : "deleted"}`);
}

export function reportPodStatus(ctx: HandlerContext, r: RequestOf<"reportPodStatus">): ApiResult {
  const pod = ctx.state.pods.get(r.pod);
  if (!pod) return podNotFound(r.pod);
  const patch = r.status;
  if ((patch.phase === "ContainerCreating" || patch.phase === "Running") && pod.status.admittedAt < 0) {
    return conflict(`pod ${r.pod} was never admitted on ${pod.spec.nodeName}; it cannot be ${patch.phase}`);
  }
  if (!isActivePod(pod) && ((patch.phase !== undefined && patch.phase !== pod.status.phase) || patch.ready === true)) {
    return conflict(`pod ${r.pod} is ${pod.metadata.deletionTimestamp !== undefined ? "being deleted" : pod.status.phase}: its phase can no longer change`);
  }
  let changed = false;
  for (const [k, v] of Object.entries(patch)) {
    if (v !== undefined && (pod.status as Record<string, unknown>)[k] !== v) changed = true;
  }
  if (!changed) return ok(`pod ${r.pod} status unchanged`);
  const next = ctx.state.update(setStatus(pod, patch as Partial<PodObject["status"]>));
  if (patch.ready === true && !pod.status.ready) {
    event(ctx, next, "Started", `Container of ${r.pod} is ready`, `kubelet/${pod.spec.nodeName}`);
    ctx.observer.podReady(next, ctx.now);
  }
  if (patch.reason === "OOMKilled" && pod.status.reason !== "OOMKilled") {
    event(ctx, next, "OOMKilled", `Container of ${r.pod} was killed: out of memory`, `kubelet/${pod.spec.nodeName}`, true);
  } else if (patch.reason === "Error" && pod.status.reason !== "Error") {
    event(ctx, next, "BackOff", `Back-off restarting failed container of ${r.pod}`, `kubelet/${pod.spec.nodeName}`, true);
  }
  return ok(`pod ${r.pod} status updated`);
}

export function confirmPodDeletion(ctx: HandlerContext, r: RequestOf<"confirmPodDeletion">): ApiResult {
  const pod = ctx.state.pods.get(r.pod);
  if (!pod) return podNotFound(r.pod);
  if (pod.metadata.deletionTimestamp === undefined) return conflict(`pod ${r.pod} is not being deleted`);
  ctx.state.delete("Pod", r.pod);
  return ok(`pod ${r.pod} deleted`);
}

export function gcPod(ctx: HandlerContext, r: RequestOf<"gcPod">): ApiResult {
  if (r.namespace) return gcMirrorPod(ctx, r);
  const pod = ctx.state.pods.get(r.pod);
  if (!pod) return podNotFound(r.pod);
  const finished = pod.status.phase === "Failed" || pod.status.phase === "Succeeded";
  const orphaned = pod.spec.nodeName !== "" && !ctx.state.nodes.has(pod.spec.nodeName);
  const node = ctx.state.nodes.get(pod.spec.nodeName);
  const stuck = pod.metadata.deletionTimestamp !== undefined && node !== undefined && node.status.ready !== "True";
  if (!finished && !orphaned && !stuck) return conflict(`pod ${r.pod} is ${pod.status.phase}: only finished, orphaned or stuck pods are collected`);
  ctx.state.delete("Pod", r.pod);
  return ok(`pod ${r.pod} garbage-collected`);
}
