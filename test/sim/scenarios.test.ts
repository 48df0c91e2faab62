import { expect } from "chai";
import { listScenarios, scenarioIds } from "../../shared/sim/scenarios/index.ts";
import { Simulation } from "../../shared/sim/Simulation.ts";
import { isThrashing } from "../../shared/sim/world/Machine.ts";

function play(scenario: string, seed: number, botsOff: string[] = []) {
  const sim = new Simulation({ scenario, seed, botsOff });
  sim.run();
  return { sim, outcome: sim.outcome() };
}

describe("scenarios", () => {
  it("the catalogue holds the seven scenarios of the design, first-pod first", () => {
    expect(scenarioIds().slice(0, 7)).to.deep.equal([
      "first-pod",
      "node-down",
      "traffic-spike",
      "noisy-neighbour",
      "control-plane-ha",
      "scale-out",
      "free-play",
    ]);
  });

  it("first-pod is the seed's example cluster: 2 control-plane nodes and 3 workers", () => {
    const sim = new Simulation({ scenario: "first-pod", seed: 1 });
    expect(sim.world.controlPlane().map((m) => m.name)).to.deep.equal(["cp-1", "cp-2"]);
    expect(sim.world.workers().map((m) => m.name)).to.deep.equal(["node-1", "node-2", "node-3"]);
    expect(sim.world.controlPlane()[0].capacity.cpu).to.be.below(sim.world.workers()[0].capacity.cpu);
  });

  it("every scenario has an intro, a debrief, a hint per role and a win condition", () => {
    for (const s of listScenarios()) {
      expect(s.intro.length, s.id).to.be.greaterThan(100);
      expect(s.debrief.length, s.id).to.be.greaterThan(100);
      expect(Object.keys(s.hints)).to.have.members(["scheduler", "controller-manager", "kubelet", "kube-proxy"]);
      expect(s.win.minAvailability).to.be.within(0, 1);
    }
  });

  describe("played by normal bots, every scenario is won", () => {
    for (const id of scenarioIds().filter((s) => s !== "large-cluster")) {
      for (const seed of [1, 2, 3]) {
        it(`${id} (seed ${seed})`, () => {
          const { outcome } = play(id, seed);
          expect(outcome.won, outcome.verdict).to.equal(true);
        });
      }
    }
    it("large-cluster (seed 1)", function () {
      this.timeout(60_000);
      const { outcome } = play("large-cluster", 1);
      expect(outcome.won, outcome.verdict).to.equal(true);
    });
  });

  describe("with one role's bot switched off, the cluster degrades as Kubernetes would", () => {
    it("no scheduler: pods stay Pending and nothing serves", () => {
      const { sim, outcome } = play("first-pod", 1, ["scheduler"]);
      expect(outcome.won).to.equal(false);
      const phases = [...sim.state.pods.values()].map((p) => p.status.phase);
      expect(phases).to.deep.equal(["Pending", "Pending", "Pending"]);
      expect(outcome.served).to.equal(0);
    });

    it("no scheduler in node-down: the evicted pods' replacements stay Pending", () => {
      const { sim, outcome } = play("node-down", 1, ["scheduler"]);
      expect(outcome.won).to.equal(false);
      expect([...sim.state.pods.values()].filter((p) => p.status.phase === "Pending")).to.have.length(3);
    });

    it("no controller manager: the lost node is never marked NotReady and its pods are never replaced", () => {
      const { sim, outcome } = play("node-down", 1, ["controller-manager"]);
      expect(outcome.won).to.equal(false);
      expect(outcome.verdict).to.match(/not every replica is serving/);
      expect(sim.state.nodes.get("node-2")!.status.ready).to.equal("True");
      expect(outcome.seats.controllerManager.podsCreated).to.equal(0);
    });

    it("no controller manager: a killed pod is not replaced", () => {
      const sim = new Simulation({ scenario: "free-play", seed: 1, botsOff: ["controller-manager"] });
      sim.inject({ type: "killPod", deployment: "web" });
      sim.run(600);
      expect(sim.outcome().replicas.web).to.deep.equal({ desired: 4, serving: 3 });
    });

    it("kube-proxy rules left stale: requests are dropped on rules that point at a dead pod", () => {
      const killLonePod = (botsOff: string[]) => {
        const sim = new Simulation({ scenario: "free-play", seed: 1, botsOff });
        // A web pod alone on its node: that node's local-first rules point only at it.
        const lone = sim.world
          .workers()
          .map((m) => sim.state.podsOnNode(m.name).filter((p) => p.metadata.labels?.app === "web"))
          .find((pods) => pods.length === 1)!;
        sim.inject({ type: "killPod", pod: lone[0].metadata.name });
        sim.run(1200);
        return sim.outcome();
      };
      const healthy = killLonePod([]);
      const stale = killLonePod(["kube-proxy"]);
      expect(stale.dropsByCause["stale-rule"]).to.be.greaterThan(500);
      expect(stale.dropsByCause["stale-rule"]).to.be.greaterThan(20 * Math.max(1, healthy.dropsByCause["stale-rule"]));
      expect(stale.availability).to.be.below(healthy.availability);
    });

    it("no kubelet in noisy-neighbour: the leaking nodes starve (their web pods serve a quarter) until the OOM killer strikes", () => {
      const sim = new Simulation({ scenario: "noisy-neighbour", seed: 1, botsOff: ["kubelet"] });
      let starving = 0;
      for (let t = 0; t < 1800; t++) {
        sim.step();
        if (sim.world.workers().some((m) => isThrashing(m))) starving++;
      }
      expect(starving, "ticks with a starving node").to.be.greaterThan(400);
      expect(sim.outcome().timedOut).to.be.greaterThan(1000);
      sim.run();
      expect(sim.outcome().oomKills).to.be.greaterThan(0);
    });

    it("with the kubelet, noisy-neighbour's batch pods are evicted before any node starves", () => {
      const sim = new Simulation({ scenario: "noisy-neighbour", seed: 1 });
      for (let t = 0; t < sim.durationTicks; t++) {
        sim.step();
        expect(
          sim.world.workers().some((m) => isThrashing(m)),
          `t=${sim.now}`,
        ).to.equal(false);
      }
      expect(sim.outcome().seats.kubelets["node-1"].evicted + sim.outcome().seats.kubelets["node-2"].evicted).to.be.greaterThan(0);
    });

    it("no kubelets: bound pods are never started", () => {
      const { sim, outcome } = play("first-pod", 1, ["kubelet"]);
      expect(outcome.won).to.equal(false);
      expect([...sim.state.pods.values()].every((p) => p.status.phase === "Scheduled")).to.equal(true);
    });
  });

  describe("difficulty", () => {
    it("slower bots on hard recover from a node loss more slowly than on easy", () => {
      const recovery = (difficulty: "easy" | "hard") => {
        const sim = new Simulation({ scenario: "node-down", seed: 1, difficulty });
        sim.run();
        const i = sim.outcome().incidents[0];
        return i.recoveredAt! - i.at;
      };
      expect(recovery("hard")).to.be.greaterThan(recovery("easy"));
    });
  });
});
