/**
 * What a screen may say about the machines and containers behind the API objects. The room sends
 * a seat the physical truth only where its component can observe it (a kubelet its own node; the
 * host behind *show the truth*; watch mode; the debrief): everywhere else a node is drawn as the
 * API server knows it — up and Ready until its heartbeats stop counting and the node controller
 * marks it. The control plane only knows what it is told.
 */
import { processesOf, RUNTIME_DOWN_REASON } from "../../../shared/sim/world/Machine.ts";
import type { NodeView } from "../../../shared/protocol/state.ts";
import { btn, type State } from "./panels/common.ts";

export interface Machine {
  /** The seat receives this machine's truth; false: the rest is what the API server's objects imply. */
  observed: boolean;
  powered: boolean;
  processes: Record<string, boolean>;
  /** MiB really in use when observed; the memory requested otherwise (all the API server knows). */
  memoryInUse: number;
  /** Whether the machine has joined the cluster (unobserved: whether the API server has a Node for it). */
  joined: boolean;
  /** A bare server being set up, when observed: the process being installed ("" when none) and when it is done, game ms. */
  installing: string;
  installUntil: number;
}

/** The API server has no Node of this name: a bare server, not in the cluster yet. */
export const NOT_REGISTERED = "NotRegistered";

export function machineOf(s: State, n: NodeView): Machine {
  const t = s.nodeTruth?.get(n.name);
  if (t) {
    const processes = Object.fromEntries(t.processes?.entries() ?? []);
    return {
      observed: true,
      powered: t.powered,
      processes,
      memoryInUse: t.memoryInUse,
      joined: t.joined,
      installing: t.installing,
      installUntil: t.installUntil,
    };
  }
  const role = n.role === "control-plane" ? "control-plane" : "worker";
  // A machine the API server has no Node for: nothing is known of what runs on it.
  const joined = n.readyReason !== NOT_REGISTERED;
  const processes = Object.fromEntries((joined ? processesOf(role) : []).map((p) => [p, true]));
  // The one process the API server hears about: the kubelet reports its node NotReady when the
  // container runtime is down. A silent kubelet or a stopped kube-proxy says nothing.
  if (n.readyReason === RUNTIME_DOWN_REASON) processes["container-runtime"] = false;
  return { observed: false, powered: true, processes, memoryInUse: n.memoryRequested, joined, installing: "", installUntil: 0 };
}

/** Whether the seat sees the truth of everything (the host's toggle on, watch mode, the debrief). */
export function seesAllTruth(s: State): boolean {
  return (s.nodeTruth?.size ?? 0) > 0 && s.nodeTruth!.size === (s.nodes?.size ?? 0);
}

/** Whether a pod's container really serves, when the seat may see it (undefined: it may not). */
export function servingOf(s: State, pod: string): boolean | undefined {
  return s.podTruth?.get(pod)?.serving;
}

/** The host's *show the truth* toggle (message host.truth), for the host panel of a running workshop. */
export function truthToggle(s: State): string {
  if (s.mode !== "workshop" || s.phase === "debrief") return "";
  const on = seesAllTruth(s);
  const says = on ? "power, processes, containers as they really are" : "you see what the API server knows";
  return `<p class="truth-toggle">${btn(on ? "Hide the truth" : "Show the truth", { action: "host.truth", shown: String(!on) }, on ? "primary" : "")} <span class="muted">${says}</span></p>`;
}
