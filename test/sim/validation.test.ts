import { expect } from "chai";
import type { ApiRequest } from "../../shared/sim/api/requests.ts";
import type { Simulation } from "../../shared/sim/Simulation.ts";
import { newSim, podsOn, sitDown } from "./support.ts";

interface Case {
  name: string;
  scenario?: string;
  /** Prepares the cluster and returns the caller and the request to send. */
  setup: (sim: Simulation) => { component: string; request: ApiRequest };
  code: number;
  /** A phrase the learner must see. */
  says: RegExp;
}

const firstPodOf = (sim: Simulation, node: string) => podsOn(sim, node)[0].metadata.name;

/** Creates a pending pod in first-pod and returns its name. */
function pendingPod(sim: Simulation): string {
  sim.request(sim.tokenFor("controller-manager"), { type: "createPod", deployment: "web" });
  return [...sim.state.pods.values()].find((p) => p.status.phase === "Pending")!.metadata.name;
}

/** A pending pod bound to node-1, waiting for its kubelet. */
function scheduledPod(sim: Simulation): string {
  const p = pendingPod(sim);
  sim.request(sim.tokenFor("scheduler"), { type: "bind", pod: p, node: "node-1" });
  return p;
}

const CASES: Case[] = [
  {
    name: "binding a pod that does not exist",
    setup: () => ({ component: "scheduler", request: { type: "bind", pod: "ghost", node: "node-1" } }),
    code: 404,
    says: /pod ghost not found/,
  },
  {
    name: "binding to a node that does not exist",
    scenario: "first-pod",
    setup: (s) => ({ component: "scheduler", request: { type: "bind", pod: pendingPod(s), node: "node-9" } }),
    code: 404,
    says: /node node-9 not found/,
  },
  {
    name: "binding a pod that is already bound",
    setup: (s) => ({ component: "scheduler", request: { type: "bind", pod: firstPodOf(s, "node-1"), node: "node-2" } }),
    code: 409,
    says: /already bound to node-1/,
  },
  {
    name: "binding to a control-plane node",
    scenario: "first-pod",
    setup: (s) => ({ component: "scheduler", request: { type: "bind", pod: pendingPod(s), node: "cp-1" } }),
    code: 422,
    says: /control-plane node.*NoSchedule taint/,
  },
  {
    name: "binding to a cordoned node",
    scenario: "first-pod",
    setup: (s) => {
      s.request(s.tokenFor("admin"), { type: "cordon", node: "node-2" });
      return { component: "scheduler", request: { type: "bind", pod: pendingPod(s), node: "node-2" } };
    },
    code: 422,
    says: /node-2 is cordoned/,
  },
  {
    name: "binding to a NotReady node",
    scenario: "first-pod",
    setup: (s) => {
      s.request(s.tokenFor("node-agent:node-3"), { type: "reportNodeStatus", node: "node-3", ready: "False", reason: "ContainerRuntimeDown" });
      return { component: "scheduler", request: { type: "bind", pod: pendingPod(s), node: "node-3" } };
    },
    code: 422,
    says: /node-3 is NotReady/,
  },
  {
    name: "starting a pod that is already running",
    setup: (s) => ({ component: "kubelet:node-1", request: { type: "admit", pod: firstPodOf(s, "node-1") } }),
    code: 409,
    says: /is Running; only a Scheduled pod can be started/,
  },
  {
    name: "starting a pod that does not fit",
    scenario: "first-pod",
    setup: (s) => {
      s.request(s.tokenFor("admin"), { type: "scale", deployment: "web", replicas: 20 });
      const pods: string[] = [];
      for (let i = 0; i < 17; i++) pods.push(scheduledPod(s));
      for (const p of pods.slice(0, 16)) s.request(s.tokenFor("kubelet:node-1"), { type: "admit", pod: p });
      return { component: "kubelet:node-1", request: { type: "admit", pod: pods[16] } };
    },
    code: 422,
    says: /requests 250m CPU but node-1 has 0m CPU free: reject it \(OutOfcpu\)/,
  },
  {
    name: "rejecting a pod that fits",
    scenario: "first-pod",
    setup: (s) => ({ component: "kubelet:node-1", request: { type: "reject", pod: scheduledPod(s), reason: "OutOfcpu" } }),
    code: 422,
    says: /fits on node-1: start it instead/,
  },
  {
    name: "restarting a healthy container",
    setup: (s) => ({ component: "kubelet:node-1", request: { type: "restart", pod: firstPodOf(s, "node-1") } }),
    code: 409,
    says: /has not crashed/,
  },
  {
    name: "evicting without memory pressure",
    setup: (s) => ({ component: "kubelet:node-1", request: { type: "evict", pod: firstPodOf(s, "node-1") } }),
    code: 422,
    says: /not under memory pressure/,
  },
  {
    name: "creating a pod beyond the desired replicas",
    setup: () => ({ component: "controller-manager", request: { type: "createPod", deployment: "web" } }),
    code: 422,
    says: /already has 6 of 6 desired replicas/,
  },
  {
    name: "creating a pod for a missing deployment",
    setup: () => ({ component: "controller-manager", request: { type: "createPod", deployment: "shop" } }),
    code: 404,
    says: /deployment shop not found/,
  },
  {
    name: "deleting a pod the deployment still needs",
    setup: (s) => ({ component: "controller-manager", request: { type: "deletePod", pod: firstPodOf(s, "node-1") } }),
    code: 422,
    says: /below its 6 desired replicas/,
  },
  {
    name: "marking a heartbeating node NotReady",
    setup: () => ({ component: "controller-manager", request: { type: "markNodeNotReady", node: "node-1" } }),
    code: 422,
    says: /renewed its lease .* ago/,
  },
  {
    name: "evicting the pods of a Ready node",
    setup: () => ({ component: "controller-manager", request: { type: "evictNodePods", node: "node-1" } }),
    code: 422,
    says: /node-1 is Ready/,
  },
  {
    name: "syncing rules for a missing service",
    setup: () => ({ component: "kube-proxy:node-1", request: { type: "syncRules", node: "node-1", service: "shop", mode: "spread" } }),
    code: 404,
    says: /service shop not found/,
  },
  {
    name: "scaling a missing deployment",
    setup: () => ({ component: "admin", request: { type: "scale", deployment: "shop", replicas: 2 } }),
    code: 404,
    says: /deployment shop not found/,
  },
  {
    name: "a malformed request",
    setup: () => ({ component: "scheduler", request: { type: "bind", pod: "Bad Name!", node: "node-1" } as ApiRequest }),
    code: 400,
    says: /malformed request: pod: names are lower-case/,
  },
  {
    name: "an unknown request type",
    setup: () => ({ component: "scheduler", request: { type: "explode" } as unknown as ApiRequest }),
    code: 400,
    says: /malformed request/,
  },
];

describe("API validation", () => {
  for (const c of CASES) {
    it(`refuses ${c.name} with ${c.code} and a reason, changing nothing`, () => {
      const sim = newSim(c.scenario ?? "node-down");
      const { component, request } = c.setup(sim);
      const revision = sim.state.revision;
      const objects = JSON.stringify(sim.state.allObjects());
      const result = sim.request(sim.tokenFor(component), request);
      expect(result.ok).to.equal(false);
      expect(result.code, result.message).to.equal(c.code);
      expect(result.message).to.match(c.says);
      expect(sim.state.revision).to.equal(revision);
      expect(JSON.stringify(sim.state.allObjects())).to.equal(objects);
    });
  }
});

describe("control-plane availability", () => {
  it("answers every request with 503 while no api-server is up", () => {
    const sim = newSim("node-down");
    for (const cp of ["cp-1", "cp-2"]) sim.inject({ type: "stopProcess", node: cp, process: "api-server" });
    const result = sim.request(sim.tokenFor("admin"), { type: "cordon", node: "node-1" });
    expect(result.code).to.equal(503);
    expect(result.message).to.match(/no api-server is up/);
  });

  it("with every control-plane node down, every component's calls fail with 503 until one returns", () => {
    const sim = newSim("node-down");
    for (const cp of ["cp-1", "cp-2"]) sim.inject({ type: "crashNode", node: cp });
    const revision = sim.state.revision;
    for (let i = 0; i < 30; i++) sim.step();
    expect(sim.state.revision, "no write got through").to.equal(revision);
    // The first crash already cost etcd its quorum; after the second, nothing answers at all.
    const failed = sim.api.recentAudit(20).filter((e) => e.code === 503 && e.time > 0);
    expect(failed.length).to.be.greaterThan(0);
    expect(failed.every((e) => /no api-server is up/.test(e.message))).to.equal(true);
    sim.inject({ type: "restoreNode", node: "cp-1" });
    sim.inject({ type: "restoreNode", node: "cp-2" });
    for (let i = 0; i < 30; i++) sim.step();
    expect(sim.state.revision).to.be.greaterThan(revision);
    expect(sim.request(sim.tokenFor("admin"), { type: "cordon", node: "node-1" }).ok).to.equal(true);
  });

  it("keeps answering while one api-server of two is up", () => {
    const sim = newSim("node-down");
    sim.inject({ type: "stopProcess", node: "cp-1", process: "api-server" });
    expect(sim.request(sim.tokenFor("admin"), { type: "cordon", node: "node-1" }).ok).to.equal(true);
  });

  it("refuses writes with 503 when etcd loses quorum, but still serves reads", () => {
    const sim = newSim("node-down");
    sim.inject({ type: "stopProcess", node: "cp-2", process: "etcd" });
    const write = sim.request(sim.tokenFor("admin"), { type: "cordon", node: "node-1" });
    expect(write.code).to.equal(503);
    expect(write.message).to.match(/etcd has lost quorum \(1 of 2 members up\)/);
    const read = sim.request(sim.tokenFor("kube-proxy:node-1"), { type: "syncRules", node: "node-1", service: "web", mode: "spread" });
    expect(read.ok).to.equal(true);
  });

  it("keeps quorum with 2 of 3 etcd members", () => {
    const sim = newSim("control-plane-ha");
    sim.inject({ type: "crashNode", node: "cp-3" });
    expect(sim.request(sim.tokenFor("admin"), { type: "cordon", node: "node-1" }).ok).to.equal(true);
  });

  it("answers a scheduler with 503 while its leader election runs, then lets the standby act", () => {
    const sim = newSim("control-plane-ha");
    const token = sitDown(sim, "scheduler");
    sim.inject({ type: "crashNode", node: "cp-1" });
    sim.step();
    const during = sim.request(token, { type: "bind", pod: "nope", node: "node-1" });
    expect(during.code).to.equal(503);
    expect(during.message).to.match(/electing a new leader/);
    for (let i = 0; i < 60; i++) sim.step();
    expect(sim.world.leader("scheduler")).to.equal("cp-2");
    expect(sim.request(token, { type: "bind", pod: "nope", node: "node-1" }).code).to.equal(404);
  });

  it("answers a scheduler with 503 when kube-scheduler is down everywhere", () => {
    const sim = newSim("node-down");
    for (const cp of ["cp-1", "cp-2"]) sim.inject({ type: "stopProcess", node: cp, process: "scheduler" });
    sim.step();
    const result = sim.request(sim.tokenFor("scheduler"), { type: "bind", pod: "nope", node: "node-1" });
    expect(result.code).to.equal(503);
    expect(result.message).to.match(/down on every control-plane node/);
  });

  it("answers a kubelet with 503 while its kubelet process is stopped", () => {
    const sim = newSim("node-down");
    sim.inject({ type: "stopProcess", node: "node-1", process: "kubelet" });
    const result = sim.request(sim.tokenFor("kubelet:node-1"), { type: "restart", pod: firstPodOf(sim, "node-1") });
    expect(result.code).to.equal(503);
    expect(result.message).to.match(/kubelet process on node-1 is stopped/);
  });

  it("answers a kube-proxy with 503 while its node is down", () => {
    const sim = newSim("node-down");
    sim.inject({ type: "crashNode", node: "node-1" });
    const result = sim.request(sim.tokenFor("kube-proxy:node-1"), { type: "syncRules", node: "node-1", service: "web", mode: "spread" });
    expect(result.code).to.equal(503);
    expect(result.message).to.match(/node-1 is down/);
  });
});
