/**
 * The host's panel: game controls, the scenario (before the start), the players — each dragged
 * onto a seat of the seat board or assigned with a pick and a button — the chaos panel and the
 * live scoreboard. Its sections fold; by default the players are open in the lobby and the
 * chaos panel and scoreboard once the game runs.
 */
import { esc, pct } from "../dom.ts";
import { joinQrHtml, joinUrlsHtml } from "../joinAddress.ts";
import { truthToggle } from "../truth.ts";
import { answer, btn, list, section, type Scoreboard, type State, type Ui } from "./common.ts";
import type { PlayerView } from "../../../../shared/protocol/state.ts";
import { seatId } from "../../../../shared/sim/seats.ts";
import { gameControls } from "../gameControls.ts";
import type { Failure, FailureType } from "../../../../shared/sim/failures/failures.ts";
import type { ProcessName } from "../../../../shared/sim/world/Machine.ts";
import type { OutsiderKind } from "../../../../shared/sim/failures/outsiderKinds.ts";

/** The chaos panel's failures, each with its label: a failure type the server does not know does not compile. */
const FAILURES: [FailureType, string][] = [
  ["crashNode", "Crash a node"],
  ["restoreNode", "Power a node on"],
  ["stopProcess", "Stop a process"],
  ["startProcess", "Start a process"],
  ["killPod", "Kill a pod"],
  ["crashContainer", "Crash a container"],
  ["oomPod", "OOM a pod"],
  ["trafficSpike", "Traffic spike ×3 (60 s)"],
  ["slowImagePulls", "Slow image pulls ×5 (60 s)"],
  ["memoryLeak", "Memory leak (50 MiB/s)"],
  ["joinWorker", "Join a worker"],
  ["addBareServer", "Add a bare server"],
  ["addControlPlane", "Add a control-plane node"],
  ["removeControlPlane", "Remove a control-plane node"],
  ["scaleDeployment", "Scale a deployment"],
  ["outsiderRequest", "An outsider's request"],
];

const PROCESSES: readonly ProcessName[] = ["kubelet", "kube-proxy", "container-runtime", "api-server", "scheduler", "controller-manager", "etcd"];

/** Before the game starts: the lobby and the intro. */
export const beforeStart = (s: State) => s.phase === "lobby" || s.phase === "intro";

export function hostPanel(s: State, ui: Ui, scenarios: { id: string; title: string }[]): string {
  const lobby = beforeStart(s);
  const players = list(s.players).filter((p) => !p.host);
  const over = s.phase === "debrief";
  const controls = `<div class="controls">${gameControls(s, ui)}
      ${over ? "" : `${btn(s.locked ? "Unlock room" : "Lock room", { action: "host.lock", locked: String(!s.locked) })} ${btn("All seats to bots", { action: "host.fillBots" })}`}</div>`;
  // The scenario can only change before the game starts.
  const scenario = lobby
    ? `<p><label>Scenario <select data-field="scenario">${scenarios.map((x) => `<option value="${esc(x.id)}" ${x.id === s.scenario ? "selected" : ""}>${esc(x.title)}</option>`).join("")}</select></label> ${btn("Choose", { action: "host.scenario" })}</p>${speedPoints(s)}`
    : "";
  const parts = [
    section(
      ui,
      "host.players",
      `Players <span class="muted">${players.length}</span>`,
      playersTable(s, players, ui) + (players.length ? seatBoard(s, undefined, ui.placing ?? "") : ""),
      !lobby,
    ),
  ];
  const bank = ui.questionBank?.[s.scenario] ?? [];
  if (!lobby && !over && bank.length) parts.push(section(ui, "host.ask", "Ask the class", askForm(bank, ui)));
  if (!over) parts.push(section(ui, "host.chaos", "Chaos", chaos(s, ui), lobby));
  if (ui.scoreboard && !lobby) parts.push(section(ui, "host.scoreboard", "Scoreboard", scoreboardTable(s, ui.scoreboard)));
  return `<div class="panel host" data-panel="host"><h3>Host <span class="muted">PIN</span> <span class="pin" style="font-size:2em">${esc(ui.pin ?? s.pin)}</span></h3>
    ${lobby ? `<div class="join">${joinQrHtml(96)}<p>Join at ${joinUrlsHtml()}</p></div>` : `<p class="join-line muted">Join at ${joinUrlsHtml()}</p>`}${truthToggle(s)}
    ${controls}${answer(ui, "host")}${scenario}${parts.join("")}</div>`;
}

/** The lobby's switch for *no points for speed* (shared/sim/scoring/score.ts): a toggle button the keyboard and screen readers know. */
function speedPoints(s: State): string {
  const on = s.noSpeedPoints;
  const label = `No points for speed: ${on ? "on" : "off"}`;
  const button = `<button data-action="host.noSpeedPoints" data-scenario="${esc(s.scenario)}" data-on="${!on}" aria-pressed="${on}">${label}</button>`;
  return `<p>${button} <span class="muted">${on ? "recovering scores the same however long it takes" : "faster recoveries score more"}</span></p>`;
}

/** The host's question form: any question of the scenario's bank, asked now (the game pauses for it). */
function askForm(bank: { id: string; text: string }[], ui: Ui): string {
  const options = bank.map((q) => `<option value="${esc(q.id)}">${esc(q.text.length > 70 ? `${q.text.slice(0, 69)}…` : q.text)}</option>`).join("");
  return `<p><select data-field="question" aria-label="the question to ask">${options}</select> ${btn("Ask now", { action: "host.ask" })}</p>${answer(ui, "host.ask")}`;
}

function playersTable(s: State, players: PlayerView[], ui: Ui): string {
  if (!players.length) return '<p class="muted">Nobody has joined yet: show them the PIN.</p>';
  const seatOptions = list(s.seats)
    .map((x) => `<option>${esc(x.seat)}</option>`)
    .join("");
  const rows = players.map(
    (
      p,
    ) => `<tr><td><span class="chip player" draggable="true" data-drag-player="${esc(p.id)}" role="button" tabindex="0" aria-pressed="${ui.placing === p.id}" title="drag onto a seat, or tap then tap a seat, to assign it">${esc(p.nickname)}</span>${p.connected ? "" : ' <span class="warn">away</span>'}</td>
    <td class="seats">${[...p.seats].map((x) => `<span class="chip">${esc(x)}</span>`).join("") || '<span class="muted">no seat</span>'}</td>
    <td class="assign"><select data-assign="${esc(p.id)}" aria-label="a seat for ${esc(p.nickname)}">${seatOptions}</select> ${btn("Assign", { action: "host.assign", player: p.id })} ${btn("Kick", { action: "host.kick", player: p.id }, "danger")}</td></tr>
    <tr class="grant"><td colspan="3"><label title="let ${esc(p.nickname)} create, change and delete deployments and services with kubectl apply, as the cluster admin"><input type="checkbox" data-action="host.grantApply" data-player="${esc(p.id)}" data-allowed="${!p.mayApply}"${p.mayApply ? " checked" : ""}> ${esc(p.nickname)} may use kubectl apply</label></td></tr>`,
  );
  return `<div class="scroll-box"><table class="players"><tr><th>player</th><th>seats</th><th></th></tr>${rows.join("")}</table></div>`;
}

/**
 * Every seat as a drop target for the host's drag (and the spectator's overview): who holds it, or
 * its bot. For the host (`placing` given, "" while no player is picked) each tile is also a button:
 * a tap (or Enter) gives the picked player that seat.
 */
export function seatBoard(
  s: State,
  prompt = "Drag a player onto a seat, or tap a player then a seat, or pick one and press Assign.",
  placing?: string,
): string {
  const tiles = list(s.seats).map((seat) => {
    const holders = [...(seat.holders ?? [])].join(", ");
    const asButton = placing === undefined ? "" : ` role="button" tabindex="0" aria-disabled="${!placing}"`;
    return `<div class="seat-tile" data-drop-seat="${esc(seat.seat)}"${asButton}><b>${esc(seat.seat)}</b><span class="${seat.bot ? "muted" : ""}">${seat.bot ? "bot" : esc(holders)}</span></div>`;
  });
  return `<p class="muted" style="margin:6px 0 4px">${prompt}</p><div class="seat-board">${tiles.join("")}</div>`;
}

/** The chaos form's drop-downs besides the failure itself. */
type ChaosField = "node" | "process" | "pod" | "deployment" | "caller";

/** An outsider's request, by the check of the API server that turns it away. */
const CALLERS: [OutsiderKind, string][] = [
  ["anonymous", "no credentials (401)"],
  ["wrong-node", "a kubelet reaching for another node's pod (403)"],
  ["impossible", "an impossible request (422)"],
];

/** The fields each failure takes: the form shows only those (the rest use the panel's fixed amounts). */
export const CHAOS_FIELDS: Record<FailureType, ChaosField[]> = {
  crashNode: ["node"],
  restoreNode: ["node"],
  removeControlPlane: ["node"],
  stopProcess: ["node", "process"],
  startProcess: ["node", "process"],
  killPod: ["pod"],
  crashContainer: ["pod"],
  oomPod: ["pod"],
  trafficSpike: [],
  slowImagePulls: [],
  memoryLeak: ["deployment"],
  scaleDeployment: ["deployment"],
  joinWorker: [],
  addBareServer: [],
  addControlPlane: [],
  outsiderRequest: ["caller", "node"],
};

/** The failure picked in the chaos form (the first one until the host picks another). */
export const chaosPick = (ui: Ui): FailureType => (ui.chaosFailure && ui.chaosFailure in CHAOS_FIELDS ? (ui.chaosFailure as FailureType) : FAILURES[0][0]);

function chaos(s: State, ui: Ui): string {
  const picked = chaosPick(ui);
  const shown = new Set(CHAOS_FIELDS[picked]);
  const options = (xs: { name: string }[]) => xs.map((x) => `<option>${esc(x.name)}</option>`).join("");
  const field = (name: ChaosField, choices: string) =>
    `<label data-chaos-field="${name}" ${shown.has(name) ? "" : "hidden"}>${name} <select data-field="${name}">${choices}</select></label>`;
  return `<p class="chaos"><select data-field="failure" aria-label="the failure to inject">${FAILURES.map(([v, l]) => `<option value="${v}" ${v === picked ? "selected" : ""}>${l}</option>`).join("")}</select>
      ${field("node", options(list(s.nodes)))}${field("process", PROCESSES.map((p) => `<option>${p}</option>`).join(""))}
      ${field("pod", options(list(s.pods)))}${field("deployment", options(list(s.deployments)))}
      ${field("caller", CALLERS.map(([v, l]) => `<option value="${v}">${l}</option>`).join(""))}
      ${btn("Inject", { action: "host.chaos" }, "danger")}</p>${answer(ui, "host.chaos")}`;
}

/** The host's live scoreboard: every seat, who plays it, and its figure from the design's table. */
function scoreboardTable(s: State, b: Scoreboard): string {
  const who = (seat: string) => {
    const v = s.seats?.get(seat);
    return v ? (v.bot ? '<span class="muted">bot</span>' : esc([...v.holders].join(", "))) : "";
  };
  const rows = [
    b.scheduler &&
      `<tr><td>scheduler</td><td>${who("scheduler")}</td><td>pods wait ${b.scheduler.meanWaitSec} s · ${b.scheduler.rejectedBindings} bindings rejected</td></tr>`,
    b.controllerManager &&
      `<tr><td>controller manager</td><td>${who("controller-manager")}</td><td>${b.controllerManager.meanReplaceSec} s to replace a pod · ${b.controllerManager.podsCreated} created</td></tr>`,
    ...Object.entries(b.kubelets).map(
      ([n, k]) =>
        `<tr><td>kubelet ${esc(n)}</td><td>${who(seatId("kubelet", n))}</td><td>${k.started} started in ${k.meanStartSec} s · ${k.oomKills} OOM kills</td></tr>`,
    ),
    ...Object.entries(b.kubeProxies).map(
      ([n, p]) =>
        `<tr><td>kube-proxy ${esc(n)}</td><td>${who(seatId("kube-proxy", n))}</td><td>${pct(p.localShare)} same-node · ${p.staleDrops} stale drops</td></tr>`,
    ),
  ];
  return `<div class="scroll-box" tabindex="0" role="region" aria-label="scoreboard"><table><tr><th>seat</th><th>played by</th><th>figures</th></tr>${rows.filter(Boolean).join("")}</table></div>`;
}

/**
 * The failure the chaos panel's fields describe, as host.chaos takes it. `field` reads one of the
 * panel's drop-downs; spikes, slow pulls, leaks and scaling use the panel's fixed amounts.
 */
export function chaosFailure(field: (name: string) => string, s: State | undefined): Failure {
  const type = field("failure") as FailureType;
  const node = field("node");
  switch (type) {
    case "crashNode":
    case "restoreNode":
    case "removeControlPlane":
      return { type, node };
    case "stopProcess":
    case "startProcess":
      return { type, node, process: field("process") as ProcessName };
    case "killPod":
    case "crashContainer":
    case "oomPod":
      return { type, pod: field("pod") };
    case "trafficSpike":
      return { type, service: s?.services?.keys().next().value ?? "web", factor: 3, durationSec: 60 };
    case "slowImagePulls":
      return { type, factor: 5, durationSec: 60 };
    case "memoryLeak":
      return { type, deployment: field("deployment"), mibPerSec: 50 };
    case "scaleDeployment": {
      const d = s?.deployments?.get(field("deployment"));
      return { type, deployment: field("deployment"), replicas: (d?.desired ?? 1) + 2 };
    }
    case "joinWorker":
    case "addBareServer":
    case "addControlPlane":
      return { type };
    case "outsiderRequest":
      return { type, kind: field("caller") as OutsiderKind, node };
  }
}
