/**
 * What `kubectl top` shows: the CPU and memory the simulation's nodes and pods use now, as
 * metrics-server would gather them from the kubelets (in Kubernetes these are not stored in etcd
 * either: the API server asks for them). Built in the room, from the simulation's machines; the
 * API turns them into NodeMetrics and PodMetrics (metrics.k8s.io/v1beta1).
 *
 * The rule, since the simulation has no CPU of its own:
 * - memory is the container's memory in use (it grows with a leak until the OOM kill);
 * - a running container's CPU is its CPU request × (IDLE_CPU_SHARE + the rest × its load), its
 *   load the requests it served over the last SERVED_INTERVAL_MS to 2 × SERVED_INTERVAL_MS
 *   (metrics-server's window is of that size) divided by what it can serve in that time; on a
 *   node starving for memory the kernel's reclaim keeps it at its whole request; a container
 *   starting up uses STARTUP_CPU_SHARE of its request;
 * - a node uses what its containers use plus its own processes' (SYSTEM_USAGE, each running one).
 * Only what a kubelet can report appears: nodes that are powered and whose kubelet runs (a
 * control-plane node always), running and starting containers on them.
 */
import type { ClusterState } from "../../shared/sim/objects/ClusterState.ts";
import { NAMESPACE, type Resources } from "../../shared/sim/objects/types.ts";
import { isRunning, isThrashing, SERVED_INTERVAL_MS, type Container, type Machine, type ProcessName } from "../../shared/sim/world/Machine.ts";
import type { World } from "../../shared/sim/world/World.ts";
import { containerName } from "./convert.ts";
import { nodeLabels } from "./convertNode.ts";

/** Share of its CPU request an idle running container uses. */
export const IDLE_CPU_SHARE = 0.05;
/** Share of its CPU request a container uses while it starts up. */
export const STARTUP_CPU_SHARE = 0.5;
/** CPU (millicores) and memory (MiB) each of a node's own processes uses while it runs. */
export const SYSTEM_USAGE: Record<ProcessName, Resources> = {
  "container-runtime": { cpu: 15, memory: 40 },
  kubelet: { cpu: 30, memory: 60 },
  "kube-proxy": { cpu: 5, memory: 20 },
  "api-server": { cpu: 120, memory: 250 },
  scheduler: { cpu: 15, memory: 30 },
  "controller-manager": { cpu: 30, memory: 50 },
  etcd: { cpu: 50, memory: 100 },
};
/** Most pods reported at once (a game holds far fewer). */
export const MAX_USAGE_PODS = 2_000;

export interface Usage {
  name: string;
  /** The node's or pod's labels, for `kubectl top -l` (metrics-server copies them onto its metrics). */
  labels: Record<string, string>;
  /** Millicores. */
  cpu: number;
  /** MiB. */
  memory: number;
}

export interface PodUsage extends Usage {
  namespace: string;
  container: string;
}

/** Everything `kubectl top` can ask for, at one game time, over one window. */
export interface UsageReport {
  at: number;
  windowMs: number;
  nodes: Usage[];
  pods: PodUsage[];
}

/** Requests served over the last whole interval and the current one, per second. */
function servedRate(c: Container, now: number): number {
  const t = c.served;
  if (!t) return 0;
  const current = Math.floor((now - t.run) / SERVED_INTERVAL_MS);
  let sum = 0;
  for (let i = Math.max(current - 1, t.first); i <= current && i - t.first < t.counts.length; i++) sum += t.counts[i - t.first];
  const windowMs = Math.min(now - t.run, SERVED_INTERVAL_MS + ((now - t.run) % SERVED_INTERVAL_MS));
  return windowMs > 0 ? (sum * 1000) / windowMs : 0;
}

/** One container's CPU use, millicores (at least 1: a live process is never at zero). */
export function containerCpu(c: Container, requestCpu: number, now: number, thrashing: boolean): number {
  if (c.state === "starting") return Math.max(1, Math.round(requestCpu * STARTUP_CPU_SHARE));
  const load = thrashing ? 1 : c.capacityRps > 0 ? Math.min(1, servedRate(c, now) / c.capacityRps) : 0;
  return Math.max(1, Math.round(requestCpu * (IDLE_CPU_SHARE + (1 - IDLE_CPU_SHARE) * load)));
}

/** A kubelet answers metrics-server: the node is on and (on a worker) joined with its kubelet running. */
function reports(m: Machine): boolean {
  return m.powered && (m.role === "control-plane" || (m.joined && isRunning(m, "kubelet")));
}

export function usageReport(state: ClusterState, world: World, now: number): UsageReport {
  const nodes: Usage[] = [];
  const pods: PodUsage[] = [];
  for (const m of world.machines.values()) {
    const node = state.nodes.get(m.name);
    if (!reports(m) || !node) continue;
    const thrashing = isThrashing(m);
    let cpu = 0;
    let memory = 0;
    for (const [p, on] of Object.entries(m.processes)) {
      if (!on) continue;
      cpu += SYSTEM_USAGE[p as ProcessName].cpu;
      memory += SYSTEM_USAGE[p as ProcessName].memory;
    }
    for (const c of m.containers.values()) {
      if (c.state !== "running" && c.state !== "starting") continue;
      const pod = state.pods.get(c.pod);
      const use = containerCpu(c, pod?.spec.requests.cpu ?? 0, now, thrashing);
      cpu += use;
      memory += c.memoryUsage;
      if (pod && pods.length < MAX_USAGE_PODS)
        pods.push({
          name: c.pod,
          labels: { ...pod.metadata.labels },
          namespace: pod.metadata.namespace ?? NAMESPACE,
          container: containerName(pod),
          cpu: use,
          memory: Math.round(c.memoryUsage),
        });
    }
    nodes.push({ name: m.name, labels: nodeLabels(node), cpu, memory: Math.round(memory) });
  }
  nodes.sort((a, b) => a.name.localeCompare(b.name));
  pods.sort((a, b) => a.name.localeCompare(b.name));
  return { at: now, windowMs: 2 * SERVED_INTERVAL_MS, nodes, pods };
}
