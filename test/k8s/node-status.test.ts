/**
 * A node's status as kubectl prints it agrees with the game: a node the node controller marked
 * (Ready condition Unknown: its kubelet stopped posting) is "NotReady" in both, as real kubectl
 * prints any Ready condition that is not True.
 */
import { expect } from "chai";
import { GameClock, toKube } from "../../server/k8s/convert.ts";
import { RESOURCES } from "../../server/k8s/resources.ts";
import { Simulation } from "../../shared/sim/Simulation.ts";

const nodes = RESOURCES.find((r) => r.name === "nodes")!;

describe("a node's status in kubectl", () => {
  it("is NotReady when the node controller marked it (Ready Unknown), with the unreachable taint", () => {
    const sim = new Simulation({ scenario: "first-pod", seed: 1, difficulty: "normal" });
    sim.inject({ type: "crashNode", node: "node-1" });
    // Long enough for the heartbeats to stop counting and the controller manager's bot to mark it.
    for (let i = 0; i < 600 && sim.state.nodes.get("node-1")!.status.ready === "True"; i++) sim.step();
    const node = sim.state.nodes.get("node-1")!;
    expect(node.status.ready).to.equal("Unknown");
    const kube = toKube(node, new GameClock(sim.now, Date.now()));
    expect(nodes.cells(kube, Date.now())[1]).to.equal("NotReady");
    expect((kube.spec as { taints: { key: string }[] }).taints.map((t) => t.key)).to.include("node.kubernetes.io/unreachable");
  });

  it("is Ready for a node whose kubelet posts its status", () => {
    const sim = new Simulation({ scenario: "first-pod", seed: 1, difficulty: "normal" });
    const kube = toKube(sim.state.nodes.get("node-1")!, new GameClock(sim.now, Date.now()));
    expect(nodes.cells(kube, Date.now())[1]).to.equal("Ready");
  });
});
