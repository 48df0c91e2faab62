import { expect } from "chai";
import { rateAt } from "../../shared/sim/traffic/Traffic.ts";
import { LOCAL_HOP_MS, REMOTE_HOP_MS } from "../../shared/sim/tuning.ts";
import { chooseProxyMode } from "../../shared/sim/bots/KubeProxyBot.ts";
import { getScenario } from "../../shared/sim/scenarios/index.ts";
import { Simulation } from "../../shared/sim/Simulation.ts";
import type { ProxyMode } from "../../shared/sim/world/Machine.ts";
import { newSim, podsOn, sitDown } from "./support.ts";

/**
 * A minute of web traffic at 95% of six pods' capacity, every kube-proxy held in one mode; with
 * `swamped`, node-3 keeps one web pod of its two (and nobody replaces the other).
 */
function availabilityWith(mode: ProxyMode, swamped: boolean): number {
  const scenario = structuredClone(getScenario("node-down")!);
  scenario.events = [];
  scenario.durationSec = 60;
  scenario.deployments = [{ ...scenario.deployments[0], replicas: 6, service: { port: 80, traffic: [[0, 114]] } }];
  const sim = new Simulation({ scenario, seed: 3, botsOff: ["kube-proxy", ...(swamped ? ["controller-manager"] : [])] });
  if (swamped) sim.inject({ type: "killPod", pod: podsOn(sim, "node-3")[0].metadata.name });
  sim.run(20);
  for (const m of sim.world.workers()) {
    const r = sim.request(sim.tokenFor(`kube-proxy:${m.name}`), { type: "syncRules", node: m.name, service: "web", mode });
    expect(r.ok, r.message).to.equal(true);
  }
  sim.run();
  return sim.outcome().availability;
}

describe("traffic", () => {
  it("follows the rate curve: linear between points, flat after the last", () => {
    const curve = [
      [0, 10],
      [10, 30],
      [20, 30],
    ] as const;
    expect([0, 5, 10, 15, 40].map((t) => rateAt(curve, t))).to.deep.equal([10, 20, 30, 30, 30]);
  });

  it("serves requests that reach a ready pod with capacity, and never stores them in etcd", () => {
    const sim = newSim("node-down");
    sim.drainChanges();
    let served = 0;
    for (let i = 0; i < 50; i++) served += sim.step().finished.filter((f) => f.outcome === "served").length;
    expect(served).to.be.greaterThan(300);
    for (const c of sim.drainChanges()) expect(c.key).to.match(/^\/registry\/(leases|minions|pods|services|deployments|events)\//);
  });

  it("has the load balancer send nothing to nodes whose kube-proxy has never synced (no-node)", () => {
    const sim = newSim("first-pod", { botsOff: ["kube-proxy"] });
    sim.run(300);
    const o = sim.outcome();
    expect(o.dropsByCause["no-node"]).to.equal(o.dropped);
    expect(o.served).to.equal(0);
  });

  it("drops requests with no-rule on a node whose kube-proxy has rules for other services only", () => {
    const sim = newSim("node-down", { botsOff: ["kube-proxy"] });
    sim.world.machine("node-1")!.proxyRules.delete("web");
    sim.run(50);
    expect(sim.outcome().dropsByCause["no-rule"]).to.be.greaterThan(0);
  });

  it("drops requests with no-endpoints when the rules list no ready pod", () => {
    const sim = newSim("first-pod", { botsOff: ["scheduler"] });
    sim.run(100);
    expect(sim.outcome().dropsByCause["no-endpoints"]).to.be.greaterThan(0);
  });

  it("times requests out when pods are overloaded", () => {
    const sim = newSim("traffic-spike", { botsOff: ["controller-manager"] });
    sim.inject({ type: "trafficSpike", service: "web", factor: 4, durationSec: 30 });
    sim.run(200);
    expect(sim.outcome().timedOut).to.be.greaterThan(100);
  });

  it("local-first keeps traffic on the entry node's own pods; spread shares it out", () => {
    const sim = newSim("node-down");
    const proxy = sitDown(sim, "kube-proxy:node-1");
    sim.run(100);
    const local = sim.outcome().seats.kubeProxies["node-1"].localShare;
    expect(local).to.be.greaterThan(0.95);
    expect(sim.request(proxy, { type: "syncRules", node: "node-1", service: "web", mode: "spread" }).ok).to.equal(true);
    expect(sim.request(proxy, { type: "syncRules", node: "node-1", service: "api", mode: "spread" }).ok).to.equal(true);
    const before = sim.traffic.proxyStats.get("node-1")!;
    const [f0, l0] = [before.forwarded, before.forwardedLocal];
    sim.run(300);
    const after = sim.traffic.proxyStats.get("node-1")!;
    const share = (after.forwardedLocal - l0) / (after.forwarded - f0);
    const pods = podsOn(sim, "node-1").length;
    expect(share).to.be.within(0.15, 0.55);
    expect(pods).to.be.greaterThan(0);
  });

  it("each kube-proxy sees its requests' latency: a hop to another node's pod takes far longer than one on its own node", () => {
    const sim = newSim("node-down");
    const proxy = sitDown(sim, "kube-proxy:node-1");
    sim.run(50);
    for (const service of ["web", "api"]) expect(sim.request(proxy, { type: "syncRules", node: "node-1", service, mode: "spread" }).ok).to.equal(true);
    sim.run(300);
    const s = sim.traffic.proxyStats.get("node-1")!;
    expect(s.servedLocal).to.be.greaterThan(0);
    expect(s.servedRemote).to.be.greaterThan(0);
    const local = s.localMs / s.servedLocal;
    const remote = s.remoteMs / s.servedRemote;
    expect(local).to.be.at.least(LOCAL_HOP_MS);
    expect(remote).to.be.at.least(REMOTE_HOP_MS);
    expect(remote).to.be.greaterThan(local * 3);
    // They are part of the saved game.
    const restored = Simulation.restore(sim.snapshot());
    expect(restored.traffic.proxyStats.get("node-1")).to.deep.equal(s);
  });

  it("a cross-node hop costs time: with pods evenly spread, local-first serves more than spread", () => {
    const local = availabilityWith("local-first", false);
    const spread = availabilityWith("spread", false);
    expect(local - spread, `local-first ${local}, spread ${spread}`).to.be.greaterThan(0.01);
  });

  it("when one node's own pods are swamped, spread serves more than local-first", () => {
    const local = availabilityWith("local-first", true);
    const spread = availabilityWith("spread", true);
    expect(spread - local, `local-first ${local}, spread ${spread}`).to.be.greaterThan(0.015);
  });

  it("the kube-proxy bot spreads when its node holds less than its fair share of endpoints", () => {
    const ep = (node: string) => ({ pod: `p-${node}`, node, ip: "10.0.0.1" });
    expect(chooseProxyMode("node-1", [ep("node-1"), ep("node-2"), ep("node-3")], 3)).to.equal("local-first");
    expect(chooseProxyMode("node-1", [ep("node-1"), ep("node-2"), ep("node-2"), ep("node-3"), ep("node-3")], 3)).to.equal("spread");
    expect(chooseProxyMode("node-1", [], 3)).to.equal("local-first");
  });

  it("the load balancer stops sending to a crashed node after its health check", () => {
    const sim = newSim("node-down");
    sim.inject({ type: "crashNode", node: "node-3" });
    let late = 0;
    for (let i = 0; i < 100; i++) {
      const f = sim.step().finished;
      if (i > 40) late += f.filter((x) => x.entry === "node-3").length;
    }
    expect(late).to.equal(0);
  });
});
