/**
 * What a team room tells its class about once a second (team mode, issue #12): a pure function
 * of the team's game session — its phase and clock, availability and score, people and free
 * seats, a mini map of its nodes and the failures met. The class room copies it into its
 * TeamSummary (shared/protocol/classState.ts). Helper `classviews` extends this file (role
 * metrics, the class debrief's timeline); keep it a pure function of the session.
 */
import { currentScore } from "../../shared/sim/outcome.ts";
import type { GameSession } from "./GameSession.ts";

/** One node of the mini map. */
export interface TeamReportNode {
  name: string;
  role: string;
  ready: string;
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
  /** Seats held by connected people. */
  players: number;
  /** Seats held by nobody (a bot plays them): a newcomer takes one without sharing. */
  seatsFree: number;
  nodes: TeamReportNode[];
  incidents: number;
  /** Who plays which seat (by nickname; connected people only), for the class's student list. */
  seats: { nickname: string; seat: string }[];
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** The team's summary now. */
export function teamReport(session: GameSession): TeamReport {
  const sim = session.sim;
  const seats = sim.seats();
  const held = seats.filter((seat) => session.holders(seat).length > 0);
  const nodes: TeamReportNode[] = [];
  for (const [name, machine] of sim.world.machines) {
    const pods = sim.state.podsOnNode(name);
    nodes.push({
      name,
      role: machine.role,
      ready: sim.state.nodes.get(name)?.status.ready ?? "Unknown",
      pods: pods.length,
      podsReady: pods.filter((p) => p.status.ready).length,
    });
  }
  const people = [...session.players.values()].filter((p) => p.connected && !p.spectator && !p.host);
  return {
    phase: session.phase,
    gameNow: sim.now,
    availability: round4(sim.score.slidingAvailability()),
    availabilityTotal: round4(sim.score.totalAvailability()),
    score: currentScore(sim),
    players: held.length,
    seatsFree: seats.length - held.length,
    nodes,
    incidents: sim.score.incidents.length,
    seats: people.flatMap((p) => (p.seats.length ? p.seats.map((seat) => ({ nickname: p.nickname, seat })) : [{ nickname: p.nickname, seat: "" }])),
  };
}
