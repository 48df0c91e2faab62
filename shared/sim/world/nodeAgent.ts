/**
 * What runs on each machine by itself every tick: the container runtime moving containers along
 * (pull, start, run, exit) and the kubelet process's automatic work — heartbeats, node status,
 * pod status reports, creating containers for admitted pods and cleaning up deleted ones. The
 * kubelet *seat* (human or bot) only makes the decisions: admit, reject, restart, evict.
 */
import type { ApiRequest } from "../api/requests.ts";
import type { ApiResult } from "../api/status.ts";
import type { PodStatusPatch } from "../api/requests.ts";
import type { ClusterState } from "../objects/ClusterState.ts";
import type { PodObject } from "../objects/types.ts";
import { isActivePod } from "../objects/types.ts";
import { TICK_MS } from "../clock.ts";
import { BACKOFF_BASE_MS, BACKOFF_MAX_MS, BACKOFF_RESET_MS, IMAGE_PULL_MS, LEASE_RENEW_MS, RECLAIM_STALL_FACTOR, TERMINATION_GRACE_MS } from "../tuning.ts";
import { isRunning, isThrashing, memoryInUse, RUNTIME_DOWN_REASON, type Container, type Machine } from "./Machine.ts";
import type { World } from "./World.ts";
import { MIRROR_RETRY_MS, mirrorPodsOf } from "./staticPods.ts";

export interface NodeAgentEnv {
  state: ClusterState;
  world: World;
  now: number;
  /** Sends a request as this machine's node agent (system:node:<name>). */
  call(node: string, request: ApiRequest): ApiResult;
  /** A container was killed for using too much memory. */
  onOomKill(node: string, pod: string): void;
}

/** Extra bookkeeping the runtime keeps on a container. */
interface RuntimeContainer extends Container {
  exitReported?: boolean;
  crashStreak?: number;
}

export function runNodeAgents(env: NodeAgentEnv): void {
  for (const m of env.world.machines.values()) {
    if (!m.powered) continue;
    runContainers(env, m);
    // A bare server's kubelet has no credentials until the node joins (world/nodeSetup.ts).
    if (m.role === "control-plane" || (m.joined && isRunning(m, "kubelet"))) syncKubelet(env, m);
  }
}

/** The container runtime: advances pulls and starts, applies memory growth, OOM-kills. */
function runContainers(env: NodeAgentEnv, m: Machine): void {
  const { now } = env;
  const runtimeUp = m.role === "control-plane" || isRunning(m, "container-runtime");
  // On a starving node, allocations stall in the kernel's reclaim: leaks slow down too.
  const pace = isThrashing(m) ? RECLAIM_STALL_FACTOR : 1;
  for (const c of m.containers.values() as Iterable<RuntimeContainer>) {
    if (c.stopAt > 0 && now >= c.stopAt) {
      m.containers.delete(c.pod);
      continue;
    }
    if (!runtimeUp) {
      // A stopped runtime freezes work in progress; running containers keep running (their shims do).
      if (c.state === "pulling" || c.state === "starting") c.until += TICK_MS;
      continue;
    }
    if (c.state === "pulling" && now >= c.until) {
      m.images.add(c.image);
      const pod = env.state.pods.get(c.pod);
      c.state = "starting";
      c.since = now;
      c.until = now + (pod?.spec.startupMs ?? 1000);
    } else if (c.state === "starting" && now >= c.until) {
      c.state = "running";
      c.since = now;
    } else if (c.state === "running") {
      const owner = env.state.pods.get(c.pod)?.metadata.ownerReferences?.[0]?.name;
      const leak = owner ? env.world.memoryLeaks.get(owner) : undefined;
      if (leak) c.memoryUsage += (leak * pace * TICK_MS) / 1000;
      if (c.memoryUsage > c.memoryLimit) exit(env, m, c, "OOMKilled");
    }
  }
  // The kernel's OOM killer: when the node runs out of memory, the biggest container goes.
  while (memoryInUse(m) > m.capacity.memory) {
    let worst: Container | undefined;
    for (const c of m.containers.values()) {
      if ((c.state === "running" || c.state === "starting") && (!worst || c.memoryUsage > worst.memoryUsage)) worst = c;
    }
    if (!worst) break;
    exit(env, m, worst, "OOMKilled");
  }
}

function exit(env: NodeAgentEnv, m: Machine, c: RuntimeContainer, reason: "OOMKilled" | "Error"): void {
  const ranFor = env.now - c.since;
  c.crashStreak = ranFor >= BACKOFF_RESET_MS ? 1 : (c.crashStreak ?? 0) + 1;
  c.state = "exited";
  c.exitReason = reason;
  c.since = env.now;
  c.exitReported = false;
  if (reason === "OOMKilled") env.onOomKill(m.name, c.pod);
}

/** Crashes a pod's container (the chaos panel's "crash a container" and "OOM a pod"). */
export function crashContainer(m: Machine, pod: string, reason: "OOMKilled" | "Error", env: NodeAgentEnv): boolean {
  const c = m.containers.get(pod) as RuntimeContainer | undefined;
  if (!c || c.state === "exited" || c.stopAt > 0) return false;
  exit(env, m, c, reason);
  return true;
}

/** Restart back-off after the n-th crash in a row: 1, 2, 4, 8 … s, capped. */
export function backoffMs(streak: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, streak - 1), BACKOFF_MAX_MS);
}

function syncKubelet(env: NodeAgentEnv, m: Machine): void {
  const { state, now } = env;
  const node = state.nodes.get(m.name);
  if (!node) {
    env.call(m.name, { type: "registerNode", node: m.name, capacity: m.capacity });
    return;
  }
  if (now - m.lastLeaseRenew >= LEASE_RENEW_MS) {
    // On failure, try again in a second rather than every tick (the kubelet backs off too).
    m.lastLeaseRenew = env.call(m.name, { type: "renewLease", node: m.name }).ok ? now : now - LEASE_RENEW_MS + 1000;
  }
  const runtimeUp = m.role === "control-plane" || isRunning(m, "container-runtime");
  // A node that has just joined is NotReady for a moment while its kubelet checks runtime and network.
  const starting = now < m.startingUntil;
  const ready = runtimeUp && !starting ? "True" : "False";
  const reason = !runtimeUp ? RUNTIME_DOWN_REASON : starting ? "KubeletNotReady" : "KubeletReady";
  if (node.status.ready !== ready || node.status.readyReason !== reason) {
    env.call(m.name, { type: "reportNodeStatus", node: m.name, ready, reason });
  }
  syncMirrorPods(env, m);
  if (m.role === "control-plane") return;

  const bound = state.podsOnNode(m.name);
  const boundNames = new Set<string>();
  for (const pod of bound) {
    boundNames.add(pod.metadata.name);
    syncPod(env, m, pod, runtimeUp);
  }
  // Containers whose pod is gone or was moved elsewhere are stopped.
  for (const c of m.containers.values()) {
    if (!boundNames.has(c.pod) && c.stopAt === 0) c.stopAt = now + TERMINATION_GRACE_MS;
  }
}

/**
 * The mirror pods of the node's static pods (world/staticPods.ts): created once, then written
 * only when a process starts or stops. After a refusal (no api-server, etcd without quorum) the
 * kubelet waits MIRROR_RETRY_MS before it tries again, so an outage does not flood the API log.
 */
function syncMirrorPods(env: NodeAgentEnv, m: Machine): void {
  if (env.now < m.mirrorRetryAt) return;
  const { processes, names } = mirrorPodsOf(m);
  for (let i = 0; i < processes.length; i++) {
    const process = processes[i];
    const running = isRunning(m, process);
    const pod = env.state.mirrorPods.get(names[i]);
    if (pod && pod.status.ready === running) continue;
    const request = { node: m.name, process, running };
    const result = env.call(m.name, pod ? { type: "reportMirrorPod", ...request } : { type: "createMirrorPod", ...request });
    if (!result.ok) {
      m.mirrorRetryAt = env.now + MIRROR_RETRY_MS;
      return;
    }
  }
}

function syncPod(env: NodeAgentEnv, m: Machine, pod: PodObject, runtimeUp: boolean): void {
  const { now } = env;
  const name = pod.metadata.name;
  const c = m.containers.get(name) as RuntimeContainer | undefined;

  if (pod.metadata.deletionTimestamp !== undefined) {
    if (c && c.stopAt === 0) c.stopAt = now + TERMINATION_GRACE_MS;
    if (!c || now >= c.stopAt) {
      if (c) m.containers.delete(name);
      env.call(m.name, { type: "confirmPodDeletion", pod: name });
    }
    return;
  }
  if (!isActivePod(pod)) {
    if (c && c.stopAt === 0) c.stopAt = now + TERMINATION_GRACE_MS;
    return;
  }
  if (pod.status.admittedAt < 0) return; // waits for the kubelet seat to admit or reject it

  if (!c) {
    if (!runtimeUp) return;
    createContainer(env, m, pod);
    return;
  }
  if (c.state === "exited") {
    if (!c.exitReported) {
      const restartAfter = c.since + backoffMs(c.crashStreak ?? 1);
      const reason = pod.status.restartCount > 0 ? "CrashLoopBackOff" : c.exitReason === "OOMKilled" ? "OOMKilled" : "Error";
      const res = report(env, m, pod, {
        ready: false,
        reason,
        message: `container exited (${c.exitReason}); back-off ${backoffMs(c.crashStreak ?? 1) / 1000} s before a restart`,
        restartAfter,
      });
      if (res) c.exitReported = true;
    } else if (pod.status.restartAfter === 0 && runtimeUp) {
      // The kubelet seat asked for a restart: the image is on the node, so it starts at once.
      const { previous: _, exitReported: __, crashStreak: ___, ...ended } = c;
      c.previous = { container: ended, restartCount: pod.status.restartCount - 1 };
      c.state = "starting";
      c.since = now;
      c.until = now + pod.spec.startupMs;
      c.exitReason = "";
      c.memoryUsage = pod.spec.memoryUsage;
    }
    return;
  }
  // A settled, serving pod needs no report: the common case, kept cheap.
  if (c.state === "running" && pod.status.ready && pod.status.phase === "Running" && pod.status.reason === "" && pod.status.message === "") return;
  report(env, m, pod, desiredStatus(pod, c, now));
}

function createContainer(env: NodeAgentEnv, m: Machine, pod: PodObject): void {
  const { now } = env;
  const cached = m.images.has(pod.spec.image);
  const c: RuntimeContainer = {
    pod: pod.metadata.name,
    image: pod.spec.image,
    state: cached ? "starting" : "pulling",
    since: now,
    until: now + (cached ? pod.spec.startupMs : Math.round(IMAGE_PULL_MS * m.pullFactor)),
    exitReason: "",
    memoryUsage: pod.spec.memoryUsage,
    memoryLimit: pod.spec.memoryLimit,
    capacityRps: pod.spec.capacityRps,
    stopAt: 0,
    crashStreak: 0,
  };
  m.containers.set(pod.metadata.name, c);
  const patch: PodStatusPatch = { phase: pod.status.phase === "Running" ? "Running" : "ContainerCreating", ready: false, restartAfter: 0, reason: "" };
  if (!pod.status.podIP) {
    const cidr = env.state.nodes.get(m.name)?.status.podCidrIndex ?? 0;
    patch.podIP = `10.244.${cidr}.${m.nextIp++}`;
  }
  // A pod that was running before (its node rebooted) counts a restart.
  if (pod.status.startedAt >= 0) patch.restartCount = pod.status.restartCount + 1;
  patch.message = cached ? `Container image "${pod.spec.image}" already present on machine` : `Pulling image "${pod.spec.image}"`;
  report(env, m, pod, patch);
}

function desiredStatus(pod: PodObject, c: Container, now: number): PodStatusPatch {
  switch (c.state) {
    case "pulling":
      return { phase: "ContainerCreating", ready: false, message: `Pulling image "${c.image}"` };
    case "starting":
      return pod.status.startedAt >= 0
        ? { phase: "Running", ready: false, message: "Container starting" }
        : { phase: "ContainerCreating", ready: false, message: `Successfully pulled image "${c.image}"; starting container` };
    case "running":
      return {
        phase: "Running",
        ready: true,
        reason: "",
        message: "",
        startedAt: pod.status.startedAt >= 0 ? pod.status.startedAt : c.since,
        readyAt: pod.status.readyAt >= 0 ? pod.status.readyAt : now,
      };
    case "exited":
      return {};
  }
}

function report(env: NodeAgentEnv, m: Machine, pod: PodObject, patch: PodStatusPatch): boolean {
  let differs = false;
  for (const [k, v] of Object.entries(patch)) {
    if (v !== undefined && (pod.status as Record<string, unknown>)[k] !== v) {
      differs = true;
      break;
    }
  }
  if (!differs) return true;
  return env.call(m.name, { type: "reportPodStatus", pod: pod.metadata.name, status: patch }).ok;
}
