/**
 * What a team room tells its class about once a second (team mode, issue #12): a pure function
 * of the team's game session — its phase and clock, availability and score, people and free
 * seats, a mini map of its nodes (each with its Ready state and pod counts), the failures met,
 * who plays which seat, and each role's figure for the role leaderboard across teams — measured
 * from the players' own actions (the student ledger's reactions, timed by roleClock.ts), absent
 * for a role no player acted in. The class room copies it into its TeamSummary
 * (shared/protocol/classState.ts) and ranks the roles (roleStandings.ts).
 */
import type { ClassIncident, RoleMetric } from "../../shared/protocol/classViews.ts";
import { isActivePod } from "../../shared/sim/objects/types.ts";
import { currentScore } from "../../shared/sim/outcome.ts";
import type { Simulation } from "../../shared/sim/Simulation.ts";
import { SEAT_ROLES, type SeatRole } from "../../shared/sim/seats.ts";
import type { GameSession } from "./GameSession.ts";
import type { LedgerStudent } from "./StudentLedger.ts";

export type { RoleMetric };

/** One node of the mini map. */
export interface TeamReportNode {
  name: string;
  role: string;
  /** The Node's Ready condition: "True", "False" or "Unknown" (not registered, or silent). */
  ready: string;
  /** Pods bound to it that still count, and how many of those are ready. */
  pods: number;
  podsReady: number;
}

/** A team's summary, as pushed to its class room. */
export interface TeamReport {
  phase: string;
  /** The team's game time, ms. */
  gameNow: number;
  availability: number;
  availabilityTotal: number;
  score: number;
  /** Requests served, and all that ended (served, dropped or timed out), whole game: the class total pools them. */
  served: number;
  ended: number;
  /** Seats held by connected people. */
  players: number;
  /** Seats held by nobody (a bot plays them): a newcomer takes one without sharing. */
  seatsFree: number;
  nodes: TeamReportNode[];
  incidents: number;
  /** Who plays which seat (by nickname; connected people only), for the class's student list. */
  seats: { nickname: string; seat: string }[];
  /** Each role's figure, from the team's players' actions (roles nobody acted in are absent). */
  roles: RoleMetric[];
  /** The team room's own PIN (its student reports are read at /api/rooms/<pin>/report.json). */
  pin: string;
  /** Once the team's game is over: what the class debrief compares (classDebrief.ts). */
  final?: TeamFinal;
}

/** A finished team's part of the class debrief. */
export interface TeamFinal {
  /** Availability (last minute, 0..1) every CLASS_TIMELINE_STEP_MS of game time. */
  timeline: number[];
  incidents: ClassIncident[];
  /**
   * The team room's host token: the class room (server side only) puts it in the host's report
   * links, so the class's host reads every student's report. Never in ClassState nor sent to a student.
   */
  hostToken: string;
}

/** Game ms between two points of a team's timeline in the class debrief. */
export const CLASS_TIMELINE_STEP_MS = 5_000;

/** What each role's figure measures: its id and its words (the value in seconds follows them). */
export const ROLE_METRICS: Record<SeatRole, { metric: string; label: string }> = {
  scheduler: { metric: "bindWaitSec", label: "binds a pending pod in" },
  "controller-manager": { metric: "replaceWaitSec", label: "replaces a missing pod in" },
  kubelet: { metric: "admitWaitSec", label: "admits a pod bound to its node in" },
  "kube-proxy": { metric: "syncWaitSec", label: "updates its rules after an endpoint change in" },
};

/** Longest list of nicknames a role's figure names, characters. */
export const MAX_ROLE_NAMES = 60;

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** The team's summary now. */
export function teamReport(session: GameSession): TeamReport {
  const sim = session.sim;
  const seats = sim.seats();
  const held = seats.filter((seat) => session.holders(seat).length > 0);
  const people = [...session.players.values()].filter((p) => p.connected && !p.spectator && !p.host);
  const { served, dropped, timedOut } = sim.score.totals;
  return {
    phase: session.phase,
    gameNow: sim.now,
    availability: round4(sim.score.slidingAvailability()),
    availabilityTotal: round4(sim.score.totalAvailability()),
    score: currentScore(sim),
    served,
    ended: served + dropped + timedOut,
    players: held.length,
    seatsFree: seats.length - held.length,
    nodes: miniMap(sim),
    incidents: sim.score.incidents.length,
    seats: people.flatMap((p) => (p.seats.length ? p.seats.map((seat) => ({ nickname: p.nickname, seat })) : [{ nickname: p.nickname, seat: "" }])),
    roles: roleMetrics(session.ledger.entries().values()),
    pin: session.pin,
    ...(session.phase === "debrief" ? { final: teamFinal(session) } : {}),
  };
}

/** The finished team's timeline (a point every CLASS_TIMELINE_STEP_MS), its incidents with the time each took to recover, its host token. */
export function teamFinal(session: GameSession): TeamFinal {
  const score = session.sim.score;
  const step = CLASS_TIMELINE_STEP_MS / 1000;
  return {
    timeline: score.timeline.filter((p) => p.t % step === 0).map((p) => p.availability),
    incidents: score.incidents.map((i) => ({ label: i.label, atMs: i.at, recoveredAfterMs: i.recoveredAt === undefined ? null : i.recoveredAt - i.at })),
    hostToken: session.hostToken,
  };
}

/** Every machine of the cluster, as the mini map draws it: control plane first, then workers, in name order. */
export function miniMap(sim: Simulation): TeamReportNode[] {
  const out: TeamReportNode[] = [];
  for (const [name, m] of sim.world.machines) {
    const pods = sim.state.podsOnNode(name).filter(isActivePod);
    out.push({
      name,
      role: m.role,
      ready: sim.state.nodes.get(name)?.status.ready ?? "Unknown",
      pods: pods.length,
      podsReady: pods.filter((p) => p.status.ready).length,
    });
  }
  const order = (n: TeamReportNode) => (n.role === "control-plane" ? 0 : 1);
  return out.sort((a, b) => order(a) - order(b) || a.name.localeCompare(b.name, "en", { numeric: true }));
}

/**
 * Each role's figure: the mean over every timed action of the team's students in that role,
 * naming them (most actions first). A role nobody acted in has no figure (not a zero).
 */
export function roleMetrics(students: Iterable<Readonly<LedgerStudent>>): RoleMetric[] {
  const list = [...students];
  return SEAT_ROLES.flatMap((role): RoleMetric[] => {
    const players = list
      .map((s) => ({ name: s.nickname, tally: s.reactions?.[role] }))
      .filter((x) => x.tally && x.tally.count > 0)
      .sort((a, b) => b.tally!.count - a.tally!.count || a.name.localeCompare(b.name));
    if (players.length === 0) return [];
    const count = players.reduce((n, x) => n + x.tally!.count, 0);
    const totalMs = players.reduce((n, x) => n + x.tally!.totalMs, 0);
    const names = players.map((x) => x.name).join(", ");
    return [
      {
        role,
        nickname: names.length <= MAX_ROLE_NAMES ? names : `${names.slice(0, MAX_ROLE_NAMES - 1)}…`,
        ...ROLE_METRICS[role],
        value: Math.round(totalMs / count / 10) / 100,
        unit: "s",
        count,
      },
    ];
  });
}
