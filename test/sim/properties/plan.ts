/**
 * The plan of a random game for the property tests: a scenario (every one but large-cluster,
 * sometimes with smaller workers to put nodes under pressure), a seed, a difficulty, and the
 * inputs sent between the ticks — API requests from random callers, failures, "walks" of requests
 * aimed at one pod over time, seats handed between bots and humans. Objects are named by Picks,
 * resolved against the game when the input is sent (player.ts); generators.ts makes plans.
 */
import { scenarioIds } from "../../../shared/sim/scenarios/index.ts";
import type { Difficulty } from "../../../shared/sim/bots/Bot.ts";

/** Every scenario but the large one (too slow to play dozens of times). */
export const SCENARIOS = scenarioIds().filter((id) => id !== "large-cluster");

/**
 * Who sends a request: a fixed component, "rightful" (the component that makes this request in a
 * real cluster, for the node it concerns, so that many requests are accepted) or "forged" (an
 * unknown bearer token).
 */
export const FIXED_CALLERS = [
  "scheduler",
  "controller-manager",
  "kubelet:node-1",
  "kubelet:node-2",
  "kube-proxy:node-2",
  "node-agent:node-1",
  "node-agent:node-2",
  "system",
  "admin",
  "forged",
] as const;
export type Caller = (typeof FIXED_CALLERS)[number] | "rightful";

/** Pods in one state of their lifecycle, to aim requests at pods they can apply to. */
export const POD_STATES = ["any", "pending", "scheduled", "started", "finished", "terminating"] as const;
export type PodState = (typeof POD_STATES)[number];

/**
 * An object of the game picked when the input is sent: the i-th pod (in the given state, when
 * there is one), node, deployment or service that exists then.
 */
export interface Pick {
  $pick: number;
  among?: PodState;
}
/** A name field: an existing object picked at send time, or a literal (often unknown, sometimes invalid) name. */
export type Ref = Pick | string;
/** A game time relative to the moment the input is sent, ms. */
export interface Now {
  $now: number;
}

/** A request or failure with Refs in its name fields; resolved against the game when sent. */
export type Spec = { type: string } & Record<string, unknown>;

export type Act =
  | { kind: "request"; who: Caller; req: Spec }
  | { kind: "junk"; who: Caller; raw: unknown }
  | { kind: "failure"; failure: Spec }
  | { kind: "junkFailure"; raw: unknown }
  | { kind: "bot"; seat: number; on: boolean };

/**
 * A walk: requests aimed at one pod (chosen when the walk starts, written {$focus} in the
 * requests), each some ticks after the one before — e.g. a node agent reporting a pod's
 * statuses in an order of its own.
 */
export interface Walk {
  focus: Pick;
  steps: { delay: number; who: Caller; req: Spec }[];
}

/** Inputs sent before a tick: `at` in thousandths of the game (0 = before the first tick, 1000 = after the last). */
export type Input = { at: number; batch: Act[] } | { at: number; walk: Walk };

export interface Plan {
  scenario: string;
  /** Workers' CPU and memory as a share of the scenario's (1: as written), to put nodes under pressure. */
  workerShare: number;
  seed: number;
  difficulty: Difficulty;
  botsOff: string[];
  ticks: number;
  inputs: Input[];
}
