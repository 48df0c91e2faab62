/**
 * The result of a game: did the team meet the scenario's win condition, and the figures behind
 * it — availability, totals, drops by cause, incidents, each seat's figures and the revision the
 * cluster's store reached. Plain data, ready to print as JSON.
 */
import { isActivePod } from "./objects/types.ts";
import type { Incident, SeatFigures } from "./scoring/Scoreboard.ts";
import { NODE_STARTUP_MS } from "./tuning.ts";
import { totalScore, type ScoreParts } from "./scoring/score.ts";
import type { ClusterState } from "./objects/ClusterState.ts";
import type { Scenario } from "./scenarios/schema.ts";
import type { Scoreboard } from "./scoring/Scoreboard.ts";
import type { Traffic } from "./traffic/Traffic.ts";
import type { World } from "./world/World.ts";

/** What the outcome reads of a game (a Simulation is one; declared here so the two do not import each other). */
export interface OutcomeSource {
  scenario: Scenario;
  seed: number;
  difficulty: string;
  tick: number;
  now: number;
  state: ClusterState;
  world: World;
  traffic: Traffic;
  score: Scoreboard;
  isServing(pod: string, node: string): boolean;
}
import type { DropCause } from "./traffic/Traffic.ts";

export interface GameOutcome {
  scenario: string;
  seed: number;
  difficulty: string;
  won: boolean;
  /** Why it was won or lost, in words. */
  verdict: string;
  ticks: number;
  gameTimeSec: number;
  revision: number;
  /** Served / all ended requests over the whole game. */
  availability: number;
  /** The same over the last minute. */
  availabilityLastMinute: number;
  served: number;
  dropped: number;
  timedOut: number;
  dropsByCause: Record<DropCause, number>;
  /** 0–1,000: the sum of scoreParts (formula in scoring/score.ts and README). */
  score: number;
  scoreParts: ScoreParts;
  /** The host chose *no points for speed* (recovery scores however long it took); absent when off. */
  noSpeedPoints?: true;
  oomKills: number;
  replicas: Record<string, { desired: number; serving: number }>;
  incidents: Incident[];
  seats: SeatFigures;
}

const round4 = (x: number) => Math.round(x * 10000) / 10000;

/** Whether the scenario's goal is met as things stand, and why not. */
function verdictOf(sim: OutcomeSource) {
  const score = sim.score;
  const win = sim.scenario.win;
  const replicas: GameOutcome["replicas"] = {};
  for (const d of sim.state.deployments.values()) {
    let serving = 0;
    for (const p of sim.state.podsOf(d.metadata.name)) if (isActivePod(p) && sim.isServing(p.metadata.name, p.spec.nodeName)) serving++;
    replicas[d.metadata.name] = { desired: d.spec.replicas, serving };
  }
  const availability = score.totalAvailability();
  const lastMinute = score.slidingAvailability();
  const measured = win.window === "game" ? availability : lastMinute;
  const failures: string[] = [];
  if (measured < win.minAvailability) {
    failures.push(
      `availability ${(measured * 100).toFixed(1)}% ${win.window === "game" ? "over the game" : "over the last minute"} is below ${(win.minAvailability * 100).toFixed(0)}%`,
    );
  }
  if (win.allReplicasReady) {
    const short = Object.entries(replicas).filter(([, r]) => r.serving < r.desired);
    if (short.length) failures.push(`not every replica is serving (${short.map(([n, r]) => `${n} ${r.serving}/${r.desired}`).join(", ")})`);
  }
  const oomKills = score.totalOomKills();
  if (win.maxOomKills !== undefined && oomKills > win.maxOomKills) failures.push(`${oomKills} containers were OOM-killed (at most ${win.maxOomKills} allowed)`);
  return { won: failures.length === 0, failures, replicas, availability, lastMinute, oomKills };
}

/** The score the game would end with if it ended now (what the players see during the game). */
export function currentScore(sim: OutcomeSource): number {
  return sim.score.teamScore(verdictOf(sim).won);
}

export function evaluateOutcome(sim: OutcomeSource): GameOutcome {
  const score = sim.score;
  const { won, failures, replicas, availability, lastMinute, oomKills } = verdictOf(sim);
  const parts = score.scoreParts(won);
  return {
    scenario: sim.scenario.id,
    seed: sim.seed,
    difficulty: sim.difficulty,
    won,
    verdict: won ? "every goal of the scenario was met" : failures.join("; "),
    ticks: sim.tick,
    gameTimeSec: sim.now / 1000,
    revision: sim.state.revision,
    availability: round4(availability),
    availabilityLastMinute: round4(lastMinute),
    served: score.totals.served,
    dropped: score.totals.dropped,
    timedOut: score.totals.timedOut,
    dropsByCause: { ...score.dropsByCause },
    score: totalScore(parts),
    scoreParts: parts,
    ...(score.noSpeedPoints ? { noSpeedPoints: true as const } : {}),
    oomKills,
    replicas,
    incidents: score.incidents.map((i) => ({ ...i })),
    seats: withJoins(
      score.seats(
        sim.traffic.proxyStats,
        sim.world.workers().map((m) => m.name),
      ),
      sim.world,
    ),
  };
}

/** The join time of each node that began as a bare server (a join sets its startingUntil). */
function withJoins(seats: SeatFigures, world: World): SeatFigures {
  for (const m of world.workers()) {
    const k = seats.kubelets[m.name];
    if (!k || (m.joined && m.startingUntil === 0)) continue;
    k.joinedSec = m.joined ? (m.startingUntil - NODE_STARTUP_MS) / 1000 : null;
  }
  return seats;
}
