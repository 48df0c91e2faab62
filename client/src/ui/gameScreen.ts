/**
 * The game screen: the team's availability, clock and goal across the top; the cluster map;
 * a panel for every seat the player holds (and the host's); the API log, the etcd panel and the
 * event log at the bottom; the scenario's intro and debrief as overlays.
 */
import { ClusterMap } from "../map/ClusterMap.ts";
import type { DropVerdict } from "../map/podDrag.ts";
import type { Answer, Connection } from "../net/connection.ts";
import { clock, esc, pct, render } from "./dom.ts";
import { list, type State, type Ui } from "./panels/common.ts";
import { controllerPanel } from "./panels/controller.ts";
import { beforeStart, chaosFailure, CHAOS_FIELDS, chaosPick, hostPanel } from "./panels/host.ts";
import { isSetupStep, kubeletPanel } from "./panels/kubelet.ts";
import { proxyPanel } from "./panels/proxy.ts";
import { schedulerPanel, verdicts } from "./panels/scheduler.ts";
import { seatsPanel } from "./panels/seats.ts";
import { spectatorPanel } from "./panels/spectator.ts";
import { bindAnswered, watchBindings } from "./bindWatch.ts";
import { soloControls } from "./gameControls.ts";
import { IntroGate, introBox, type ScenarioTexts } from "./intro.ts";
import { renderLogs, toggleLogLine } from "./logs.ts";
import { wireShortcuts } from "./shortcuts.ts";
import type { Debrief } from "../../../shared/protocol/debrief.ts";
import { showDebrief } from "./debrief.ts";
import { kubectlBox } from "./kubectlBox.ts";
import { drawSpark } from "./sparkline.ts";
import { wireLobbyDrag } from "./lobbyDrag.ts";
import { showHostAway } from "./hostAway.ts";
import { toModel } from "./mapModel.ts";
import { guidePanel, noteChoice, questionBox } from "./question.ts";
import { sendHostAction } from "./hostActions.ts";
import { teamBadge } from "./classLobby.ts";
import { parseSeat, seatId, seatRole, type SeatRole } from "../../../shared/sim/seats.ts";
import { wireAccess } from "./access.ts";

export function showGame(app: HTMLElement, connection: Connection): void {
  const welcome = connection.welcome!;
  app.innerHTML = `
  <div class="game">
    <div class="top" role="region" aria-label="the game">
      <div><div class="muted label">availability, last minute</div><div class="avail" id="avail">–</div></div>
      <canvas id="spark" width="160" height="44"></canvas>
      <div><div class="muted label">game clock</div><div class="clock" id="clock">0:00</div></div>
      <span class="phase" id="phase"></span>
      <div class="goal" id="goal"></div>
      <button id="kubectl-open" title="Point the real kubectl at this game">kubectl</button>
      <button id="leave" data-action="leave">Leave</button>
    </div>
    <div id="map" role="region" aria-label="the cluster map (read as text in the list after the logs)"></div>
    <main class="side" id="side" aria-label="your panels"></main>
    <div class="bottom" role="region" aria-label="the logs">
      <div class="log" id="apilog" tabindex="0" role="region" aria-label="API log"></div>
      <div class="log" id="etcd" tabindex="0" role="region" aria-label="etcd"></div>
      <div class="log" id="events" tabindex="0" role="region" aria-label="events"></div>
    </div>
  </div>
  <div id="overlay"></div><div id="question"></div><div id="kubectlbox"></div><div id="banner"></div>`;

  // Team mode: the team's name (with its colour) and the class's PIN, instead of the team room's own PIN.
  const where = welcome.team ? `team ${teamBadge(welcome.team.id)} · class PIN <b>${esc(welcome.team.classPin)}</b>` : "";
  if (welcome.team && welcome.host) app.querySelector("#leave")!.textContent = "Back to the class";
  const ui: Ui = { pin: welcome.team?.classPin, answers: new Map(), folds: new Map(), hints: welcome.scenario.hints, questionBank: welcome.questions };
  const history: number[] = [];
  let lastSecond = -1;
  let scenarios: ScenarioTexts[] = [];
  void fetch("/api/scenarios").then(async (r) => (scenarios = await r.json()));
  /** The scenario the room plays now: the host may have picked another in the lobby since this player's welcome. */
  const scenario = (s: State): ScenarioTexts =>
    s.scenario === welcome.scenario.id ? welcome.scenario : (scenarios.find((x) => x.id === s.scenario) ?? welcome.scenario);
  const intro = new IntroGate();
  const access = wireAccess(app.querySelector(".game")!);
  let debriefShown = false;

  const map = new ClusterMap(app.querySelector("#map")!, {
    onPodClick: (pod: string) => {
      ui.selectedPod = pod;
    },
    // The scheduler places the selected pending pod by clicking a node on the map…
    onNodeClick: (node: string) => {
      if (ui.selectedPod && schedulable(ui.selectedPod)) void bind(ui.selectedPod, node);
    },
    // …or by dragging it there, the nodes marked with the panel's own verdicts on the way.
    podDrag: {
      canDrag: schedulable,
      verdicts: (name) => {
        const s = state();
        const pod = s?.pods?.get(name);
        const out = new Map<string, DropVerdict>();
        if (!s || !pod) return out;
        for (const v of verdicts(s, pod)) out.set(v.node, { fits: v.fits, why: v.reasons.join("; "), score: v.fits ? v.score : undefined });
        for (const n of list(s.nodes)) if (n.role === "control-plane") out.set(n.name, { fits: false, why: "control plane: workloads run on workers" });
        return out;
      },
      drop: async (pod, node) => (await bind(pod, node)).ok,
    },
  });
  (window as unknown as { clusterMap: ClusterMap }).clusterMap = map;

  const state = (): State | undefined => connection.room?.state;
  const me = () => {
    const id = connection.welcome?.playerId ?? welcome.playerId; // a new id after the game moved to another process
    const p = state()?.players?.get(id);
    return p ? { id, host: p.host as boolean, seats: [...p.seats] as string[] } : { id, host: welcome.host, seats: [] };
  };

  connection.onStatus((s, why) => {
    render(app.querySelector("#banner")!, s === "connected" ? "" : `<div class="banner ${s === "lost" ? "lost" : ""}" role="alert">${esc(why)}</div>`);
  });

  kubectlBox(app, connection, () => me().seats);

  /** A panel's answer line, brought into view at the next render (the side column may be scrolled away from it). */
  const show = (panel: string, a: Answer) => {
    ui.answers.set(panel, [a.ok, a.ok ? a.message : `${a.code} ${a.reason ?? ""}: ${a.message}`]);
    ui.reveal = panel;
    access.answer(panel, a);
  };

  /** A pending pod this player may place: it holds the scheduler's seat. */
  function schedulable(pod: string): boolean {
    return me().seats.includes("scheduler") && state()?.pods?.get(pod)?.phase === "Pending";
  }

  /**
   * The scheduler's bind, whichever way it was asked for (Bind button, B, a click on a node or a
   * drop on the map); the answer shows in the scheduler panel.
   */
  async function bind(pod: string, node: string): Promise<Answer> {
    const a = await connection.api("scheduler", { type: "bind", pod, node });
    show("scheduler", a);
    bindAnswered(state(), ui, pod, node, a);
    tick();
    return a;
  }

  /** Dispatches a button's data-action. */
  async function act(el: HTMLElement): Promise<void> {
    const d = el.dataset;
    const panel = el.closest<HTMLElement>("[data-panel]")?.dataset.panel ?? "host";
    const seatOf = (role: SeatRole) => me().seats.find((x) => seatRole(x) === role) ?? role;
    // A button's data-* attribute (missing: empty, which the server answers with what is wrong).
    const attr = (name: string) => d[name] ?? "";
    let a: Answer | undefined;
    if (isSetupStep(d.action)) a = await connection.setup(attr("seat"), { type: d.action, node: attr("node") });
    else a = await sendHostAction(connection, d.action, attr, field);
    switch (d.action) {
      case "select":
        ui.selectedPod = d.pod;
        return;
      case "fold":
        ui.folds.set(attr("fold"), d.folded !== "true");
        tick();
        return;
      case "log.open":
        toggleLogLine(ui, attr("line"));
        tick();
        return;
      case "allNodes":
        ui.allNodes = d.all === "true";
        tick();
        return;
      case "bind":
        await bind(attr("pod"), attr("node"));
        return;
      case "createPod":
        a = await connection.api(seatOf("controller-manager"), { type: "createPod", deployment: attr("deployment") });
        break;
      case "deletePod":
        a = await connection.api(seatOf("controller-manager"), { type: "deletePod", pod: attr("pod") });
        break;
      case "markNodeNotReady":
      case "evictNodePods":
        a = await connection.api(seatOf("controller-manager"), { type: d.action, node: attr("node") });
        break;
      case "admit":
      case "restart":
      case "evict":
        a = await connection.api(attr("seat"), { type: d.action, pod: attr("pod") });
        break;
      case "reject":
        a = await connection.api(attr("seat"), { type: "reject", pod: attr("pod"), reason: d.reason === "OutOfmemory" ? "OutOfmemory" : "OutOfcpu" });
        break;
      case "syncRules":
        a = await connection.api(seatId("kube-proxy", attr("node")), {
          type: "syncRules",
          node: attr("node"),
          service: attr("service"),
          mode: d.mode === "spread" ? "spread" : "local-first",
        });
        break;
      case "seat.take":
      case "seat.leave":
        a = await connection.send(d.action, { seat: attr("seat") });
        break;
      case "host.assign": {
        const seat = app.querySelector<HTMLSelectElement>(`select[data-assign="${d.player}"]`)?.value;
        if (seat) await assign(attr("player"), seat);
        return;
      }
      case "host.ask":
        show("host.ask", await connection.send("host.ask", { question: field("question") }));
        tick();
        return;
      case "host.chaos":
        show("host.chaos", await connection.send("host.chaos", { failure: chaosFailure(field, state()) }));
        tick();
        return;
      case "host.endAsk":
        ui.confirmEnd = true;
        tick();
        return;
      case "host.endCancel":
        ui.confirmEnd = false;
        tick();
        return;
      case "host.end":
        ui.confirmEnd = false;
        a = await connection.send(d.action, {});
        break;
      case "answer":
        noteChoice(attr("question"), Number(d.choice));
        a = await connection.send("answer", { question: attr("question"), choice: Number(d.choice) });
        break;
      // Out of the room, back to the start screen (from the top bar or the debrief).
      case "leave":
        await connection.leave();
        location.reload();
        return;
      case "intro.ok":
        intro.close(state()?.phase ?? "");
        render(app.querySelector("#overlay")!, "");
        return;
    }
    if (a) show(panel, a);
    tick();
  }
  /** The host gives a player a seat: from the Assign button, or a name dropped on a seat. */
  async function assign(player: string, seat: string): Promise<void> {
    show("host", await connection.send("host.assign", { player, seat }));
    tick();
  }
  wireLobbyDrag(app, ui, (player, seat) => void assign(player, seat));

  const field = (name: string) => app.querySelector<HTMLSelectElement>(`[data-field="${name}"]`)?.value ?? "";
  // Buttons that are not <button>s (the panels' fold headers) answer Enter and Space too.
  app.addEventListener("keydown", (e) => {
    const el = (e.target as HTMLElement).closest<HTMLElement>('[role="button"][data-action]');
    if (!el || (e.key !== "Enter" && e.key !== " ")) return;
    e.preventDefault();
    e.stopPropagation(); // not also a game shortcut (Space pauses for the host)
    el.click();
  });
  // The chaos form shows only the fields of the failure picked.
  app.addEventListener("change", (e) => {
    const el = e.target as HTMLSelectElement;
    if (el.dataset.field !== "failure") return;
    ui.chaosFailure = el.value;
    const fields: readonly string[] = CHAOS_FIELDS[chaosPick(ui)];
    for (const label of app.querySelectorAll<HTMLElement>("[data-chaos-field]")) label.hidden = !fields.includes(label.dataset.chaosField!);
  });
  app.addEventListener("click", (e) => {
    const el = (e.target as HTMLElement).closest<HTMLElement>("[data-action]");
    if (el) void act(el);
  });

  wireShortcuts({
    app,
    ui,
    state,
    me,
    bind,
    cancelDrag: () => map.cancelDrag(),
    tell: (panel, ok, message) => {
      access.say(panel, ok, message);
      ui.answers.set(panel, [ok, message]);
      ui.reveal = panel;
      tick();
    },
    syncAllStale,
  });

  /** Y: every stale service of each kube-proxy the player holds, one sync each, one answer line per panel. */
  async function syncAllStale(): Promise<void> {
    const buttons = [...app.querySelectorAll<HTMLElement>('[data-action="syncRules"].primary')].map((b) => ({ ...b.dataset }));
    const said = new Map<string, string[]>();
    for (const b of buttons) {
      const node = b.node ?? "";
      const seat = seatId("kube-proxy", node);
      const a = await connection.api(seat, { type: "syncRules", node, service: b.service ?? "", mode: b.mode === "spread" ? "spread" : "local-first" });
      said.set(seat, [...(said.get(seat) ?? []), a.ok ? a.message : `${a.code} ${a.reason ?? ""}: ${a.message}`]);
      ui.reveal = seat;
      if (!a.ok) ui.answers.set(seat, [false, said.get(seat)!.join(" · ")]);
      else if (ui.answers.get(seat)?.[0] !== false || said.get(seat)!.length === 1) ui.answers.set(seat, [true, said.get(seat)!.join(" · ")]);
    }
    if (!buttons.length)
      for (const seat of me().seats.filter((x) => seatRole(x) === "kube-proxy")) ui.answers.set(seat, [true, "every service is in sync: nothing to do"]);
    tick();
  }

  function tick(): void {
    const s = state();
    if (!s) return;
    ui.me = me();
    showHostAway(app, s);
    access.tick(s);
    const sc = scenario(s);
    ui.hints = sc.hints;
    const second = Math.floor(s.time / 1000);
    if (second !== lastSecond) {
      lastSecond = second;
      if (trafficSeen(s)) history.push(s.availability);
      if (history.length > 120) history.shift();
      drawSpark(app.querySelector<HTMLCanvasElement>("#spark")!, history);
    }
    const avail = app.querySelector<HTMLElement>("#avail")!;
    // No request has ended yet: no figure to show (not 100%, nor 0%).
    avail.textContent = trafficSeen(s) ? pct(s.availability) : "–";
    avail.title = trafficSeen(s) ? "" : "no request has ended yet";
    avail.style.color = !trafficSeen(s) ? "var(--muted)" : s.availability >= 0.95 ? "var(--ok)" : s.availability >= 0.8 ? "var(--warn)" : "var(--bad)";
    app.querySelector("#clock")!.textContent = `${clock(s.time)} / ${clock(s.duration)}`;
    app.querySelector("#phase")!.textContent = `${s.phase}${s.speed !== 1 ? ` · ${s.speed}×` : ""}`;
    const w = sc.win;
    render(
      app.querySelector("#goal")!,
      `<div class="title"><b>${esc(s.title)}</b> <span>· ${where || `PIN <b>${esc(s.pin)}</b>`}${s.phase === "lobby" || s.phase === "intro" ? "" : ` · score ${s.score}`}</span></div><div>goal: ${Math.round(w.minAvailability * 100)}% of requests served ${w.window === "game" ? "over the game" : "over the last minute"}</div>`,
    );
    if (me().seats.includes("scheduler")) watchBindings(s, ui);

    const parts: string[] = [];
    const m = ui.me;
    const hosting = m.host && s.mode !== "solo";
    // The host's lobby needs room: the side column widens until the game starts.
    app.querySelector(".game")!.classList.toggle("wide-side", hosting && beforeStart(s));
    if (hosting) parts.push(hostPanel(s, ui, scenarios));
    // Solo: the game's own controls, one line at the top, where 1280×720 always shows them.
    if (m.host && s.mode === "solo") parts.push(soloControls(s, ui));
    parts.push(guidePanel(s));
    // Holding many seats, a player starts with the per-node panels folded to one line each.
    const foldNodes = m.seats.length > 2;
    for (const seat of m.seats) {
      const p = parseSeat(seat);
      if (p?.role === "scheduler") parts.push(schedulerPanel(s, ui, false));
      else if (p?.role === "controller-manager") parts.push(controllerPanel(s, ui, false));
      else if (p?.role === "kubelet") parts.push(kubeletPanel(s, ui, p.node, foldNodes));
      else if (p?.role === "kube-proxy") parts.push(proxyPanel(s, ui, p.node, foldNodes));
    }
    // Open while players pick seats; folded once the game runs for one who has a seat, and for the host.
    const spectator = s.mode === "watch" || !!s.players?.get(m.id)?.spectator;
    if (spectator) parts.push(spectatorPanel(s, ui));
    else if (s.mode !== "watch") parts.push(seatsPanel(s, ui, hosting || (m.seats.length > 0 && !beforeStart(s))));
    if (!ui.dragging) {
      render(app.querySelector("#side")!, parts.join(""));
      if (ui.reveal) app.querySelector(`#side [data-answer="${CSS.escape(ui.reveal)}"]`)?.scrollIntoView({ block: "nearest" });
      ui.reveal = undefined;
    }

    renderLogs(app, s, ui);
    render(app.querySelector("#question")!, questionBox(s, { id: m.id, host: m.host, spectator, team: welcome.team !== undefined }));

    const overlay = app.querySelector("#overlay")!;
    if (intro.shows(s.phase)) render(overlay, introBox(s, sc, me(), welcome.team?.classPin));
    else if (s.phase === "debrief" && !debriefShown) {
      debriefShown = true;
      void showDebrief(overlay as HTMLElement, s.pin, connection.token, scenario(s).win.minAvailability, {
        source: connection,
        me: welcome.nickname,
        host: welcome.host,
        exit: connection,
      });
    } else if (s.phase !== "debrief" && s.phase !== "intro" && s.phase !== "lobby") render(overlay, "");
  }

  // The host's scoreboard: the per-seat figures, refreshed every five seconds while the game runs.
  setInterval(async () => {
    const s = state();
    if (!s || !me().host || s.mode === "solo" || s.phase !== "running") return;
    try {
      const d = (await (await fetch(`/api/rooms/${s.pin}/debrief.json`, { headers: { Authorization: `Bearer ${connection.token ?? ""}` } })).json()) as Debrief;
      ui.scoreboard = d.outcome.seats;
    } catch {
      // the next refresh will try again
    }
  }, 5000);

  // The map follows every state patch; the panels re-render four times a second.
  connection.onRoom((room) => room.onStateChange((s: State) => map.update(toModel(s, ui))));
  setInterval(tick, 250);
  tick();
}

/** Some request has ended (served, dropped or timed out): availability means something. */
const trafficSeen = (s: State) => s.served + s.dropped + s.timedOut > 0;
