/**
 * The game's stored objects in the shape the Kubernetes API serves them (kind, apiVersion,
 * metadata, spec, status), so kubectl reads them as it reads a real cluster's. The game keeps
 * leaner objects (game-time milliseconds, millicores and MiB, its own pod phases); this is the
 * one place that translates, and it is pure: objects in, objects out.
 */
import type { ClusterObject, DeploymentObject, EndpointsObject, EventObject, ObjectMeta, PodObject, ServiceObject } from "../../shared/sim/objects/types.ts";
import { SYSTEM_NAMESPACE } from "../../shared/sim/objects/types.ts";
import { MAX_SURGE, podLabels } from "../../shared/sim/objects/rollout.ts";
import { DEFAULT_STARTUP_MS, NO_MEMORY_LIMIT } from "../../shared/sim/tuning.ts";
import { leaseToKube, nodeToKube } from "./convertNode.ts";
import { mirrorPodToKube } from "./convertMirror.ts";
import {
  CONTAINER_PORT,
  cpuQuantity,
  GameClock,
  humanDuration,
  memoryQuantity,
  meta,
  nodeIP,
  SERVER_VERSION,
  type KubeMeta,
  type KubeObject,
} from "./kubeBasics.ts";

export { CONTAINER_PORT, cpuQuantity, GameClock, humanDuration, memoryQuantity, meta, nodeIP, SERVER_VERSION, type KubeMeta, type KubeObject };

/** The address of the node a pod runs on, from the pod's IP (10.244.<node's range>.<n>). */
const hostIPOf = (podIP: string) => `10.0.0.${10 + Number(podIP.split(".")[2] ?? 0)}`;

function containerSpec(name: string, t: PodObject["spec"] | DeploymentObject["spec"]["template"]) {
  return {
    name,
    image: t.image,
    ports: [{ containerPort: CONTAINER_PORT, protocol: "TCP" }],
    resources: {
      requests: { cpu: cpuQuantity(t.requests.cpu), memory: memoryQuantity(t.requests.memory) },
      ...(t.memoryLimit < NO_MEMORY_LIMIT ? { limits: { memory: memoryQuantity(t.memoryLimit) } } : {}),
    },
    // The game's start-up time is what a readiness probe's initial delay is to a real pod.
    ...(t.startupMs === DEFAULT_STARTUP_MS
      ? {}
      : { readinessProbe: { tcpSocket: { port: CONTAINER_PORT }, initialDelaySeconds: Math.round(t.startupMs / 1000), periodSeconds: 1 } }),
    imagePullPolicy: "IfNotPresent",
  };
}

/** The container's name in every pod: the app's, as `kubectl create deployment` names it. */
/** The name of a pod's one container (its app label, as the scenarios' deployments name it). */
export const containerName = (p: { metadata: ObjectMeta }) => p.metadata.labels?.app ?? "app";

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
  if (p.metadata.namespace === SYSTEM_NAMESPACE) return mirrorPodToKube(p, clock);
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
  const labels = podLabels(d);
  const available = d.status.readyReplicas;
  return {
    kind: "Deployment",
    apiVersion: "apps/v1",
    metadata: meta(d.metadata, clock, { generation: d.metadata.generation ?? 1 }),
    spec: {
      replicas: d.spec.replicas,
      selector: { matchLabels: { ...d.spec.selector } },
      template: { metadata: { labels: { ...labels } }, spec: { containers: [containerSpec(d.spec.container ?? labels.app ?? "app", d.spec.template)] } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: MAX_SURGE } },
    },
    status: {
      observedGeneration: d.status.observedGeneration ?? 1,
      replicas: d.status.replicas,
      updatedReplicas: d.status.updatedReplicas ?? d.status.replicas,
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
    status: {
      replicas: d.status.replicas,
      selector: Object.entries(d.spec.selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(","),
    },
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
