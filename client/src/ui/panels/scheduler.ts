/**
 * The scheduler's panel: the pending pods, and for the selected one the default scheduler's
 * filter and score per node (as kube-scheduler-simulator shows them), with a Bind button each.
 * The same verdicts mark the nodes on the map while a pod is dragged there.
 */
import { esc } from "../dom.ts";
import { btn, list, panel, type State, type Ui } from "./common.ts";

export interface Verdict {
  node: string;
  fits: boolean;
  why: string;
  score: number;
  freeCpu: number;
  freeMem: number;
}

/** Past this many workers the table shows the best few and a button for the rest. */
const SHORT_LIST = 8;

/** The default scheduler's view of a pod: filter, then score (least allocated), like kube-scheduler. */
export function verdicts(s: State, pod: any): Verdict[] {
  return list(s.nodes)
    .filter((n) => n.role === "worker")
    .map((n) => {
      const freeCpu = n.cpuAllocatable - n.cpuRequested;
      const freeMem = n.memoryAllocatable - n.memoryRequested;
      const why: string[] = [];
      if (n.ready !== "True") why.push("NotReady");
      if (n.unschedulable) why.push("cordoned");
      if (pod.cpu > freeCpu) why.push(`CPU: needs ${pod.cpu}m, ${freeCpu}m free`);
      if (pod.memory > freeMem) why.push(`memory: needs ${pod.memory}Mi, ${freeMem}Mi free`);
      const score = why.length ? 0 : Math.round((((freeCpu - pod.cpu) / n.cpuAllocatable + (freeMem - pod.memory) / n.memoryAllocatable) / 2) * 100);
      return { node: n.name, fits: why.length === 0, why: why.join("; "), score, freeCpu, freeMem };
    });
}

/** The node the default scheduler would pick: the best score among those that fit. */
export function bestFit(v: readonly Verdict[]): Verdict | undefined {
  return v.filter((x) => x.fits).sort((a, b) => b.score - a.score)[0];
}

export function schedulerPanel(s: State, ui: Ui, foldedByDefault: boolean): string {
  const pending = list(s.pods).filter((p) => p.phase === "Pending");
  if (!ui.selectedPod || !pending.some((p) => p.name === ui.selectedPod)) ui.selectedPod = pending[0]?.name;
  const pod = pending.find((p) => p.name === ui.selectedPod);
  let table = `<p class="muted">No pod is waiting for a node.</p>`;
  if (pod) {
    const v = verdicts(s, pod);
    const best = bestFit(v);
    // A big cluster: the best fits first, the rest behind a button.
    const shortList = v.length > SHORT_LIST && !ui.allNodes;
    const shown = shortList ? [...v].sort((a, b) => Number(b.fits) - Number(a.fits) || b.score - a.score).slice(0, SHORT_LIST - 2) : v;
    const rest = v.length - shown.length;
    const more = shortList
      ? `<tr><td colspan="5" class="muted">${rest} more nodes (${v.filter((x) => !x.fits).length} don't fit) ${btn("Show all", { action: "allNodes", all: "true" })}</td></tr>`
      : v.length > SHORT_LIST
        ? `<tr><td colspan="5">${btn("Show the best few", { action: "allNodes", all: "false" })}</td></tr>`
        : "";
    table = `<p>Place <b>${esc(pod.name)}</b> (${pod.cpu}m CPU, ${pod.memory}Mi):</p>
      <table><tr><th>node</th><th>free</th><th>fits?</th><th>score</th><th></th></tr>
      ${shown.map((x) => `<tr><td>${esc(x.node)}${best?.node === x.node ? ' <span class="chip">default pick</span>' : ""}</td><td class="free">${x.freeCpu}m · ${x.freeMem}Mi</td><td class="${x.fits ? "ok" : "bad"}">${x.fits ? "yes" : esc(x.why)}</td><td>${x.fits ? x.score : "–"}</td><td>${btn("Bind", { action: "bind", pod: pod.name, node: x.node }, x.fits ? "primary" : "")}</td></tr>`).join("")}
      ${more}</table><p class="muted">Drag a pod on the map onto a node, or <kbd>B</kbd> binds to the default pick · <kbd>N</kbd> next pod</p>`;
  }
  const chips = `<div>${pending.map((p) => `<span class="chip" data-action="select" data-pod="${esc(p.name)}" style="cursor:pointer;${p.name === ui.selectedPod ? "outline:1px solid var(--info)" : ""}">${esc(p.name)}</span>`).join(" ")}</div>`;
  return panel(ui, "scheduler", "Scheduler", { text: `${pending.length} pending`, level: pending.length ? "warn" : "" }, chips + table, foldedByDefault);
}
