/**
 * A room's student reports (studentReports.ts) from its game session, and the class CSV: one row
 * a student, its text cells made inert as csv.ts does for every download.
 */
import { formatGameTime } from "../../shared/sim/clock.ts";
import type { VsBotMessage } from "../../shared/protocol/serverMessages.ts";
import type { ClassReport, SeatReaction, StudentReport } from "../../shared/protocol/report.ts";
import type { GameSession } from "./GameSession.ts";
import { csvFile } from "./csv.ts";
import { studentReports, type QuestionInfo } from "./studentReports.ts";
import { questionOf } from "../teaching/questions.ts";

export type { ClassReport };

/** The questions the reports name by id: the scenarios' question files (server/teaching/questions/). */
export type QuestionBank = (scenario: string, question: string) => QuestionInfo | undefined;

/** Every student's report of the session's game, with "you against the bot" as far as it has come. */
export function reportOf(session: GameSession, vsBot?: VsBotMessage, bank: QuestionBank = questionOf): ClassReport {
  const sim = session.sim;
  return studentReports({
    room: { pin: session.pin, phase: session.phase },
    scenario: sim.scenario,
    inputLog: sim.inputLog,
    students: session.ledger.entries(),
    answers: session.answers(),
    question: (id) => bank(sim.scenario.id, id),
    vsBot,
  });
}

export const REPORT_CSV_HEADER = [
  "nickname",
  "seats",
  "actions_total",
  "refusals_total",
  "reaction_vs_bot",
  "checkpoint_right",
  "checkpoint_total",
  "exit_right",
  "exit_total",
  "concepts_count",
  "concepts",
] as const;

/** One row a student (the host's file has everyone's, a player's their own). */
export function reportCsv(r: ClassReport): string {
  return csvFile(
    REPORT_CSV_HEADER,
    r.students.map((s) => [
      s.nickname,
      seatsText(s),
      s.actions.total,
      s.refusals.total,
      s.vsBot.reactions.map(reactionText).join("; "),
      s.score.checkpoint.right,
      s.score.checkpoint.total,
      s.score.exit.right,
      s.score.exit.total,
      s.concepts.length,
      s.concepts.map((c) => c.id).join("; "),
    ]),
  );
}

/** "scheduler 0:00-1:30; kubelet:node-1 1:30-end" (plain ASCII: a spreadsheet may not read the file as UTF-8). */
export function seatsText(s: StudentReport): string {
  return s.seats.map((sp) => `${sp.seat} ${formatGameTime(sp.fromMs)}-${sp.toMs === null ? "end" : formatGameTime(sp.toMs)}`).join("; ");
}

/** "scheduler: 2.1 s, bot 0.8 s" ("never" for a side where it never happened). */
export function reactionText(r: SeatReaction): string {
  const v = (x: number | null) => (x === null ? "never" : r.unit === "s" ? `${x} s` : `${x} ${r.unit}`);
  return `${r.seat}: ${v(r.you)}, bot ${v(r.bot)}`;
}
