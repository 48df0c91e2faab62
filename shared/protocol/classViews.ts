/**
 * The plain shapes behind team mode's class views (#12, teams-contract.md): what a team room
 * reports to its class room (the team summary, its mini map and its role figures), the role
 * leaderboard across teams, the cooperative class total and the class debrief comparing teams.
 * The server builds them (server/game/teamReport.ts, roleStandings.ts, classDebrief.ts); the
 * projector view and the class debrief screen read them.
 */

/** A node of a team's mini map. */
export interface TeamNodeReport {
  name: string;
  role: "control-plane" | "worker";
  /** The Node's Ready condition: "True", "False" or "Unknown" (not registered, or silent). */
  ready: string;
  /** Pods bound to it that still count, and how many of those are ready. */
  pods: number;
  podsReady: number;
}

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

/** What a team room tells its class room about once a second. */
export interface TeamReport {
  phase: string;
  /** Game ms. */
  gameNow: number;
  /** Over the last minute and the whole game, 0..1. */
  availability: number;
  availabilityTotal: number;
  score: number;
  /** Requests served, and all requests that ended (served, dropped or timed out), whole game: the class total pools them. */
  served: number;
  ended: number;
  /** People playing (connected, not spectating, not the host) and seats still played by a bot. */
  players: number;
  seatsFree: number;
  nodes: TeamNodeReport[];
  /** Failures met so far. */
  incidents: number;
  roles: RoleMetric[];
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

/** The `class.debrief` message: the teams side by side at the end. */
export interface ClassDebrief {
  teams: {
    id: string;
    name: string;
    colour: string;
    score: number;
    availabilityTotal: number;
    /** Availability (last minute, 0..1) every 5 s of game time. */
    timeline: number[];
    incidents: ClassIncident[];
  }[];
  roles: RoleStandingData[];
  students: { nickname: string; team: string; seat: string; reportUrl: string }[];
}
