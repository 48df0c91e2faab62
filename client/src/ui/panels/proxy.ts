/**
 * A kube-proxy's panel: per service, the endpoints its node's rules forward to — those gone from
 * the service's Endpoints struck out as stale, those on its own node marked local — a sync,
 * local-first or spread, and the latency it sees: requests served by a pod on its node or another's.
 */
import { esc } from "../dom.ts";
import { btn, list, panel, type State, type Ui } from "./common.ts";
import { seatId } from "../../../../shared/sim/seats.ts";
import { NOT_REGISTERED } from "../truth.ts";

export function proxyPanel(s: State, ui: Ui, node: string, foldedByDefault: boolean): string {
  let stale = 0;
  const rows = list(s.services).map((svc) => {
    const rule = s.rules?.get(`${node}/${svc.name}`);
    const eps = [...(svc.endpoints ?? [])] as string[];
    const ruleEps = rule ? ([...rule.endpoints] as string[]) : [];
    const local = new Set<string>(rule?.local ?? []);
    const dead = ruleEps.filter((e) => !eps.includes(e));
    const missing = eps.filter((e) => !ruleEps.includes(e));
    if (!rule || rule.stale) stale++;
    const state = !rule
      ? '<span class="stale">no rules yet</span>'
      : rule.stale
        ? `<span class="stale">stale: ${dead.length} gone, ${missing.length} new</span>`
        : '<span class="ok">in sync</span>';
    return `<tr><td>${esc(svc.name)}</td><td>${ruleEps.map((e) => `<span class="chip ${dead.includes(e) ? "stale" : ""} ${local.has(e) ? "local" : ""}" title="${local.has(e) ? "on this node: no network hop" : "on another node: one hop across the network"}">${esc(e)}</span>`).join("")}</td><td>${state}</td>
      <td>${btn("local-first", { action: "syncRules", service: svc.name, node, mode: "local-first" }, rule?.stale || !rule ? "primary" : "")} ${btn("spread", { action: "syncRules", service: svc.name, node, mode: "spread" })}</td></tr>`;
  });
  // A bare server's kube-proxy has no credentials until the node joins: every sync is refused (401).
  const bare = s.nodes?.get(node)?.readyReason === NOT_REGISTERED;
  const summary = bare
    ? { text: "not in the cluster yet", level: "warn" as const }
    : stale
      ? { text: `${stale} stale`, level: "bad" as const }
      : { text: "in sync", level: "" as const };
  const body = `${bare ? `<p class="warn">${esc(node)} has not joined the cluster yet: until its kubelet joins it, kube-proxy has no credentials the API server accepts.</p>` : ""}<table><tr><th>service</th><th>rules forward to</th><th></th><th>sync</th></tr>${rows.join("")}</table>
    ${latencyLine(s, node)}<p class="muted"><kbd>Y</kbd> syncs every stale service (local-first)</p>`;
  return panel(ui, seatId("kube-proxy", node), `kube-proxy of ${esc(node)}`, summary, body, foldedByDefault);
}

/** What this kube-proxy sees of the requests entering its node: how long they took, to a pod here or on another node. */
function latencyLine(s: State, node: string): string {
  const n = s.nodes?.get(node);
  if (!n || (!n.localLatencyMs && !n.remoteLatencyMs)) return "";
  const part = (ms: number, where: string) => (ms ? `${where} <b>${ms} ms</b>` : `${where} –`);
  return `<p class="latency" title="mean time from entering ${esc(node)} to being served, over the game: a hop to another node costs far more than one to a pod on this node">requests served: ${part(n.localLatencyMs, "same node")} · ${part(n.remoteLatencyMs, "other node")}</p>`;
}
