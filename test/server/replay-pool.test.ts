/**
 * The replay workers: their settings from the environment (a bad value is named), a game whose
 * replays outlive the deadline is cut short with a reason, an incomplete game is refused without
 * a worker, and a normal job comes back from the threads with every player's result; and whose
 * requests a player's replay leaves out.
 */
import { expect } from "chai";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { planVersusBot, type SavedGame } from "../../shared/sim/counterfactual/versusBot.ts";
import { GameSession } from "../../server/game/GameSession.ts";
import { playersOf, savedGameOf } from "../../server/replays/DebriefReplays.ts";
import { Simulation } from "../../shared/sim/Simulation.ts";
import { DEFAULT_REPLAY_DEADLINE_MS, DEFAULT_REPLAY_WORKERS, REPLAY_NICE, ReplayPool, replayOptionsFromEnv } from "../../server/replays/ReplayPool.ts";

/** node-down with a human controller manager who creates one pod early. */
function smallGame(ticks = 600): SavedGame {
  const sim = new Simulation({ scenario: "node-down", seed: 5 });
  sim.setBot("controller-manager", false);
  sim.run(20);
  sim.request(sim.tokenFor("controller-manager"), { type: "createPod", deployment: "web" }, "Ada");
  sim.run(ticks - 20);
  return { options: { scenario: "node-down", seed: 5 }, inputLog: sim.inputLog, inputsDropped: 0, ticks: sim.tick };
}

describe("the replay workers", function () {
  this.timeout(60_000);

  const cases: [Record<string, string>, string | { workers: number; deadlineMs: number }][] = [
    [{}, { workers: DEFAULT_REPLAY_WORKERS, deadlineMs: DEFAULT_REPLAY_DEADLINE_MS }],
    [
      { REPLAY_WORKERS: "3", REPLAY_DEADLINE_MS: "5000" },
      { workers: 3, deadlineMs: 5000 },
    ],
    [{ REPLAY_WORKERS: "0" }, 'REPLAY_WORKERS must be a whole number of at least 1, not "0"'],
    [{ REPLAY_DEADLINE_MS: "soon" }, 'REPLAY_DEADLINE_MS must be a whole number of at least 1, not "soon"'],
  ];
  for (const [env, expected] of cases) {
    it(`reads ${JSON.stringify(env)} as ${typeof expected === "string" ? "an error" : JSON.stringify(expected)}`, () => {
      if (typeof expected === "string") expect(() => replayOptionsFromEnv(env)).to.throw(expected);
      else expect(replayOptionsFromEnv(env)).to.deep.equal(expected);
    });
  }

  it("replays a game in its threads and returns every player's result", async () => {
    const pool = new ReplayPool({ workers: 2, deadlineMs: 30_000 });
    try {
      const run = await pool.run(smallGame(), [
        { nickname: "Ada", seats: ["controller-manager"] },
        { nickname: "Bo", seats: [] },
      ]);
      if (!run.report.ok) throw new Error(run.report.message);
      expect(run.tasks).to.equal(2);
      expect(run.report.players.map((p) => p.nickname)).to.deep.equal(["Ada", "Bo"]);
      expect(run.report.players[0].seats).to.deep.equal(["controller-manager"]);
      expect(run.report.players[1].summary).to.match(/^You held no seat/);
    } finally {
      await pool.close();
    }
  });

  it("runs its threads at the lowest CPU priority, the event loop's left as it was (Linux: a thread's own nice)", async function () {
    if (!existsSync("/proc/self/task")) this.skip();
    const niceOf = (tid: string) => Number(readFileSync(`/proc/self/task/${tid}/stat`, "utf8").split(") ")[1].split(" ")[16]);
    const niced = () => readdirSync("/proc/self/task").filter((tid) => niceOf(tid) === REPLAY_NICE).length;
    const before = niced();
    const loop = niceOf(String(process.pid));
    const pool = new ReplayPool({ workers: 2, deadlineMs: 30_000 });
    try {
      const run = await pool.run(smallGame(), [{ nickname: "Ada", seats: ["controller-manager"] }]);
      expect(run.report.ok).to.equal(true);
      expect(niced() - before, "both replay threads at nice 19").to.be.at.least(2);
      expect(niceOf(String(process.pid)), "the main thread's priority untouched").to.equal(loop);
    } finally {
      await pool.close();
    }
  });

  it("cuts replays short at the deadline and says so", async () => {
    const pool = new ReplayPool({ workers: 1, deadlineMs: 50 });
    try {
      const run = await pool.run(smallGame(), [{ nickname: "Ada", seats: ["controller-manager"] }]);
      expect(run.report).to.deep.equal({ ok: false, message: "the replays did not finish within 0.05 s" });
    } finally {
      await pool.close();
    }
  });

  it("refuses a game whose input log is incomplete, without starting a thread", async () => {
    const pool = new ReplayPool({ workers: 1, deadlineMs: 1000 });
    const run = await pool.run({ ...smallGame(50), inputsDropped: 3 }, [{ nickname: "Ada", seats: [] }]);
    expect(run.report.ok).to.equal(false);
    if (!run.report.ok) expect(run.report.message).to.match(/cannot be replayed: its input log is incomplete/);
    expect(run.tasks).to.equal(0);
    await pool.close();
  });
});

describe("whose requests the replays leave out", () => {
  it("a player's requests from the game and through kubectl are theirs; the host's chaos stays in every replay", () => {
    const session = new GameSession({ mode: "workshop", scenario: "node-down", difficulty: "normal", seed: 1 });
    session.join("h", "Teacher", { host: true, now: 0 });
    session.join("a", "Ada", { now: 0 });
    session.takeSeat("a", "controller-manager");
    session.start("h");
    session.start("h");
    session.advance(1_000);
    session.request("a", "controller-manager", { type: "createPod", deployment: "web" });
    session.apiRequest(session.apiTokenOf("a")!, { type: "createPod", deployment: "api" });
    session.chaos("h", { type: "crashNode", node: "node-2" });
    // Bo plays a while and leaves: the host still sees how Bo did against the bot.
    session.join("b", "Bo", { now: 0 });
    session.takeSeat("b", "kube-proxy:node-1");
    session.request("b", "kube-proxy:node-1", { type: "syncRules", node: "node-1", service: "web", mode: "spread" });
    session.remove("b");
    session.advance(1_000);
    expect(playersOf(session)).to.deep.equal([
      { nickname: "Ada", seats: ["controller-manager"] },
      { nickname: "Bo", seats: [] },
    ]);
    const game = savedGameOf(session.sim);
    const plan = planVersusBot(game, playersOf(session));
    const ada = plan.variants[plan.variantOf[playersOf(session).findIndex((p) => p.nickname === "Ada")]];
    const removed = ada.removed.map((i) => game.inputLog[i]);
    expect(removed.filter((r) => r.kind === "request").map((r) => (r.kind === "request" ? r.actor : ""))).to.deep.equal(["Ada", "Ada (kubectl)"]);
    expect(removed.some((r) => r.kind === "failure")).to.equal(false);
    expect(ada.seats).to.deep.equal(["controller-manager"]);
  });
});
