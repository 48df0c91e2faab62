/**
 * The API resources a room serves, described once: their names and kinds for discovery, where
 * the game stores them, the fields a field selector may name, and the columns `kubectl get`
 * prints (the server prints tables, as a real API server does since Kubernetes 1.11).
 */
import type { ObjectKind } from "../../shared/sim/objects/types.ts";
import { humanDuration, type KubeObject } from "./convert.ts";

export interface Column {
  name: string;
  type: "string" | "integer" | "date";
  format?: string;
  description: string;
  /** 0: always printed; 1: only with -o wide. */
  priority: 0 | 1;
}

export interface ResourceDef {
  /** Plural, as in the URL. */
  name: string;
  singularName: string;
  kind: string;
  /** "" for the core group. */
  group: string;
  version: string;
  namespaced: boolean;
  shortNames: string[];
  verbs: string[];
  /** The game kind stored for it; namespaces are not stored (the game has a fixed set). */
  stored?: ObjectKind;
  columns: Column[];
  /** The table cells of an object; `now` is the wall clock, ms. */
  cells(o: KubeObject, now: number): unknown[];
  /** The fields a field selector may match, beyond metadata.name and metadata.namespace, and how to read each. */
  fields: Record<string, (o: KubeObject) => string>;
}

type Any = Record<string, any>;

const col = (name: string, description: string, priority: 0 | 1 = 0, type: Column["type"] = "string"): Column => ({
  name,
  type,
  ...(name === "Name" ? { format: "name" } : {}),
  description,
  priority,
});

const NAME = col("Name", "Name must be unique within a namespace.");
const AGE = col("Age", "CreationTimestamp is a timestamp representing the server time when this object was created.");
const age = (o: KubeObject, now: number) => (o.metadata.creationTimestamp ? humanDuration(now - Date.parse(o.metadata.creationTimestamp)) : "<unknown>");

/** What `kubectl get pods` prints as STATUS, by kubectl's own rules. */
export function podStatusText(pod: KubeObject): string {
  const status = pod.status as Any;
  let reason: string = status.reason || status.phase;
  for (const c of (status.containerStatuses ?? []) as Any[]) {
    if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
    else if (c.state?.terminated?.reason) reason = c.state.terminated.reason;
  }
  if (pod.metadata.deletionTimestamp && status.reason === "NodeLost") return "Unknown";
  if (pod.metadata.deletionTimestamp) return "Terminating";
  return reason;
}

function podCells(o: KubeObject, now: number): unknown[] {
  const s = o.status as Any;
  const cs = (s.containerStatuses ?? []) as Any[];
  const ready = cs.filter((c) => c.ready).length;
  const restarts = cs.reduce((n, c) => n + (c.restartCount ?? 0), 0);
  const spec = o.spec as Any;
  return [
    o.metadata.name,
    `${ready}/${spec.containers.length}`,
    podStatusText(o),
    restarts,
    age(o, now),
    s.podIP ?? "<none>",
    spec.nodeName ?? "<none>",
    "<none>",
    "<none>",
  ];
}

function nodeCells(o: KubeObject, now: number): unknown[] {
  const s = o.status as Any;
  const spec = o.spec as Any;
  const ready = (s.conditions as Any[]).find((c) => c.type === "Ready")?.status;
  // As kubectl prints it: any Ready condition but True (False or Unknown) is "NotReady".
  const status = [ready === "True" ? "Ready" : "NotReady", ...(spec.unschedulable ? ["SchedulingDisabled"] : [])].join(",");
  const roles = Object.keys(o.metadata.labels as Record<string, string>)
    .filter((l) => l.startsWith("node-role.kubernetes.io/"))
    .map((l) => l.slice("node-role.kubernetes.io/".length))
    .join(",");
  const ip = (s.addresses as Any[]).find((a) => a.type === "InternalIP")?.address ?? "<none>";
  const info = s.nodeInfo as Any;
  return [
    o.metadata.name,
    status,
    roles || "<none>",
    age(o, now),
    info.kubeletVersion,
    ip,
    "<none>",
    info.osImage,
    info.kernelVersion,
    info.containerRuntimeVersion,
  ];
}

function deploymentCells(o: KubeObject, now: number): unknown[] {
  const s = o.status as Any;
  const spec = o.spec as Any;
  const containers = spec.template.spec.containers as Any[];
  const selector = Object.entries(spec.selector.matchLabels as Record<string, string>)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  return [
    o.metadata.name,
    `${s.readyReplicas ?? 0}/${spec.replicas}`,
    s.updatedReplicas ?? 0,
    s.availableReplicas ?? 0,
    age(o, now),
    containers.map((c) => c.name).join(","),
    containers.map((c) => c.image).join(","),
    selector,
  ];
}

function serviceCells(o: KubeObject, now: number): unknown[] {
  const spec = o.spec as Any;
  const ingress = ((o.status as Any).loadBalancer?.ingress ?? []) as Any[];
  const ports = (spec.ports as Any[]).map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ""}/${p.protocol}`).join(",");
  const selector = Object.entries(spec.selector as Record<string, string>)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  return [o.metadata.name, spec.type, spec.clusterIP, ingress.map((i) => i.ip).join(",") || "<none>", ports, age(o, now), selector];
}

function endpointsCells(o: KubeObject, now: number): unknown[] {
  const all = ((o.subsets ?? []) as Any[]).flatMap((s) => (s.addresses as Any[]).flatMap((a) => (s.ports as Any[]).map((p) => `${a.ip}:${p.port}`)));
  const shown = all.slice(0, 3).join(",") + (all.length > 3 ? ` + ${all.length - 3} more...` : "");
  return [o.metadata.name, shown || "<none>", age(o, now)];
}

function eventCells(o: KubeObject, now: number): unknown[] {
  const io = o.involvedObject as Any;
  const src = o.source as Any;
  const last = humanDuration(now - Date.parse(o.lastTimestamp as string));
  return [
    last,
    o.type,
    o.reason,
    `${String(io.kind).toLowerCase()}/${io.name}`,
    o.message,
    [src.component, src.host].filter(Boolean).join(", "),
    humanDuration(now - Date.parse(o.firstTimestamp as string)),
    o.count,
    o.metadata.name,
  ];
}

function leaseCells(o: KubeObject, now: number): unknown[] {
  return [o.metadata.name, (o.spec as Any).holderIdentity ?? "", age(o, now)];
}

function namespaceCells(o: KubeObject, now: number): unknown[] {
  return [o.metadata.name, (o.status as Any).phase, age(o, now)];
}

const READ = ["get", "list", "watch"];

export const RESOURCES: ResourceDef[] = [
  {
    name: "pods",
    singularName: "pod",
    kind: "Pod",
    group: "",
    version: "v1",
    namespaced: true,
    shortNames: ["po"],
    verbs: ["create", "delete", ...READ],
    stored: "Pod",
    columns: [
      NAME,
      col("Ready", "The aggregate readiness state of this pod for accepting traffic."),
      col("Status", "The aggregate status of the containers in this pod."),
      col("Restarts", "The number of times the containers in this pod have been restarted.", 0, "integer"),
      AGE,
      col("IP", "IP address allocated to the pod.", 1),
      col("Node", "Name of the node the pod is bound to.", 1),
      col("Nominated Node", "Name of the node where the pod is nominated to run.", 1),
      col("Readiness Gates", "Pod readiness gates.", 1),
    ],
    cells: podCells,
    fields: {
      "spec.nodeName": (o) => (o.spec as Any).nodeName ?? "",
      "status.phase": (o) => (o.status as Any).phase,
      "status.podIP": (o) => (o.status as Any).podIP ?? "",
      "spec.schedulerName": () => "default-scheduler",
      "spec.restartPolicy": () => "Always",
    },
  },
  {
    name: "nodes",
    singularName: "node",
    kind: "Node",
    group: "",
    version: "v1",
    namespaced: false,
    shortNames: ["no"],
    verbs: ["patch", "update", ...READ],
    stored: "Node",
    columns: [
      NAME,
      col("Status", "The status of the node."),
      col("Roles", "The roles of the node."),
      AGE,
      col("Version", "Kubelet version."),
      col("Internal-IP", "The node's internal IP address.", 1),
      col("External-IP", "The node's external IP address.", 1),
      col("OS-Image", "The OS image reported by the node.", 1),
      col("Kernel-Version", "The kernel version reported by the node.", 1),
      col("Container-Runtime", "The container runtime reported by the node.", 1),
    ],
    cells: nodeCells,
    fields: { "spec.unschedulable": (o) => String((o.spec as Any).unschedulable === true) },
  },
  {
    name: "services",
    singularName: "service",
    kind: "Service",
    group: "",
    version: "v1",
    namespaced: true,
    shortNames: ["svc"],
    verbs: ["create", "delete", "patch", "update", ...READ],
    stored: "Service",
    columns: [
      NAME,
      col("Type", "The type of the service."),
      col("Cluster-IP", "The cluster IP of the service."),
      col("External-IP", "The external IP of the service."),
      col("Port(s)", "The ports of the service."),
      AGE,
      col("Selector", "The pods the service sends traffic to.", 1),
    ],
    cells: serviceCells,
    fields: {},
  },
  {
    name: "endpoints",
    singularName: "endpoints",
    kind: "Endpoints",
    group: "",
    version: "v1",
    namespaced: true,
    shortNames: ["ep"],
    verbs: READ,
    stored: "Endpoints",
    columns: [NAME, col("Endpoints", "The ready pod addresses behind the service."), AGE],
    cells: endpointsCells,
    fields: {},
  },
  {
    name: "events",
    singularName: "event",
    kind: "Event",
    group: "",
    version: "v1",
    namespaced: true,
    shortNames: ["ev"],
    verbs: READ,
    stored: "Event",
    columns: [
      col("Last Seen", "When the event was last seen."),
      col("Type", "Normal or Warning."),
      col("Reason", "Why the event happened."),
      col("Object", "The object the event is about."),
      col("Message", "What happened."),
      col("Source", "The component that reported it.", 1),
      col("First Seen", "When the event was first seen.", 1),
      col("Count", "How often it happened.", 1, "integer"),
      col("Name", "The event's name.", 1),
    ],
    cells: eventCells,
    fields: {
      "involvedObject.kind": (o) => (o.involvedObject as Any).kind ?? "",
      "involvedObject.name": (o) => (o.involvedObject as Any).name ?? "",
      "involvedObject.namespace": (o) => (o.involvedObject as Any).namespace ?? "",
      "involvedObject.uid": (o) => (o.involvedObject as Any).uid ?? "",
      "involvedObject.apiVersion": (o) => (o.involvedObject as Any).apiVersion ?? "",
      "involvedObject.resourceVersion": () => "",
      "involvedObject.fieldPath": () => "",
      reason: (o) => String(o.reason),
      type: (o) => String(o.type),
      source: (o) => (o.source as Any).component ?? "",
    },
  },
  {
    name: "namespaces",
    singularName: "namespace",
    kind: "Namespace",
    group: "",
    version: "v1",
    namespaced: false,
    shortNames: ["ns"],
    verbs: READ,
    columns: [NAME, col("Status", "The phase of the namespace."), AGE],
    cells: namespaceCells,
    fields: { "status.phase": (o) => (o.status as Any).phase },
  },
  {
    name: "deployments",
    singularName: "deployment",
    kind: "Deployment",
    group: "apps",
    version: "v1",
    namespaced: true,
    shortNames: ["deploy"],
    verbs: ["create", "delete", "patch", "update", ...READ],
    stored: "Deployment",
    columns: [
      NAME,
      col("Ready", "Number of the pod with ready state."),
      col("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have the desired template spec.", 0, "integer"),
      col("Available", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.", 0, "integer"),
      AGE,
      col("Containers", "Names of each container in the template.", 1),
      col("Images", "Images referenced by each container in the template.", 1),
      col("Selector", "Label selector for pods.", 1),
    ],
    cells: deploymentCells,
    fields: {},
  },
  {
    name: "leases",
    singularName: "lease",
    kind: "Lease",
    group: "coordination.k8s.io",
    version: "v1",
    namespaced: true,
    shortNames: [],
    verbs: READ,
    stored: "Lease",
    columns: [NAME, col("Holder", "The holder of the lease: the node's kubelet renews it as its heartbeat."), AGE],
    cells: leaseCells,
    fields: {},
  },
];

/** Subresources served besides the resources themselves. */
export const SUBRESOURCES = [
  { group: "", version: "v1", name: "pods/binding", kind: "Binding", namespaced: true, verbs: ["create"] },
  { group: "", version: "v1", name: "pods/status", kind: "Pod", namespaced: true, verbs: ["get"] },
  // kubectl logs: the room answers it (logsApi.ts), as a kubelet does.
  { group: "", version: "v1", name: "pods/log", kind: "Pod", namespaced: true, verbs: ["get"] },
  { group: "", version: "v1", name: "nodes/status", kind: "Node", namespaced: false, verbs: ["get"] },
  { group: "apps", version: "v1", name: "deployments/status", kind: "Deployment", namespaced: true, verbs: ["get"] },
  // The scale subresource is served as autoscaling/v1 Scale: kubectl's scale client reads this.
  {
    group: "apps",
    version: "v1",
    name: "deployments/scale",
    kind: "Scale",
    namespaced: true,
    verbs: ["get", "patch", "update"],
    scaleGroup: "autoscaling",
    scaleVersion: "v1",
  },
] as const;

/** The namespaces the game has: the app's, the node leases', and the system ones kubectl expects. */
export const NAMESPACES = ["default", "kube-node-lease", "kube-public", "kube-system"];

export function resourceAt(group: string, version: string, name: string): ResourceDef | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.name === name);
}

/** A namespace object (the game's namespaces exist from the start and never change). */
export function namespaceObject(name: string, created: string): KubeObject {
  return {
    kind: "Namespace",
    apiVersion: "v1",
    metadata: {
      name,
      uid: `00000000-0000-4000-9000-${String(NAMESPACES.indexOf(name) + 1).padStart(12, "0")}`,
      resourceVersion: "1",
      creationTimestamp: created,
      labels: { "kubernetes.io/metadata.name": name },
    },
    spec: { finalizers: ["kubernetes"] },
    status: { phase: "Active" },
  };
}
