import { expect } from "chai";
import { replay, Simulation } from "../../shared/sim/Simulation.ts";

describe("determinism", () => {
  it("the same scenario and seed give the same game, change for change", () => {
    const a = new Simulation({ scenario: "node-down", seed: 9 });
    const b = new Simulation({ scenario: "node-down", seed: 9 });
    a.run(900);
    b.run(900);
    expect(JSON.stringify(a.drainChanges())).to.equal(JSON.stringify(b.drainChanges()));
    expect(JSON.stringify(a.outcome())).to.equal(JSON.stringify(b.outcome()));
  });

  it("another seed gives another game", () => {
    const a = new Simulation({ scenario: "free-play", seed: 1 });
    const b = new Simulation({ scenario: "free-play", seed: 2 });
    a.run(600);
    b.run(600);
    expect(a.outcome().served).to.not.equal(b.outcome().served);
  });

  it("a game with human requests and chaos replays identically from its input log", () => {
    const opts = { scenario: "free-play", seed: 5 };
    const live = new Simulation(opts);
    const cm = live.tokenFor("controller-manager");
    live.setBot("controller-manager", false);
    live.run(100);
    live.inject({ type: "crashNode", node: "node-2", durationSec: 20 });
    live.run(150);
    live.request(cm, { type: "markNodeNotReady", node: "node-2" }, "ada");
    live.request(cm, { type: "evictNodePods", node: "node-2" }, "ada");
    live.run(50);
    for (const d of ["web", "api"]) for (let i = 0; i < 3; i++) live.request(cm, { type: "createPod", deployment: d }, "ada");
    live.setBot("controller-manager", true);
    live.run(300);
    const again = replay(opts, live.inputLog, live.tick);
    expect(JSON.stringify(again.outcome())).to.equal(JSON.stringify(live.outcome()));
    expect(JSON.stringify(again.state.allObjects())).to.equal(JSON.stringify(live.state.allObjects()));
  });
});
