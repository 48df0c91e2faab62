/**
 * What the cluster map draws, from the synchronised state as this seat receives it: nodes as the
 * API server knows them (the machine's truth only where the server sends it, truth.ts), pods,
 * the traffic sample and the pod the player selected.
 */
import type { MapModel } from "../map/ClusterMap.ts";
import { list, type State, type Ui } from "./panels/common.ts";
import { machineOf, servingOf } from "./truth.ts";

export function toModel(s: State, ui: Ui): MapModel {
  return {
    time: s.time,
    // Drawn from what the seat may see: the machine's truth only where it is sent (truth.ts).
    nodes: list(s.nodes).map((n) => ({
      name: n.name,
      role: n.role === "control-plane" ? "control-plane" : "worker",
      ready: n.ready,
      readyReason: n.readyReason,
      leaseAgeMs: n.leaseAgeMs,
      ...machineOf(s, n),
      cpuAllocatable: n.cpuAllocatable,
      cpuRequested: n.cpuRequested,
      memoryAllocatable: n.memoryAllocatable,
      unschedulable: n.unschedulable,
    })),
    pods: list(s.pods).map((p) => ({
      name: p.name,
      deployment: p.deployment,
      node: p.node,
      phase: p.phase,
      ready: p.ready,
      serving: servingOf(s, p.name),
      reason: p.reason,
    })),
    traffic: s.traffic ?? "",
    highlight: ui.selectedPod ? { pod: ui.selectedPod } : undefined,
  };
}
