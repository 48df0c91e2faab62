import { expect } from "chai";
import { replay } from "../../shared/sim/replay.ts";
import { Simulation } from "../../shared/sim/Simulation.ts";

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
    // Traffic enters through other nodes, so kube-proxy's figures differ.
    expect(JSON.stringify(a.outcome().seats.kubeProxies)).to.not.equal(JSON.stringify(b.outcome().seats.kubeProxies));
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

describe("saving and resuming a game", () => {
  for (const scenario of ["node-down", "control-plane-ha", "noisy-neighbour"]) {
    it(`${scenario}: a game resumed from a JSON snapshot keeps the same cluster as the uninterrupted one`, () => {
      const opts = { scenario, seed: 3 };
      const whole = new Simulation(opts);
      const first = new Simulation(opts);
      first.inject({ type: "crashContainer", deployment: "web" });
      whole.inject({ type: "crashContainer", deployment: "web" });
      first.run(500);
      const saved = JSON.parse(JSON.stringify(first.snapshot()));
      const inFlight = first.traffic.inFlightCount;
      const resumed = Simulation.restore(saved);
      expect(resumed.tick).to.equal(500);
      whole.run();
      resumed.run();
      expect(JSON.stringify(resumed.state.allObjects())).to.equal(JSON.stringify(whole.state.allObjects()));
      expect(resumed.state.revision).to.equal(whole.state.revision);
      const a = resumed.outcome();
      const b = whole.outcome();
      // Only the requests in flight at the save are lost: nothing else differs.
      const ended = (o: typeof a) => o.served + o.dropped + o.timedOut;
      expect(ended(b) - ended(a)).to.be.within(0, inFlight);
      expect(a.won).to.equal(b.won);
      expect(a.incidents.length).to.equal(b.incidents.length);
    });
  }

  it("refuses a snapshot of another format with a clear error", () => {
    const saved = { ...new Simulation({ scenario: "first-pod", seed: 1 }).snapshot(), version: 99 };
    expect(() => Simulation.restore(saved)).to.throw(/format 99/);
  });
});
