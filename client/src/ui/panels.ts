/**
 * The panels of the game screen, one per role, plus the host's: each renders from the
 * synchronised state to HTML whose buttons carry a data-action the game screen dispatches.
 * Answers to an action appear in the panel that sent it.
 */
import { clock, esc, pct } from "./dom.ts";

/* eslint-disable @typescript-eslint/no-explicit-any */
export type State = any;

export interface Ui {
  /** The pod selected in the scheduler panel. */
  selectedPod?: string;
  /** The last answer each panel received: [ok, message]. */
  answers: Map<string, [boolean, string]>;
  me?: { id: string; host: boolean; seats: string[] };
  /** The per-seat figures, fetched every few seconds for the host's live scoreboard. */
  scoreboard?: Scoreboard;
  /** A player is being dragged onto a seat in the host's lobby (the side column holds still). */
  dragging?: boolean;
}

export interface Scoreboard {
  scheduler: { bindings: number; meanWaitSec: number; rejectedBindings: number };
  controllerManager: { podsCreated: number; meanReplaceSec: number };
  kubelets: Record<string, { started: number; meanStartSec: number; oomKills: number }>;
  kubeProxies: Record<string, { localShare: number; staleDrops: number }>;
}

/** The host's live scoreboard: every seat, who plays it, and its figure from the design's table. */
function scoreboardTable(s: State, b: Scoreboard | undefined): string {
  if (!b) return "";
  const who = (seat: string) => {
    const v = s.seats?.get(seat);
    return v ? (v.bot ? '<span class="muted">bot</span>' : esc([...v.holders].join(", "))) : "";
  };
  const rows = [
    `<tr><td>scheduler</td><td>${who("scheduler")}</td><td>pods wait ${b.scheduler.meanWaitSec} s · ${b.scheduler.rejectedBindings} bindings rejected</td></tr>`,
    `<tr><td>controller manager</td><td>${who("controller-manager")}</td><td>${b.controllerManager.meanReplaceSec} s to replace a pod · ${b.controllerManager.podsCreated} created</td></tr>`,
    ...Object.entries(b.kubelets).map(([n, k]) => `<tr><td>kubelet ${esc(n)}</td><td>${who(`kubelet:${n}`)}</td><td>${k.started} started in ${k.meanStartSec} s · ${k.oomKills} OOM kills</td></tr>`),
    ...Object.entries(b.kubeProxies).map(([n, p]) => `<tr><td>kube-proxy ${esc(n)}</td><td>${who(`kube-proxy:${n}`)}</td><td>${pct(p.localShare)} same-node · ${p.staleDrops} stale drops</td></tr>`),
  ];
  return `<h3 style="margin-top:8px">Scoreboard</h3><table><tr><th>seat</th><th>played by</th><th>figures</th></tr>${rows.join("")}</table>`;
}

const answer = (ui: Ui, panel: string) => {
  const a = ui.answers.get(panel);
  return `<div class="answer ${a ? (a[0] ? "ok" : "bad") : ""}" data-answer="${esc(panel)}">${a ? esc(a[1]) : ""}</div>`;
};

const btn = (label: string, action: Record<string, string>, cls = "") =>
  `<button class="${cls}" ${Object.entries(action).map(([k, v]) => `data-${k}="${esc(v)}"`).join(" ")}>${label}</button>`;

const list = (m: any): any[] => (m ? [...m.values()] : []);

/** The default scheduler's view of a pod: filter, then score (least allocated), like kube-scheduler. */
export function verdicts(s: State, pod: any): { node: string; fits: boolean; why: string; score: number; freeCpu: number; freeMem: number }[] {
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

export function schedulerPanel(s: State, ui: Ui): string {
  const pending = list(s.pods).filter((p) => p.phase === "Pending");
  if (!ui.selectedPod || !pending.some((p) => p.name === ui.selectedPod)) ui.selectedPod = pending[0]?.name;
  const pod = pending.find((p) => p.name === ui.selectedPod);
  let table = `<p class="muted">No pod is waiting for a node.</p>`;
  if (pod) {
    const v = verdicts(s, pod);
    const best = v.filter((x) => x.fits).sort((a, b) => b.score - a.score)[0];
    table = `<p>Place <b>${esc(pod.name)}</b> (${pod.cpu}m CPU, ${pod.memory}Mi):</p>
      <table><tr><th>node</th><th>free</th><th>fits?</th><th>score</th><th></th></tr>
      ${v.map((x) => `<tr><td>${esc(x.node)}${best?.node === x.node ? ' <span class="chip">default pick</span>' : ""}</td><td>${x.freeCpu}m · ${x.freeMem}Mi</td><td class="${x.fits ? "ok" : "bad"}">${x.fits ? "yes" : esc(x.why)}</td><td>${x.fits ? x.score : "–"}</td><td>${btn("Bind", { action: "bind", pod: pod.name, node: x.node }, x.fits ? "primary" : "")}</td></tr>`).join("")}
      </table><p class="muted"><kbd>B</kbd> binds to the default pick · <kbd>N</kbd> next pod</p>`;
  }
  return `<div class="panel" data-panel="scheduler"><h3>Scheduler <span class="muted">${pending.length} pending</span></h3>
    <div>${pending.map((p) => `<span class="chip" data-action="select" data-pod="${esc(p.name)}" style="cursor:pointer;${p.name === ui.selectedPod ? "outline:1px solid var(--info)" : ""}">${esc(p.name)}</span>`).join(" ")}</div>
    ${table}${answer(ui, "scheduler")}</div>`;
}

export function controllerPanel(s: State, ui: Ui): string {
  const deployments = list(s.deployments).map((d) => {
    const short = d.replicas < d.desired;
    return `<tr><td>${esc(d.name)}</td><td>${d.desired}</td><td class="${short ? "warn" : ""}">${d.replicas}</td><td>${d.ready}</td><td>${short ? btn("Create pod", { action: "createPod", deployment: d.name }, "primary") : ""}</td></tr>`;
  });
  const nodes = list(s.nodes).map((n) => {
    const silent = n.leaseAgeMs > 10_000;
    const act = n.ready === "True" ? (silent ? btn("Mark NotReady", { action: "markNodeNotReady", node: n.name }, "danger") : "") : btn("Evict pods", { action: "evictNodePods", node: n.name }, "danger");
    return `<tr><td>${esc(n.name)}</td><td class="${n.ready === "True" ? "ok" : "bad"}">${n.ready === "True" ? "Ready" : "NotReady"}</td><td class="${silent ? "bad" : ""}">${Math.round(n.leaseAgeMs / 1000)} s</td><td>${act}</td></tr>`;
  });
  return `<div class="panel" data-panel="controller-manager"><h3>Controller manager</h3>
    <table><tr><th>deployment</th><th>desired</th><th>actual</th><th>ready</th><th></th></tr>${deployments.join("")}</table>
    <table style="margin-top:6px"><tr><th>node</th><th>status</th><th>last heartbeat</th><th></th></tr>${nodes.join("")}</table>
    <p class="muted">A node is NotReady after 10 s without a heartbeat; evict its pods 10 s later. <kbd>C</kbd> creates a missing pod</p>
    ${answer(ui, "controller-manager")}</div>`;
}

export function kubeletPanel(s: State, ui: Ui, node: string): string {
  const n = s.nodes?.get(node);
  const pods = list(s.pods).filter((p) => p.node === node);
  const memShare = n ? n.memoryInUse / n.memoryAllocatable : 0;
  const rows = pods.map((p) => {
    const actions: string[] = [];
    if (p.phase === "Scheduled") {
      actions.push(btn("Start", { action: "admit", pod: p.name, seat: `kubelet:${node}` }, "primary"));
      actions.push(btn("Reject: CPU", { action: "reject", pod: p.name, reason: "OutOfcpu", seat: `kubelet:${node}` }));
      actions.push(btn("Reject: memory", { action: "reject", pod: p.name, reason: "OutOfmemory", seat: `kubelet:${node}` }));
    }
    if (p.restartAfter > 0) {
      const wait = Math.max(0, p.restartAfter - s.time);
      actions.push(btn(wait > 0 ? `Restart in ${(wait / 1000).toFixed(0)} s` : "Restart", { action: "restart", pod: p.name, seat: `kubelet:${node}` }, wait > 0 ? "" : "primary"));
    }
    if (memShare >= 0.85 && (p.phase === "Running" || p.phase === "ContainerCreating")) actions.push(btn("Evict", { action: "evict", pod: p.name, seat: `kubelet:${node}` }, "danger"));
    return `<tr><td>${esc(p.name)}</td><td>${esc(p.phase)}${p.reason ? ` <span class="warn">${esc(p.reason)}</span>` : ""}</td><td>${p.ready ? "ready" : ""}</td><td>${actions.join(" ")}</td></tr>`;
  });
  return `<div class="panel" data-panel="kubelet:${esc(node)}"><h3>Kubelet of ${esc(node)} <span class="${memShare >= 0.85 ? "bad" : "muted"}">memory ${pct(memShare)}</span></h3>
    ${n && !n.powered ? '<p class="bad">This node is down.</p>' : ""}
    <table><tr><th>pod</th><th>phase</th><th></th><th></th></tr>${rows.join("") || '<tr><td colspan="4" class="muted">No pods on this node.</td></tr>'}</table>
    <p class="muted"><kbd>S</kbd> starts the next Scheduled pod · <kbd>R</kbd> restarts a crashed one</p>
    ${answer(ui, `kubelet:${node}`)}</div>`;
}

export function proxyPanel(s: State, ui: Ui, node: string): string {
  const rows = list(s.services).map((svc) => {
    const rule = s.rules?.get(`${node}/${svc.name}`);
    const eps = [...(svc.endpoints ?? [])] as string[];
    const ruleEps = rule ? ([...rule.endpoints] as string[]) : [];
    const dead = ruleEps.filter((e) => !eps.includes(e));
    const missing = eps.filter((e) => !ruleEps.includes(e));
    const state = !rule ? '<span class="stale">no rules yet</span>' : rule.stale ? `<span class="stale">stale: ${dead.length} gone, ${missing.length} new</span>` : '<span class="ok">in sync</span>';
    return `<tr><td>${esc(svc.name)}</td><td>${ruleEps.map((e) => `<span class="chip ${dead.includes(e) ? "stale" : ""}">${esc(e)}</span>`).join("")}</td><td>${state}</td>
      <td>${btn("Sync local-first", { action: "syncRules", service: svc.name, node, mode: "local-first" }, rule?.stale || !rule ? "primary" : "")} ${btn("Sync spread", { action: "syncRules", service: svc.name, node, mode: "spread" })}</td></tr>`;
  });
  return `<div class="panel" data-panel="kube-proxy:${esc(node)}"><h3>kube-proxy of ${esc(node)}</h3>
    <table><tr><th>service</th><th>rules forward to</th><th></th><th></th></tr>${rows.join("")}</table>
    <p class="muted"><kbd>Y</kbd> syncs every stale service (local-first)</p>${answer(ui, `kube-proxy:${node}`)}</div>`;
}

export function seatsPanel(s: State, ui: Ui): string {
  const mine = new Set(ui.me?.seats ?? []);
  const rows = list(s.seats).map((seat) => {
    const holders = [...(seat.holders ?? [])].join(", ");
    return `<tr><td>${esc(seat.seat)}</td><td>${seat.bot ? '<span class="muted">bot</span>' : esc(holders)}</td><td>${mine.has(seat.seat) ? btn("Leave", { action: "seat.leave", seat: seat.seat }) : btn("Take", { action: "seat.take", seat: seat.seat })}</td></tr>`;
  });
  return `<div class="panel" data-panel="seats"><h3>Seats</h3><table>${rows.join("")}</table>${answer(ui, "seats")}</div>`;
}

/** Every seat as a drop target for the host's drag: who holds it, or its bot. */
function seatBoard(s: State): string {
  const tiles = list(s.seats).map((seat) => {
    const holders = [...(seat.holders ?? [])].join(", ");
    return `<div class="seat-tile" data-drop-seat="${esc(seat.seat)}"><b>${esc(seat.seat)}</b><span class="${seat.bot ? "muted" : ""}">${seat.bot ? "bot" : esc(holders)}</span></div>`;
  });
  return `<p class="muted" style="margin:6px 0 4px">Drag a player onto a seat, or pick one and press Assign.</p><div class="seat-board">${tiles.join("")}</div>`;
}

const FAILURES: [string, string][] = [
  ["crashNode", "Crash a node"], ["restoreNode", "Power a node on"], ["stopProcess", "Stop a process"], ["startProcess", "Start a process"],
  ["killPod", "Kill a pod"], ["crashContainer", "Crash a container"], ["oomPod", "OOM a pod"], ["trafficSpike", "Traffic spike ×3 (60 s)"],
  ["slowImagePulls", "Slow image pulls ×5 (60 s)"], ["memoryLeak", "Memory leak (50 MiB/s)"], ["joinWorker", "Join a worker"],
  ["addControlPlane", "Add a control-plane node"], ["removeControlPlane", "Remove a control-plane node"], ["scaleDeployment", "Scale a deployment"],
];

export function hostPanel(s: State, ui: Ui, scenarios: { id: string; title: string }[]): string {
  const players = list(s.players).filter((p) => !p.host);
  const seatOptions = list(s.seats).map((x) => `<option>${esc(x.seat)}</option>`).join("");
  const nodes = list(s.nodes).map((n) => `<option>${esc(n.name)}</option>`).join("");
  const pods = list(s.pods).map((p) => `<option>${esc(p.name)}</option>`).join("");
  const deps = list(s.deployments).map((d) => `<option>${esc(d.name)}</option>`).join("");
  const lobby = players.map((p) => `<tr><td><span class="chip player" draggable="true" data-drag-player="${esc(p.id)}" title="drag onto a seat to assign it">${esc(p.nickname)}</span>${p.connected ? "" : ' <span class="warn">away</span>'}</td><td>${[...p.seats].map((x: string) => `<span class="chip">${esc(x)}</span>`).join("") || '<span class="muted">no seat</span>'}</td>
    <td><select data-assign="${esc(p.id)}">${seatOptions}</select> ${btn("Assign", { action: "host.assign", player: p.id })} ${btn("Kick", { action: "host.kick", player: p.id }, "danger")}</td></tr>`);
  return `<div class="panel" data-panel="host"><h3>Host <span class="muted">PIN</span> <span class="pin" style="font-size:2em">${esc(s.pin)}</span></h3>
    <div>${btn("Start", { action: "host.start" }, "primary")} ${btn("Pause", { action: "host.pause" })} ${btn("Resume", { action: "host.resume" })} ${btn("End", { action: "host.end" }, "danger")}
      speed ${[0.5, 1, 2, 4].map((x) => btn(`${x}×`, { action: "host.speed", speed: String(x) }, s.speed === x ? "primary" : "")).join(" ")}
      ${btn(s.locked ? "Unlock room" : "Lock room", { action: "host.lock", locked: String(!s.locked) })} ${btn("All seats to bots", { action: "host.fillBots" })}</div>
    <p>Scenario <select data-field="scenario">${scenarios.map((x) => `<option value="${esc(x.id)}" ${x.id === s.scenario ? "selected" : ""}>${esc(x.title)}</option>`).join("")}</select> ${btn("Choose", { action: "host.scenario" })}</p>
    <table><tr><th>player</th><th>seats</th><th></th></tr>${lobby.join("") || '<tr><td class="muted" colspan="3">Nobody has joined yet: show them the PIN.</td></tr>'}</table>
    ${players.length ? seatBoard(s) : ""}
    <h3 style="margin-top:8px">Chaos</h3>
    <p><select data-field="failure">${FAILURES.map(([v, l]) => `<option value="${v}">${l}</option>`).join("")}</select>
      node <select data-field="node">${nodes}</select>
      process <select data-field="process">${["kubelet", "kube-proxy", "container-runtime", "api-server", "scheduler", "controller-manager", "etcd"].map((p) => `<option>${p}</option>`).join("")}</select>
      pod <select data-field="pod">${pods}</select> deployment <select data-field="deployment">${deps}</select>
      ${btn("Inject", { action: "host.chaos" }, "danger")}</p>
    ${answer(ui, "host")}${scoreboardTable(s, ui.scoreboard)}</div>`;
}
