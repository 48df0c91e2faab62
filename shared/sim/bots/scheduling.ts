/**
 * The default scheduler's reasoning, as a pure function the bot uses and the scheduler's panel
 * shows: filter the nodes a pod can go to, then score the ones left (least allocated, and
 * spreading a deployment's replicas), like kube-scheduler's plugins.
 */
import { boundRequests } from "../api/context.ts";
import type { ClusterState } from "../objects/ClusterState.ts";
import type { PodObject } from "../objects/types.ts";
import { isActivePod } from "../objects/types.ts";

export interface NodeVerdict {
  node: string;
  /** Passed every filter. */
  fits: boolean;
  /** Why it was filtered out, in words (empty when it fits). */
  reasons: string[];
  /** 0..100, higher is better; only meaningful when it fits. */
  score: number;
  free: { cpu: number; memory: number };
}

export function evaluateNodes(state: ClusterState, pod: PodObject): NodeVerdict[] {
  const owner = pod.metadata.ownerReferences?.[0]?.name;
  const out: NodeVerdict[] = [];
  for (const node of state.nodes.values()) {
    if (node.spec.role !== "worker") continue;
    const name = node.metadata.name;
    const used = boundRequests(state, name);
    const alloc = node.status.allocatable;
    const free = { cpu: alloc.cpu - used.cpu, memory: alloc.memory - used.memory };
    const reasons: string[] = [];
    if (node.status.ready !== "True") reasons.push("node is NotReady");
    if (node.spec.unschedulable) reasons.push("node is cordoned");
    if (pod.spec.requests.cpu > free.cpu) reasons.push(`needs ${pod.spec.requests.cpu}m CPU, ${free.cpu}m free`);
    if (pod.spec.requests.memory > free.memory) reasons.push(`needs ${pod.spec.requests.memory}Mi memory, ${free.memory}Mi free`);
    let score = 0;
    if (reasons.length === 0) {
      const cpuLeft = (free.cpu - pod.spec.requests.cpu) / alloc.cpu;
      const memLeft = (free.memory - pod.spec.requests.memory) / alloc.memory;
      const leastAllocated = ((cpuLeft + memLeft) / 2) * 100;
      let siblings = 0;
      if (owner) for (const p of state.podsOnNode(name)) if (isActivePod(p) && p.metadata.ownerReferences?.[0]?.name === owner) siblings++;
      const spread = 100 / (1 + siblings);
      score = Math.round((leastAllocated + spread) / 2);
    }
    out.push({ node: name, fits: reasons.length === 0, reasons, score, free });
  }
  return out;
}

/** The node the default scheduler picks: the best score, ties to the first name. */
export function pickNode(verdicts: readonly NodeVerdict[]): string | undefined {
  let best: NodeVerdict | undefined;
  for (const v of verdicts) if (v.fits && (!best || v.score > best.score)) best = v;
  return best?.node;
}
