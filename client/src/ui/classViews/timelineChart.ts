/**
 * The class debrief's chart: every team's availability over the game in one SVG, a line per team
 * in its colour and its own dash pattern, with the team's name at the line's end — so the chart
 * reads without colour — and a dotted mark at each failure the teams met. A dark team colour
 * gets a light halo, so every line shows at 3:1 on the dark panel.
 */
import { esc } from "../dom.ts";

export interface ChartTeam {
  name: string;
  colour: string;
  /** Availability (0..1) every `stepSec` of game time, from the first step. */
  timeline: readonly number[];
}

/** Game seconds between two points of a team's timeline (CLASS_TIMELINE_STEP_MS on the server). */
export const STEP_SEC = 5;
/** The chart's drawing size in SVG units (it scales to its box). */
const W = 1000;
const H = 400;
const PAD = { left: 64, right: 170, top: 16, bottom: 62 };
/** Dash patterns, in team order: a line is told apart without its colour. */
const DASHES = ["", "14 6", "3 5", "14 5 3 5", "24 6", "6 6", "2 3", "18 4 4 4 4 4", "10 3 2 3", "30 8", "5 10", "8 3 8 8"];
/** Steps between the time axis' marks, game seconds (the smallest that keeps to MAX_TIME_MARKS). */
const TICK_STEPS_SEC = [10, 15, 30, 60, 120, 300, 600];
/** Most marks on the time axis. */
const MAX_TIME_MARKS = 10;
/** Least vertical room between two names at the lines' ends, SVG units. */
const LABEL_GAP = 22;

/** WCAG relative luminance under which a team's colour shows at less than 3:1 on the dark panel: its line gets a light halo. */
export const DARK_LINE_LUMINANCE = 0.12;

/** WCAG relative luminance of a #RRGGBB colour. */
export function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Whether a team's line needs the light halo (classDebrief.css: .halo.light) to show on the dark panel. */
export const lightHalo = (colour: string) => luminance(colour) < DARK_LINE_LUMINANCE;

/** Spreads the names at the lines' ends so none overlaps another, keeping their order. */
export function spreadLabels(ys: readonly number[], gap = LABEL_GAP, top = PAD.top + 8, bottom = H - PAD.bottom): number[] {
  const order = ys.map((y, i) => ({ y, i })).sort((a, b) => a.y - b.y);
  const out = new Array<number>(ys.length);
  let prev = -Infinity;
  for (const o of order) out[o.i] = prev = Math.max(o.y, prev + gap, top);
  // Pushed past the bottom: shift the whole stack back up.
  const over = Math.max(0, ...out.map((y) => y - bottom));
  return out.map((y) => y - over);
}

export function timelineChartSvg(teams: readonly ChartTeam[], incidents: readonly { label: string; atMs: number }[] = []): string {
  const points = Math.max(2, ...teams.map((t) => t.timeline.length));
  const endSec = points * STEP_SEC;
  const x = (sec: number) => PAD.left + (sec / endSec) * (W - PAD.left - PAD.right);
  // The axis starts at the highest quarter below every line (0 when a line falls below 25 %): the lines stay apart.
  const low = Math.min(0.75, Math.floor(Math.min(1, ...teams.flatMap((t) => t.timeline)) * 4) / 4);
  const y = (a: number) => PAD.top + ((1 - a) / (1 - low)) * (H - PAD.top - PAD.bottom);
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .filter((a) => a >= low)
    .map(
      (a) =>
        `<line class="grid" x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(a)}" y2="${y(a)}"/><text class="axis" x="${PAD.left - 8}" y="${y(a) + 6}" text-anchor="end">${a * 100}%</text>`,
    )
    .join("");
  const minutes: string[] = [];
  // A mark every TICK_STEPS_SEC step that gives at most MAX_TIME_MARKS marks (a short game gets finer ones).
  const step = TICK_STEPS_SEC.find((s) => endSec / s <= MAX_TIME_MARKS) ?? TICK_STEPS_SEC.at(-1)!;
  for (let sec = 0; sec <= endSec; sec += step)
    minutes.push(
      `<text class="axis" x="${x(sec)}" y="${H - PAD.bottom + 28}" text-anchor="middle">${Math.floor(sec / 60)}:${String(sec % 60).padStart(2, "0")}</text>`,
    );
  const marks = incidents
    .map(
      (i) =>
        `<line class="incident" x1="${x(i.atMs / 1000)}" x2="${x(i.atMs / 1000)}" y1="${PAD.top}" y2="${H - PAD.bottom}"><title>${esc(i.label)}</title></line>`,
    )
    .join("");
  const ends = teams.map((t) => y(t.timeline.at(-1) ?? 1));
  const labelYs = spreadLabels(ends);
  const lines = teams.map((t, i) => {
    const pts = t.timeline.map((a, k) => `${x((k + 1) * STEP_SEC).toFixed(1)},${y(a).toFixed(1)}`).join(" ");
    const endX = x(t.timeline.length * STEP_SEC);
    const dash = DASHES[i % DASHES.length];
    return `<g class="team-line" data-team="${esc(t.name)}">
      <polyline class="halo${lightHalo(t.colour) ? " light" : ""}" points="${pts}"/>
      <polyline points="${pts}" stroke="${esc(t.colour)}" ${dash ? `stroke-dasharray="${dash}"` : ""}/>
      <line class="leader" x1="${endX}" y1="${ends[i]}" x2="${W - PAD.right + 8}" y2="${labelYs[i]}"/>
      <text class="line-name" x="${W - PAD.right + 12}" y="${labelYs[i] + 7}">${esc(t.name)}</text></g>`;
  });
  return `<svg class="timeline-chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="availability over the game, one line per team: ${esc(teams.map((t) => t.name).join(", "))}">
    ${grid}${minutes.join("")}${marks}${lines.join("")}
    <text class="axis" x="${W - PAD.right}" y="${H - 2}" text-anchor="end">game time (min:s)</text></svg>`;
}
