/**
 * A node's state in words, for the map's tooltip, from what the viewer may see (MapNode.observed):
 * the Ready condition as the API server knows it and the heartbeat's age; where the viewer sees
 * the machine too, what it really is — and where the two disagree, why: the control plane only
 * knows what it is told.
 */
import { RUNTIME_DOWN_REASON } from "../../../shared/sim/world/Machine.ts";
import type { MapNode } from "./ClusterMap.ts";

/** The lesson of the controller manager, in one line. */
export const ONLY_KNOWS = "the control plane only knows what it is told";
/** A heartbeat older than this is worth saying, ms (kubelets renew their lease every 2 s). */
export const HEARTBEAT_LATE_MS = 5_000;

export function nodeStatusLines(n: MapNode): string[] {
  const observed = n.observed !== false;
  const age = Math.floor((n.leaseAgeMs ?? 0) / 1000);
  const late = (n.leaseAgeMs ?? 0) >= HEARTBEAT_LATE_MS;
  const lines: string[] = [];
  if (n.joined === false) {
    lines.push("a bare server, not in the cluster yet: the API server has no Node for it, so no pod can be placed here");
    if (observed) lines.push(n.installing ? `installing ${n.installing}` : `installed: ${Object.keys(n.processes).join(", ") || "nothing yet"}`);
    return lines;
  }
  if (n.ready !== "True") {
    const why =
      n.ready === "Unknown"
        ? `no heartbeat for ${age} s`
        : n.readyReason === RUNTIME_DOWN_REASON
          ? "its kubelet reports the container runtime (containerd or Docker) down"
          : n.readyReason || "its kubelet reports a problem";
    lines.push(`NotReady: ${why}`);
    if (observed && !n.powered) lines.push("really: powered off");
  } else if (observed && !n.powered) {
    lines.push("really down: powered off", `the API server still says Ready (${ONLY_KNOWS}${late ? `; no heartbeat for ${age} s` : ""})`);
  } else if (!observed) {
    lines.push(late ? `Ready, as last reported — no heartbeat for ${age} s` : "Ready, as last reported", `${ONLY_KNOWS}: a Ready node may already be down`);
  } else lines.push("Ready");
  if (n.unschedulable) lines.push("cordoned");
  return lines;
}
