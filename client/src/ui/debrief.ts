/**
 * The debrief: what the scenario teaches, whether the team won, the availability timeline with
 * failure markers and pending pods, each seat's figures, the event log, and the downloads.
 */
import { clock, esc, pct } from "./dom.ts";

interface Debrief {
  scenario: { title: string; debrief: string };
  outcome: {
    won: boolean; verdict: string; availability: number; served: number; dropped: number; timedOut: number; score: number;
    seats: {
      scheduler: { bindings: number; meanWaitSec: number; rejectedBindings: number };
      controllerManager: { podsCreated: number; meanReplaceSec: number };
      kubelets: Record<string, { started: number; meanStartSec: number; oomKills: number }>;
      kubeProxies: Record<string, { forwarded: number; localShare: number; staleDrops: number }>;
    };
  };
  timeline: { t: number; availability: number; pending: number }[];
  incidents: { at: number; label: string; recoveredAt?: number }[];
  events: { time: number; type: string; reason: string; object: string; message: string }[];
  room: { pin: string };
}

export async function showDebrief(el: HTMLElement, pin: string): Promise<void> {
  const d = (await (await fetch(`/api/rooms/${pin}/debrief.json`)).json()) as Debrief;
  const o = d.outcome;
  const s = o.seats;
  const kubelets = Object.entries(s.kubelets).map(([n, k]) => `<tr><td>kubelet ${esc(n)}</td><td>${k.started} started, ${k.meanStartSec} s to ready, ${k.oomKills} OOM kills</td></tr>`).join("");
  const proxies = Object.entries(s.kubeProxies).map(([n, p]) => `<tr><td>kube-proxy ${esc(n)}</td><td>${p.forwarded} forwarded, ${pct(p.localShare)} to a same-node pod, ${p.staleDrops} dropped on stale rules</td></tr>`).join("");
  el.innerHTML = `<div class="overlay" id="debrief"><div class="box">
    <h1><span class="${o.won ? "ok" : "bad"}">${o.won ? "Won" : "Not this time"}</span> — ${esc(d.scenario.title)}</h1>
    <p>${esc(o.verdict)}. Availability ${pct(o.availability)} · ${o.served} served, ${o.dropped} dropped, ${o.timedOut} timed out · score ${o.score}</p>
    <canvas id="timeline" width="900" height="180" style="width:100%;background:#0b1016;border-radius:8px"></canvas>
    <p class="muted">Blue: availability (sliding minute). Orange: pending pods. Red lines: failures.</p>
    <p style="font-size:1.1em">${esc(d.scenario.debrief)}</p>
    <h3>Seats</h3><table class="panel" style="width:100%">
      <tr><td>scheduler</td><td>${s.scheduler.bindings} bindings, pods waited ${s.scheduler.meanWaitSec} s on average, ${s.scheduler.rejectedBindings} rejected by kubelets</td></tr>
      <tr><td>controller manager</td><td>${s.controllerManager.podsCreated} pods created, ${s.controllerManager.meanReplaceSec} s on average to replace a missing one</td></tr>
      ${kubelets}${proxies}</table>
    <h3>Incidents</h3>${d.incidents.map((i) => `<div>${clock(i.at)} ${esc(i.label)} — ${i.recoveredAt !== undefined ? `recovered in ${((i.recoveredAt - i.at) / 1000).toFixed(0)} s` : "not recovered"}</div>`).join("") || '<p class="muted">None.</p>'}
    <h3>Event log</h3><div class="log" style="max-height:180px">${d.events.slice(-60).reverse().map((e) => `<div class="${e.type === "Warning" ? "warn" : ""}">${clock(e.time)} ${esc(e.reason)} ${esc(e.object)}: ${esc(e.message)}</div>`).join("")}</div>
    <p><a href="/api/rooms/${esc(pin)}/debrief.json" download>Download the results (JSON)</a> · <a href="/api/rooms/${esc(pin)}/debrief.csv" download>timeline (CSV)</a></p>
  </div></div>`;
  drawTimeline(el.querySelector<HTMLCanvasElement>("#timeline")!, d);
}

function drawTimeline(c: HTMLCanvasElement, d: Debrief): void {
  const g = c.getContext("2d")!;
  const n = Math.max(1, d.timeline.length);
  const x = (t: number) => (t / n) * c.width;
  const maxPending = Math.max(1, ...d.timeline.map((p) => p.pending));
  g.strokeStyle = "#d55e00";
  for (const i of d.incidents) {
    g.beginPath();
    g.moveTo(x(i.at / 1000), 0);
    g.lineTo(x(i.at / 1000), c.height);
    g.stroke();
  }
  const line = (color: string, y: (p: { availability: number; pending: number }) => number) => {
    g.strokeStyle = color;
    g.lineWidth = 2;
    g.beginPath();
    d.timeline.forEach((p, i) => (i ? g.lineTo(x(p.t), y(p)) : g.moveTo(x(p.t), y(p))));
    g.stroke();
  };
  line("#e69f00", (p) => c.height - (p.pending / maxPending) * (c.height - 10) - 5);
  line("#56b4e9", (p) => c.height - p.availability * (c.height - 10) - 5);
}
