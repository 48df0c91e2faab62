/**
 * The student report, built from a game session played without Colyseus: seats held and when
 * (across a swap, a dropped connection and a nickname taken again), requests by kind, refusals by
 * reason, answers right and wrong, concepts practised from the scenario's `teaches`, "you against
 * the bot", the class CSV, and that all of it survives a save.
 */
import { expect } from "chai";
import { GameSession, type Player } from "../../server/game/GameSession.ts";
import { reportCsv, reportOf } from "../../server/game/report.ts";
import { MAX_EXAMPLE_MESSAGE } from "../../server/game/StudentLedger.ts";
import { studentReports, type QuestionInfo, type ReportInput } from "../../server/game/studentReports.ts";
import type { ClassReport, StudentReport } from "../../shared/protocol/report.ts";
import type { VsBotMessage } from "../../shared/protocol/serverMessages.ts";
import type { PlayerVsBot } from "../../shared/sim/counterfactual/versusBot.ts";
import type { Scenario } from "../../shared/sim/scenarios/schema.ts";
import type { AnswerRecord } from "../../shared/teaching/answers.ts";
import { parseCsv } from "../support/csv.ts";

const NOPE = { type: "bind", pod: "no-such-pod", node: "node-1" };

/** A running workshop: the host, Ada on the scheduler and Bo on node-1's kubelet, 3 s in. */
function game(): { s: GameSession; ada: Player; bo: Player } {
  const s = new GameSession({ mode: "workshop", scenario: "node-down", difficulty: "normal", seed: 1 });
  s.join("h", "Host", { host: true, now: 0 });
  const ada = s.join("a", "Ada", { now: 0 }) as Player;
  const bo = s.join("b", "Bo", { now: 0 }) as Player;
  s.takeSeat("a", "scheduler");
  s.takeSeat("b", "kubelet:node-1");
  s.start("h");
  s.start("h");
  play(s, 3);
  return { s, ada, bo };
}

/** Plays `sec` seconds of game time. */
function play(s: GameSession, sec: number): void {
  for (let i = 0; i < sec; i++) s.advance(1000);
}

const student = (r: ClassReport, nickname: string, nth = 0): StudentReport => r.students.filter((x) => x.nickname === nickname)[nth];

/** The builder's input from a session, with answers, questions, teaches and a vs-bot result of the test's own. */
function input(s: GameSession, extra: Partial<ReportInput> = {}): ReportInput {
  return {
    room: { pin: s.pin, phase: s.phase },
    scenario: s.sim.scenario,
    inputLog: s.sim.inputLog,
    students: s.ledger.entries(),
    answers: [],
    question: () => undefined,
    ...extra,
  };
}

describe("student report", () => {
  it("attributes each request to the player who made it, across a seat swap, with the seats' stretches in game time", () => {
    const { s } = game();
    s.request("a", "scheduler", NOPE);
    s.swapSeat("a", "scheduler", "controller-manager");
    s.leaveSeat("b", "kubelet:node-1");
    s.takeSeat("b", "scheduler");
    play(s, 2);
    s.request("b", "scheduler", NOPE);
    s.request("b", "scheduler", NOPE);
    s.request("a", "controller-manager", { type: "createPod", deployment: "web" });
    const r = reportOf(s);
    expect(r.students.map((x) => x.nickname)).to.deep.equal(["Ada", "Bo"]);
    const ada = student(r, "Ada");
    const bo = student(r, "Bo");
    expect(ada.actions).to.deep.equal({ total: 2, byType: { bind: 1, createPod: 1 } });
    expect(bo.actions).to.deep.equal({ total: 2, byType: { bind: 2 } });
    expect(ada.seats).to.deep.equal([
      { seat: "scheduler", fromMs: 0, toMs: 3000 },
      { seat: "controller-manager", fromMs: 3000, toMs: null },
    ]);
    expect(bo.seats).to.deep.equal([
      { seat: "kubelet:node-1", fromMs: 0, toMs: 3000 },
      { seat: "scheduler", fromMs: 3000, toMs: null },
    ]);
  });

  it("tells apart two players who wore the same nickname by the seat each held when the request came", () => {
    const { s } = game();
    s.request("a", "scheduler", NOPE);
    s.kick("h", "a");
    play(s, 1);
    const again = s.join("a2", "Ada", { now: 0 }) as Player;
    s.takeSeat(again.id, "scheduler");
    s.takeSeat(again.id, "controller-manager");
    s.request(again.id, "controller-manager", { type: "createPod", deployment: "web" });
    const r = reportOf(s);
    expect(student(r, "Ada", 0).actions.byType).to.deep.equal({ bind: 1 });
    expect(student(r, "Ada", 1).actions.byType).to.deep.equal({ createPod: 1 });
  });

  it("a connection that drops and comes back continues the stretch; a swap there and back does not", () => {
    const { s } = game();
    s.disconnect("a");
    play(s, 2);
    s.reconnect("a");
    s.swapSeat("b", "kubelet:node-1", "kube-proxy:node-1");
    play(s, 1);
    s.swapSeat("b", "kube-proxy:node-1", "kubelet:node-1");
    const r = reportOf(s);
    expect(student(r, "Ada").seats).to.deep.equal([{ seat: "scheduler", fromMs: 0, toMs: null }]);
    expect(student(r, "Bo").seats.map((x) => `${x.seat} ${x.fromMs}-${x.toMs}`)).to.deep.equal([
      "kubelet:node-1 0-5000",
      "kube-proxy:node-1 5000-6000",
      "kubelet:node-1 6000-null",
    ]);
  });

  it("counts refused requests by reason, keeps the first of each as an example, and a refusal through kubectl too", () => {
    const { s } = game();
    for (let i = 0; i < 7; i++) s.request("a", "scheduler", NOPE);
    s.request("a", "scheduler", { type: "createPod", deployment: "web" });
    const token = s.apiTokenOf("a")!;
    s.apiRequest(token, { type: "bind", pod: "also-missing", node: "node-1" });
    s.request("a", "scheduler", { type: "bind", pod: "web" }); // malformed: no node
    const ada = student(reportOf(s), "Ada");
    expect(ada.refusals.byReason).to.deep.equal([
      { reason: "NotFound", code: 404, count: 8 },
      { reason: "BadRequest", code: 400, count: 1 },
      { reason: "Forbidden", code: 403, count: 1 },
    ]);
    expect(ada.refusals.total).to.equal(10);
    expect(ada.refusals.examples.map((e) => [e.type, e.code])).to.deep.equal([
      ["bind", 404],
      ["createPod", 403],
      ["bind", 400],
    ]);
    expect(ada.refusals.examples[0]).to.include({ atMs: 3000, seat: "scheduler" });
    expect(ada.refusals.examples[0].message).to.match(/no-such-pod/);
    // The refused createPod never reached the input log: it is no action, only a refusal.
    expect(ada.actions.byType).to.deep.equal({ bind: 8 });
    expect(student(reportOf(s), "Bo").refusals.total).to.equal(0);
  });

  it("lists answers with the option chosen and whether it was right, and tallies checkpoints and the exit check apart", () => {
    const { s, ada, bo } = game();
    const questions: Record<string, QuestionInfo> = {
      q1: { text: "Who notices first?", options: ["the scheduler", "the controller manager"], concepts: ["controller-detects"] },
      q2: { text: "Where is the state kept?", options: ["etcd", "the kubelet"], concepts: ["etcd-brain"] },
    };
    const answers: AnswerRecord[] = [
      { player: ada.key, question: "q1", kind: "checkpoint", choice: 1, correct: true, atMs: 2000 },
      { player: ada.key, question: "q2", kind: "exit", choice: 1, correct: false, atMs: 9000 },
      { player: bo.key, question: "q2", kind: "exit", choice: 0, correct: true, atMs: 9000 },
    ];
    const r = studentReports(input(s, { answers, question: (id) => questions[id] }));
    const a = student(r, "Ada");
    expect(a.answers.map((x) => [x.text, x.chosen, x.correct, x.kind])).to.deep.equal([
      ["Who notices first?", "the controller manager", true, "checkpoint"],
      ["Where is the state kept?", "the kubelet", false, "exit"],
    ]);
    expect(a.score).to.deep.equal({ checkpoint: { right: 1, total: 1 }, exit: { right: 0, total: 1 } });
    expect(a.concepts).to.deep.equal([{ id: "controller-detects", title: "The controller manager detects", how: ["answered"] }]);
    expect(student(r, "Bo").concepts.map((c) => c.id)).to.deep.equal(["etcd-brain"]);
    expect(r.students.map((x) => x.nickname)).to.deep.equal(["Ada", "Bo"]); // the host held no seat: no report
  });

  it("counts a concept practised when the player made its declared action from a seat of its role", () => {
    const { s } = game();
    s.request("a", "scheduler", NOPE);
    s.swapSeat("a", "scheduler", "controller-manager");
    s.request("a", "controller-manager", { type: "createPod", deployment: "web" });
    const teaches = {
      "scheduler-by-resources": { does: [{ seat: "scheduler", action: "bind" }], told: [] },
      "controller-recovers": { does: [{ seat: "controller-manager", action: "createPod" }], told: [] },
      // Declared for the kubelet: Ada's bind from the scheduler's seat does not count for it.
      "scheduler-then-kubelet": { does: [{ seat: "kubelet", action: "bind" }], told: [] },
    } as unknown as Scenario["teaches"];
    const r = studentReports(input(s, { scenario: { ...s.sim.scenario, teaches } }));
    expect(student(r, "Ada").concepts).to.deep.equal([
      { id: "controller-recovers", title: "The controller manager recovers", how: ["did"] },
      { id: "scheduler-by-resources", title: "Scheduling by resources", how: ["did"] },
    ]);
    expect(student(r, "Bo").concepts).to.deep.equal([]);
  });

  it("reports a spectator who answered, but not a player who held nothing and answered nothing", () => {
    const s = new GameSession({ mode: "workshop", scenario: "node-down", difficulty: "normal", seed: 1 });
    s.join("h", "Host", { host: true, now: 0 });
    const viewer = s.join("v", "Vi", { spectator: true, now: 0 }) as Player;
    s.join("i", "Idle", { now: 0 });
    const answers: AnswerRecord[] = [{ player: viewer.key, question: "q1", kind: "checkpoint", choice: 0, correct: false, atMs: 0 }];
    const r = studentReports(input(s, { answers }));
    expect(r.students.map((x) => x.nickname)).to.deep.equal(["Vi"]);
    expect(r.students[0].answers[0].text).to.equal("q1"); // a question the bank does not know is named by its id
    expect(r.students[0].vsBot.status).to.equal("pending");
  });

  it("a solo player, their game's host, has a report; a seat moved around in the lobby was never held", () => {
    const s = new GameSession({ mode: "solo", scenario: "first-pod", difficulty: "normal", seed: 1 });
    s.join("p", "Solo", { host: true, seat: "kubelet:node-1", now: 0 });
    s.swapSeat("p", "kubelet:node-1", "scheduler");
    s.start("p");
    play(s, 2);
    s.request("p", "scheduler", NOPE);
    const r = reportOf(s);
    expect(r.students.map((x) => [x.nickname, x.seats, x.actions.total, x.refusals.total])).to.deep.equal([
      ["Solo", [{ seat: "scheduler", fromMs: 0, toMs: null }], 1, 1],
    ]);
  });

  it("takes the reactions and summary from you-against-the-bot, by nickname", () => {
    const { s } = game();
    const ada: PlayerVsBot = {
      nickname: "Ada",
      seats: ["scheduler"],
      sharedWith: [],
      withYou: { won: true, availability: 0.9, score: 800 },
      withBot: { won: true, availability: 0.95, score: 850 },
      reactions: [{ seat: "scheduler", measure: "a pending pod waited to be bound", unit: "s", you: 4.2, bot: 1.1 }],
      incidents: [],
      moments: [],
      summary: "the bot would have made it 5 points better",
    };
    const vsBot: VsBotMessage = { status: "done", players: [ada] };
    const r = studentReports(input(s, { vsBot }));
    expect(student(r, "Ada").vsBot).to.deep.equal({ status: "done", summary: ada.summary, reactions: ada.reactions });
    expect(student(r, "Bo").vsBot.status).to.equal("none");
    expect(reportCsv(r)).to.contain("scheduler: 4.2 s, bot 1.1 s");
  });

  it("writes one CSV row a student, with text a spreadsheet would run made inert", () => {
    const s = new GameSession({ mode: "workshop", scenario: "node-down", difficulty: "normal", seed: 1 });
    s.join("h", "Host", { host: true, now: 0 });
    s.join("a", "=1+1", { now: 0 });
    s.join("b", "Bo, Jr", { now: 0 });
    s.takeSeat("a", "scheduler");
    s.takeSeat("b", "kubelet:node-2");
    const rows = parseCsv(reportCsv(reportOf(s)));
    expect(rows[0]).to.deep.equal([
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
    ]);
    expect(rows.slice(1).map((r) => r.slice(0, 4))).to.deep.equal([
      ["'=1+1", "scheduler 0:00-end", "0", "0"],
      ["Bo, Jr", "kubelet:node-2 0:00-end", "0", "0"],
    ]);
  });

  it("survives a save: a restored game reports the same", () => {
    const { s } = game();
    s.request("a", "scheduler", NOPE);
    s.swapSeat("a", "scheduler", "controller-manager");
    const restored = new GameSession(s.options, JSON.parse(JSON.stringify(s.snapshot())));
    // (A restored game waits paused for its players; the students are the same.)
    expect(reportOf(restored).students).to.deep.equal(reportOf(s).students);
    expect(reportOf(restored).students[0].seats).to.have.length(2);
  });

  it("stays bounded: a thousand refusals keep one example, a flapping connection one stretch", () => {
    const { s } = game();
    for (let i = 0; i < 1000; i++) {
      s.request("a", "scheduler", NOPE);
      s.disconnect("a");
      s.reconnect("a");
    }
    const ada = student(reportOf(s), "Ada");
    expect(ada.refusals.total).to.equal(1000);
    expect(ada.refusals.examples).to.have.length(1);
    expect(ada.refusals.examples[0].message.length).to.be.at.most(MAX_EXAMPLE_MESSAGE);
    expect(ada.seats).to.have.length(1);
    expect(JSON.stringify(ada).length).to.be.below(5_000);
  });
});
