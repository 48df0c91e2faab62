/**
 * The shapes a game session works with: a player, the options a game is made with, what is saved
 * of a room to bring it back after a restart, and who is asking to join.
 */
import type { Difficulty } from "../../shared/sim/bots/Bot.ts";
import type { SimulationSnapshot } from "../../shared/sim/Simulation.ts";
import type { Mode } from "../../shared/protocol/messages.ts";
import type { RosterSnapshot } from "./Roster.ts";
import type { LedgerSnapshot } from "./StudentLedger.ts";
import type { Phase } from "./phases.ts";
import type { QuizSnapshot } from "./Quiz.ts";

/**
 * Who a class's team room takes host controls from: its class room (team mode, issue #12), never a
 * connection (connection ids are random and never this word).
 */
export const CLASS_HOST = "class";

export interface Player {
  id: string;
  /** The player's secret identity (their roster key); the host's is the host token. */
  key: string;
  nickname: string;
  host: boolean;
  spectator: boolean;
  connected: boolean;
  /** Seats the player holds ("scheduler", "kubelet:node-2", …); several players may share one. */
  seats: string[];
  /** The host's *show the truth* toggle (server/game/truth.ts): power, processes and containers as they really are. */
  seesTruth?: boolean;
}

export interface SessionOptions {
  mode: Mode;
  scenario: string;
  difficulty: Difficulty;
  seed: number;
  /** The game stops at the scenario's checkpoints for a question (and first-pod is a guided tour). */
  questions?: boolean;
  /** No points for speed (shared/sim/scoring/score.ts): recovery scores however long it took. */
  noSpeedPoints?: boolean;
}

/** What is saved with the game so a restarted server can bring the room back. */
export interface SessionSnapshot {
  options: SessionOptions;
  pin: string;
  hostToken: string;
  phase: Phase;
  speed: number;
  locked: boolean;
  /**
   * Everyone the room knows, by player key: nickname, seats and kubectl token, so returning
   * players get theirs back and kubeconfigs outlive restarts; and the keys the host kicked.
   */
  roster: RosterSnapshot;
  /** Seat stretches and refusals for the student reports (absent in games saved before them). */
  ledger?: LedgerSnapshot;
  /** Player keys the host lets apply manifests (absent in games saved before grants existed). */
  applyGrants?: string[];
  sim: SimulationSnapshot;
  /** The checkpoints fired, the question open and every answer given (absent in games saved before questions existed). */
  quiz?: QuizSnapshot;
}

/** Who is asking to join, as the room has verified (host token) or been told (the rest). */
export interface JoinRequest {
  /** The player key the client kept from an earlier welcome, if any. */
  key?: string;
  host?: boolean;
  spectator?: boolean;
  /** A seat to take on joining (the solo player's, named when the game was created). */
  seat?: string;
}

/** A join the room would accept: as whom, and which away connection of theirs it replaces. */
export interface Admitted {
  key?: string;
  nickname: string;
  replaces?: string;
}
