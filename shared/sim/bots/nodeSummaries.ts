/**
 * The scheduler's view of the simulation: each worker node summarised for one pod (scheduling.ts),
 * and the node the default scheduler picks for it — what the scheduler bot binds, and what the
 * game opens with when every replica starts running. The room synchronises each node's replica
 * counts from here too, so the scheduler's panel summarises the same numbers.
 */
import { boundRequests } from "../api/context.ts";
import type { ClusterState } from "../objects/ClusterState.ts";
import { isActivePod, type PodObject } from "../objects/types.ts";
import { evaluateNodes, pickNode, type NodeSummary } from "./scheduling.ts";

/** Active pods per deployment on a node: what the replica spread counts (the room synchronises these too). */
export function replicasOnNode(state: ClusterState, node: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of state.podsOnNode(node)) {
    const d = p.metadata.ownerReferences?.[0]?.name;
    if (d && isActivePod(p)) counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  return counts;
}

/** The worker nodes as the API server holds them, summarised for placing `pod`. */
export function nodeSummaries(state: ClusterState, pod: PodObject): NodeSummary[] {
  const owner = pod.metadata.ownerReferences?.[0]?.name;
  const out: NodeSummary[] = [];
  for (const node of state.nodes.values()) {
    if (node.spec.role !== "worker") continue;
    const name = node.metadata.name;
    out.push({
      name,
      ready: node.status.ready === "True",
      schedulable: !node.spec.unschedulable,
      allocatable: node.status.allocatable,
      requested: boundRequests(state, name),
      siblings: owner ? (replicasOnNode(state, name).get(owner) ?? 0) : 0,
    });
  }
  return out;
}

/** The node the default scheduler binds `pod` to, or undefined when none fits. */
export function defaultPick(state: ClusterState, pod: PodObject): string | undefined {
  return pickNode(evaluateNodes(nodeSummaries(state, pod), pod.spec.requests));
}
