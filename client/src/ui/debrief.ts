/**
 * The debrief: what the scenario teaches, whether the team won, "you against the bot" (vsBot.ts),
 * the availability timeline with failure markers and pending pods, the student report
 * (studentReport.ts: a student's own, every student's for the host), each seat's figures, the
 * event log, and the downloads.
 */
import type { Debrief } from "../../../shared/protocol/debrief.ts";
import { clock, esc, pct } from "./dom.ts";
import { mountReport } from "./studentReport.ts";
import { mountVsBot, type VsBotSource } from "./vsBot.ts";
import { mountExitCheck, type ExitCheckSource } from "./exitCheck.ts";
import { markTerms } from "./glossary.ts";

/**
 * `token`: the host token or the player's kubectl token (the server gives the host all of it, a
 * player their own seats); `goal`: the scenario's minimum availability (0..1), drawn dashed.
 */
export async function showDebrief(
  el: HTMLElement,
  pin: string,
  token: string | undefined,
  goal?: number,
  vsBot?: { source: VsBotSource; me: string; host: boolean; exit?: ExitCheckSource },
): Promise<void> {
  const d = (await (await fetch(`/api/rooms/${pin}/debrief.json`, { headers: { Authorization: `Bearer ${token ?? ""}` } })).json()) as Debrief;
  const o = d.outcome;
  const s = o.seats;
  // A download link cannot send a header: it carries the token as a query parameter.
  const link = (format: string) => esc(`/api/rooms/${encodeURIComponent(pin)}/debrief.${format}?token=${encodeURIComponent(token ?? "")}`);
  const kubelets = Object.entries(s.kubelets)
    .map(([n, k]) => {
      const joined = k.joinedSec === undefined ? "" : k.joinedSec === null ? "never joined · " : `joined at ${clock(k.joinedSec * 1000)} · `;
      return `<tr><td>kubelet ${esc(n)}</td><td>${joined}${k.started} started, ${k.meanStartSec} s to ready, ${k.oomKills} OOM kills</td></tr>`;
    })
    .join("");
  const proxies = Object.entries(s.kubeProxies)
    .map(
      ([n, p]) =>
        `<tr><td>kube-proxy ${esc(n)}</td><td>${p.forwarded} forwarded, ${pct(p.localShare)} to a same-node pod, ${p.staleDrops} dropped on stale rules</td></tr>`,
    )
    .join("");
  el.innerHTML = `<div class="overlay" id="debrief"><div class="box" role="dialog" aria-modal="true" aria-label="debrief">
    <h1><span class="${o.won ? "ok" : "bad"}">${o.won ? "Won" : "Not this time"}</span> — ${esc(d.scenario.title)}</h1>
    <p>${esc(sentence(o.verdict))}. Availability ${pct(o.availability)} · ${o.served} served, ${o.dropped} dropped, ${o.timedOut} timed out · score ${o.score}${scoreLine(o)}</p>
    <section id="exit-check"></section>
    <section id="vs-bot"></section>
    <canvas id="timeline" style="width:100%;height:200px;display:block;background:#0b1016;border-radius:8px"></canvas>
    <p class="muted">Blue: availability (sliding minute, left scale; dashed: the goal). Orange: pending pods (right scale). Red lines: failures.</p>
    <p style="font-size:1.1em">${esc(d.scenario.debrief)}</p>
    <section id="report"></section>
    <h3>Seats</h3><table class="panel" style="width:100%">
      ${s.scheduler ? `<tr><td>scheduler</td><td>${s.scheduler.bindings} bindings, pods waited ${s.scheduler.meanWaitSec} s on average, ${s.scheduler.rejectedBindings} rejected by kubelets</td></tr>` : ""}
      ${s.controllerManager ? `<tr><td>controller manager</td><td>${s.controllerManager.podsCreated} pods created, ${s.controllerManager.meanReplaceSec} s on average to replace a missing one</td></tr>` : ""}
      ${kubelets}${proxies}</table>
    <h3>Incidents</h3>${d.incidents.map((i) => `<div>${clock(i.at)} ${esc(i.label)} — ${i.recoveredAt !== undefined ? `recovered in ${((i.recoveredAt - i.at) / 1000).toFixed(0)} s` : "not recovered"}</div>`).join("") || '<p class="muted">None.</p>'}
    <h3>Event log</h3><div class="log" style="max-height:180px">${d.events
      .slice(-60)
      .reverse()
      .map((e) => `<div class="${e.type === "Warning" ? "warn" : ""}">${clock(e.time)} ${esc(e.reason)} ${esc(e.object)}: ${esc(e.message)}</div>`)
      .join("")}</div>
    <p><a href="${link("json")}" download>Download the results (JSON)</a> · <a href="${link("csv")}" download>timeline (CSV)</a></p>
    <p><button data-action="leave">Leave the game</button></p>
  </div></div>`;
  markTerms(el.querySelector("#debrief")!);
  drawTimeline(el.querySelector<HTMLCanvasElement>("#timeline")!, d, goal);
  if (vsBot?.exit) mountExitCheck(el.querySelector<HTMLElement>("#exit-check")!, vsBot.exit);
  if (vsBot) mountVsBot(el.querySelector<HTMLElement>("#vs-bot")!, vsBot.source, vsBot.me, vsBot.host, d.vsBot);
  mountReport(el.querySelector<HTMLElement>("#report")!, pin, token, vsBot?.host === true, vsBot?.me ?? "", vsBot?.source);
}

/** "every goal was met" → "Every goal was met". */
function sentence(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * The timeline at the canvas's own pixel size (crisp on any screen): availability against a 0–100%
 * scale on the left, pending pods against their own scale on the right, minutes along the bottom.
 */
function drawTimeline(c: HTMLCanvasElement, d: Debrief, goal: number | undefined): void {
  const dpr = Math.max(1, window.devicePixelRatio || 1);
  c.width = Math.round(c.clientWidth * dpr);
  c.height = Math.round(c.clientHeight * dpr);
  const g = c.getContext("2d")!;
  g.scale(dpr, dpr);
  const W = c.clientWidth;
  const H = c.clientHeight;
  const box = { left: 44, right: W - 36, top: 10, bottom: H - 22 };
  const n = Math.max(1, d.timeline.length > 0 ? d.timeline[d.timeline.length - 1].t : 1);
  const x = (t: number) => box.left + (t / n) * (box.right - box.left);
  const yA = (a: number) => box.bottom - a * (box.bottom - box.top);
  const maxPending = Math.max(1, ...d.timeline.map((p) => p.pending));
  const yP = (p: number) => box.bottom - (p / maxPending) * (box.bottom - box.top);
  g.font = "11px system-ui, sans-serif";
  g.textBaseline = "middle";

  // Scales: availability on the left, pending pods on the right, minutes below.
  g.strokeStyle = "#2c3846";
  g.fillStyle = "#9aa8b6";
  g.lineWidth = 1;
  for (const a of [0, 0.5, 1]) {
    g.beginPath();
    g.moveTo(box.left, Math.round(yA(a)) + 0.5);
    g.lineTo(box.right, Math.round(yA(a)) + 0.5);
    g.stroke();
    g.textAlign = "right";
    g.fillText(`${a * 100}%`, box.left - 6, yA(a));
  }
  g.textAlign = "left";
  g.fillStyle = "#e69f00";
  g.fillText(String(maxPending), box.right + 6, yP(maxPending));
  g.fillText("0", box.right + 6, yP(0));
  g.fillStyle = "#9aa8b6";
  g.textBaseline = "top";
  const step = n > 600 ? 120 : n > 240 ? 60 : n > 60 ? 30 : 10;
  for (let t = 0; t <= n; t += step) {
    g.textAlign = t === 0 ? "left" : "center";
    g.fillText(clock(t * 1000), x(t), box.bottom + 6);
  }
  if (goal !== undefined) {
    g.save();
    g.setLineDash([4, 4]);
    g.strokeStyle = "rgba(86,180,233,0.6)";
    g.beginPath();
    g.moveTo(box.left, yA(goal));
    g.lineTo(box.right, yA(goal));
    g.stroke();
    g.restore();
  }
  g.strokeStyle = "#d55e00";
  for (const i of d.incidents) {
    g.beginPath();
    g.moveTo(x(i.at / 1000), box.top);
    g.lineTo(x(i.at / 1000), box.bottom);
    g.stroke();
  }
  const line = (color: string, y: (p: { availability: number; pending: number }) => number) => {
    g.strokeStyle = color;
    g.lineWidth = 2;
    g.beginPath();
    d.timeline.forEach((p, i) => {
      if (i) g.lineTo(x(p.t), y(p));
      else g.moveTo(x(p.t), y(p));
    });
    g.stroke();
  };
  line("#e69f00", (p) => yP(p.pending));
  line("#56b4e9", (p) => yA(p.availability));
}

/** The score in its parts (shared/sim/scoring/score.ts): goal + availability + recovery − penalties. */
function scoreLine(o: Debrief["outcome"]): string {
  const p = o.scoreParts;
  if (!p) return "";
  return ` <span class="muted score-parts" title="the goal counts 510 when met; availability up to 340; recovery speed up to 150; penalties for OOM kills, rejected bindings and stale-rule drops">= goal ${p.outcome} + availability ${p.availability} + recovery ${p.recovery}${p.penalties ? ` − penalties ${-p.penalties}` : ""}</span>${
    o.noSpeedPoints ? ` <span class="chip no-speed">no points for speed: every recovery scored the same however long it took</span>` : ""
  }`;
}
