import { readdirSync } from "node:fs";
import { expect } from "chai";
import {
  ANSWER_MS,
  answerQuestion,
  askQuestion,
  EXTEND_MS,
  extendQuestion,
  hostless,
  READ_ANSWER_MS,
  revealAnswer,
  secondsLeft,
  timeQuestion,
} from "../../server/game/asking.ts";
import { GameSession, type Player } from "../../server/game/GameSession.ts";
import { projectQuestion, seesTally, TALLY_KEY } from "../../server/room/teaching.ts";
import { ClusterRoomState } from "../../shared/protocol/state.ts";
import { currentScore } from "../../shared/sim/outcome.ts";
import { scenarioIds } from "../../shared/sim/scenarios/index.ts";
import { questionFileProblems, questionsOf, rawQuestionFiles } from "../../server/teaching/questions.ts";

type Options = ConstructorParameters<typeof GameSession>[0];
const join = (s: GameSession, id: string, nickname: string, extra: { host?: boolean; spectator?: boolean; seat?: string } = {}) =>
  s.join(id, nickname, { ...extra, now: 0 }) as Player;

/** A started workshop of node-down: host h, players a and b, spectator v, every seat a bot. */
function workshop(questions = true): GameSession {
  const s = new GameSession({ mode: "workshop", scenario: "node-down", difficulty: "normal", seed: 7, questions });
  join(s, "h", "Host", { host: true });
  join(s, "a", "Ada");
  join(s, "b", "Bob");
  join(s, "v", "Vi", { spectator: true });
  s.start("h");
  s.start("h");
  return s;
}

/** Advances in one-second steps until the game pauses or ends (at most `maxSec`). */
function runUntilStopped(s: GameSession, maxSec = 400): void {
  for (let i = 0; i < maxSec && s.phase === "running"; i++) s.advance(1000);
}

describe("question files", () => {
  const valid = () => structuredClone(questionsOf("node-down")) as unknown as Record<string, unknown> & ReturnType<typeof questionsOf>;

  it("every scenario has a valid question file named after it", () => {
    const files = rawQuestionFiles();
    const data = readdirSync(new URL("../../shared/sim/scenarios/data/", import.meta.url)).map((f) => f.replace(/\.json$/, ""));
    expect(data).to.include.members(scenarioIds());
    for (const id of data) {
      const raw = files.get(`${id}.json`);
      expect(raw, `${id} has no question file`).to.not.equal(undefined);
      expect(questionFileProblems(raw), id).to.deep.equal([]);
      const f = questionsOf(id);
      expect(f.exitCheck.length, id).to.be.within(3, 5);
      expect(f.checkpoints.length, id).to.be.greaterThan(0);
    }
  });

  it("each rule fails on a broken file", () => {
    expect(questionFileProblems(valid())).to.deep.equal([]);
    const broken: [string, (f: ReturnType<typeof valid>) => void, RegExp][] = [
      ["duplicate id", (f) => f.questions.push({ ...f.questions[0] }), /used twice/],
      ["answer out of range", (f) => (f.questions[0].answer = f.questions[0].options.length), /is not one of its/],
      ["unknown checkpoint question", (f) => (f.checkpoints[0].question = "nd-nothing"), /not in the file/],
      ["exit check too short", (f) => (f.exitCheck = f.exitCheck.slice(0, 2)), /needs 3 to 5/],
      ["exit check too long", (f) => (f.exitCheck = [...f.exitCheck, "nd-who-notices", "nd-after-notready"]), /needs 3 to 5/],
      ["exit check names a missing question", (f) => (f.exitCheck[0] = "nd-nothing"), /not in the file/],
      ["unknown concept", (f) => (f.questions[0].concepts = ["teleportation"]), /unknown concept teleportation/],
      ["one option", (f) => (f.questions[0].options = ["only"]), /options/],
      ["a moment of no kind", (f) => (f.checkpoints[0].at = {} as never), /at/],
    ];
    for (const [what, breakIt, problem] of broken) {
      const f = valid();
      breakIt(f);
      expect(questionFileProblems(f).join("; "), what).to.match(problem);
    }
  });
});

describe("checkpoints in a game", () => {
  it("pause the game at their moment; the clock stops until the host reveals and resumes", () => {
    const s = workshop();
    runUntilStopped(s);
    expect(s.phase).to.equal("paused");
    expect(s.quiz.open?.checkpoint).to.equal("nd-cp-power");
    const at = s.sim.now;
    expect(at).to.be.within(45_000, 46_000);
    s.advance(1000);
    expect(s.sim.now).to.equal(at);
    expect(answerQuestion(s, "a", "nd-who-notices", 2).ok).to.equal(true);
    expect(answerQuestion(s, "b", "nd-who-notices", 0).ok).to.equal(true);
    expect(s.resume("h").code).to.equal(409);
    expect(revealAnswer(s, "h").ok).to.equal(true);
    expect(s.resume("h").ok).to.equal(true);
    expect(s.phase).to.equal("running");
    s.advance(1000);
    expect(s.sim.now).to.be.greaterThan(at);
    const [ada, bob] = s.answers();
    expect(ada).to.include({ question: "nd-who-notices", kind: "checkpoint", choice: 2, correct: true, atMs: at });
    expect(bob).to.include({ choice: 0, correct: false });
    expect(ada.player).to.equal(s.players.get("a")!.key);
  });

  it("refuses, in words, answering twice, after the reveal, out of range, as host or spectator, and a non-host's reveal or question", () => {
    const s = workshop();
    runUntilStopped(s);
    const q = "nd-who-notices";
    expect(answerQuestion(s, "a", q, 9)).to.include({ code: 400 });
    expect(answerQuestion(s, "a", "nd-heartbeat", 1).message).to.match(/no longer asked/);
    expect(answerQuestion(s, "h", q, 1)).to.include({ code: 403 });
    expect(answerQuestion(s, "v", q, 1).message).to.match(/spectators/);
    expect(answerQuestion(s, "a", q, 1).ok).to.equal(true);
    expect(answerQuestion(s, "a", q, 2).message).to.match(/already answered/);
    expect(revealAnswer(s, "a")).to.include({ code: 403 });
    expect(askQuestion(s, "a", "nd-heartbeat")).to.include({ code: 403 });
    expect(revealAnswer(s, "h").ok).to.equal(true);
    expect(revealAnswer(s, "h").code).to.equal(409);
    expect(answerQuestion(s, "b", q, 1).message).to.match(/revealed/);
    expect(s.answers()).to.have.length(1);
  });

  it("the host asks any question of the bank at any moment, which pauses the game", () => {
    const s = workshop(false);
    s.advance(1000);
    expect(askQuestion(s, "h", "nd-nothing").code).to.equal(404);
    expect(askQuestion(s, "h", "nd-heartbeat").ok).to.equal(true);
    expect(s.phase).to.equal("paused");
    expect(askQuestion(s, "h", "nd-traffic").code).to.equal(409);
    expect(answerQuestion(s, "a", "nd-heartbeat", 1).ok).to.equal(true);
    revealAnswer(s, "h");
    expect(s.resume("h").ok).to.equal(true);
    expect(s.phase).to.equal("running");
  });

  it("the same seed and inputs give the same game with and without the checkpoints' pauses", () => {
    const paused = workshop(true);
    let stops = 0;
    while (paused.phase !== "debrief") {
      runUntilStopped(paused);
      if (paused.phase !== "paused") break;
      stops++;
      answerQuestion(paused, "a", paused.quiz.open!.question, 0);
      revealAnswer(paused, "h");
      paused.resume("h");
    }
    const plain = workshop(false);
    runUntilStopped(plain);
    expect(stops).to.equal(2);
    expect(plain.phase).to.equal("debrief");
    expect(paused.sim.now).to.equal(plain.sim.now);
    expect(paused.sim.state.revision).to.equal(plain.sim.state.revision);
    expect(paused.sim.score.totals).to.deep.equal(plain.sim.score.totals);
    expect(currentScore(paused.sim)).to.equal(currentScore(plain.sim));
  });

  it("a restart keeps the open question, its answers and every answer given", () => {
    const s = workshop();
    runUntilStopped(s);
    answerQuestion(s, "a", "nd-who-notices", 1);
    const back = new GameSession(s.options, JSON.parse(JSON.stringify(s.snapshot())));
    expect(back.phase).to.equal("paused");
    expect(back.quiz.open).to.deep.equal(s.quiz.open);
    expect(back.answers()).to.deep.equal(s.answers());
    expect(back.resume("h").code).to.not.equal(200);
  });

  it("the state never holds the right answer before the reveal, and the counts are the host's until then", () => {
    const s = workshop();
    runUntilStopped(s);
    answerQuestion(s, "a", "nd-who-notices", 2);
    const state = new ClusterRoomState();
    projectQuestion(state, s);
    const q = questionsOf("node-down").questions.find((x) => x.id === "nd-who-notices")!;
    const json = JSON.stringify(state.toJSON());
    expect(state.question.answer).to.equal(-1);
    expect(json).to.not.include(q.explain);
    expect(state.question.answered.toArray()).to.deep.equal(["a"]);
    expect(state.question.answerers).to.equal(2);
    expect(seesTally(state, s, "a")).to.equal(false);
    expect(seesTally(state, s, "h")).to.equal(true);
    expect(state.tally.get(TALLY_KEY)!.counts.toArray()).to.deep.equal([0, 0, 1, 0]);
    revealAnswer(s, "h");
    projectQuestion(state, s);
    expect(state.question.answer).to.equal(q.answer);
    expect(state.question.explain).to.equal(q.explain);
    expect(seesTally(state, s, "a")).to.equal(true);
  });

  it("a workshop's question reveals itself when the time to answer is up, which the host can extend", () => {
    const s = workshop();
    runUntilStopped(s);
    timeQuestion(s, 0);
    expect(secondsLeft(s, 0)).to.equal(ANSWER_MS / 1000);
    expect(extendQuestion(s, "a").code).to.equal(403);
    expect(extendQuestion(s, "h").ok).to.equal(true);
    timeQuestion(s, ANSWER_MS);
    expect(s.quiz.open?.revealed).to.equal(false);
    timeQuestion(s, ANSWER_MS + EXTEND_MS);
    expect(s.quiz.open?.revealed).to.equal(true);
    expect(answerQuestion(s, "a", "nd-who-notices", 2).message).to.match(/revealed/);
    expect(extendQuestion(s, "h").code).to.equal(409);
    expect(s.resume("h").ok).to.equal(true);
  });

  it("a class's team runs its questions without a host: the answer shows once everyone has answered, and the game goes on by itself", () => {
    const s = workshop();
    hostless.add(s);
    runUntilStopped(s);
    const q = s.quiz.open!.question;
    expect(answerQuestion(s, "a", q, 1).ok).to.equal(true);
    expect(s.quiz.open?.revealed, "one of two players answered").to.equal(false);
    expect(answerQuestion(s, "b", q, 2).ok).to.equal(true);
    expect(s.quiz.open?.revealed, "both answered").to.equal(true);
    timeQuestion(s, 0);
    timeQuestion(s, READ_ANSWER_MS - 1);
    expect(s.phase, "still reading the answer").to.equal("paused");
    expect(timeQuestion(s, READ_ANSWER_MS)).to.equal(true);
    expect(s.phase).to.equal("running");
    // An ordinary workshop waits for its host instead.
    const w = workshop();
    runUntilStopped(w);
    answerQuestion(w, "a", w.quiz.open!.question, 1);
    answerQuestion(w, "b", w.quiz.open!.question, 1);
    expect(w.quiz.open?.revealed).to.equal(false);
  });

  it("a class's team that no student plays in does not stop for its questions: nobody is there to answer", () => {
    const s = new GameSession({ mode: "workshop", scenario: "node-down", difficulty: "normal", seed: 7, questions: true });
    hostless.add(s);
    join(s, "h", "Host", { host: true }); // the class's host, watching the team
    join(s, "v", "Vi", { spectator: true });
    s.start("h");
    s.start("h");
    runUntilStopped(s);
    expect(s.phase, "a checkpoint").to.equal("paused");
    const q = s.quiz.open!.question;
    expect(timeQuestion(s, 0)).to.equal(true);
    expect(s.phase, "going on at once").to.equal("running");
    expect(s.quiz.open?.revealed ?? true).to.equal(true);
    // A team with a student, even one whose connection dropped, still waits for them (or the time).
    const t = workshop();
    hostless.add(t);
    runUntilStopped(t);
    t.disconnect("a");
    t.disconnect("b");
    timeQuestion(t, 0);
    expect(t.phase, `${q}: waiting for its students`).to.equal("paused");
  });

  it("the exit check takes each player's answers at the debrief, once each", () => {
    const s = workshop(false);
    s.end("h");
    const [first] = questionsOf("node-down").exitCheck;
    expect(answerQuestion(s, "a", first, 0).ok).to.equal(true);
    expect(answerQuestion(s, "a", first, 0).code).to.equal(409);
    expect(answerQuestion(s, "a", "nd-who-notices", 1).code).to.equal(404);
    expect(answerQuestion(s, "b", first, 1).ok).to.equal(true);
    expect(s.answers().map((a) => [a.kind, a.correct])).to.deep.equal([
      ["exit", true],
      ["exit", false],
    ]);
  });
});

describe("the guided first-pod tour", () => {
  it("stops at the controller manager's pod, and goes on to the next hand-off once the scheduler has bound it", () => {
    const o: Options = { mode: "solo", scenario: "first-pod", difficulty: "normal", seed: 3, questions: true };
    const s = new GameSession(o);
    join(s, "p", "You", { host: true, seat: "scheduler" });
    s.start("p");
    runUntilStopped(s, 30);
    expect(s.quiz.open?.checkpoint).to.equal("fp-cp-created");
    expect(s.quiz.step()).to.equal(undefined);
    expect(s.resume("p").message).to.match(/answer the question first/);
    expect(answerQuestion(s, "p", "fp-after-create", 0).ok).to.equal(true);
    expect(s.quiz.open?.revealed).to.equal(true);
    expect(s.resume("p").ok).to.equal(true);
    expect(s.quiz.step()).to.include({ who: "the scheduler" });
    // Nothing is bound while the scheduler's seat is idle: the tour waits on this step.
    for (let i = 0; i < 5; i++) s.advance(1000);
    expect(s.phase).to.equal("running");
    const pod = [...s.sim.state.pods.values()].find((p) => p.status.phase === "Pending")!;
    expect(s.request("p", "scheduler", { type: "bind", pod: pod.metadata.name, node: "node-1" }).ok).to.equal(true);
    runUntilStopped(s, 5);
    expect(s.quiz.open?.checkpoint).to.equal("fp-cp-bound");
    answerQuestion(s, "p", "fp-after-bind", 1);
    s.resume("p");
    expect(s.quiz.step()).to.include({ who: "the kubelet of that worker" });
  });
});
