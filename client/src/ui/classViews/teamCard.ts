/**
 * A team on the projector: its name (always in words, with its pattern beside its colour), its
 * availability, score and phase, people and free seats, failures met, and its cluster as a mini
 * map — one small box per node whose Ready state shows by its border's shape and a word as well
 * as by colour, with its pods (ready / all).
 */
import { esc } from "../dom.ts";
import { teamById } from "../../../../shared/protocol/teams.ts";

/** A node of the mini map, as ClassState's TeamNode holds it. */
export interface MiniNode {
  name: string;
  role: string;
  ready: string;
  pods: number;
  podsReady: number;
}

/** A team as ClassState's TeamSummary holds it (the fields the projector reads). */
export interface TeamView {
  id: string;
  name: string;
  colour: string;
  phase: string;
  gameNow: number;
  availability: number;
  availabilityTotal: number;
  score: number;
  players: number;
  seatsFree: number;
  incidents: number;
  nodes: MiniNode[];
}

/** A node's Ready state in words and as the box's class (its border: solid, dashed, dotted). */
const READY: Record<string, { word: string; cls: string; mark: string }> = {
  True: { word: "Ready", cls: "ok", mark: "✓" },
  False: { word: "NotReady", cls: "down", mark: "✗" },
  Unknown: { word: "Unknown", cls: "unknown", mark: "?" },
};

/** A team's phase as the wall reads it. */
const PHASE_WORDS: Record<string, string> = { lobby: "in the lobby", intro: "in the lobby", running: "playing", paused: "paused", debrief: "finished" };

/** The team's colour swatch with its pattern (CSS draws the pattern; the name is always beside it). */
export function teamSwatch(id: string, colour: string): string {
  const pattern = teamById(id)?.pattern ?? "solid";
  return `<span class="swatch pattern-${pattern}" style="--team:${esc(colour)}" aria-hidden="true"></span>`;
}

export function miniMapHtml(nodes: readonly MiniNode[]): string {
  const boxes = nodes.map((n) => {
    const r = READY[n.ready] ?? READY.Unknown;
    const cp = n.role === "control-plane";
    const pods = cp ? "control plane" : `${n.podsReady}/${n.pods} pods`;
    return `<li class="mini-node ${r.cls}${cp ? " cp" : ""}" title="${esc(n.name)}: ${r.word}, ${esc(pods)}">
      <span class="mini-name">${r.mark} ${esc(n.name)}</span><span class="mini-state">${r.word}</span><span class="mini-pods">${esc(pods)}</span></li>`;
  });
  return `<ul class="mini-map" aria-label="nodes">${boxes.join("")}</ul>`;
}

export function teamCardHtml(t: TeamView): string {
  const avail = Math.round(t.availability * 1000) / 10;
  // Before the start there is nothing to score: the card says so instead of a 100 % nobody earned.
  const waiting = t.phase === "lobby" || t.phase === "intro";
  const figures = waiting
    ? `<span class="team-waiting">waiting for the start</span>`
    : `<span class="big" title="requests served over the last minute">${avail.toFixed(1)}%<small>available</small></span><span class="big">${t.score}<small>score</small></span>`;
  return `<article class="wall-team" data-team="${esc(t.id)}" style="--team:${esc(t.colour)}" aria-label="team ${esc(t.name)}">
    <header>${teamSwatch(t.id, t.colour)}<h2>${esc(t.name)}</h2><span class="team-phase">${esc(PHASE_WORDS[t.phase] ?? t.phase)}</span></header>
    <div class="team-figures">${figures}</div>
    ${miniMapHtml(t.nodes)}
    <footer><span>${t.players} playing · ${t.seatsFree} seat${t.seatsFree === 1 ? "" : "s"} free</span><span>${t.incidents} failure${t.incidents === 1 ? "" : "s"} met</span></footer>
  </article>`;
}
