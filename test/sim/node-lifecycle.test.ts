import { expect } from "chai";
import { NODE_GRACE_MS, EVICTION_DELAY_MS } from "../../shared/sim/tuning.ts";
import { newSim, podsOn, sitDown, stepUntil } from "./support.ts";

const ready = (sim: ReturnType<typeof newSim>, node: string) => sim.state.nodes.get(node)!.status.ready;

describe("node lifecycle", () => {
  it("every node registers itself and holds a lease its kubelet renews", () => {
    const sim = newSim("node-down");
    expect([...sim.state.nodes.keys()]).to.deep.equal(["cp-1", "cp-2", "node-1", "node-2", "node-3"]);
    const renewed = sim.state.leases.get("node-1")!.spec.renewTime;
    for (let i = 0; i < 30; i++) sim.step();
    expect(sim.state.leases.get("node-1")!.spec.renewTime).to.be.greaterThan(renewed);
  });

  it("a crashed node goes NotReady after the grace period, then its pods are evicted as NodeLost and replaced", () => {
    const sim = newSim("node-down");
    const lost = podsOn(sim, "node-2").map((p) => p.metadata.name);
    sim.inject({ type: "crashNode", node: "node-2" });
    const crashedAt = sim.now;
    stepUntil(sim, () => ready(sim, "node-2") !== "True", 300, "NotReady");
    expect(sim.now - crashedAt).to.be.greaterThan(NODE_GRACE_MS);
    expect(sim.state.nodes.get("node-2")!.status.readyReason).to.equal("NodeStatusUnknown");
    const notReadyAt = sim.now;
    stepUntil(sim, () => sim.state.pods.get(lost[0])?.status.phase !== "Running", 300, "eviction");
    expect(sim.now - notReadyAt).to.be.at.least(EVICTION_DELAY_MS);
    expect(sim.state.pods.get(lost[0])!.status.reason).to.equal("NodeLost");
    stepUntil(sim, () => [...sim.state.deployments.values()].every((d) => d.status.readyReplicas === d.spec.replicas), 400, "replacements ready");
    for (const p of sim.state.pods.values()) if (p.status.phase === "Running") expect(p.spec.nodeName).to.not.equal("node-2");
  });

  it("a human controller manager marks a silent node NotReady and evicts its pods", () => {
    const sim = newSim("node-down");
    const cm = sitDown(sim, "controller-manager");
    sim.inject({ type: "stopProcess", node: "node-3", process: "kubelet" });
    expect(sim.request(cm, { type: "markNodeNotReady", node: "node-3" }).code).to.equal(422);
    for (let i = 0; i < NODE_GRACE_MS / 100 + 5; i++) sim.step();
    expect(sim.request(cm, { type: "markNodeNotReady", node: "node-3" }).ok).to.equal(true);
    expect(ready(sim, "node-3")).to.equal("Unknown");
    const result = sim.request(cm, { type: "evictNodePods", node: "node-3" });
    expect(result.ok).to.equal(true);
    expect(result.message).to.match(/evicted 3 pods from node-3/);
  });

  it("a stopped container runtime makes the kubelet report the node NotReady at once", () => {
    const sim = newSim("node-down");
    sim.inject({ type: "stopProcess", node: "node-1", process: "container-runtime" });
    sim.step();
    expect(ready(sim, "node-1")).to.equal("False");
    expect(sim.state.nodes.get("node-1")!.status.readyReason).to.equal("ContainerRuntimeDown");
    sim.inject({ type: "startProcess", node: "node-1", process: "container-runtime" });
    sim.step();
    expect(ready(sim, "node-1")).to.equal("True");
  });

  it("a rebooted node comes back Ready and its kubelet restarts the pods still bound to it", () => {
    const sim = newSim("node-down");
    const name = podsOn(sim, "node-1")[0].metadata.name;
    sim.inject({ type: "crashNode", node: "node-1", durationSec: 3 });
    for (let i = 0; i < 40; i++) sim.step();
    expect(sim.world.machine("node-1")!.powered).to.equal(true);
    stepUntil(sim, () => sim.state.pods.get(name)?.status.ready === true && sim.isServing(name, "node-1"), 100, "pod back");
    expect(sim.state.pods.get(name)!.status.restartCount).to.equal(1);
    expect(ready(sim, "node-1")).to.equal("True");
  });

  it("a cordoned node keeps its pods but the scheduler bot places no new ones there", () => {
    const sim = newSim("node-down");
    const before = podsOn(sim, "node-1").length;
    sim.request(sim.tokenFor("admin"), { type: "cordon", node: "node-1" });
    sim.request(sim.tokenFor("admin"), { type: "scale", deployment: "web", replicas: 12 });
    stepUntil(sim, () => sim.state.deployments.get("web")!.status.readyReplicas === 12, 300);
    expect(podsOn(sim, "node-1").length).to.equal(before);
  });

  it("a joining worker registers itself, gets seats and takes pods", () => {
    const sim = newSim("scale-out");
    sim.inject({ type: "joinWorker", node: "node-3" });
    sim.step();
    expect(sim.state.nodes.get("node-3")!.status.ready).to.equal("True");
    expect(sim.seats()).to.include.members(["kubelet:node-3", "kube-proxy:node-3"]);
    sim.request(sim.tokenFor("admin"), { type: "scale", deployment: "web", replicas: 10 });
    stepUntil(sim, () => podsOn(sim, "node-3").some((p) => p.status.ready), 300, "pod on node-3");
  });

  it("adding and removing control-plane nodes changes the etcd membership", () => {
    const sim = newSim("node-down");
    expect(sim.world.etcd()).to.deep.equal({ up: 2, members: 2, quorum: true });
    sim.inject({ type: "addControlPlane" });
    sim.step();
    expect(sim.state.nodes.has("cp-3")).to.equal(true);
    expect(sim.world.etcd().members).to.equal(3);
    sim.inject({ type: "removeControlPlane", node: "cp-1" });
    expect(sim.state.nodes.has("cp-1")).to.equal(false);
    expect(sim.world.etcd().members).to.equal(2);
    expect(sim.inject({ type: "removeControlPlane", node: "node-1" }).message).to.match(/is a worker/);
  });
});
