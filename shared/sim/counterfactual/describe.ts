/**
 * A seat's requests (and a bare server's setup steps) in words a learner reads in the debrief: "bound web-x to node-1", "admitted
 * web-2", "synced web's rules on node-1 (spread)" — for the player ("you …") and the bot.
 */
import type { SeatRequest } from "../world/nodeSetup.ts";

/** What a request does, in the past tense: "you bound web-2 to node-1", "the bot would have bound …". */
export function didWhat(r: SeatRequest): string {
  switch (r.type) {
    case "bind":
      return `bound ${r.pod} to ${r.node}`;
    case "admit":
      return `started ${r.pod}`;
    case "reject":
      return `rejected ${r.pod} (${r.reason})`;
    case "restart":
      return `restarted ${r.pod}`;
    case "evict":
      return `evicted ${r.pod}`;
    case "createPod":
      return `created a pod for ${r.deployment}`;
    case "deletePod":
      return `deleted ${r.pod}`;
    case "markNodeNotReady":
      return `marked ${r.node} NotReady`;
    case "evictNodePods":
      return `evicted the pods of ${r.node}`;
    case "syncRules":
      return `synced ${r.service}'s rules on ${r.node} as ${r.mode}`;
    case "installRuntime":
      return `installed the container runtime on ${r.node}`;
    case "installKubelet":
      return `installed the kubelet on ${r.node}`;
    case "installKubeProxy":
      return `installed kube-proxy on ${r.node}`;
    case "joinCluster":
      return `joined ${r.node} to the cluster`;
    default:
      return `sent ${r.type}`;
  }
}

/** The same request, whatever the order of its fields: for comparing a player's with the bot's. */
export function sameRequest(a: SeatRequest, b: SeatRequest): boolean {
  return canonical(a) === canonical(b);
}

function canonical(r: SeatRequest): string {
  const o = r as unknown as Record<string, unknown>;
  return JSON.stringify(
    Object.keys(o)
      .sort()
      .map((k) => [k, o[k]]),
  );
}
