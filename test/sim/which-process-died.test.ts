/**
 * Which process died?: each of a worker's three processes stops on a different node, and each
 * shows its own symptom — a stopped container runtime makes the kubelet report the node NotReady
 * and refuse to start pods; a stopped kube-proxy stops traffic entering its node while the API
 * server still calls the node Ready; a stopped kubelet silences the heartbeat until the node
 * controller marks the node, and leaves a crashed container down.
 */
import { expect } from "chai";
import type { Finished } from "../../shared/sim/traffic/Traffic.ts";
import { Simulation } from "../../shared/sim/Simulation.ts";
import { LB_HEALTH_CHECK_MS, NODE_GRACE_MS } from "../../shared/sim/tuning.ts";
import { stepUntil } from "./support.ts";

const at = (sim: Simulation, sec: number) => stepUntil(sim, () => sim.now >= sec * 1000, 4000, `t=${sec} s`);

describe("the which-process-died scenario", () => {
  it("node-1's container runtime stops: its kubelet reports NotReady at once, and no pod may start or restart there", () => {
    const sim = new Simulation({ scenario: "which-process-died", seed: 1 });
    at(sim, 30.2);
    const node = sim.state.nodes.get("node-1")!;
    expect(node.status).to.include({ ready: "False", readyReason: "ContainerRuntimeDown" });
    expect(sim.api.recentAudit().some((e) => e.user === "system:node:node-1" && e.type === "reportNodeStatus" && e.code === 200)).to.equal(true);
    // Containers already running keep running: their pods still serve.
    const running = sim.state.podsOnNode("node-1").filter((p) => p.status.ready);
    expect(running.length).to.be.greaterThan(0);
    for (const p of running) expect(sim.isServing(p.metadata.name, "node-1"), p.metadata.name).to.equal(true);
    at(sim, 36);
    const refused = sim.api.recentAudit().filter((e) => e.user === "kubelet/node-1" && e.type === "restart" && e.code === 503);
    expect(refused.length, "the kubelet's restart of the crashed container").to.be.greaterThan(0);
    expect(refused[0].message).to.match(/container runtime on node-1 is down/);
    const crashed = sim.state.podsOnNode("node-1").find((p) => p.status.restartAfter > 0);
    expect(crashed && sim.isServing(crashed.metadata.name, "node-1")).to.equal(false);
  });

  it("node-2's kube-proxy stops: no traffic enters node-2, the API server still calls it Ready, and its pods still serve", () => {
    const sim = new Simulation({ scenario: "which-process-died", seed: 1 });
    at(sim, 100 + (LB_HEALTH_CHECK_MS + 200) / 1000);
    const finished: Finished[] = [];
    for (let i = 0; i < 300; i++) finished.push(...sim.step().finished);
    expect(finished.filter((f) => f.entry === "node-2")).to.have.length(0);
    expect(finished.filter((f) => f.entry !== "").length).to.be.greaterThan(1000);
    expect(
      finished.some((f) => f.node === "node-2" && f.outcome === "served"),
      "node-2's pods serve what others forward",
    ).to.equal(true);
    expect(sim.state.nodes.get("node-2")!.status.ready).to.equal("True");
  });

  it("node-3's kubelet stops: the heartbeat falls silent, the node controller marks the node, and the crashed container stays down", () => {
    const sim = new Simulation({ scenario: "which-process-died", seed: 1 });
    at(sim, 170.2);
    const renewed = () => sim.state.leases.get("node-3")!.spec.renewTime;
    const last = renewed();
    expect(sim.state.nodes.get("node-3")!.status.ready, "nothing is reported: the API server still says Ready").to.equal("True");
    stepUntil(sim, () => sim.state.nodes.get("node-3")!.status.ready !== "True", 400, "node-3 marked NotReady");
    expect(renewed()).to.equal(last);
    expect(sim.state.nodes.get("node-3")!.status.readyReason).to.equal("NodeStatusUnknown");
    expect(sim.now - last).to.be.above(NODE_GRACE_MS);
    const marked = sim.api.recentAudit().findLast((e) => e.type === "markNodeNotReady" && e.code === 200)!;
    expect(marked.user).to.equal("system:kube-controller-manager");
    at(sim, 176);
    const crashed = [...sim.world.machine("node-3")!.containers.values()].filter((c) => c.state === "exited");
    expect(crashed, "a crashed container on node-3").to.have.length(1);
    at(sim, 200);
    expect(sim.world.machine("node-3")!.containers.get(crashed[0].pod)?.state ?? "exited").to.equal("exited");
  });

  it("is the same game every time for the same seed", () => {
    const play = () => {
      const sim = new Simulation({ scenario: "which-process-died", seed: 5 });
      sim.run();
      return { outcome: sim.outcome(), audit: sim.api.recentAudit(50) };
    };
    expect(play()).to.deep.equal(play());
  });
});
