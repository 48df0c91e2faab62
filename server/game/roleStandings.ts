/**
 * Scored by role across teams, as in the Beer Game (#12): each role's figure on each team
 * (teamReport.ts) ranked against the same role on the other teams — the lowest mean reaction
 * first; equal figures share a rank (1, 1, 3); a role nobody on a team acted in leaves that team
 * off the role's board. And the cooperative class total, for instructors who want no ranking on
 * the wall: every team's requests pooled, the scores summed. Pure.
 */
import type { ClassTotalData, RoleMetric, RoleStandingData } from "../../shared/protocol/classViews.ts";
import { SEAT_ROLES } from "../../shared/sim/seats.ts";

export type { ClassTotalData, RoleStandingData };

/** A team as the standings read it: its id and its role figures (in the contract's team order). */
export interface TeamRoles {
  team: string;
  roles: readonly RoleMetric[];
}

/** Every role's board, roles in seat order, each board fastest first (equal figures in team order). */
export function roleStandings(teams: readonly TeamRoles[]): RoleStandingData[] {
  return SEAT_ROLES.flatMap((role) => {
    const entries = teams.flatMap((t) => t.roles.filter((m) => m.role === role).map((m) => ({ team: t.team, m })));
    // A stable sort keeps equal figures in team order.
    entries.sort((a, b) => a.m.value - b.m.value);
    return entries.map(({ team, m }): RoleStandingData => {
      const rank = 1 + entries.findIndex((e) => e.m.value === m.value);
      return { role, team, nickname: m.nickname, metric: m.metric, label: m.label, value: m.value, unit: m.unit, rank };
    });
  });
}

/** A team as the class total reads it. */
export interface TeamTotals {
  score: number;
  served: number;
  ended: number;
}

/** The class's total: availability over every team's requests together (1 when none ended yet), the scores summed, the requests served. */
export function classTotal(teams: readonly TeamTotals[]): ClassTotalData {
  let served = 0;
  let ended = 0;
  let score = 0;
  for (const t of teams) {
    served += t.served;
    ended += t.ended;
    score += t.score;
  }
  return { availability: ended === 0 ? 1 : Math.round((served / ended) * 10000) / 10000, score, podsServed: served };
}
