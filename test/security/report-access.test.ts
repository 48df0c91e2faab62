/**
 * Who reads which student report (server/admission/reportAccess.ts): the host every student or
 * one by name; a player only their own, and before the debrief without the answers — whether one
 * was right is for the host to reveal.
 */
import { expect } from "chai";
import { ANSWERS_WITHHELD, reportFor } from "../../server/admission/reportAccess.ts";
import type { ClassReport, StudentReport } from "../../shared/protocol/report.ts";
import { questionsOf } from "../../server/teaching/questions.ts";

function student(nickname: string): StudentReport {
  return {
    nickname,
    seats: [{ seat: "scheduler", fromMs: 0, toMs: null }],
    actions: { total: 1, byType: { bind: 1 } },
    refusals: { total: 0, byReason: [], examples: [] },
    vsBot: { status: "pending", summary: "", reactions: [] },
    answers: [{ question: "q1", text: "Who notices?", kind: "checkpoint", choice: 1, chosen: "the controller manager", correct: true, atMs: 5000 }],
    score: { checkpoint: { right: 1, total: 1 }, exit: { right: 0, total: 0 } },
    concepts: [
      { id: "controller-detects", title: "The controller manager detects", how: ["answered"] },
      { id: "scheduler-by-resources", title: "Scheduling by resources", how: ["did", "answered"] },
    ],
  };
}

const report = (phase: string): ClassReport => ({
  room: { pin: "123456", phase },
  scenario: { id: "node-down", title: "Node down" },
  students: [student("Ada"), student("Bo")],
});
const HOST = { name: "host", host: true, seats: [] };
const ADA = { name: "Ada", host: false, seats: ["scheduler"] };
const names = (r: ReturnType<typeof reportFor>) => ("students" in r ? r.students.map((s) => s.nickname) : r.code);

describe("student report access", () => {
  const CASES: [string, ReturnType<typeof reportFor>, (string | number)[] | number][] = [
    ["the host reads every student", reportFor(report("debrief"), HOST), ["Ada", "Bo"]],
    ["the host asks for one", reportFor(report("debrief"), HOST, "Bo"), ["Bo"]],
    ["the host asks for a name nobody wears: 404", reportFor(report("debrief"), HOST, "Cy"), 404],
    ["a player reads their own", reportFor(report("debrief"), ADA), ["Ada"]],
    ["a player names themselves", reportFor(report("debrief"), ADA, "Ada"), ["Ada"]],
    ["a player asks for another's: 403", reportFor(report("debrief"), ADA, "Bo"), 403],
    ["a player with nothing to report reads an empty list", reportFor(report("debrief"), { name: "Cy", host: false, seats: [] }), []],
  ];
  for (const [what, answer, expected] of CASES) it(what, () => expect(names(answer)).to.deep.equal(expected));

  it("says why another's report is refused", () => {
    const r = reportFor(report("debrief"), ADA, "Bo");
    expect("message" in r && r.message).to.match(/only their own report: this token is Ada's, not Bo's/);
  });

  it("in the debrief a player's report holds their exit-check answers only once they have answered it whole", () => {
    const exitTotal = questionsOf("node-down").exitCheck.length;
    const withExit = (answered: number): ClassReport => {
      const r = report("debrief");
      const ada = r.students[0];
      for (let i = 0; i < answered; i++)
        ada.answers.push({ question: `x${i}`, text: "?", kind: "exit", choice: 0, chosen: "a", correct: i === 0, atMs: 90_000 });
      ada.score.exit = { right: answered > 0 ? 1 : 0, total: answered };
      return r;
    };
    const midway = (reportFor(withExit(1), ADA) as ClassReport).students[0];
    expect(midway.answers.map((a) => a.kind)).to.deep.equal(["checkpoint"]);
    expect(midway.score).to.deep.equal({ checkpoint: { right: 1, total: 1 }, exit: { right: 0, total: 0 } });
    const done = (reportFor(withExit(exitTotal), ADA) as ClassReport).students[0];
    expect(done.answers.filter((a) => a.kind === "exit")).to.have.length(exitTotal);
    expect(done.score.exit).to.deep.equal({ right: 1, total: exitTotal });
    // The host sees every answer as it comes.
    expect((reportFor(withExit(1), HOST) as ClassReport).students[0].score.exit.total).to.equal(1);
  });

  it("before the debrief a player's report leaves out the answers, their tallies and the concepts known only from them", () => {
    const r = reportFor(report("running"), ADA) as ClassReport;
    expect(r.answersWithheld).to.equal(ANSWERS_WITHHELD);
    const [ada] = r.students;
    expect(ada.answers).to.deep.equal([]);
    expect(ada.score.checkpoint).to.deep.equal({ right: 0, total: 0 });
    expect(ada.concepts).to.deep.equal([{ id: "scheduler-by-resources", title: "Scheduling by resources", how: ["did"] }]);
    expect(ada.actions.total).to.equal(1);
  });

  it("the host reads the answers at any time, and a player in the debrief", () => {
    expect((reportFor(report("running"), HOST) as ClassReport).students[0].answers).to.have.length(1);
    const inDebrief = reportFor(report("debrief"), ADA) as ClassReport;
    expect(inDebrief.students[0].answers).to.have.length(1);
    expect(inDebrief.answersWithheld).to.equal(undefined);
  });
});
