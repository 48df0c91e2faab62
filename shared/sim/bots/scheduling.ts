/**
 * The default scheduler's reasoning, as one pure function over a plain summary of the nodes: the
 * scheduler bot feeds it the simulation's state (nodeSummaries.ts) and the scheduler's panel the
 * synchronised state, so the panel's "default pick" is the node the bot would bind. Filter the
 * nodes a pod can go to, then score the ones left (least allocated, and spreading a deployment's
 * replicas), like kube-scheduler's plugins. Imports nothing: the browser bundles it as it is.
 */

/** What the scheduler knows of one worker node when it places one pod. */
export interface NodeSummary {
  name: string;
  /** The node's Ready condition is "True". */
  ready: boolean;
  /** Not cordoned. */
  schedulable: boolean;
  allocatable: { cpu: number; memory: number };
  /** Requests of the pods bound to the node that still hold its room (terminating ones too). */
  requested: { cpu: number; memory: number };
  /** Active pods of the placed pod's deployment already on the node (0 for a pod of none). */
  siblings: number;
}

/** The placed pod's requests: CPU in millicores, memory in Mi. */
export interface PodRequests {
  cpu: number;
  memory: number;
}

export interface NodeVerdict {
  node: string;
  /** Passed every filter. */
  fits: boolean;
  /** Why it was filtered out, in words a learner reads (empty when it fits). */
  reasons: string[];
  /** 0..100, higher is better: the rounded mean of the two terms below; 0 when it does not fit. */
  score: number;
  /** Share of the node left free after placing the pod, 0..100 (NodeResourcesLeastAllocated). */
  leastAllocated: number;
  /** 100 / (1 + siblings): fewer replicas of the deployment there is better (PodTopologySpread). */
  spread: number;
  siblings: number;
  free: { cpu: number; memory: number };
}

/** Filters and scores every node for the pod; the verdicts come in the order of `nodes`. */
export function evaluateNodes(nodes: readonly NodeSummary[], pod: PodRequests): NodeVerdict[] {
  return nodes.map((n) => {
    const free = { cpu: n.allocatable.cpu - n.requested.cpu, memory: n.allocatable.memory - n.requested.memory };
    const reasons: string[] = [];
    if (!n.ready) reasons.push("NotReady");
    if (!n.schedulable) reasons.push("cordoned");
    if (pod.cpu > free.cpu) reasons.push(`CPU: needs ${pod.cpu}m, ${free.cpu}m free`);
    if (pod.memory > free.memory) reasons.push(`memory: needs ${pod.memory}Mi, ${free.memory}Mi free`);
    const fits = reasons.length === 0;
    const cpuLeft = (free.cpu - pod.cpu) / n.allocatable.cpu;
    const memLeft = (free.memory - pod.memory) / n.allocatable.memory;
    const leastAllocated = fits ? ((cpuLeft + memLeft) / 2) * 100 : 0;
    const spread = 100 / (1 + n.siblings);
    const score = fits ? Math.round((leastAllocated + spread) / 2) : 0;
    return { node: n.name, fits, reasons, score, leastAllocated, spread, siblings: n.siblings, free };
  });
}

/**
 * The node the default scheduler picks: the best score among those that fit; a tie goes to the
 * first name in natural order (node-2 before node-10), whatever order the verdicts come in.
 */
export function pickNode(verdicts: readonly NodeVerdict[]): string | undefined {
  let best: NodeVerdict | undefined;
  for (const v of verdicts) {
    if (!v.fits) continue;
    if (!best || v.score > best.score || (v.score === best.score && compareNodeNames(v.node, best.node) < 0)) best = v;
  }
  return best?.node;
}

/** Natural order of names: runs of digits compare as numbers ("node-2" < "node-10"). */
export function compareNodeNames(a: string, b: string): number {
  const as = a.match(/\d+|\D+/g) ?? [];
  const bs = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const x = as[i];
    const y = bs[i];
    if (x === y) continue;
    const digits = /^\d/.test(x) && /^\d/.test(y);
    if (digits && Number(x) !== Number(y)) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return as.length - bs.length || (a < b ? -1 : a > b ? 1 : 0);
}
