/**
 * The student report as the server serves it (`/api/rooms/<PIN>/report.json`, one row a student
 * in `report.csv`) and the debrief shows it: per student the seats held and when, the requests
 * sent by kind, the refused ones with their reasons, how fast their seats reacted against the bot
 * in the same seats, their checkpoint and exit-check answers, and the concepts practised. The
 * host reads every student's; a player only their own.
 */
import type { SeatReaction } from "../sim/counterfactual/reactions.ts";

export type { SeatReaction };

/** A stretch of the game in which the student held a seat (connected, so its bot was off). */
export interface SeatSpan {
  seat: string;
  /** Game time the stretch began, ms. */
  fromMs: number;
  /** Game time it ended, ms; null while (or when the game ended while) the seat was still held. */
  toMs: number | null;
}

/** One refused request, as an example of its kind. */
export interface RefusalExample {
  /** Game time, ms. */
  atMs: number;
  seat: string;
  /** The request's type ("bind", "createPod", …). */
  type: string;
  code: number;
  message: string;
}

export interface ReportAnswer {
  question: string;
  /** The question's text (its id when the question bank does not know it). */
  text: string;
  kind: "checkpoint" | "exit";
  choice: number;
  /** The option chosen, in words (empty when the bank does not know the question). */
  chosen: string;
  correct: boolean;
  atMs: number;
}

/** A concept the student practised: by doing its action from a seat of its role, by answering one of its questions right, or both. */
export interface PractisedConcept {
  id: string;
  title: string;
  how: ("did" | "answered")[];
}

export interface StudentReport {
  nickname: string;
  seats: SeatSpan[];
  /** Requests the student sent from their seats (panels and kubectl), counted by type. */
  actions: { total: number; byType: Record<string, number> };
  /** Requests the API server refused: counted by reason, with the first few as examples. */
  refusals: { total: number; byReason: { reason: string; code: number; count: number }[]; examples: RefusalExample[] };
  /**
   * Against the bot in the same seats (the debrief's replay): "pending" until it is done, "none"
   * when there is nothing to compare (no seat held, or the replay was refused).
   */
  vsBot: { status: "pending" | "done" | "none"; summary: string; reactions: SeatReaction[] };
  answers: ReportAnswer[];
  /** Checkpoint and exit-check answers: how many right of how many. */
  score: { checkpoint: { right: number; total: number }; exit: { right: number; total: number } };
  concepts: PractisedConcept[];
}

export interface ClassReport {
  room: { pin: string; phase: string };
  scenario: { id: string; title: string };
  /** Every student for the host; for a player, their own (none when they held no seat and answered nothing). */
  students: StudentReport[];
  /** Set (to why) when a player reads their report before the debrief: its answers are left out until then. */
  answersWithheld?: string;
}
