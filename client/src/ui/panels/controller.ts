/**
 * The controller manager's panel: each deployment's desired and actual replicas (a Create pod
 * button when short), and each node's heartbeat with the node controller's two steps — mark it
 * NotReady, then evict its pods.
 */
import { esc } from "../dom.ts";
import { btn, list, panel, type State, type Ui } from "./common.ts";

/** A node silent this long (ms) is NotReady for the node controller. */
const SILENT_MS = 10_000;

export function controllerPanel(s: State, ui: Ui, foldedByDefault: boolean): string {
  const deps = list(s.deployments);
  const deployments = deps.map((d) => {
    const rolling = d.updated < d.replicas;
    // A rollout (maxSurge 1, maxUnavailable 0): one new pod above desired, then an old one out once the new one is ready.
    const short = d.replicas < d.desired || (rolling && d.updated < d.desired && d.replicas <= d.desired);
    const create = short ? btn("Create pod", { action: "createPod", deployment: d.name }, "primary") : "";
    const remove = d.removable ? btn("Delete old pod", { action: "deletePod", pod: d.removable }, "danger") : "";
    const row = `<tr><td>${esc(d.name)}</td><td>${d.desired}</td><td class="${short ? "warn" : ""}">${d.replicas}</td><td>${d.ready}</td><td>${create}${remove}</td></tr>`;
    const note = rolling
      ? `<tr><td colspan="5" class="muted">rollout: ${d.updated} of ${d.desired} pods run the new template — create a new pod first, delete an old one once the new one is ready</td></tr>`
      : "";
    return row + note;
  });
  const nodes = list(s.nodes);
  const rows = nodes.map((n) => {
    const silent = n.leaseAgeMs > SILENT_MS;
    // NotReady: evict while the node still holds pods the API server counts as active; after that, nothing is left to evict.
    const act =
      n.ready === "True"
        ? silent
          ? btn("Mark NotReady", { action: "markNodeNotReady", node: n.name }, "danger")
          : ""
        : n.pods > 0
          ? btn("Evict pods", { action: "evictNodePods", node: n.name }, "danger")
          : '<span class="muted">pods evicted</span>';
    return `<tr><td>${esc(n.name)}</td><td class="${n.ready === "True" ? "ok" : "bad"}">${n.ready === "True" ? "Ready" : "NotReady"}</td><td class="${silent ? "bad" : ""}">${Math.round(n.leaseAgeMs / 1000)} s</td><td>${act}</td></tr>`;
  });
  const missing = deps.reduce((sum, d) => sum + Math.max(0, d.desired - d.replicas), 0);
  const silent = nodes.filter((n) => n.ready === "True" && n.leaseAgeMs > SILENT_MS).length;
  const summary = silent
    ? { text: `${silent} node${silent > 1 ? "s" : ""} silent`, level: "bad" as const }
    : missing
      ? { text: `${missing} replica${missing > 1 ? "s" : ""} missing`, level: "warn" as const }
      : { text: "all replicas exist", level: "" as const };
  const body = `<table><tr><th>deployment</th><th>desired</th><th>actual</th><th>ready</th><th></th></tr>${deployments.join("")}</table>
    <div class="scroll-box"><table style="margin-top:6px"><tr><th>node</th><th>status</th><th>last heartbeat</th><th></th></tr>${rows.join("")}</table></div>
    <p class="muted">A node is NotReady after 10 s without a heartbeat; evict its pods 10 s later. <kbd>C</kbd> creates a missing pod</p>`;
  return panel(ui, "controller-manager", "Controller manager", summary, body, foldedByDefault);
}
