/**
 * The game's stored objects in the shape the Kubernetes API serves them (kind, apiVersion,
 * metadata, spec, status), so kubectl reads them as it reads a real cluster's. The game keeps
 * leaner objects (game-time milliseconds, millicores and MiB, its own pod phases); this is the
 * one place that translates, and it is pure: objects in, objects out.
 */
import type {
  ClusterObject,
  DeploymentObject,
  EndpointsObject,
  EventObject,
  NodeObject,
  ObjectMeta,
  PodObject,
  ServiceObject,
} from "../../shared/sim/objects/types.ts";
import { leaseToKube, nodeToKube } from "./convertNode.ts";

/** A Kubernetes object as JSON. */
export type KubeObject = { kind: string; apiVersion: string; metadata: KubeMeta } & Record<string, unknown>;

export interface KubeMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  [k: string]: unknown;
}

/** Turns game time into wall-clock timestamps: game time `now` is the wall-clock instant `wallNow`. */
export class GameClock {
  constructor(
    readonly gameNow: number,
    readonly wallNow: number,
  ) {}

  /** The wall-clock instant of a game time, ms. */
  wall(gameMs: number): number {
    return this.wallNow - (this.gameNow - gameMs);
  }

  /** RFC 3339 to the second, as Kubernetes writes timestamps. */
  iso(gameMs: number): string {
    return new Date(Math.floor(this.wall(gameMs) / 1000) * 1000).toISOString().replace(".000Z", "Z");
  }

  /** How long ago a game time was, as kubectl prints ages (5s, 3m20s, 2h…). */
  age(gameMs: number): string {
    return humanDuration(this.gameNow - gameMs);
  }
}

/** kubectl's HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

/** Millicores as a Kubernetes quantity: 250m, 2. */
export const cpuQuantity = (milli: number) => (milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`);
/** MiB as a Kubernetes quantity: 128Mi, 4Gi. */
export const memoryQuantity = (mib: number) => (mib % 1024 === 0 && mib > 0 ? `${mib / 1024}Gi` : `${mib}Mi`);

/** The port every game container listens on (services forward their port to it). */
export const CONTAINER_PORT = 8080;
/** The Kubernetes version the game's API answers as (kubectl's own version skew rules apply). */
export const SERVER_VERSION = { major: "1", minor: "20", gitVersion: "v1.20.0+cluster-crew" };

/** A node's address on the game's machine network, from its pod range's index. */
export const nodeIP = (node: NodeObject) => `10.0.0.${10 + node.status.podCidrIndex}`;
/** The address of the node a pod runs on, from the pod's IP (10.244.<node's range>.<n>). */
const hostIPOf = (podIP: string) => `10.0.0.${10 + Number(podIP.split(".")[2] ?? 0)}`;

export function meta(m: ObjectMeta, clock: GameClock, extra: Record<string, unknown> = {}): KubeMeta {
  return {
    name: m.name,
    ...(m.namespace ? { namespace: m.namespace } : {}),
    uid: m.uid,
    resourceVersion: String(m.resourceVersion),
    creationTimestamp: clock.iso(m.creationTimestamp),
    ...(m.labels ? { labels: { ...m.labels } } : {}),
    ...extra,
  };
}

function containerSpec(name: string, t: PodObject["spec"] | DeploymentObject["spec"]["template"]) {
  return {
    name,
    image: t.image,
    ports: [{ containerPort: CONTAINER_PORT, protocol: "TCP" }],
    resources: {
      requests: { cpu: cpuQuantity(t.requests.cpu), memory: memoryQuantity(t.requests.memory) },
      limits: { memory: memoryQuantity(t.memoryLimit) },
    },
    imagePullPolicy: "IfNotPresent",
  };
}

/** The container's name in every pod: the app's, as `kubectl create deployment` names it. */
const containerName = (p: { metadata: ObjectMeta }) => p.metadata.labels?.app ?? "app";

/** Kubernetes' pod phase: the game's Scheduled and ContainerCreating are Pending, Terminating keeps its phase. */
export function kubePhase(p: PodObject): "Pending" | "Running" | "Succeeded" | "Failed" {
  switch (p.status.phase) {
    case "Running":
      return "Running";
    case "Succeeded":
      return "Succeeded";
    case "Failed":
      return "Failed";
    case "Terminating":
      return p.status.startedAt >= 0 ? "Running" : "Pending";
    default:
      return "Pending";
  }
}

function containerState(p: PodObject, clock: GameClock): Record<string, unknown> {
  const s = p.status;
  const started = s.startedAt >= 0 ? clock.iso(s.startedAt) : undefined;
  const finished = s.finishedAt >= 0 ? clock.iso(s.finishedAt) : clock.iso(clock.gameNow);
  if (s.phase === "Failed") {
    return {
      terminated: {
        exitCode: s.reason === "OOMKilled" ? 137 : 1,
        reason: s.reason || "Error",
        ...(s.message ? { message: s.message } : {}),
        ...(started ? { startedAt: started } : {}),
        finishedAt: finished,
      },
    };
  }
  if (s.phase === "Succeeded") return { terminated: { exitCode: 0, reason: "Completed", ...(started ? { startedAt: started } : {}), finishedAt: finished } };
  if (s.reason === "CrashLoopBackOff" || s.restartAfter > 0) {
    return {
      waiting: { reason: "CrashLoopBackOff", message: s.message || `back-off restarting failed container ${containerName(p)} in pod ${p.metadata.name}` },
    };
  }
  if (s.reason === "ErrImagePull") return { waiting: { reason: "ErrImagePull", message: s.message } };
  if (started && (s.phase === "Running" || s.phase === "Terminating")) return { running: { startedAt: started } };
  return { waiting: { reason: "ContainerCreating" } };
}

function podToKube(p: PodObject, clock: GameClock): KubeObject {
  const s = p.status;
  const phase = kubePhase(p);
  const admitted = s.admittedAt >= 0;
  const bound = p.spec.nodeName !== "";
  const deleting = p.metadata.deletionTimestamp ?? (s.phase === "Terminating" ? Math.max(s.finishedAt, p.metadata.creationTimestamp) : undefined);
  const condition = (type: string, ok: boolean, at: number, reason?: string, message?: string) => ({
    type,
    status: ok ? "True" : "False",
    lastProbeTime: null,
    lastTransitionTime: clock.iso(Math.max(at, p.metadata.creationTimestamp)),
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  });
  const unschedulable = !bound && s.reason === "Unschedulable";
  const conditions = [
    ...(admitted ? [condition("Initialized", true, s.admittedAt)] : []),
    ...(admitted ? [condition("Ready", s.ready, s.ready ? s.readyAt : s.admittedAt, s.ready ? undefined : "ContainersNotReady")] : []),
    ...(admitted ? [condition("ContainersReady", s.ready, s.ready ? s.readyAt : s.admittedAt, s.ready ? undefined : "ContainersNotReady")] : []),
    condition(
      "PodScheduled",
      bound,
      bound ? s.scheduledAt : p.metadata.creationTimestamp,
      unschedulable ? "Unschedulable" : undefined,
      unschedulable ? s.message : undefined,
    ),
  ];
  const owner = p.metadata.ownerReferences?.[0];
  // Failed pods carry their reason (Evicted, OutOfcpu, NodeLost…) at pod level, as the kubelet writes it.
  const podReason = phase === "Failed" && s.reason && s.reason !== "Error" && s.reason !== "OOMKilled" ? s.reason : "";
  return {
    kind: "Pod",
    apiVersion: "v1",
    metadata: meta(p.metadata, clock, {
      ...(owner
        ? { ownerReferences: [{ apiVersion: "apps/v1", kind: owner.kind, name: owner.name, uid: "", controller: true, blockOwnerDeletion: true }] }
        : {}),
      ...(deleting !== undefined ? { deletionTimestamp: clock.iso(deleting), deletionGracePeriodSeconds: 30 } : {}),
    }),
    spec: {
      containers: [containerSpec(containerName(p), p.spec)],
      ...(bound ? { nodeName: p.spec.nodeName } : {}),
      restartPolicy: "Always",
      schedulerName: "default-scheduler",
      terminationGracePeriodSeconds: 30,
      tolerations: [
        { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
        { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
      ],
    },
    status: {
      phase,
      conditions,
      ...(podReason ? { reason: podReason, message: s.message } : {}),
      ...(s.podIP ? { hostIP: hostIPOf(s.podIP) } : {}),
      ...(s.podIP ? { podIP: s.podIP, podIPs: [{ ip: s.podIP }] } : {}),
      ...(admitted ? { startTime: clock.iso(s.admittedAt) } : {}),
      ...(admitted
        ? {
            containerStatuses: [
              {
                name: containerName(p),
                image: p.spec.image,
                imageID: "",
                ready: s.ready,
                started: s.startedAt >= 0 && s.phase === "Running",
                restartCount: s.restartCount,
                state: containerState(p, clock),
                ...(s.startedAt >= 0 ? { containerID: `containerd://${p.metadata.uid.replaceAll("-", "")}` } : {}),
              },
            ],
          }
        : {}),
      qosClass: "Burstable",
    },
  };
}

function deploymentToKube(d: DeploymentObject, clock: GameClock): KubeObject {
  const labels = { app: d.spec.selector.app };
  const available = d.status.readyReplicas;
  return {
    kind: "Deployment",
    apiVersion: "apps/v1",
    metadata: meta(d.metadata, clock, { generation: 1, labels }),
    spec: {
      replicas: d.spec.replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [containerSpec(d.spec.selector.app, d.spec.template)] } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } },
    },
    status: {
      observedGeneration: 1,
      replicas: d.status.replicas,
      updatedReplicas: d.status.replicas,
      readyReplicas: d.status.readyReplicas,
      availableReplicas: available,
      unavailableReplicas: Math.max(0, d.spec.replicas - available),
      conditions: [
        {
          type: "Available",
          status: available >= d.spec.replicas ? "True" : "False",
          reason: available >= d.spec.replicas ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
          message: available >= d.spec.replicas ? "Deployment has minimum availability." : "Deployment does not have minimum availability.",
        },
      ],
    },
  };
}

/** The scale subresource of a deployment (autoscaling/v1 Scale), what `kubectl scale` reads and patches. */
export function scaleOf(d: DeploymentObject, clock: GameClock): KubeObject {
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: meta(d.metadata, clock),
    spec: { replicas: d.spec.replicas },
    status: { replicas: d.status.replicas, selector: `app=${d.spec.selector.app}` },
  };
}

function serviceToKube(s: ServiceObject, clock: GameClock): KubeObject {
  return {
    kind: "Service",
    apiVersion: "v1",
    metadata: meta(s.metadata, clock),
    spec: {
      // Requests from the outside world reach the nodes through a load balancer; kube-proxy forwards them.
      type: "LoadBalancer",
      selector: { ...s.spec.selector },
      clusterIP: s.spec.clusterIP,
      clusterIPs: [s.spec.clusterIP],
      ports: [{ protocol: "TCP", port: s.spec.port, targetPort: CONTAINER_PORT, nodePort: 30000 + (s.spec.port % 2768) }],
      sessionAffinity: "None",
      externalTrafficPolicy: "Cluster",
    },
    status: { loadBalancer: { ingress: [{ ip: "203.0.113.10" }] } },
  };
}

function endpointsToKube(e: EndpointsObject, clock: GameClock): KubeObject {
  return {
    kind: "Endpoints",
    apiVersion: "v1",
    metadata: meta(e.metadata, clock),
    subsets: e.addresses.length
      ? [
          {
            addresses: e.addresses.map((a) => ({ ip: a.ip, nodeName: a.node, targetRef: { kind: "Pod", namespace: e.metadata.namespace, name: a.pod } })),
            ports: [{ port: CONTAINER_PORT, protocol: "TCP" }],
          },
        ]
      : [],
  };
}

/** Components report events under their Kubernetes names: kubelet/node-1 → kubelet on host node-1. */
function eventSource(source: string): { component: string; host?: string } {
  const [component, host] = source.split("/");
  return host ? { component, host } : { component };
}

function eventToKube(e: EventObject, clock: GameClock): KubeObject {
  const namespaced = e.involvedObject.kind !== "Node" && e.involvedObject.kind !== "Cluster";
  return {
    kind: "Event",
    apiVersion: "v1",
    metadata: meta(e.metadata, clock),
    involvedObject: {
      kind: e.involvedObject.kind,
      name: e.involvedObject.name,
      ...(namespaced ? { namespace: e.metadata.namespace } : {}),
      // The kubelet names a node by its name where an object's uid would be; kubectl describe node looks for that.
      ...(e.involvedObject.kind === "Node" ? { uid: e.involvedObject.name } : e.involvedObject.uid ? { uid: e.involvedObject.uid } : {}),
      apiVersion: e.involvedObject.kind === "Deployment" ? "apps/v1" : "v1",
    },
    reason: e.reason,
    message: e.message,
    type: e.type,
    count: 1,
    firstTimestamp: clock.iso(e.time),
    lastTimestamp: clock.iso(e.time),
    source: eventSource(e.source),
    reportingComponent: eventSource(e.source).component,
    reportingInstance: eventSource(e.source).host ?? "",
  };
}

/** Any stored game object as Kubernetes serves it. */
export function toKube(obj: ClusterObject, clock: GameClock): KubeObject {
  switch (obj.kind) {
    case "Node":
      return nodeToKube(obj, clock);
    case "Lease":
      return leaseToKube(obj, clock);
    case "Pod":
      return podToKube(obj, clock);
    case "Deployment":
      return deploymentToKube(obj, clock);
    case "Service":
      return serviceToKube(obj, clock);
    case "Endpoints":
      return endpointsToKube(obj, clock);
    case "Event":
      return eventToKube(obj, clock);
  }
}
