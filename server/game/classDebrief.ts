/**
 * The class debrief (`class.debrief`, teams-contract.md): the teams side by side at the end —
 * each one's availability every 5 s of game time (one chart, a line per team), the incidents each
 * met and how long it took to recover, the role leaderboard, and a link to each student's report,
 * read through the existing report access (server/admission/reportAccess.ts) in the student's
 * team room: the host's links carry that room's host token (every student's report); a student's
 * carry none — the student adds their own token, which reads only their own. Pure.
 */
import type { ClassDebrief, RoleStandingData } from "../../shared/protocol/classViews.ts";
import type { TeamFinal } from "./teamReport.ts";

export type { ClassDebrief };

/** A finished team as the class debrief reads it (its summary's last figures and its final part). */
export interface TeamDebrief extends TeamFinal {
  id: string;
  name: string;
  colour: string;
  /** The team room's PIN (its reports' address). */
  pin: string;
  score: number;
  availabilityTotal: number;
}

/** A student of the class: their nickname, team id and seat (empty when none). */
export interface ClassStudentEntry {
  nickname: string;
  team: string;
  seat: string;
}

/** The address a student's report is read at (the reader's token decides what it shows: reportAccess.ts). */
export function reportUrl(pin: string, nickname: string, token?: string): string {
  const url = `/api/rooms/${encodeURIComponent(pin)}/report.json?student=${encodeURIComponent(nickname)}`;
  return token === undefined ? url : `${url}&token=${encodeURIComponent(token)}`;
}

/** The debrief for the host (`host`: links that read every report) or for a student (links without a token). */
export function classDebrief(
  teams: readonly TeamDebrief[],
  roles: readonly RoleStandingData[],
  students: readonly ClassStudentEntry[],
  reader: { host: boolean },
): ClassDebrief {
  const byId = new Map(teams.map((t) => [t.id, t]));
  return {
    teams: teams.map((t) => ({
      id: t.id,
      name: t.name,
      colour: t.colour,
      score: t.score,
      availabilityTotal: t.availabilityTotal,
      timeline: [...t.timeline],
      incidents: t.incidents.map((i) => ({ ...i })),
    })),
    roles: roles.map((r) => ({ ...r })),
    students: students
      .filter((s) => byId.has(s.team))
      .map((s) => {
        const t = byId.get(s.team)!;
        return { nickname: s.nickname, team: s.team, seat: s.seat, reportUrl: reportUrl(t.pin, s.nickname, reader.host ? t.hostToken : undefined) };
      })
      .sort((a, b) => a.team.localeCompare(b.team, "en", { numeric: true }) || a.nickname.localeCompare(b.nickname)),
  };
}
