/**
 * The class debrief (`class.debrief`): the teams side by side — their availability over the game
 * overlaid in one chart, the failures each met and how fast each recovered, their scores, the role
 * leaderboard, and every student's report (through the existing report access: the host's token
 * links, from the server, carry each team room's token; a student's own row takes the student's
 * token, which reads only their own).
 */
import type { ClassDebrief } from "../../../../shared/protocol/classMessages.ts";
import { esc } from "../dom.ts";
import { roleBoardHtml } from "./boards.ts";
import { teamSwatch } from "./teamCard.ts";
import { timelineChartSvg } from "./timelineChart.ts";

export interface DebriefReader {
  /** The student's own token in their team room (their report's link takes it), or none. */
  token?: string;
  /** The reader's own nickname (a student reads only their own report). */
  nickname?: string;
  /** Whether the role leaderboard shows: the host shows the ranking (ClassState.board "ranked") and gives points for speed. */
  ranked: boolean;
}

const secs = (ms: number) => `${Math.round(ms / 1000)} s`;
const clockOf = (ms: number) => `${Math.floor(ms / 60000)}:${String(Math.floor(ms / 1000) % 60).padStart(2, "0")}`;

/** The failures the teams met (the same ones at the same game time): a row per team, its recovery from each. */
function incidentsHtml(d: ClassDebrief): string {
  const keys = new Map<string, { label: string; atMs: number }>();
  for (const t of d.teams) for (const i of t.incidents) keys.set(`${i.atMs}|${i.label}`, i);
  if (keys.size === 0) return `<p class="muted">No failure struck in this game.</p>`;
  const met = [...keys.entries()].sort((a, b) => a[1].atMs - b[1].atMs);
  const head = met.map(([, inc]) => `<th scope="col">${clockOf(inc.atMs)} ${esc(inc.label)}</th>`).join("");
  const rows = d.teams.map((t) => {
    const cells = met.map(([key]) => {
      const mine = t.incidents.find((i) => `${i.atMs}|${i.label}` === key);
      if (!mine) return `<td class="muted">not met</td>`;
      return mine.recoveredAfterMs === null ? `<td class="bad">not recovered</td>` : `<td>recovered in <b>${secs(mine.recoveredAfterMs)}</b></td>`;
    });
    return `<tr data-team="${esc(t.id)}"><th scope="row">${teamSwatch(t.id, t.colour)} ${esc(t.name)}</th>${cells.join("")}</tr>`;
  });
  return `<table class="incidents-compare"><thead><tr><th scope="col">Team</th>${head}</tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function scoresHtml(d: ClassDebrief): string {
  const cells = d.teams
    .map(
      (t) => `<tr><th scope="row">${teamSwatch(t.id, t.colour)} ${esc(t.name)}</th><td>${t.score}</td><td>${(t.availabilityTotal * 100).toFixed(1)}%</td></tr>`,
    )
    .join("");
  return `<table class="scores-compare"><thead><tr><th scope="col">Team</th><th scope="col">Score</th><th scope="col">Requests served</th></tr></thead><tbody>${cells}</tbody></table>`;
}

function studentsHtml(d: ClassDebrief, reader: DebriefReader): string {
  const teamName = new Map(d.teams.map((t) => [t.id, t.name]));
  const rows = d.students.map((s) => {
    // The host's links carry their team room's token already; a student's own link takes the student's token.
    const mine = reader.nickname !== undefined && s.nickname === reader.nickname;
    const href = s.reportUrl.includes("&token=") ? s.reportUrl : mine && reader.token ? `${s.reportUrl}&token=${encodeURIComponent(reader.token)}` : "";
    const link = href ? `<a href="${esc(href)}" target="_blank" rel="noopener">report</a>` : "";
    return `<tr><td>${esc(s.nickname)}</td><td>${esc(teamName.get(s.team) ?? s.team)}</td><td>${esc(s.seat || "—")}</td><td>${link}</td></tr>`;
  });
  if (rows.length === 0) return `<p class="muted">No student played.</p>`;
  return `<table class="students-compare"><thead><tr><th scope="col">Student</th><th scope="col">Team</th><th scope="col">Seat</th><th scope="col">Report</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

export function classDebriefHtml(d: ClassDebrief, reader: DebriefReader): string {
  const teamOf = (id: string) => d.teams.find((t) => t.id === id);
  const incidents = d.teams[0]?.incidents ?? [];
  return `<section class="class-debrief" aria-label="class debrief">
    <h1>How the teams did</h1>
    <div class="cd-chart">${timelineChartSvg(d.teams, incidents)}</div>
    <div class="cd-columns">
      <div><h2>Failures met, and how fast each team recovered</h2>${incidentsHtml(d)}<h2>Scores</h2>${scoresHtml(d)}</div>
      <div>${reader.ranked ? roleBoardHtml(d.roles, teamOf) : ""}</div>
    </div>
    <h2>Every student's report</h2>${studentsHtml(d, reader)}
  </section>`;
}
