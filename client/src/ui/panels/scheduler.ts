/**
 * The scheduler's panel: the pending pods, and for the selected one the default scheduler's
 * filter and score per node (as kube-scheduler-simulator shows them), with a Bind button each.
 * The same verdicts mark the nodes on the map while a pod is dragged there. The reasoning is the
 * scheduler bot's own (shared/sim/bots/scheduling.ts), over the nodes of the synchronised state:
 * the "default pick" is the node the bot would bind.
 */
import { NOT_REGISTERED } from "../truth.ts";
import { compareNodeNames, evaluateNodes, pickNode, type NodeSummary, type NodeVerdict } from "../../../../shared/sim/bots/scheduling.ts";
import { esc } from "../dom.ts";
import { btn, list, panel, type State, type Ui } from "./common.ts";

/** Past this many workers the table shows the best few and a button for the rest. */
const SHORT_LIST = 8;

/** What the panel's reasoning reads of the synchronised state: every node (the scheduler's seat receives them all). */
type Nodes = Pick<State, "nodes">;

/** What the panel reads of a pending pod. */
interface PodFields {
  name: string;
  deployment: string;
  cpu: number;
  memory: number;
}

/** The worker nodes as the synchronised state shows them, summarised for placing `pod` (as the bot does from the simulation). */
export function nodeSummaries(s: Nodes, pod: PodFields): NodeSummary[] {
  return (
    list(s?.nodes)
      // A bare server has no Node object: the scheduler cannot see it, let alone place pods there.
      .filter((n) => n.role === "worker" && n.readyReason !== NOT_REGISTERED)
      .map((n) => ({
        name: n.name,
        ready: n.ready === "True",
        schedulable: !n.unschedulable,
        allocatable: { cpu: n.cpuAllocatable, memory: n.memoryAllocatable },
        requested: { cpu: n.cpuRequested, memory: n.memoryRequested },
        siblings: pod.deployment ? (n.replicas?.get(pod.deployment) ?? 0) : 0,
      }))
  );
}

/** The default scheduler's view of a pod: filter, then score, like kube-scheduler and the scheduler bot. */
export function verdicts(s: Nodes, pod: PodFields): NodeVerdict[] {
  return evaluateNodes(nodeSummaries(s, pod), { cpu: pod.cpu, memory: pod.memory });
}

/** The node the panel marks "default pick" and B binds to: the node the scheduler bot would pick. */
export function defaultPick(s: Nodes, pod: PodFields): string | undefined {
  return pickNode(verdicts(s, pod));
}

/** A table row: the node, its free room, the filter's verdict, the spread term, the score and Bind. */
function row(x: NodeVerdict, pod: PodFields, pick: string | undefined): string {
  const spreadWhy = `${x.siblings} ${x.siblings === 1 ? "replica" : "replicas"} of ${pod.deployment || "no deployment"} on ${x.node} already: 100 / (1 + ${x.siblings})`;
  const scoreWhy = `(room left ${Math.round(x.leastAllocated)} + spread ${Math.round(x.spread)}) / 2`;
  return `<tr><td>${esc(x.node)}${pick === x.node ? ' <span class="chip">default pick</span>' : ""}</td><td class="free">${x.free.cpu}m · ${x.free.memory}Mi</td><td class="${x.fits ? "ok" : "bad"}">${x.fits ? "yes" : esc(x.reasons.join("; "))}</td><td title="${esc(spreadWhy)}">${x.fits ? Math.round(x.spread) : "–"}</td><td title="${esc(scoreWhy)}">${x.fits ? x.score : "–"}</td><td>${btn("Bind", { action: "bind", pod: pod.name, node: x.node }, x.fits ? "primary" : "", `Bind ${pod.name} to ${x.node}`)}</td></tr>`;
}

export function schedulerPanel(s: State, ui: Ui, foldedByDefault: boolean): string {
  // A pod this player just bound may show Pending until the next patch: it is not offered again.
  const pending = list(s.pods).filter((p) => p.phase === "Pending" && !ui.bindings?.has(p.name));
  if (!ui.selectedPod || !pending.some((p) => p.name === ui.selectedPod)) ui.selectedPod = pending[0]?.name;
  const pod = pending.find((p) => p.name === ui.selectedPod);
  let table = `<p class="muted">No pod is waiting for a node.</p>`;
  if (pod) {
    const v = verdicts(s, pod);
    const pick = pickNode(v);
    // A big cluster: the best fits first (the default pick leads), the rest behind a button.
    const shortList = v.length > SHORT_LIST && !ui.allNodes;
    const shown = shortList
      ? [...v].sort((a, b) => Number(b.fits) - Number(a.fits) || b.score - a.score || compareNodeNames(a.node, b.node)).slice(0, SHORT_LIST - 2)
      : v;
    const rest = v.length - shown.length;
    const more = shortList
      ? `<tr><td colspan="6" class="muted">${rest} more nodes (${v.filter((x) => !x.fits).length} don't fit) ${btn("Show all", { action: "allNodes", all: "true" })}</td></tr>`
      : v.length > SHORT_LIST
        ? `<tr><td colspan="6">${btn("Show the best few", { action: "allNodes", all: "false" })}</td></tr>`
        : "";
    table = `<p>Place <b>${esc(pod.name)}</b> (${pod.cpu}m CPU, ${pod.memory}Mi):</p>
      <table><tr><th>node</th><th>free</th><th>fits?</th><th>spread</th><th>score</th><th></th></tr>
      ${shown.map((x) => row(x, pod, pick)).join("")}
      ${more}</table><p class="muted">score = (% room left + spread) / 2 · spread = 100 / (1 + ${esc(pod.deployment || "its")} pods there)</p>
      <p class="muted">Drag a pod on the map onto a node, or <kbd>B</kbd> binds to the default pick · <kbd>N</kbd> next pod</p>`;
  }
  // Each pending pod a toggle the keyboard reaches (Enter or Space selects it; then a Bind button binds it): the drag's keyboard path.
  const chips = `<div role="group" aria-label="pending pods">${pending.map((p) => `<span class="chip" data-action="select" data-pod="${esc(p.name)}" role="button" tabindex="0" aria-pressed="${p.name === ui.selectedPod}" style="cursor:pointer;${p.name === ui.selectedPod ? "outline:1px solid var(--info)" : ""}">${esc(p.name)}</span>`).join(" ")}</div>`;
  return panel(ui, "scheduler", "Scheduler", { text: `${pending.length} pending`, level: pending.length ? "warn" : "" }, chips + table, foldedByDefault);
}
