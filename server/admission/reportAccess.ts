/**
 * Who reads which student reports: the host (host token) every student's, or one student's when
 * asking for it by nickname; a player (their own kubectl token) only their own — asking for
 * someone else's is refused in words, never answered with an empty report. Before the debrief a
 * player's report holds no answers: whether one was right is for the host to reveal; in the debrief
 * it holds the exit check's answers once the player has answered it whole (before, right or wrong
 * would give the rest away).
 */
import type { ClassReport, StudentReport } from "../../shared/protocol/report.ts";
import type { ApiCaller } from "../k8s/ports.ts";
import { questionsOf } from "../teaching/questions.ts";

/** The reports `caller` may read (one student's when `student` is given), or why not, with the HTTP status. */
export function reportFor(r: ClassReport, caller: ApiCaller, student?: string): ClassReport | { code: 403 | 404; message: string } {
  const wanted = student ?? (caller.host ? undefined : caller.name);
  if (!caller.host && wanted !== caller.name)
    return {
      code: 403,
      message: `a player may read only their own report: this token is ${caller.name}'s, not ${wanted}'s (the host's link shows every student)`,
    };
  if (wanted === undefined) return r;
  const students = r.students.filter((s) => s.nickname === wanted);
  // A player with nothing to report reads an empty list; a host asking for a name nobody wears is told so.
  if (caller.host && students.length === 0) return { code: 404, message: `no student called ${wanted} held a seat or answered a question in this game` };
  if (caller.host) return { ...r, students };
  if (r.room.phase !== "debrief") return { ...r, students: students.map(withoutAnswers), answersWithheld: ANSWERS_WITHHELD };
  const exitQuestions = questionsOf(r.scenario.id).exitCheck.length;
  return { ...r, students: students.map((s) => (s.score.exit.total < exitQuestions ? withoutExitAnswers(s) : s)) };
}

/** A report without its exit-check answers (the exit check is still under way), nor the concepts known from answers until then. */
function withoutExitAnswers(s: StudentReport): StudentReport {
  return {
    ...withoutAnswers(s),
    answers: s.answers.filter((a) => a.kind !== "exit"),
    score: { ...s.score, exit: { right: 0, total: 0 } },
  };
}

/** What a player reads instead of their answers before the debrief. */
export const ANSWERS_WITHHELD = "your answers, and which were right, are in your report once the game is over";

/** A report without its answers, their tallies and the concepts known only from them. */
function withoutAnswers(s: StudentReport): StudentReport {
  const none = { right: 0, total: 0 };
  return {
    ...s,
    answers: [],
    score: { checkpoint: none, exit: none },
    concepts: s.concepts.filter((c) => c.how.includes("did")).map((c) => ({ ...c, how: ["did"] })),
  };
}
