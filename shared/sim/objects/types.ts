/**
 * The cluster's API objects, shaped like Kubernetes' own (metadata / spec / status) so a learner
 * who later reads real manifests recognises them. These are what the API server stores in etcd;
 * objects are immutable values: every write replaces the object with a new one.
 */

/** CPU in millicores and memory in MiB. */
export interface Resources {
  cpu: number;
  memory: number;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid: string;
  /** The store revision at which this object was last written. */
  resourceVersion: number;
  /** Game time (ms) the object was created. */
  creationTimestamp: number;
  labels?: Record<string, string>;
  /** Bumped by every change to a deployment's spec (absent: 1), as Kubernetes' metadata.generation. */
  generation?: number;
  /** Kept as written (kubectl apply keeps its last-applied configuration here). */
  annotations?: Record<string, string>;
  ownerReferences?: { kind: "Deployment"; name: string }[];
  /** Set when deletion has begun and the object waits for its owner to finish it. */
  deletionTimestamp?: number;
}

export type NodeRole = "control-plane" | "worker";
export type ConditionStatus = "True" | "False" | "Unknown";

export interface NodeObject {
  kind: "Node";
  metadata: ObjectMeta;
  spec: {
    role: NodeRole;
    /** Cordoned: the scheduler must not place new pods here. */
    unschedulable: boolean;
  };
  status: {
    capacity: Resources;
    allocatable: Resources;
    ready: ConditionStatus;
    /** Why the Ready condition is what it is (KubeletReady, NodeStatusUnknown, …). */
    readyReason: string;
    /** Game time of the last Ready transition. */
    lastTransitionTime: number;
    /** Pod IP range of this node, e.g. 10.244.1.0/24 (its third octet). */
    podCidrIndex: number;
  };
}

/** A node's heartbeat: the kubelet renews it; the node controller reads it. */
export interface LeaseObject {
  kind: "Lease";
  metadata: ObjectMeta;
  spec: {
    holderIdentity: string;
    leaseDurationSeconds: number;
    renewTime: number;
  };
}

/** What one pod of a deployment runs and asks for. */
export interface PodTemplate {
  image: string;
  /** Resources the scheduler and kubelet reserve for the pod. */
  requests: Resources;
  /** Memory limit in MiB: a container above it is OOMKilled. */
  memoryLimit: number;
  /** Memory the container uses once started, MiB. */
  memoryUsage: number;
  /** Time from container start to ready, ms. */
  startupMs: number;
  /** Requests per second one ready pod can serve. */
  capacityRps: number;
}

export interface DeploymentObject {
  kind: "Deployment";
  metadata: ObjectMeta;
  spec: {
    replicas: number;
    /** The labels a pod must carry to count as this deployment's (matchLabels). */
    selector: Record<string, string>;
    /** The labels its pods are created with; absent: the selector's (every scenario's deployment). */
    templateLabels?: Record<string, string>;
    /** The container's name as a manifest gave it; absent: the app's name. */
    container?: string;
    template: PodTemplate;
  };
  status: {
    /** Pods that count toward replicas (not failed, not terminating). */
    replicas: number;
    readyReplicas: number;
    /** Of those, the pods made from the current template (absent: all; a rollout is under way when fewer). */
    updatedReplicas?: number;
    /**
     * The spec generation the deployment controller has acted on (absent: 1). Until it catches up
     * with metadata.generation, the status describes the old spec — `kubectl rollout status` waits.
     */
    observedGeneration?: number;
  };
}

/**
 * The game's pod phases. Kubernetes reports Scheduled and ContainerCreating as conditions of a
 * Pending pod; the game promotes them to phases so each step of the journey is visible.
 */
export type PodPhase = "Pending" | "Scheduled" | "ContainerCreating" | "Running" | "Succeeded" | "Failed" | "Terminating";

export const POD_PHASES: readonly PodPhase[] = ["Pending", "Scheduled", "ContainerCreating", "Running", "Succeeded", "Failed", "Terminating"];

export type PodReason =
  | ""
  | "Unschedulable"
  | "ErrImagePull"
  | "OOMKilled"
  | "OutOfcpu"
  | "OutOfmemory"
  | "Evicted"
  | "NodeLost"
  | "Error"
  | "CrashLoopBackOff"
  | "Killing";

export interface PodObject {
  kind: "Pod";
  metadata: ObjectMeta;
  spec: PodTemplate & {
    /** The node the scheduler bound the pod to; empty until then. */
    nodeName: string;
  };
  status: {
    phase: PodPhase;
    ready: boolean;
    reason: PodReason;
    message: string;
    restartCount: number;
    /** Pod IP once the runtime has created its sandbox. */
    podIP: string;
    /** Game time of each step of the lifecycle (NOT_YET = -1 until it happens). */
    scheduledAt: number;
    admittedAt: number;
    startedAt: number;
    readyAt: number;
    finishedAt: number;
    /** While a crashed container waits: the game time it may be restarted (CrashLoopBackOff); 0 when not waiting. */
    restartAfter: number;
  };
}

export interface ServiceObject {
  kind: "Service";
  metadata: ObjectMeta;
  spec: {
    /** Ready pods carrying every one of these labels are the service's endpoints. */
    selector: Record<string, string>;
    port: number;
    clusterIP: string;
    /**
     * Requests per second the outside world sends to a service created during the game (a
     * student's manifest); absent for a scenario's services, whose traffic the scenario scripts.
     */
    rps?: number;
  };
}

export interface EndpointAddress {
  pod: string;
  node: string;
  ip: string;
}

export interface EndpointsObject {
  kind: "Endpoints";
  metadata: ObjectMeta;
  /** Ready pods behind the service. */
  addresses: EndpointAddress[];
}

export type EventType = "Normal" | "Warning";

export interface EventObject {
  kind: "Event";
  metadata: ObjectMeta;
  /** What the event is about; uid when that object existed as the event was recorded. */
  involvedObject: { kind: string; name: string; uid?: string };
  reason: string;
  message: string;
  type: EventType;
  /** The component that reported it (default-scheduler, kubelet/node-1, …). */
  source: string;
  /** Game time it happened. */
  time: number;
}

export type ClusterObject = NodeObject | LeaseObject | DeploymentObject | PodObject | ServiceObject | EndpointsObject | EventObject;

export type ObjectKind = ClusterObject["kind"];

/** A lifecycle timestamp that has not happened yet. */
export const NOT_YET = -1;

/** The namespace every namespaced object of the game lives in. */
export const NAMESPACE = "default";
/** Kubernetes keeps node leases in their own namespace. */
export const LEASE_NAMESPACE = "kube-node-lease";
/** The control plane's own pods (the kubelets' mirror pods of their static pods) live here, apart from the game's. */
export const SYSTEM_NAMESPACE = "kube-system";

/** A pod that still counts as one of its deployment's replicas. */
export function isActivePod(pod: PodObject): boolean {
  return pod.status.phase !== "Failed" && pod.status.phase !== "Succeeded" && pod.metadata.deletionTimestamp === undefined;
}

/** A pod whose resources the kubelet has reserved on its node. */
export function holdsNodeResources(pod: PodObject): boolean {
  const p = pod.status.phase;
  return p === "ContainerCreating" || p === "Running" || (p === "Terminating" && pod.status.admittedAt >= 0);
}
