/**
 * The physical side of a node: what runs on the machine itself, which the API server only learns
 * about through the kubelet's reports. Power, the node's processes, containers, the image cache
 * and kube-proxy's forwarding rules live here, not in etcd — as on a real node.
 */
import { NEVER } from "../clock.ts";
import { MEMORY_THRASH_RATIO } from "../tuning.ts";
import type { EndpointAddress, NodeRole, Resources } from "../objects/types.ts";

export const WORKER_PROCESSES = ["container-runtime", "kubelet", "kube-proxy"] as const;
export const CONTROL_PLANE_PROCESSES = ["api-server", "scheduler", "controller-manager", "etcd"] as const;
export type WorkerProcess = (typeof WORKER_PROCESSES)[number];
export type ControlPlaneProcess = (typeof CONTROL_PLANE_PROCESSES)[number];
export type ProcessName = WorkerProcess | ControlPlaneProcess;
/** The node's Ready reason the kubelet reports while the container runtime (containerd, Docker) is down. */
export const RUNTIME_DOWN_REASON = "ContainerRuntimeDown";

export type ContainerState = "pulling" | "starting" | "running" | "exited";
export type ExitReason = "" | "Error" | "OOMKilled" | "Killed";

export interface Container {
  pod: string;
  image: string;
  state: ContainerState;
  /** When the current step (pulling, starting) finishes, game ms. */
  until: number;
  /** When the container entered its current state. */
  since: number;
  exitReason: ExitReason;
  /** Memory in use now, MiB. */
  memoryUsage: number;
  /** Memory limit, MiB. */
  memoryLimit: number;
  /** Requests per second the container serves when running. */
  capacityRps: number;
  /** Set while the container is stopping for a deletion; removed at this time. */
  stopAt: number;
  /** Requests the container's current run has served (absent until its first): its log and its CPU use. */
  served?: ServedTally;
  /** The run before a restart in place (kubectl logs --previous), as it ended; never changed again. */
  previous?: PreviousRun;
}

/** A container's run that ended (its exit) before the kubelet restarted it, and the pod's restart count then. */
export interface PreviousRun {
  container: Omit<Container, "previous">;
  restartCount: number;
}

/** How long one count of served requests covers, game ms (a log line per interval). */
export const SERVED_INTERVAL_MS = 10_000;
/** Intervals a container keeps counts of (older ones are summed into `earlier`): 5 minutes. */
export const SERVED_INTERVALS_KEPT = 30;

/** Requests served by one run of a container, per SERVED_INTERVAL_MS from the run's start. */
export interface ServedTally {
  /** The game time the run began serving from (the container's `since` while running). */
  run: number;
  /** The interval index of counts[0] (interval i covers run + i × SERVED_INTERVAL_MS onwards). */
  first: number;
  counts: number[];
  /** Requests served in intervals no longer kept. */
  earlier: number;
}

/** Counts a request the container served at `now` (a restarted container starts a new tally). */
export function countServed(c: Container, now: number): void {
  let t = c.served;
  if (!t || t.run !== c.since) t = c.served = { run: c.since, first: 0, counts: [], earlier: 0 };
  const i = Math.floor((now - t.run) / SERVED_INTERVAL_MS);
  while (t.first + t.counts.length <= i) t.counts.push(0);
  t.counts[i - t.first]++;
  while (t.counts.length > SERVED_INTERVALS_KEPT) {
    t.earlier += t.counts.shift()!;
    t.first++;
  }
}

/** kube-proxy's choice of backend for traffic entering this node. */
export type ProxyMode = "local-first" | "spread";
export const PROXY_MODES: readonly ProxyMode[] = ["local-first", "spread"];

/** One service's forwarding rules on one node (its iptables chain, in real Kubernetes). */
export interface ProxyRule {
  service: string;
  endpoints: EndpointAddress[];
  /** The endpoints on this node (derived from endpoints when the rules are written). */
  local: EndpointAddress[];
  mode: ProxyMode;
  /** The Endpoints resourceVersion these rules were written from. */
  syncedVersion: number;
  syncedAt: number;
}

export interface Machine {
  name: string;
  role: NodeRole;
  powered: boolean;
  processes: Partial<Record<ProcessName, boolean>>;
  capacity: Resources;
  containers: Map<string, Container>;
  /** Images already pulled: a second pod of the same image starts without a pull. */
  images: Set<string>;
  proxyRules: Map<string, ProxyRule>;
  /** Multiplies image pull time (slow registry or network). */
  pullFactor: number;
  /** When the node agent last renewed its lease. */
  lastLeaseRenew: number;
  /** Sequence for pod IPs on this node. */
  nextIp: number;
  /**
   * The node has joined the cluster: its kubelet and kube-proxy hold credentials the API server
   * accepts. False for a bare server until its kubelet seat joins it (world/nodeSetup.ts).
   */
  joined: boolean;
  /** An install running on a bare server: which process, done at this game time. */
  installing: { process: WorkerProcess; until: number } | null;
  /** After joining, the kubelet reports NotReady (KubeletNotReady) until this game time. */
  startingUntil: number;
  /** After the API server refused a mirror-pod write, the kubelet tries again at this game time (world/staticPods.ts). */
  mirrorRetryAt: number;
}

export function processesOf(role: NodeRole): readonly ProcessName[] {
  return role === "worker" ? WORKER_PROCESSES : CONTROL_PLANE_PROCESSES;
}

/**
 * A machine with every process of its role running — or, `bare`, a powered server with nothing
 * installed that is not part of the cluster yet.
 */
export function newMachine(name: string, role: NodeRole, capacity: Resources, bare = false): Machine {
  const processes: Partial<Record<ProcessName, boolean>> = {};
  if (!bare) for (const p of processesOf(role)) processes[p] = true;
  return {
    name,
    role,
    powered: true,
    processes,
    capacity,
    containers: new Map(),
    images: new Set(),
    proxyRules: new Map(),
    pullFactor: 1,
    lastLeaseRenew: NEVER,
    nextIp: 2,
    joined: !bare,
    installing: null,
    startingUntil: 0,
    mirrorRetryAt: 0,
  };
}

/** A process is installed on the machine (running or stopped); a bare server has none. */
export function isInstalled(m: Machine, p: ProcessName): boolean {
  return m.processes[p] !== undefined;
}

/** A process is running when the machine has power and the process has not been stopped. */
export function isRunning(m: Machine, p: ProcessName): boolean {
  return m.powered && m.processes[p] === true;
}

/**
 * Memory in use by the machine's live containers, MiB. With `settled`, containers already
 * stopping are left out: their memory is on its way back, so the kubelet does not evict for it.
 */
export function memoryInUse(m: Machine, settled = false): number {
  let sum = 0;
  for (const c of m.containers.values()) {
    if (settled && c.stopAt > 0) continue;
    if (c.state === "running" || c.state === "starting") sum += c.memoryUsage;
  }
  return sum;
}

/** True while a container on the machine is stopping (memory is being reclaimed). */
export function isReclaiming(m: Machine): boolean {
  for (const c of m.containers.values()) if (c.stopAt > 0) return true;
  return false;
}

/** The node is starving: so little memory is free that the kernel reclaims on every allocation. */
export function isThrashing(m: Machine): boolean {
  return m.powered && memoryInUse(m) >= MEMORY_THRASH_RATIO * m.capacity.memory;
}
