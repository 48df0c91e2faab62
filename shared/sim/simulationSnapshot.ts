/**
 * A game saved as plain JSON-safe data: everything Simulation.restore needs to continue it
 * exactly where it was (see Simulation.snapshot). The store keeps it beside the registry's
 * objects and the appended input log (server/game/Persistence.ts).
 */
import type { Difficulty } from "./bots/Bot.ts";
import type { CrewSnapshot } from "./bots/BotCrew.ts";
import type { Timer } from "./failures/apply.ts";
import type { InputRecord } from "./inputLog.ts";
import type { ClusterStateSnapshot } from "./objects/ClusterState.ts";
import type { Scenario } from "./scenarios/index.ts";
import type { ScoreSnapshot } from "./scoring/Scoreboard.ts";
import type { TrafficSnapshot } from "./traffic/Traffic.ts";
import type { WorldSnapshot } from "./world/snapshot.ts";

/** Bumped whenever the snapshot's shape changes. */
export const SNAPSHOT_VERSION = 1;

export interface SimulationSnapshot {
  version: number;
  scenario: Scenario;
  seed: number;
  difficulty: Difficulty;
  tick: number;
  cluster: ClusterStateSnapshot;
  world: WorldSnapshot;
  traffic: TrafficSnapshot;
  score: ScoreSnapshot;
  bots: CrewSnapshot;
  timers: Timer[];
  nextScriptEvent: number;
  inputLog: InputRecord[];
  botsOff: string[];
  injections: number;
  /** Inputs not recorded because the log was full (absent in games saved before the cap). */
  inputsDropped?: number;
  /** Failures injected from outside (absent in games saved before the cap). */
  injected?: number;
}
