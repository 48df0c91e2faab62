/**
 * What the class room reads of its teams for the class views (team mode, #12): the role
 * leaderboard and the cooperative total from the teams' latest summaries (roleStandings.ts), and
 * — once every team's game is over and has said so — the class debrief (classDebrief.ts), for
 * the host or for a student. Pure functions of the ClassSession.
 */
import type { ClassDebrief, ClassTotalData, RoleStandingData } from "../../shared/protocol/classViews.ts";
import { classDebrief, type TeamDebrief } from "./classDebrief.ts";
import type { ClassSession } from "./ClassSession.ts";
import { classTotal, roleStandings } from "./roleStandings.ts";

/** The role leaderboard across the teams that have reported. */
export function classRoles(session: ClassSession): RoleStandingData[] {
  return roleStandings(session.teams.map((t) => ({ team: t.team.id, roles: t.report?.roles ?? [] })));
}

/** The class's cooperative total over the teams that have reported. */
export function classTotalOf(session: ClassSession): ClassTotalData {
  return classTotal(session.teams.flatMap((t) => (t.report ? [t.report] : [])));
}

/** The class debrief, or undefined while a team has not yet reported its game over. */
export function classDebriefOf(session: ClassSession, reader: { host: boolean }): ClassDebrief | undefined {
  const teams: TeamDebrief[] = [];
  for (const t of session.teams) {
    const r = t.report;
    if (!r?.final) return undefined;
    teams.push({ id: t.team.id, name: t.team.name, colour: t.team.colour, pin: r.pin, score: r.score, availabilityTotal: r.availabilityTotal, ...r.final });
  }
  const students = [...session.students.values()].filter((s) => s.team).map((s) => ({ nickname: s.nickname, team: s.team, seat: session.seatOf(s) }));
  return classDebrief(teams, classRoles(session), students, reader);
}
