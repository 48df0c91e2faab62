/**
 * The class debrief (`class.debrief`, teams-contract.md): the teams side by side at the end —
 * each one's availability every 5 s of game time (for one chart with a line per team), the
 * incidents each met and how long it took to recover, the role leaderboard, and a link to each
 * student's report (read through the existing report access: the host's token reads every
 * student's, a student's own token only theirs). Pure: built from the teams' debriefs.
 */
import type { ClassDebrief, ClassIncident, RoleStandingData } from "../../shared/protocol/classViews.ts";
import type { Debrief } from "../../shared/protocol/debrief.ts";

export type { ClassDebrief };

/** Game ms between two points of a team's timeline in the class debrief. */
export const CLASS_TIMELINE_STEP_MS = 5_000;

/** A team as the class debrief reads it: who it is, its PIN (for the report links) and its room's debrief. */
export interface TeamDebrief {
  id: string;
  name: string;
  colour: string;
  pin: string;
  debrief: Pick<Debrief, "outcome" | "timeline" | "incidents">;
}

/** A student of the class: their nickname, team id and seat (empty when none). */
export interface ClassStudentEntry {
  nickname: string;
  team: string;
  seat: string;
}

/** The address a student's report is read at (with the reader's token: reportAccess.ts decides what it shows). */
export function reportUrl(pin: string, nickname: string): string {
  return `/api/rooms/${encodeURIComponent(pin)}/report.json?student=${encodeURIComponent(nickname)}`;
}

export function classDebrief(teams: readonly TeamDebrief[], roles: readonly RoleStandingData[], students: readonly ClassStudentEntry[]): ClassDebrief {
  const pins = new Map(teams.map((t) => [t.id, t.pin]));
  return {
    teams: teams.map((t) => ({
      id: t.id,
      name: t.name,
      colour: t.colour,
      score: t.debrief.outcome.score,
      availabilityTotal: t.debrief.outcome.availability,
      timeline: sampled(t.debrief.timeline),
      incidents: t.debrief.incidents.map(
        (i): ClassIncident => ({ label: i.label, atMs: i.at, recoveredAfterMs: i.recoveredAt === undefined ? null : i.recoveredAt - i.at }),
      ),
    })),
    roles: roles.map((r) => ({ ...r })),
    students: students
      .filter((s) => pins.has(s.team))
      .map((s) => ({ nickname: s.nickname, team: s.team, seat: s.seat, reportUrl: reportUrl(pins.get(s.team)!, s.nickname) }))
      .sort((a, b) => a.team.localeCompare(b.team, "en", { numeric: true }) || a.nickname.localeCompare(b.nickname)),
  };
}

/** The availability at every whole CLASS_TIMELINE_STEP_MS of game time (the timeline has a point a second). */
function sampled(timeline: Debrief["timeline"]): number[] {
  const step = CLASS_TIMELINE_STEP_MS / 1000;
  return timeline.filter((p) => p.t % step === 0).map((p) => p.availability);
}
