/**
 * The plain shapes behind team mode's class views (#12, teams-contract.md): a team's role
 * figures (in its report to the class room), the role leaderboard across teams, the cooperative
 * class total and the class debrief comparing teams. The server builds them
 * (server/game/teamReport.ts, roleStandings.ts, classDebrief.ts); the projector view and the
 * class debrief screen read them.
 */
import type { ClassDebrief } from "./classMessages.ts";

/** One role's figure on one team, measured from what its players did (roleClock.ts). */
export interface RoleMetric {
  role: string;
  /** The players whose actions made the figure, most active first. */
  nickname: string;
  /** A machine id: "bindWaitSec", "replaceWaitSec", "admitWaitSec", "syncWaitSec". */
  metric: string;
  /** In words, before the value: "binds a pending pod in". */
  label: string;
  /** The mean, rounded to 0.01 s. */
  value: number;
  unit: "s";
  /** How many actions the mean is over. */
  count: number;
}

/** A team's place on one role's leaderboard (ClassState.roles holds these). */
export interface RoleStandingData {
  role: string;
  team: string;
  nickname: string;
  metric: string;
  label: string;
  value: number;
  unit: string;
  /** 1 for the fastest; teams with equal figures share a rank (1, 1, 3). */
  rank: number;
}

/** The class's cooperative total: every team's requests together, the scores summed. */
export interface ClassTotalData {
  availability: number;
  score: number;
  podsServed: number;
}

/** An incident a team met, and how long it took that team to recover (null: it had not). */
export interface ClassIncident {
  label: string;
  atMs: number;
  recoveredAfterMs: number | null;
}

export type { ClassDebrief };
