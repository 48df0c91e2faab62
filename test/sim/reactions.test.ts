/**
 * A seat's reaction against the bot's (shared/sim/counterfactual/reactions.ts): each role reads
 * its own figure of the two games, and a figure that never happened is null, not 0.
 */
import { expect } from "chai";
import { seatReactions } from "../../shared/sim/counterfactual/reactions.ts";
import type { SeatFigures } from "../../shared/sim/scoring/Scoreboard.ts";

function figures(wait: number, replace: number, start: number, stale: number, bindings = 3): SeatFigures {
  return {
    scheduler: { bindings, meanWaitSec: wait, maxWaitSec: wait, rejectedBindings: 0 },
    controllerManager: { podsCreated: 2, replacements: 2, meanReplaceSec: replace, maxReplaceSec: replace },
    kubelets: { "node-1": { started: 2, meanStartSec: start, oomKills: 0, rejected: 0, evicted: 0 } },
    kubeProxies: { "node-1": { forwarded: 10, localShare: 0.5, staleDrops: stale } },
  };
}

describe("seat reactions against the bot", () => {
  it("reads each role's own figure from the two games", () => {
    const seats = ["scheduler", "controller-manager", "kubelet:node-1", "kube-proxy:node-1"];
    const r = seatReactions(seats, figures(4.5, 9, 2.5, 7), figures(1.2, 6, 2, 0));
    expect(r.map((x) => [x.seat, x.unit, x.you, x.bot])).to.deep.equal([
      ["scheduler", "s", 4.5, 1.2],
      ["controller-manager", "s", 9, 6],
      ["kubelet:node-1", "s", 2.5, 2],
      ["kube-proxy:node-1", "requests", 7, 0],
    ]);
    expect(r[0].measure).to.equal("a pending pod waited to be bound");
  });

  it("a side where nothing happened is null, and a seat of a node that is gone has nothing to compare", () => {
    const [sched] = seatReactions(["scheduler"], figures(0, 0, 0, 0, 0), figures(1, 0, 0, 0));
    expect([sched.you, sched.bot]).to.deep.equal([null, 1]);
    const [kubelet] = seatReactions(["kubelet:node-9"], figures(1, 1, 1, 1), figures(1, 1, 1, 1));
    expect([kubelet.you, kubelet.bot]).to.deep.equal([null, null]);
  });
});
