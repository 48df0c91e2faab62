/**
 * Requests on nodes and their leases: the node controller's NotReady and eviction, the admin's
 * cordon and delete, and the node agent's registration, heartbeat and status.
 */
import type { LeaseObject, NodeObject, PodObject } from "../../objects/types.ts";
import { isActivePod, LEASE_NAMESPACE, NAMESPACE } from "../../objects/types.ts";
import { LEASE_RENEW_MS, NODE_GRACE_MS } from "../../tuning.ts";
import type { HandlerContext } from "../context.ts";
import type { RequestOf } from "../requests.ts";
import { conflict, invalid, notFound, ok, type ApiResult } from "../status.ts";

const nodeNotFound = (name: string) => notFound(`node ${name} not found`);

function nodeEvent(ctx: HandlerContext, node: string, reason: string, message: string, source: string, warning = false) {
  ctx.state.recordEvent(
    { involvedObject: { kind: "Node", name: node }, reason, message, type: warning ? "Warning" : "Normal", source, time: ctx.now },
    ctx.now,
    NAMESPACE,
  );
}

function setReady(ctx: HandlerContext, node: NodeObject, ready: NodeObject["status"]["ready"], reason: string): NodeObject {
  return ctx.state.update({ ...node, status: { ...node.status, ready, readyReason: reason, lastTransitionTime: ctx.now } });
}

/** Seconds since a node's lease was last renewed (Infinity without a lease). */
export function leaseAge(ctx: { state: HandlerContext["state"]; now: number }, node: string): number {
  const lease = ctx.state.leases.get(node);
  return lease ? ctx.now - lease.spec.renewTime : Infinity;
}

export function markNodeNotReady(ctx: HandlerContext, r: RequestOf<"markNodeNotReady">): ApiResult {
  const node = ctx.state.nodes.get(r.node);
  if (!node) return nodeNotFound(r.node);
  if (node.status.ready !== "True") return conflict(`${r.node} is already NotReady (${node.status.readyReason})`);
  const age = leaseAge(ctx, r.node);
  if (age <= NODE_GRACE_MS) {
    return invalid(
      `${r.node}'s kubelet renewed its lease ${(age / 1000).toFixed(1)} s ago; a node becomes NotReady after ${NODE_GRACE_MS / 1000} s without one`,
    );
  }
  setReady(ctx, node, "Unknown", "NodeStatusUnknown");
  // Like the node lifecycle controller's MarkPodsNotReady: the endpoints controller drops them.
  for (const pod of ctx.state.podsOnNode(r.node)) {
    if (pod.status.ready) ctx.state.update({ ...pod, status: { ...pod.status, ready: false } });
  }
  nodeEvent(ctx, r.node, "NodeNotReady", `Node ${r.node} status is now: NodeNotReady (kubelet stopped posting node status)`, "node-controller", true);
  return ok(`${r.node} marked NotReady: the scheduler will stop placing pods there`);
}

export function evictNodePods(ctx: HandlerContext, r: RequestOf<"evictNodePods">): ApiResult {
  const node = ctx.state.nodes.get(r.node);
  if (!node) return nodeNotFound(r.node);
  if (node.status.ready === "True") return invalid(`${r.node} is Ready: the node controller only evicts the pods of NotReady nodes`);
  const victims = ctx.state.podsOnNode(r.node).filter(isActivePod);
  if (victims.length === 0) return conflict(`${r.node} has no running pods to evict`);
  for (const pod of victims) {
    const lost: PodObject = {
      ...pod,
      status: {
        ...pod.status,
        phase: "Failed",
        ready: false,
        reason: "NodeLost",
        message: `Node ${r.node} which was running pod ${pod.metadata.name} is unresponsive`,
        finishedAt: ctx.now,
      },
    };
    ctx.state.update(lost);
    ctx.state.recordEvent(
      {
        involvedObject: { kind: "Pod", name: pod.metadata.name },
        reason: "TaintManagerEviction",
        message: `Marking for deletion Pod ${NAMESPACE}/${pod.metadata.name}`,
        type: "Normal",
        source: "node-controller",
        time: ctx.now,
      },
      ctx.now,
      NAMESPACE,
    );
    ctx.observer.podEvicted(lost, ctx.now);
  }
  return ok(`evicted ${victims.length} pod${victims.length === 1 ? "" : "s"} from ${r.node}: the deployments must replace them`);
}

export function cordon(ctx: HandlerContext, r: RequestOf<"cordon"> | RequestOf<"uncordon">): ApiResult {
  const node = ctx.state.nodes.get(r.node);
  if (!node) return nodeNotFound(r.node);
  const unschedulable = r.type === "cordon";
  if (node.spec.unschedulable === unschedulable) return ok(`${r.node} is already ${unschedulable ? "cordoned" : "schedulable"}`);
  ctx.state.update({ ...node, spec: { ...node.spec, unschedulable } });
  nodeEvent(
    ctx,
    r.node,
    unschedulable ? "NodeNotSchedulable" : "NodeSchedulable",
    `Node ${r.node} status is now: ${unschedulable ? "NodeNotSchedulable" : "NodeSchedulable"}`,
    "admin",
  );
  return ok(`${r.node} ${unschedulable ? "cordoned: no new pods will be placed on it" : "uncordoned: it takes new pods again"}`);
}

export function deleteNode(ctx: HandlerContext, r: RequestOf<"deleteNode">): ApiResult {
  if (!ctx.state.nodes.has(r.node)) return nodeNotFound(r.node);
  ctx.state.delete("Node", r.node);
  ctx.state.delete("Lease", r.node);
  return ok(`node ${r.node} deleted; its pods will be garbage-collected`);
}

export function registerNode(ctx: HandlerContext, r: RequestOf<"registerNode">): ApiResult {
  if (ctx.state.nodes.has(r.node)) return conflict(`node ${r.node} is already registered`);
  const m = ctx.world.machine(r.node);
  if (!m) return notFound(`no machine called ${r.node} exists to register`);
  if (r.capacity.cpu !== m.capacity.cpu || r.capacity.memory !== m.capacity.memory) {
    return invalid(`${r.node} has ${m.capacity.cpu}m CPU and ${m.capacity.memory}Mi memory, not what this registration claims`);
  }
  // A node that has just joined registers NotReady until its kubelet has checked its runtime.
  const readiness =
    ctx.now < m.startingUntil ? { ready: "False" as const, readyReason: "KubeletNotReady" } : { ready: "True" as const, readyReason: "KubeletReady" };
  let index = 1;
  for (const n of ctx.state.nodes.values()) index = Math.max(index, n.status.podCidrIndex + 1);
  ctx.state.create<NodeObject>(
    {
      kind: "Node",
      metadata: {
        name: r.node,
        labels: { "kubernetes.io/hostname": r.node, ...(m.role === "control-plane" ? { "node-role.kubernetes.io/control-plane": "" } : {}) },
      },
      spec: { role: m.role, unschedulable: m.role === "control-plane" },
      status: { capacity: r.capacity, allocatable: r.capacity, ...readiness, lastTransitionTime: ctx.now, podCidrIndex: index },
    },
    ctx.now,
  );
  nodeEvent(ctx, r.node, "RegisteredNode", `Node ${r.node} event: Registered Node ${r.node} in Controller`, "node-controller");
  return ok(`node ${r.node} registered`, 201);
}

export function renewLease(ctx: HandlerContext, r: RequestOf<"renewLease">): ApiResult {
  const lease = ctx.state.leases.get(r.node);
  if (!ctx.state.nodes.has(r.node)) return nodeNotFound(r.node);
  if (!lease) {
    ctx.state.create<LeaseObject>(
      {
        kind: "Lease",
        metadata: { name: r.node, namespace: LEASE_NAMESPACE },
        spec: { holderIdentity: r.node, leaseDurationSeconds: NODE_GRACE_MS / 1000, renewTime: ctx.now },
      },
      ctx.now,
    );
    return ok(`lease ${r.node} created`, 201);
  }
  ctx.state.update({ ...lease, spec: { ...lease.spec, renewTime: ctx.now } });
  return ok(`lease ${r.node} renewed (every ${LEASE_RENEW_MS / 1000} s)`);
}

export function reportNodeStatus(ctx: HandlerContext, r: RequestOf<"reportNodeStatus">): ApiResult {
  const node = ctx.state.nodes.get(r.node);
  if (!node) return nodeNotFound(r.node);
  if (node.status.ready === r.ready && node.status.readyReason === r.reason) return ok(`${r.node} status unchanged`);
  setReady(ctx, node, r.ready, r.reason);
  if (r.ready === "True") nodeEvent(ctx, r.node, "NodeReady", `Node ${r.node} status is now: NodeReady`, `kubelet/${r.node}`);
  else nodeEvent(ctx, r.node, "NodeNotReady", `Node ${r.node} status is now: NodeNotReady (${r.reason})`, `kubelet/${r.node}`, true);
  return ok(`${r.node} is ${r.ready === "True" ? "Ready" : "NotReady"}`);
}
