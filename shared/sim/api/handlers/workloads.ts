/**
 * Workloads written during the game (what `kubectl apply -f app.yaml` asks for): create, change
 * and delete a Deployment and a Service. Each request is checked whole first and answered with a
 * 422 naming every failing field, as the real API server lists them in details.causes; only an
 * accepted request writes. The pods themselves are still the controller manager's to create, the
 * scheduler's to place and the kubelets' to start.
 */
import type { DeploymentObject, ServiceObject } from "../../objects/types.ts";
import { NAMESPACE } from "../../objects/types.ts";
import { matchesSelector } from "../../objects/rollout.ts";
import { MAX_TOTAL_REPLICAS, MAX_WORKLOADS, SERVICE_RPS_ANNOTATION } from "../../tuning.ts";
import { formatCpu, formatMemory, type HandlerContext } from "../context.ts";
import type { DeploymentSpec, RequestOf, ServiceSpec } from "../requests.ts";
import { alreadyExists, forbidden, invalidFields, notFound, ok, type ApiFailure, type ApiResult, type FieldCause } from "../status.ts";
import { beginDeletion } from "./pods.ts";
import { nextGeneration } from "./deployments.ts";

const CONTAINER = "spec.template.spec.containers[0]";
/** First cluster IP handed to a service created during the game (the scenario's start at .10). */
const FIRST_SERVICE_IP = 10;
/** Last host number of the service range the game hands out (10.96.0.0/24). */
const LAST_SERVICE_IP = 254;

const labelsText = (m: Record<string, string>) =>
  `map[${Object.entries(m)
    .map(([k, v]) => `${k}:${v}`)
    .join(" ")}]`;

/** The largest allocatable CPU and memory any worker node offers, or undefined with no worker. */
function largestWorker(ctx: HandlerContext): { cpu: number; memory: number } | undefined {
  let cpu = 0;
  let memory = 0;
  let any = false;
  for (const n of ctx.state.nodes.values()) {
    if (n.spec.role !== "worker") continue;
    any = true;
    cpu = Math.max(cpu, n.status.allocatable.cpu);
    memory = Math.max(memory, n.status.allocatable.memory);
  }
  return any ? { cpu, memory } : undefined;
}

/** Every field of a deployment spec the API server refuses, one cause each. */
function deploymentCauses(ctx: HandlerContext, d: DeploymentSpec, current?: DeploymentObject): FieldCause[] {
  const causes: FieldCause[] = [];
  if (Object.keys(d.selector).length === 0) causes.push({ field: "spec.selector", message: "Required value" });
  else if (!matchesSelector(d.templateLabels, d.selector)) {
    causes.push({
      field: "spec.template.metadata.labels",
      message: `Invalid value: ${labelsText(d.templateLabels)}: \`selector\` does not match template \`labels\``,
    });
  }
  if (current && Object.keys(d.selector).length > 0 && labelsText(d.selector) !== labelsText(current.spec.selector)) {
    causes.push({ field: "spec.selector", message: `Invalid value: ${labelsText(d.selector)}: field is immutable` });
  }
  const big = largestWorker(ctx);
  const real = "(a real API server accepts it, and its pods stay Pending: no node can ever fit them)";
  if (big && d.requests.cpu > big.cpu) {
    causes.push({
      field: `${CONTAINER}.resources.requests[cpu]`,
      message: `Invalid value: "${d.requests.cpu}m": larger than any node: the biggest worker has ${formatCpu(big.cpu)} allocatable ${real}`,
    });
  }
  if (big && d.requests.memory > big.memory) {
    causes.push({
      field: `${CONTAINER}.resources.requests[memory]`,
      message: `Invalid value: "${d.requests.memory}Mi": larger than any node: the biggest worker has ${formatMemory(big.memory)} allocatable ${real}`,
    });
  }
  if (d.memoryLimit < d.requests.memory) {
    causes.push({
      field: `${CONTAINER}.resources.requests[memory]`,
      message: `Invalid value: "${d.requests.memory}Mi": must be less than or equal to memory limit of ${d.memoryLimit}Mi`,
    });
  }
  return causes;
}

/**
 * The game's quota (a real namespace has a ResourceQuota for this): at most MAX_WORKLOADS
 * deployments and MAX_TOTAL_REPLICAS replicas wanted in all, so no manifest can swamp a room.
 */
function overQuota(ctx: HandlerContext, d: DeploymentSpec): ApiFailure | undefined {
  let replicas = d.replicas;
  for (const other of ctx.state.deployments.values()) if (other.metadata.name !== d.name) replicas += other.spec.replicas;
  if (!ctx.state.deployments.has(d.name) && ctx.state.deployments.size >= MAX_WORKLOADS) {
    return forbidden(`deployments.apps "${d.name}" is forbidden: exceeded quota: the game's cluster holds at most ${MAX_WORKLOADS} deployments`);
  }
  if (replicas > MAX_TOTAL_REPLICAS) {
    return forbidden(
      `deployments.apps "${d.name}" is forbidden: exceeded quota: all deployments together may want at most ${MAX_TOTAL_REPLICAS} replicas (this would make ${replicas})`,
    );
  }
  return undefined;
}

function deploymentObject(d: DeploymentSpec): Pick<DeploymentObject, "spec"> & { labels?: Record<string, string> } {
  return {
    ...(d.labels && Object.keys(d.labels).length ? { labels: { ...d.labels } } : {}),
    spec: {
      replicas: d.replicas,
      selector: { ...d.selector },
      templateLabels: { ...d.templateLabels },
      ...(d.container ? { container: d.container } : {}),
      // A pod uses the memory it asked for: the game's manifests do not leak.
      template: {
        image: d.image,
        requests: { ...d.requests },
        memoryLimit: d.memoryLimit,
        memoryUsage: d.requests.memory,
        startupMs: d.startupMs,
        capacityRps: d.capacityRps,
      },
    },
  };
}

function deploymentEvent(ctx: HandlerContext, name: string, reason: string, message: string): void {
  ctx.state.recordEvent(
    { involvedObject: { kind: "Deployment", name }, reason, message, type: "Normal", source: "deployment-controller", time: ctx.now },
    ctx.now,
    NAMESPACE,
  );
}

export function createDeployment(ctx: HandlerContext, r: RequestOf<"createDeployment">): ApiResult {
  const d = r.deployment;
  if (ctx.state.deployments.has(d.name)) return alreadyExists(`deployments.apps "${d.name}" already exists`);
  const causes = deploymentCauses(ctx, d);
  if (causes.length) return invalidFields(causes);
  const quota = overQuota(ctx, d);
  if (quota) return quota;
  const o = deploymentObject(d);
  const annotations = d.annotations ? { annotations: { ...d.annotations } } : {};
  ctx.state.create<DeploymentObject>(
    {
      kind: "Deployment",
      metadata: { name: d.name, namespace: NAMESPACE, labels: o.labels, ...annotations },
      spec: o.spec,
      status: { replicas: 0, readyReplicas: 0 },
    },
    ctx.now,
  );
  deploymentEvent(ctx, d.name, "ScalingReplicaSet", `Created deployment ${d.name}: ${d.replicas} replica${d.replicas === 1 ? "" : "s"} of ${d.image} wanted`);
  return ok(`deployment ${d.name} created: the controller manager will create its ${d.replicas} pod${d.replicas === 1 ? "" : "s"}`, 201, d.name);
}

export function updateDeployment(ctx: HandlerContext, r: RequestOf<"updateDeployment">): ApiResult {
  const d = r.deployment;
  const current = ctx.state.deployments.get(d.name);
  if (!current) return notFound(`deployments.apps "${d.name}" not found`);
  const causes = deploymentCauses(ctx, d, current);
  if (causes.length) return invalidFields(causes);
  const quota = overQuota(ctx, d);
  if (quota) return quota;
  const o = deploymentObject(d);
  const t0 = current.spec.template;
  const t1 = o.spec.template;
  const rollout =
    t0.image !== t1.image ||
    t0.requests.cpu !== t1.requests.cpu ||
    t0.requests.memory !== t1.requests.memory ||
    t0.memoryLimit !== t1.memoryLimit ||
    t0.startupMs !== t1.startupMs ||
    t0.capacityRps !== t1.capacityRps ||
    labelsText(current.spec.templateLabels ?? current.spec.selector) !== labelsText(d.templateLabels);
  const { labels: _, annotations: __, ...rest } = current.metadata;
  const metadata = { ...rest, ...(o.labels ? { labels: o.labels } : {}), ...(d.annotations ? { annotations: { ...d.annotations } } : {}) };
  const changed = JSON.stringify(current.spec) !== JSON.stringify(o.spec);
  ctx.state.update({ ...current, metadata: changed ? nextGeneration(metadata) : metadata, spec: o.spec });
  const what: string[] = [];
  if (current.spec.replicas !== d.replicas) what.push(`replicas ${current.spec.replicas} → ${d.replicas}`);
  if (t0.image !== t1.image) what.push(`image ${t0.image} → ${t1.image}`);
  if (rollout) {
    what.push("a rollout replaces its pods one by one");
    deploymentEvent(
      ctx,
      d.name,
      "ScalingReplicaSet",
      `Rolling out a new template for ${d.name} (${t1.image}, ${formatCpu(t1.requests.cpu)}, ${formatMemory(t1.requests.memory)})`,
    );
  }
  return ok(`deployment ${d.name} updated${what.length ? `: ${what.join(", ")}` : " (nothing changed)"}`);
}

export function deleteDeployment(ctx: HandlerContext, r: RequestOf<"deleteDeployment">): ApiResult {
  const d = ctx.state.deployments.get(r.deployment);
  if (!d) return notFound(`deployments.apps "${r.deployment}" not found`);
  ctx.state.delete("Deployment", r.deployment);
  // The garbage collector deletes what the deployment owned (background cascading deletion).
  let n = 0;
  for (const p of [...ctx.state.podsOf(r.deployment)]) {
    if (p.metadata.deletionTimestamp !== undefined) continue;
    beginDeletion(ctx, p, "garbage-collector");
    n++;
  }
  return ok(`deployment ${r.deployment} deleted; its ${n} pod${n === 1 ? "" : "s"} are being deleted`);
}

/** The first free cluster IP of the service range, or undefined when it is full. */
function freeClusterIP(ctx: HandlerContext): string | undefined {
  const used = new Set([...ctx.state.services.values()].map((s) => s.spec.clusterIP));
  for (let i = FIRST_SERVICE_IP; i <= LAST_SERVICE_IP; i++) if (!used.has(`10.96.0.${i}`)) return `10.96.0.${i}`;
  return undefined;
}

function serviceCauses(s: ServiceSpec): FieldCause[] {
  return Object.keys(s.selector).length === 0
    ? [
        {
          field: "spec.selector",
          message: "Required value: in this game a service finds its pods by their labels (a real one without a selector waits for Endpoints written by hand)",
        },
      ]
    : [];
}

export function createService(ctx: HandlerContext, r: RequestOf<"createService">): ApiResult {
  const s = r.service;
  if (ctx.state.services.has(s.name)) return alreadyExists(`services "${s.name}" already exists`);
  if (ctx.state.services.size >= MAX_WORKLOADS)
    return forbidden(`services "${s.name}" is forbidden: exceeded quota: the game's cluster holds at most ${MAX_WORKLOADS} services`);
  const causes = serviceCauses(s);
  const ip = freeClusterIP(ctx);
  if (!ip) causes.push({ field: "spec.clusterIPs", message: "Internal error: failed to allocate a serviceIP: range is full" });
  if (causes.length) return invalidFields(causes);
  const annotations = s.annotations ? { annotations: { ...s.annotations } } : {};
  ctx.state.create<ServiceObject>(
    {
      kind: "Service",
      metadata: { name: s.name, namespace: NAMESPACE, ...annotations },
      spec: { selector: { ...s.selector }, port: s.port, clusterIP: ip!, rps: s.rps },
    },
    ctx.now,
  );
  return ok(`service ${s.name} created at ${ip}: it will receive ${s.rps} requests per second`, 201, s.name);
}

export function updateService(ctx: HandlerContext, r: RequestOf<"updateService">): ApiResult {
  const s = r.service;
  const current = ctx.state.services.get(s.name);
  if (!current) return notFound(`services "${s.name}" not found`);
  const causes = serviceCauses(s);
  if (causes.length) return invalidFields(causes);
  const metadata = s.annotations ? { ...current.metadata, annotations: { ...s.annotations } } : current.metadata;
  // A scenario's service keeps its scripted traffic unless the manifest names a rate.
  const rps = current.spec.rps === undefined && !s.annotations?.[SERVICE_RPS_ANNOTATION] ? {} : { rps: s.rps };
  ctx.state.update({ ...current, metadata, spec: { ...current.spec, selector: { ...s.selector }, port: s.port, ...rps } });
  return ok(`service ${s.name} updated`);
}

export function deleteService(ctx: HandlerContext, r: RequestOf<"deleteService">): ApiResult {
  if (!ctx.state.services.has(r.service)) return notFound(`services "${r.service}" not found`);
  ctx.state.delete("Service", r.service);
  ctx.state.delete("Endpoints", r.service);
  // kube-proxy drops a deleted service's rules as soon as its watch tells it.
  for (const m of ctx.world.machines.values()) m.proxyRules.delete(r.service);
  return ok(`service ${r.service} deleted: its traffic stops`);
}
