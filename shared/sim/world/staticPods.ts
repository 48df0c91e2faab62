/**
 * The control plane as kubectl sees it in kube-system. In a kubeadm cluster the kube-apiserver,
 * etcd, kube-scheduler and kube-controller-manager are *static pods*: the kubelet of each
 * control-plane node starts them from manifest files in /etc/kubernetes/manifests, without the
 * API server, and then writes a *mirror pod* of each to the API server so that `kubectl get pods
 * -n kube-system` shows them. kube-proxy runs on every worker (kubeadm runs it as a DaemonSet;
 * the game serves no DaemonSets, so each worker's kubelet reports it as a static pod, as clusters
 * set up by hand run it).
 *
 * In the game the node agent (the kubelet process's own automatic work) writes the mirror pods
 * through the API server, and only when what it would write changes — so they are neither input
 * nor noise. Each is Running, and Ready while the game's process runs. A stopped process shows as
 * READY 0/1, STATUS CrashLoopBackOff, one more restart: on a real node a static pod's container
 * cannot be "stopped" (the kubelet restarts it at once), so a component that will not stay up is
 * what kubectl users meet as CrashLoopBackOff — the kubelet keeps restarting it and backs off.
 * The kubelet can only report while it runs and the API server can store (an api-server up, etcd
 * with quorum): a node whose kubelet is stopped or whose power is off keeps a stale mirror pod,
 * as in a real cluster (the truth view shows otherwise).
 *
 * Control-plane nodes have no kubelet process in the game (their processes are the four above):
 * the room plays their kubelet as a system component, always up while the machine has power.
 */
import { NOT_YET, SYSTEM_NAMESPACE, type PodObject } from "../objects/types.ts";
import type { NewObject } from "../objects/ClusterState.ts";
import { hash32, hashString } from "../random.ts";
import { NO_MEMORY_LIMIT } from "../tuning.ts";
import type { Machine, ProcessName } from "./Machine.ts";

/** The processes that run as static pods: the control plane's four and each worker's kube-proxy. */
export const STATIC_PROCESSES = ["api-server", "etcd", "scheduler", "controller-manager", "kube-proxy"] as const satisfies readonly ProcessName[];
export type StaticProcess = (typeof STATIC_PROCESSES)[number];

/** The Kubernetes version of the control-plane images: the version the rooms' API answers as (server/k8s/kubeBasics.ts). */
export const CONTROL_PLANE_VERSION = "v1.20.0";
/** How long the kubelet waits before writing a mirror pod again after the API server refused, ms. */
export const MIRROR_RETRY_MS = 1_000;
/** The annotation that marks a mirror pod (its value is the static pod manifest's hash). */
export const MIRROR_ANNOTATION = "kubernetes.io/config.mirror";

interface StaticPodDef {
  /** The component's name: the pod's name prefix, its container and its `component` label. */
  component: string;
  image: string;
  /** What kubeadm's manifest requests, millicores and MiB (0: none). */
  requests: { cpu: number; memory: number };
}

const STATIC_PODS: Record<StaticProcess, StaticPodDef> = {
  "api-server": { component: "kube-apiserver", image: `registry.k8s.io/kube-apiserver:${CONTROL_PLANE_VERSION}`, requests: { cpu: 250, memory: 0 } },
  etcd: { component: "etcd", image: "registry.k8s.io/etcd:3.4.13-0", requests: { cpu: 100, memory: 100 } },
  scheduler: { component: "kube-scheduler", image: `registry.k8s.io/kube-scheduler:${CONTROL_PLANE_VERSION}`, requests: { cpu: 100, memory: 0 } },
  "controller-manager": {
    component: "kube-controller-manager",
    image: `registry.k8s.io/kube-controller-manager:${CONTROL_PLANE_VERSION}`,
    requests: { cpu: 200, memory: 0 },
  },
  "kube-proxy": { component: "kube-proxy", image: `registry.k8s.io/kube-proxy:${CONTROL_PLANE_VERSION}`, requests: { cpu: 0, memory: 0 } },
};

/** The component a static process runs as: kube-apiserver, etcd, kube-proxy … */
export const componentOf = (p: StaticProcess) => STATIC_PODS[p].component;

/** A mirror pod's name, as the kubelet names it: the component and the node, e.g. etcd-cp-1. */
export const mirrorPodName = (p: StaticProcess, node: string) => `${STATIC_PODS[p].component}-${node}`;

const CONTROL_PLANE_STATIC: readonly StaticProcess[] = ["api-server", "etcd", "scheduler", "controller-manager"];
const WORKER_STATIC: readonly StaticProcess[] = ["kube-proxy"];

/** The static processes a machine runs, in the order its kubelet reports them. */
export function staticProcessesOf(m: Machine): readonly StaticProcess[] {
  return m.role === "control-plane" ? CONTROL_PLANE_STATIC : WORKER_STATIC;
}

/** A machine's static processes, each with its mirror pod's name (index for index). */
export interface MirrorPodsOfMachine {
  processes: readonly StaticProcess[];
  names: readonly string[];
}

/** Each machine's mirror pods, kept: the kubelet looks them up every tick. */
const mirrorPodsByMachine = new WeakMap<Machine, MirrorPodsOfMachine>();

/** A machine's static processes, each with its mirror pod's name. */
export function mirrorPodsOf(m: Machine): MirrorPodsOfMachine {
  let own = mirrorPodsByMachine.get(m);
  if (!own) {
    const processes = staticProcessesOf(m);
    mirrorPodsByMachine.set(m, (own = { processes, names: processes.map((p) => mirrorPodName(p, m.name)) }));
  }
  return own;
}

/** Whether a stored pod is a mirror pod (a kubelet's report of a static pod). */
export const isMirrorPod = (p: PodObject) => p.metadata.annotations?.[MIRROR_ANNOTATION] !== undefined;

/** The status a mirror pod should have: running, or (stopped) not ready in back-off with one more restart. */
export function mirrorStatus(pod: PodObject | undefined, p: StaticProcess, node: string, running: boolean, now: number): PodObject["status"] {
  const before = pod?.status;
  const name = mirrorPodName(p, node);
  /** The container (re)starts now: it runs and did not before. */
  const started = running && !before?.ready;
  return {
    phase: "Running",
    ready: running,
    reason: running ? "" : "CrashLoopBackOff",
    message: running ? "" : `back-off restarting failed container ${STATIC_PODS[p].component} in pod ${name}: the ${p} process on ${node} is stopped`,
    restartCount: (before?.restartCount ?? 0) + (before?.ready && !running ? 1 : 0),
    podIP: before?.podIP ?? "",
    scheduledAt: before?.scheduledAt ?? now,
    admittedAt: before?.admittedAt ?? now,
    startedAt: started ? now : (before?.startedAt ?? NOT_YET),
    readyAt: started ? now : (before?.readyAt ?? NOT_YET),
    finishedAt: NOT_YET,
    restartAfter: 0,
  };
}

/**
 * A new mirror pod for a static process of `node` (whose address is `hostIP`: static pods use the
 * host's network). Labels and annotations as kubeadm's manifests give them.
 */
export function newMirrorPod(p: StaticProcess, node: string, hostIP: string, running: boolean, now: number): NewObject<PodObject> {
  const def = STATIC_PODS[p];
  const labels: Record<string, string> = p === "kube-proxy" ? { "k8s-app": "kube-proxy" } : { component: def.component, tier: "control-plane" };
  const name = mirrorPodName(p, node);
  const status = mirrorStatus(undefined, p, node, running, now);
  return {
    kind: "Pod",
    metadata: {
      name,
      namespace: SYSTEM_NAMESPACE,
      labels,
      annotations: {
        [MIRROR_ANNOTATION]: manifestHash(name),
        "kubernetes.io/config.hash": manifestHash(name),
        "kubernetes.io/config.source": "file",
      },
    },
    spec: {
      image: def.image,
      requests: def.requests,
      memoryLimit: NO_MEMORY_LIMIT,
      memoryUsage: 0,
      startupMs: 0,
      capacityRps: 0,
      nodeName: node,
    },
    status: { ...status, podIP: hostIP },
  };
}

/** A stable stand-in for the manifest's hash (the real one is an md5 of the manifest file: 32 hex digits). */
function manifestHash(name: string): string {
  return [0, 1, 2, 3].map((i) => (hash32(hashString(name), i) >>> 0).toString(16).padStart(8, "0")).join("");
}
