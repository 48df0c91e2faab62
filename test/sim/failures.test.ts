import { expect } from "chai";
import { IMAGE_PULL_MS } from "../../shared/sim/tuning.ts";
import { newSim, podsOn, stepUntil } from "./support.ts";

describe("failures", () => {
  describe("refuse bad targets with a reason and change nothing", () => {
    const cases: [string, unknown, RegExp][] = [
      ["a node that does not exist", { type: "crashNode", node: "node-9" }, /node node-9 not found/],
      ["a process the node does not run", { type: "stopProcess", node: "node-1", process: "etcd" }, /worker node and runs no etcd/],
      ["a pod that does not exist", { type: "crashContainer", pod: "web-zzzzz" }, /pod web-zzzzz not found/],
      ["no pod and no deployment", { type: "oomPod" }, /name a pod or a deployment/],
      ["a service that does not exist", { type: "trafficSpike", service: "shop", factor: 2, durationSec: 10 }, /service shop not found/],
      ["a node that is already down", { type: "restoreNode", node: "node-1" }, /already up/],
      ["the last control-plane node", { type: "removeControlPlane", node: "cp-1" }, /last control-plane node/],
      ["an unknown failure", { type: "meteor" }, /malformed failure/],
      ["a factor out of range", { type: "trafficSpike", service: "web", factor: 500, durationSec: 10 }, /malformed failure: factor/],
    ];
    for (const [what, failure, says] of cases) {
      it(`refuses ${what}`, () => {
        const sim = newSim(what === "the last control-plane node" ? "free-play" : "node-down");
        if (what === "the last control-plane node") sim.inject({ type: "removeControlPlane", node: "cp-2" });
        const revision = sim.state.revision;
        const result = sim.inject(failure);
        expect(result.ok).to.equal(false);
        expect(result.message).to.match(says);
        expect(sim.state.revision).to.equal(revision);
      });
    }
  });

  it("a traffic spike multiplies a service's arrivals for its duration", () => {
    const sim = newSim("node-down");
    const sent = () => sim.traffic.snapshot().nextId;
    const arrivals = (ticks: number) => {
      const before = sent();
      for (let i = 0; i < ticks; i++) sim.step();
      return sent() - before;
    };
    arrivals(20);
    const calm = arrivals(50);
    sim.inject({ type: "trafficSpike", service: "web", factor: 3, durationSec: 10 });
    const spiked = arrivals(50);
    // web carries 60 of the 85 req/s: tripling it gives (180 + 25) / 85 ≈ 2.4 times the arrivals.
    expect(spiked / calm).to.be.within(2.2, 2.6);
    arrivals(60);
    expect(arrivals(50) / calm).to.be.within(0.8, 1.2);
  });

  it("slow image pulls delay a new pod's start on the affected nodes until they end", () => {
    const sim = newSim("first-pod");
    sim.inject({ type: "slowImagePulls", factor: 5, durationSec: 60 });
    stepUntil(sim, () => [...sim.state.pods.values()].some((p) => p.status.phase === "ContainerCreating"), 100);
    const t0 = sim.now;
    stepUntil(sim, () => [...sim.state.pods.values()].some((p) => p.status.ready), 300);
    expect(sim.now - t0).to.be.at.least(5 * IMAGE_PULL_MS);
    for (let i = 0; i < 600; i++) sim.step();
    expect(sim.world.machine("node-1")!.pullFactor).to.equal(1);
  });

  it("a memory leak grows the deployment's containers until the kubelets act", () => {
    const sim = newSim("noisy-neighbour", { botsOff: ["kubelet"] });
    for (let i = 0; i < 450; i++) sim.step();
    const batch = [...sim.world.machine("node-1")!.containers.values()].find((c) => c.pod.startsWith("batch"));
    expect(batch!.memoryUsage).to.be.greaterThan(400);
    stepUntil(sim, () => sim.outcome().oomKills > 0, 2000, "an OOM kill");
  });

  it("a stopped process comes back by itself when the failure has a duration", () => {
    const sim = newSim("node-down");
    sim.inject({ type: "stopProcess", node: "node-1", process: "kube-proxy", durationSec: 2 });
    expect(sim.world.machine("node-1")!.processes["kube-proxy"]).to.equal(false);
    for (let i = 0; i < 21; i++) sim.step();
    expect(sim.world.machine("node-1")!.processes["kube-proxy"]).to.equal(true);
  });

  it("a stopped kube-proxy freezes its node's rules, which keep forwarding until they go stale", () => {
    const sim = newSim("node-down");
    sim.inject({ type: "stopProcess", node: "node-1", process: "kube-proxy" });
    const rules = sim.world.machine("node-1")!.proxyRules.get("web")!;
    sim.inject({ type: "killPod", pod: podsOn(sim, "node-2")[0].metadata.name });
    for (let i = 0; i < 100; i++) sim.step();
    expect(sim.world.machine("node-1")!.proxyRules.get("web")).to.equal(rules);
    expect(sim.world.machine("node-3")!.proxyRules.get("web")!.syncedVersion).to.be.greaterThan(rules.syncedVersion);
  });

  it("every failure leaves a marker on the timeline and an event", () => {
    const sim = newSim("node-down");
    sim.inject({ type: "scaleDeployment", deployment: "web", replicas: 8 }, "web to 8");
    expect(sim.score.incidents.map((i) => i.label)).to.deep.equal(["web to 8"]);
    expect([...sim.state.events.values()].some((e) => e.reason === "Failure" && e.message === "web to 8")).to.equal(true);
    expect(sim.state.deployments.get("web")!.spec.replicas).to.equal(8);
  });
});
