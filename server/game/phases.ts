/**
 * A game's phases and what each allows, in one table: lobby → intro → running ⇄ paused →
 * debrief. The session asks the table instead of repeating guards: a new phase does not compile
 * until it says whether players may act, whether the clock runs, and where the host's controls
 * lead from it.
 */

export const PHASES = ["lobby", "intro", "running", "paused", "debrief"] as const;
export type Phase = (typeof PHASES)[number];

/** The host's controls that move a game from phase to phase. */
export type Move = "start" | "pause" | "resume" | "end";

export interface PhaseRules {
  /** Why players' requests (their panels) are refused in this phase; undefined while they may act. */
  closedToPlayers?: string;
  /** Why kubectl's writes are refused in this phase (reads always work); undefined while they may write. */
  closedToKubectl?: string;
  /** The game clock advances. */
  clock: boolean;
  /** The host may still pick another scenario. */
  scenarioChoice: boolean;
  /** The host may inject failures. */
  chaos: boolean;
  /** Where each of the host's moves leads from here, and what the host is told. */
  moves: Partial<Record<Move, { to: Phase; says: string }>>;
  /** Where the game goes when a workshop's host has been gone too long (HostPresence.ts); undefined: it stays. */
  hostAway?: Phase;
}

const NOT_STARTED = "the game has not started yet: wait for the host to start it";
const END = { to: "debrief", says: "the game is over: here is the debrief" } as const;

export const PHASE_RULES: Record<Phase, PhaseRules> = {
  lobby: {
    closedToPlayers: NOT_STARTED,
    closedToKubectl: `${NOT_STARTED} (reading works already)`,
    clock: false,
    scenarioChoice: true,
    chaos: false,
    moves: { start: { to: "intro", says: "showing the scenario's intro: start again to begin" }, end: END },
  },
  intro: {
    closedToPlayers: NOT_STARTED,
    closedToKubectl: `${NOT_STARTED} (reading works already)`,
    clock: false,
    scenarioChoice: true,
    chaos: false,
    moves: { start: { to: "running", says: "the game is running" }, end: END },
  },
  running: { clock: true, scenarioChoice: false, chaos: true, moves: { pause: { to: "paused", says: "paused" }, end: END }, hostAway: "paused" },
  paused: {
    closedToPlayers: "the game is paused: the cluster is frozen until the host resumes",
    closedToKubectl: "the game is paused: the cluster is frozen until the host resumes",
    clock: false,
    scenarioChoice: false,
    chaos: true,
    moves: { resume: { to: "running", says: "resumed" }, end: END },
  },
  debrief: {
    closedToPlayers: "the game is over: see the debrief",
    closedToKubectl: "the game is over: the cluster can still be read, but not changed",
    clock: false,
    scenarioChoice: false,
    chaos: false,
    moves: {},
  },
};

/** Why a move cannot be made from a phase, in the host's words. */
export function moveRefusal(phase: Phase, move: Move): string {
  if (move === "end") return "the game is already over";
  if (move === "start") return `the game is ${phase}: it can only be started from the lobby or the intro`;
  return `the game is ${phase}, not ${move === "pause" ? "running" : "paused"}`;
}
