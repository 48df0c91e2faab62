/**
 * The leaderboards on the projector and in the class debrief: the teams ranked by score (equal
 * scores share a place), the cooperative class total the host can show instead (no ranking on the
 * wall), and the role leaderboard — each role's figure on every team that played it, fastest
 * first, as in the Beer Game.
 */
import { esc } from "../dom.ts";
import { teamSwatch } from "./teamCard.ts";

export interface RankedTeam {
  id: string;
  name: string;
  colour: string;
  score: number;
  availabilityTotal: number;
}

export interface RoleRow {
  role: string;
  team: string;
  nickname: string;
  label: string;
  value: number;
  unit: string;
  rank: number;
}

export interface TotalView {
  availability: number;
  score: number;
  podsServed: number;
}

/** The roles' names as players know them. */
const ROLE_NAMES: Record<string, string> = {
  scheduler: "Scheduler",
  "controller-manager": "Controller manager",
  kubelet: "Kubelet",
  "kube-proxy": "kube-proxy",
};

/** Places by score, highest first; equal scores share a place (1, 1, 3). */
export function ranked<T extends { score: number }>(teams: readonly T[]): { place: number; team: T }[] {
  const sorted = [...teams].sort((a, b) => b.score - a.score);
  return sorted.map((team) => ({ place: 1 + sorted.findIndex((x) => x.score === team.score), team }));
}

export function teamBoardHtml(teams: readonly RankedTeam[]): string {
  const rows = ranked(teams).map(
    ({ place, team }) =>
      `<li><span class="place">${place}.</span>${teamSwatch(team.id, team.colour)}<span class="who">${esc(team.name)}</span><span class="val">${team.score}</span><span class="sub">${(team.availabilityTotal * 100).toFixed(1)}%</span></li>`,
  );
  return `<section class="board team-board" aria-label="team leaderboard"><h2>Teams by score</h2><ol>${rows.join("")}</ol></section>`;
}

export function totalHtml(total: TotalView, teams: number): string {
  return `<section class="board class-total" aria-label="class total"><h2>Our class together</h2>
    <p class="total-line"><span class="big">${(total.availability * 100).toFixed(1)}%</span> of requests served across ${teams} clusters</p>
    <p class="total-line"><span class="big">${total.podsServed.toLocaleString("en")}</span> requests served</p>
    <p class="total-line"><span class="big">${total.score.toLocaleString("en")}</span> points together</p></section>`;
}

/** The role leaderboard: a block per role that anyone played, each team that played it in rank order. */
export function roleBoardHtml(rows: readonly RoleRow[], teamOf: (id: string) => { name: string; colour: string } | undefined, top = Infinity): string {
  const roles = [...new Set(rows.map((r) => r.role))];
  if (roles.length === 0)
    return `<section class="board role-board" aria-label="role leaderboard"><h2>Fastest by role</h2><p class="muted">No player has acted yet.</p></section>`;
  const blocks = roles.map((role) => {
    const mine = rows
      .filter((r) => r.role === role)
      .sort((a, b) => a.rank - b.rank)
      .filter((r) => r.rank <= top);
    const items = mine.map((r) => {
      const t = teamOf(r.team);
      return `<li><span class="place">${r.rank}.</span>${t ? teamSwatch(r.team, t.colour) : ""}<span class="who">${esc(t?.name ?? r.team)} <small>${esc(r.nickname)}</small></span><span class="val">${r.value.toFixed(1)} ${esc(r.unit)}</span></li>`;
    });
    return `<div class="role-block" data-role="${esc(role)}"><h3>${esc(ROLE_NAMES[role] ?? role)} <small>${esc(mine[0].label)}…</small></h3><ol>${items.join("")}</ol></div>`;
  });
  return `<section class="board role-board" aria-label="role leaderboard"><h2>Fastest by role</h2>${blocks.join("")}</section>`;
}
