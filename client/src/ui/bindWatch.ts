/**
 * The scheduler's feedback beyond the API server's yes: a binding onto a node where the pod does
 * not fit is accepted with a warning, and each binding is watched until its kubelet admits the
 * pod or rejects it — a rejection (OutOfcpu, OutOfmemory) comes back to the scheduler's panel.
 * `B` with nothing that fits says why instead of doing nothing.
 */
import type { Answer } from "../net/connection.ts";
import type { State, Ui } from "./panels/common.ts";
import { verdicts } from "./panels/scheduler.ts";

/** How long (game ms) a binding is watched for its kubelet's verdict before it is forgotten. */
const WATCH_BINDING_MS = 120_000;

/** Kubelet admission refusals, as the pod's reason and its event's. */
const REJECTED = /^OutOf/;

/** Why a pod fits nowhere, node by node ("" when some node fits or the pod is unknown). */
export function nowhereToFit(s: State, podName: string): string {
  const pod = s.pods?.get(podName);
  if (!pod) return "";
  const v = verdicts(s, pod);
  if (v.some((x) => x.fits)) return "";
  return `nothing fits ${podName} (${pod.cpu}m CPU, ${pod.memory}Mi): ${v.map((x) => `${x.node}: ${x.reasons.join("; ")}`).join(" · ")}. Wait for room, or ask for a node to be added`;
}

/** Records the scheduler's answer to a bind and starts watching the pod; a bind the panel's own filter says does not fit warns. */
export function bindAnswered(s: State | undefined, ui: Ui, pod: string, node: string, a: Answer): void {
  if (!a.ok || !s) return;
  const view = s.pods?.get(pod);
  const verdict = view ? verdicts(s, view).find((x) => x.node === node) : undefined;
  if (verdict && !verdict.fits) {
    ui.answers.set("scheduler", [true, `${a.message} — but it does not fit there (${verdict.reasons.join("; ")}): its kubelet will reject it`, true]);
    ui.reveal = "scheduler";
  }
  ui.bindings ??= new Map();
  ui.bindings.set(pod, { node, at: s.time });
}

/** Checks the watched bindings against the synchronised pods and events; a rejected one is reported in the scheduler's panel. */
export function watchBindings(s: State, ui: Ui): void {
  for (const [pod, { node, at }] of ui.bindings ?? []) {
    const view = s.pods?.get(pod);
    const event = [...(s.events ?? [])].find((e) => e.object === `Pod/${pod}` && REJECTED.test(e.reason));
    const reason = view?.phase === "Failed" && REJECTED.test(view.reason) ? view.reason : event?.reason;
    if (reason) {
      const why = view?.message || event?.message || "";
      ui.answers.set("scheduler", [
        false,
        `the kubelet of ${node} rejected ${pod}: ${reason}${why ? ` (${why})` : ""}. Its deployment needs a new pod: bind it where it fits`,
      ]);
      ui.reveal = "scheduler";
      ui.bindings!.delete(pod);
    } else if ((view && view.phase !== "Pending" && view.phase !== "Scheduled") || s.time - at > WATCH_BINDING_MS) {
      ui.bindings!.delete(pod);
    }
  }
}
