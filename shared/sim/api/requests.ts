/**
 * Every change a component can ask of the API server, as one tagged union with a zod schema
 * (the written contract: the room validates client messages with these same schemas), and the
 * Kubernetes verb and path each one stands for.
 */
import { z } from "zod";
import { NAMESPACE, SYSTEM_NAMESPACE } from "../objects/types.ts";
import { mirrorPodName, STATIC_PROCESSES } from "../world/staticPods.ts";

const name = z
  .string()
  .min(1, "a name is required")
  .max(63, "names are at most 63 characters")
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "names are lower-case letters, digits and '-'");

const podStatusPatch = z.object({
  phase: z.enum(["ContainerCreating", "Running", "Failed", "Succeeded"]).optional(),
  ready: z.boolean().optional(),
  reason: z.enum(["", "Error", "OOMKilled", "CrashLoopBackOff", "Evicted", "Killing"]).optional(),
  message: z.string().max(200).optional(),
  podIP: z.string().max(20).optional(),
  startedAt: z.number().optional(),
  readyAt: z.number().optional(),
  finishedAt: z.number().optional(),
  restartAfter: z.number().optional(),
  restartCount: z.number().int().min(0).optional(),
});

const resources = z.object({ cpu: z.number().int().positive(), memory: z.number().int().positive() });

/** Most labels a selector or a template may carry. */
export const MAX_LABELS = 16;
/** Most characters all annotations of a workload may hold (kubectl's last-applied configuration lives there). */
export const MAX_ANNOTATION_CHARS = 16_000;

const labelMap = z.record(z.string().min(1).max(253), z.string().max(63)).refine((m) => Object.keys(m).length <= MAX_LABELS, `at most ${MAX_LABELS} labels`);
const annotations = z
  .record(z.string().min(1).max(253), z.string())
  .refine(
    (m) => Object.entries(m).reduce((n, [k, v]) => n + k.length + v.length, 0) <= MAX_ANNOTATION_CHARS,
    `annotations hold at most ${MAX_ANNOTATION_CHARS} characters`,
  );

/** A Deployment as a manifest describes it, in the game's units (millicores, MiB, ms). */
const deploymentSpec = z.object({
  name,
  replicas: z.number().int().min(0).max(1000),
  /** The Deployment's own labels (metadata.labels), as the manifest gives them. */
  labels: labelMap.optional(),
  /** The container's name in the manifest (kept for kubectl; the game runs one container per pod). */
  container: name.optional(),
  selector: labelMap,
  templateLabels: labelMap,
  image: z.string().min(1).max(200),
  requests: resources,
  /** Memory limit, MiB (at least the memory request). */
  memoryLimit: z.number().int().positive(),
  /** Time from container start to ready, ms (the readiness probe's initial delay). */
  startupMs: z.number().int().min(0).max(300_000),
  /** Requests per second one ready pod serves. */
  capacityRps: z.number().min(0.1).max(10_000),
  annotations: annotations.optional(),
});

/** A Service as a manifest describes it: which pods it selects, its port and the traffic it gets. */
const serviceSpec = z.object({
  name,
  selector: labelMap,
  port: z.number().int().min(1).max(65535),
  /** Requests per second the outside world sends it. */
  rps: z.number().min(0).max(10_000),
  annotations: annotations.optional(),
});

export const ApiRequestSchema = z.discriminatedUnion("type", [
  // scheduler
  z.object({ type: z.literal("bind"), pod: name, node: name }),
  // kubelet
  z.object({ type: z.literal("admit"), pod: name }),
  z.object({ type: z.literal("reject"), pod: name, reason: z.enum(["OutOfcpu", "OutOfmemory"]) }),
  z.object({ type: z.literal("restart"), pod: name }),
  z.object({ type: z.literal("evict"), pod: name }),
  // controller manager
  z.object({ type: z.literal("createPod"), deployment: name }),
  z.object({ type: z.literal("deletePod"), pod: name }),
  z.object({ type: z.literal("markNodeNotReady"), node: name }),
  z.object({ type: z.literal("evictNodePods"), node: name }),
  // kube-proxy
  z.object({ type: z.literal("syncRules"), node: name, service: name, mode: z.enum(["local-first", "spread"]) }),
  // cluster admin (the workshop host)
  z.object({ type: z.literal("scale"), deployment: name, replicas: z.number().int().min(0).max(1000) }),
  z.object({ type: z.literal("cordon"), node: name }),
  z.object({ type: z.literal("uncordon"), node: name }),
  z.object({ type: z.literal("deleteNode"), node: name }),
  z.object({ type: z.literal("createDeployment"), deployment: deploymentSpec }),
  z.object({ type: z.literal("updateDeployment"), deployment: deploymentSpec }),
  z.object({ type: z.literal("deleteDeployment"), deployment: name }),
  z.object({ type: z.literal("createService"), service: serviceSpec }),
  z.object({ type: z.literal("updateService"), service: serviceSpec }),
  z.object({ type: z.literal("deleteService"), service: name }),
  z.object({
    type: z.literal("createEvent"),
    involvedKind: z.string().min(1).max(30),
    involvedName: z.string().min(1).max(63),
    reason: z.string().min(1).max(60),
    message: z.string().min(1).max(300),
    warning: z.boolean(),
  }),
  // the node agent (the kubelet process's own automatic work)
  z.object({ type: z.literal("registerNode"), node: name, capacity: resources }),
  z.object({ type: z.literal("renewLease"), node: name }),
  z.object({
    type: z.literal("reportNodeStatus"),
    node: name,
    ready: z.enum(["True", "False"]),
    reason: z.string().max(60),
  }),
  z.object({ type: z.literal("reportPodStatus"), pod: name, status: podStatusPatch }),
  z.object({ type: z.literal("confirmPodDeletion"), pod: name }),
  // …and its mirror pods of the static pods it runs (world/staticPods.ts)
  z.object({ type: z.literal("createMirrorPod"), node: name, process: z.enum(STATIC_PROCESSES), running: z.boolean() }),
  z.object({ type: z.literal("reportMirrorPod"), node: name, process: z.enum(STATIC_PROCESSES), running: z.boolean() }),
  // controllers the room plays (endpoints controller, pod garbage collector)
  z.object({
    type: z.literal("updateEndpoints"),
    service: name,
    addresses: z.array(z.object({ pod: name, node: name, ip: z.string().max(20) })).max(1000),
  }),
  /** namespace kube-system: a mirror pod whose node is gone. */
  z.object({ type: z.literal("gcPod"), pod: name, namespace: z.literal(SYSTEM_NAMESPACE).optional() }),
  z.object({
    type: z.literal("updateDeploymentStatus"),
    deployment: name,
    replicas: z.number().int().min(0),
    readyReplicas: z.number().int().min(0),
    /** Pods made from the current template (absent: all of them). */
    updatedReplicas: z.number().int().min(0).optional(),
    observedGeneration: z.number().int().min(1).optional(),
  }),
]);

export type ApiRequest = z.infer<typeof ApiRequestSchema>;
export type RequestType = ApiRequest["type"];
export type PodStatusPatch = z.infer<typeof podStatusPatch>;
export type RequestOf<T extends RequestType> = Extract<ApiRequest, { type: T }>;
export type DeploymentSpec = z.infer<typeof deploymentSpec>;
export type ServiceSpec = z.infer<typeof serviceSpec>;

/** Requests that only read: served from the API server's cache even without etcd quorum. */
export const READ_ONLY: ReadonlySet<RequestType> = new Set<RequestType>(["syncRules"]);

const core = `/api/v1/namespaces/${NAMESPACE}`;
const apps = `/apis/apps/v1/namespaces/${NAMESPACE}`;

/** The Kubernetes HTTP verb and path a request stands for, as the API log shows it. */
export function httpOf(r: ApiRequest): { verb: string; path: string } {
  switch (r.type) {
    case "bind":
      return { verb: "POST", path: `${core}/pods/${r.pod}/binding` };
    case "admit":
    case "reject":
    case "restart":
    case "reportPodStatus":
      return { verb: "PATCH", path: `${core}/pods/${r.pod}/status` };
    // Node-pressure eviction is the kubelet failing the pod through its status, not the Eviction API.
    case "evict":
      return { verb: "PATCH", path: `${core}/pods/${r.pod}/status` };
    case "createPod":
      return { verb: "POST", path: `${core}/pods` };
    case "gcPod":
      return { verb: "DELETE", path: `/api/v1/namespaces/${r.namespace ?? NAMESPACE}/pods/${r.pod}` };
    case "deletePod":
    case "confirmPodDeletion":
      return { verb: "DELETE", path: `${core}/pods/${r.pod}` };
    case "createMirrorPod":
      return { verb: "POST", path: `/api/v1/namespaces/${SYSTEM_NAMESPACE}/pods` };
    case "reportMirrorPod":
      return { verb: "PATCH", path: `/api/v1/namespaces/${SYSTEM_NAMESPACE}/pods/${mirrorPodName(r.process, r.node)}/status` };
    case "markNodeNotReady":
    case "reportNodeStatus":
      return { verb: "PATCH", path: `/api/v1/nodes/${r.node}/status` };
    case "evictNodePods":
      return { verb: "DELETE", path: `${core}/pods?fieldSelector=spec.nodeName=${r.node}` };
    case "syncRules":
      return { verb: "GET", path: `${core}/endpoints/${r.service}` };
    case "scale":
      return { verb: "PATCH", path: `${apps}/deployments/${r.deployment}/scale` };
    case "cordon":
    case "uncordon":
      return { verb: "PATCH", path: `/api/v1/nodes/${r.node}` };
    case "deleteNode":
      return { verb: "DELETE", path: `/api/v1/nodes/${r.node}` };
    case "createDeployment":
      return { verb: "POST", path: `${apps}/deployments` };
    case "updateDeployment":
      return { verb: "PUT", path: `${apps}/deployments/${r.deployment.name}` };
    case "deleteDeployment":
      return { verb: "DELETE", path: `${apps}/deployments/${r.deployment}` };
    case "createService":
      return { verb: "POST", path: `${core}/services` };
    case "updateService":
      return { verb: "PUT", path: `${core}/services/${r.service.name}` };
    case "deleteService":
      return { verb: "DELETE", path: `${core}/services/${r.service}` };
    case "createEvent":
      return { verb: "POST", path: `${core}/events` };
    case "registerNode":
      return { verb: "POST", path: `/api/v1/nodes` };
    case "renewLease":
      return { verb: "PUT", path: `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${r.node}` };
    case "updateEndpoints":
      return { verb: "PUT", path: `${core}/endpoints/${r.service}` };
    case "updateDeploymentStatus":
      return { verb: "PUT", path: `${apps}/deployments/${r.deployment}/status` };
  }
}
