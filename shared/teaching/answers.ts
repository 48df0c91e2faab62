/** One answer a player gave to a checkpoint or exit-check question, as the student report reads it. */
export interface AnswerRecord {
  /** The player's stable id in the session (the roster's id, not the nickname). */
  player: string;
  question: string;
  kind: "checkpoint" | "exit";
  /** Index of the option chosen. */
  choice: number;
  correct: boolean;
  /** Game time of the answer, ms. */
  atMs: number;
}
