/**
 * A kubelet's panel: the pods bound to its node, with admit / reject for Scheduled ones,
 * restart (after the back-off) for crashed ones and evict under memory pressure — or, on a bare
 * server, the checklist that brings it into the cluster (bareServer.ts).
 */
import { esc, pct } from "../dom.ts";
import { btn, list, panel, type State, type Ui } from "./common.ts";
import { seatId } from "../../../../shared/sim/seats.ts";
import { machineOf } from "../truth.ts";
import { bareServerChecklist } from "./bareServer.ts";

export { isSetupStep } from "../../../../shared/sim/world/setupSteps.ts";

/** Memory use from which the kubelet may evict (the simulation's pressure threshold). */
const PRESSURE = 0.85;

export function kubeletPanel(s: State, ui: Ui, node: string, foldedByDefault: boolean): string {
  const n = s.nodes?.get(node);
  const seat = seatId("kubelet", node);
  const pods = list(s.pods).filter((p) => p.node === node);
  // The kubelet watches its own machine: the room sends this seat its node's truth.
  const machine = n && machineOf(s, n);
  if (n && machine?.observed && !machine.joined) {
    const bare = bareServerChecklist(s, node, machine);
    return panel(ui, seat, `Kubelet of ${esc(node)}`, bare.summary, bare.body, foldedByDefault);
  }
  const memShare = n && machine ? machine.memoryInUse / n.memoryAllocatable : 0;
  const rows = pods.map((p) => {
    const actions: string[] = [];
    if (p.phase === "Scheduled") {
      actions.push(btn("Start", { action: "admit", pod: p.name, seat }, "primary"));
      actions.push(btn("Reject: CPU", { action: "reject", pod: p.name, reason: "OutOfcpu", seat }));
      actions.push(btn("Reject: memory", { action: "reject", pod: p.name, reason: "OutOfmemory", seat }));
    }
    if (p.restartAfter > 0) {
      const wait = Math.max(0, p.restartAfter - s.time);
      actions.push(btn(wait > 0 ? `Restart in ${(wait / 1000).toFixed(0)} s` : "Restart", { action: "restart", pod: p.name, seat }, wait > 0 ? "" : "primary"));
    }
    if (memShare >= PRESSURE && (p.phase === "Running" || p.phase === "ContainerCreating"))
      actions.push(btn("Evict", { action: "evict", pod: p.name, seat }, "danger"));
    return `<tr><td class="name">${esc(p.name)}</td><td>${esc(p.phase)}${p.reason ? ` <span class="warn">${esc(p.reason)}</span>` : ""}</td><td>${p.ready ? "ready" : ""}</td><td>${actions.join(" ")}</td></tr>`;
  });
  const toStart = pods.filter((p) => p.phase === "Scheduled").length;
  const crashed = pods.filter((p) => p.restartAfter > 0).length;
  const summary =
    machine && !machine.powered
      ? { text: "node down", level: "bad" as const }
      : machine?.processes["container-runtime"] === false
        ? { text: "runtime down", level: "bad" as const }
        : memShare >= PRESSURE
          ? { text: `memory ${pct(memShare)}`, level: "bad" as const }
          : toStart || crashed
            ? { text: [toStart ? `${toStart} to start` : "", crashed ? `${crashed} crashed` : ""].filter(Boolean).join(" · "), level: "warn" as const }
            : { text: `${pods.length} pod${pods.length === 1 ? "" : "s"} · memory ${pct(memShare)}`, level: "" as const };
  const body = `${machine && !machine.powered ? '<p class="bad">This node is down.</p>' : processesLine(node, machine)}
    <table><tr><th>pod</th><th>phase</th><th></th><th></th></tr>${rows.join("") || '<tr><td colspan="4" class="muted">No pods on this node.</td></tr>'}</table>
    <p class="muted"><kbd>S</kbd> starts the next Scheduled pod · <kbd>R</kbd> restarts a crashed one</p>`;
  return panel(ui, seat, `Kubelet of ${esc(node)}`, summary, body, foldedByDefault);
}

/** What each process does for the kubelet, when it is the one stopped on its node. */
const STOPPED: Record<string, string> = {
  "container-runtime": "the container runtime (containerd or Docker) is stopped: pods bound here cannot start or restart until it is back",
  kubelet: "the kubelet is stopped: no heartbeat leaves this node, nothing you send from this seat is accepted, and a crashed container stays down",
  "kube-proxy": "kube-proxy is stopped: the load balancer sends no traffic into this node, though its pods still serve what other nodes forward",
};

/** The node's three processes as the kubelet sees them on its own machine, when one of them is stopped. */
function processesLine(node: string, machine: ReturnType<typeof machineOf> | undefined): string {
  if (!machine?.observed) return "";
  const stopped = Object.entries(machine.processes).filter(([, on]) => !on);
  if (stopped.length === 0) return "";
  const chips = Object.entries(machine.processes)
    .map(([p, on]) => `<span class="${on ? "ok" : "bad"}">${esc(p)} ${on ? "running" : "stopped"}</span>`)
    .join(" · ");
  const why = stopped.map(([p]) => STOPPED[p]).filter(Boolean);
  return `<p class="procs">${esc(node)}: ${chips}</p>${why.map((w) => `<p class="bad">${esc(w)}</p>`).join("")}`;
}
