/**
 * "You against the bot": a finished game replayed with the bot in a player's seats. A player who
 * plays exactly like the bot makes no difference; one who binds to a worse node sees that moment
 * with both scores; another seat's needless action is named as one the bot would not take;
 * players who shared a seat share one replay; a game whose input log is incomplete is refused
 * with a reason.
 */
import { expect } from "chai";
import type { ApiRequest } from "../../shared/sim/api/requests.ts";
import { REACTION_MS } from "../../shared/sim/bots/Bot.ts";
import { createBot } from "../../shared/sim/bots/BotCrew.ts";
import { nodeSummaries } from "../../shared/sim/bots/nodeSummaries.ts";
import { evaluateNodes, pickNode } from "../../shared/sim/bots/scheduling.ts";
import { planVersusBot, versusBot, type SavedGame } from "../../shared/sim/counterfactual/versusBot.ts";
import { Simulation } from "../../shared/sim/Simulation.ts";

const OPTIONS = { scenario: "node-down", seed: 42 } as const;

/**
 * A human scheduler driven by the bot's own logic between ticks, as a player's client would send
 * it (several nicknames take turns: a shared seat); `choose` may change the node of a binding.
 */
function playScheduler(nicknames: string | string[], choose: (r: Extract<ApiRequest, { type: "bind" }>, sim: Simulation) => string = (r) => r.node): SavedGame {
  const sim = new Simulation(OPTIONS);
  sim.setBot("scheduler", false);
  const token = sim.tokenFor("scheduler");
  const brain = createBot("scheduler", REACTION_MS[sim.difficulty]);
  const names = [nicknames].flat();
  let turn = 0;
  while (!sim.isOver()) {
    brain.tick({
      state: sim.state,
      world: sim.world,
      now: sim.now,
      call: (r) => sim.request(token, r.type === "bind" ? { ...r, node: choose(r, sim) } : r, names[turn++ % names.length]),
    });
    sim.step();
  }
  return { options: OPTIONS, inputLog: sim.inputLog, inputsDropped: sim.inputsDropped, ticks: sim.tick };
}

/** The fitting node with the lowest score (not the default pick), if there is one. */
function worstFit(r: Extract<ApiRequest, { type: "bind" }>, sim: Simulation): string {
  const pod = sim.state.pods.get(r.pod)!;
  const verdicts = evaluateNodes(nodeSummaries(sim.state, pod), pod.spec.requests).filter((v) => v.fits);
  const pick = pickNode(verdicts);
  const worse = verdicts.filter((v) => v.node !== pick).sort((a, b) => a.score - b.score)[0];
  return worse?.node ?? r.node;
}

describe("you against the bot", function () {
  this.timeout(120_000);

  it("a player who plays exactly like the bot makes no difference, and no moment differs", () => {
    const game = playScheduler("Ada");
    expect(game.inputLog.some((r) => r.kind === "request")).to.equal(true, "the player bound pods");
    const report = versusBot(game, [{ nickname: "Ada", seats: ["scheduler"] }]);
    if (!report.ok) throw new Error(report.message);
    const [ada] = report.players;
    expect(ada.seats).to.deep.equal(["scheduler"]);
    expect(ada.moments).to.deep.equal([]);
    expect(ada.withBot).to.deep.equal(ada.withYou);
    expect(ada.incidents.length).to.be.above(0);
    for (const i of ada.incidents) expect(i.withBotSec).to.equal(i.withYouSec);
    expect(ada.summary).to.include("you made no difference");
    // The same bindings, each a tick apart at most (a player's request lands between ticks): the pods waited about as long.
    expect(ada.reactions).to.have.length(1);
    expect(ada.reactions[0]).to.include({ seat: "scheduler", unit: "s" });
    expect(ada.reactions[0].you).to.be.closeTo(ada.reactions[0].bot!, 0.15);
  });

  it("a player who binds to a worse node sees that moment, with the bot's pick and both scores", () => {
    const game = playScheduler("Ada", worstFit);
    const report = versusBot(game, [{ nickname: "Ada", seats: ["scheduler"] }]);
    if (!report.ok) throw new Error(report.message);
    const [ada] = report.players;
    expect(ada.moments.length).to.be.within(1, 5);
    expect(ada.moments[0].seat).to.equal("scheduler");
    for (const m of ada.moments)
      expect(m.text).to.match(
        /^you bound \S+ to node-\d+; the bot would have picked node-\d+(, score \d+ against \d+|: the same score, \d+, and a tie goes to the first name)$/,
      );
    expect(ada.moments.some((m) => / score \d+ against \d+$/.test(m.text))).to.equal(true, "a moment with both scores");
    // The replay really had the bot bind instead: the two games differ.
    expect(ada.withBot.availability).to.not.equal(ada.withYou.availability);
  });

  it("players who held the same seat together share one replay; a player with no seat needs none", () => {
    const game = playScheduler(["Ada", "Bob"]);
    const plan = planVersusBot(game, [
      { nickname: "Ada", seats: ["scheduler"] },
      { nickname: "Bob", seats: ["scheduler"] },
      { nickname: "Cy", seats: [] },
    ]);
    expect(plan.variants).to.have.length(1);
    expect(plan.variantOf).to.deep.equal([0, 0, -1]);
    const report = versusBot(game, [
      { nickname: "Ada", seats: ["scheduler"] },
      { nickname: "Bob", seats: ["scheduler"] },
    ]);
    if (!report.ok) throw new Error(report.message);
    expect(report.players.map((p) => [p.nickname, p.sharedWith])).to.deep.equal([
      ["Ada", ["Bob"]],
      ["Bob", ["Ada"]],
    ]);
  });

  it("refuses a game whose input log is incomplete, and says why", () => {
    const game: SavedGame = { options: OPTIONS, inputLog: [], inputsDropped: 12, ticks: 100 };
    const report = versusBot(game, [{ nickname: "Ada", seats: ["scheduler"] }]);
    expect(report.ok).to.equal(false);
    if (!report.ok) expect(report.message).to.match(/cannot be replayed: its input log is incomplete .* 12 inputs came after/);
  });
});

describe("you against the bot, beyond the scheduler", () => {
  it("a kube-proxy who re-syncs rules that were in sync sees that the bot would not have", () => {
    const sim = new Simulation(OPTIONS);
    sim.setBot("kube-proxy:node-1", false);
    sim.run(20);
    const sync = { type: "syncRules", node: "node-1", service: "web", mode: "spread" };
    expect(sim.request(sim.tokenFor("kube-proxy:node-1"), sync, "Ada").ok).to.equal(true);
    sim.run(200);
    const report = versusBot({ options: OPTIONS, inputLog: sim.inputLog, inputsDropped: 0, ticks: sim.tick }, [
      { nickname: "Ada", seats: ["kube-proxy:node-1"] },
    ]);
    if (!report.ok) throw new Error(report.message);
    expect(report.players[0].moments).to.deep.equal([
      {
        at: 2_000,
        seat: "kube-proxy:node-1",
        text: "you synced web's rules on node-1 as spread; the bot would not have done that: nothing it watches called for it",
      },
    ]);
  });
});
