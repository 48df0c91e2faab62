/**
 * Bringing a bare server into the cluster (world/nodeSetup.ts) and the join-a-node scenario: the
 * steps in order on the machine, the join through the API server, the scheduler kept off the node
 * until it is Ready, every refusal in words that changes nothing, and the game replayed exactly.
 */
import { expect } from "chai";
import type { ApiResult } from "../../shared/sim/api/status.ts";
import { scenarioSeats } from "../../shared/sim/bootstrap.ts";
import { seatReactions } from "../../shared/sim/counterfactual/reactions.ts";
import { versusBot } from "../../shared/sim/counterfactual/versusBot.ts";
import { replay } from "../../shared/sim/replay.ts";
import { getScenario } from "../../shared/sim/scenarios/index.ts";
import { Simulation } from "../../shared/sim/Simulation.ts";
import type { SetupStep } from "../../shared/sim/world/nodeSetup.ts";
import { newSim, pendingPods, sitDown, stepUntil } from "./support.ts";

const SCENARIO = "join-a-node";
const NODE = "node-3";

/** join-a-node without cp-2's power loss: the setup steps alone (the outage has a test of its own). */
const calm = (() => {
  const s = getScenario(SCENARIO)!;
  return { ...s, events: s.events.filter((e) => e.failure.type !== "crashNode") };
})();

/** A calm game of join-a-node with a human (nobody, here) in node-3's kubelet seat; its token. */
function humanAtNode3(): { sim: Simulation; token: string } {
  const sim = new Simulation({ scenario: calm, seed: 42 });
  return { sim, token: sitDown(sim, `kubelet:${NODE}`) };
}

const step = (sim: Simulation, token: string, type: SetupStep, node = NODE, actor = "ada"): ApiResult => sim.request(token, { type, node }, actor);

/** Takes a step, then plays until the install it started has finished. */
function install(sim: Simulation, token: string, type: SetupStep): void {
  const r = step(sim, token, type);
  expect(r.ok, r.message).to.equal(true);
  stepUntil(sim, () => sim.world.machine(NODE)!.installing === null, 100, `${type} to finish`);
}

/** Joins node-3 once cp-2 is back from its power loss (and `lagTicks` more): before, the join is refused. */
function joinOnceBack(sim: Simulation, token: string, lagTicks = 0): void {
  stepUntil(sim, () => sim.now > 14_000 && sim.world.machine("cp-2")!.powered, 400, "cp-2 back");
  sim.run(lagTicks);
  const r = step(sim, token, "joinCluster");
  expect(r.code, r.message).to.equal(201);
}

/** What a refused step must leave as it was: the machine and every object. */
const fingerprint = (sim: Simulation) => JSON.stringify([sim.world.machine(NODE), sim.state.revision, [...sim.world.machines.keys()]]);

describe("join a node: a bare server", () => {
  it("starts powered with nothing installed, unknown to the API server, its seats there from the start", () => {
    const sim = newSim(SCENARIO);
    const m = sim.world.machine(NODE)!;
    expect(m.powered).to.equal(true);
    expect(m.processes).to.deep.equal({});
    expect(m.joined).to.equal(false);
    expect(sim.state.nodes.has(NODE)).to.equal(false);
    for (const seat of [`kubelet:${NODE}`, `kube-proxy:${NODE}`]) {
      expect(sim.seats()).to.include(seat);
      expect(scenarioSeats(getScenario(SCENARIO)!)).to.include(seat);
    }
  });

  it("a player installs the runtime, the kubelet and kube-proxy in turn, each taking game time, then joins it", () => {
    const { sim, token } = humanAtNode3();
    const m = sim.world.machine(NODE)!;
    const r = step(sim, token, "installRuntime");
    expect(r.message).to.match(/containerd, or Docker's engine/);
    sim.run(20);
    expect(m.processes["container-runtime"], "not yet after 2 s").to.equal(undefined);
    stepUntil(sim, () => m.installing === null, 100);
    expect(m.processes).to.deep.equal({ "container-runtime": true });
    install(sim, token, "installKubelet");
    install(sim, token, "installKubeProxy");
    expect(sim.state.nodes.has(NODE), "installed is not joined").to.equal(false);
    const joined = step(sim, token, "joinCluster");
    expect(joined.code, joined.message).to.equal(201);
    expect(joined.message).to.match(/bootstrap token/);
    expect(sim.state.nodes.get(NODE)!.status).to.include({ ready: "False", readyReason: "KubeletNotReady" });
    const audit = sim.api.recentAudit().findLast((a) => a.type === "registerNode");
    expect(audit, "the join goes through the API server").to.include({ user: `system:node:${NODE}`, actor: "ada", code: 201 });
    expect(
      sim.api.recentAudit().some((a) => /install/i.test(a.type)),
      "installs never go through the API server",
    ).to.equal(false);
    // …they are in the machines' own log, with who took them.
    expect(sim.setupLog.entries.map((e) => `${e.user} ${e.actor} ${e.type} ${e.code}`)).to.deep.equal([
      "kubelet/node-3 ada installRuntime 200",
      "kubelet/node-3 ada installKubelet 200",
      "kubelet/node-3 ada installKubeProxy 200",
      "kubelet/node-3 ada joinCluster 201",
    ]);
    stepUntil(sim, () => sim.state.nodes.get(NODE)!.status.ready === "True", 100, "node-3 Ready");
    stepUntil(sim, () => sim.state.leases.has(NODE), 30, "node-3's lease");
  });

  it("the scheduler cannot bind to it before it is a Node (404), nor while it is NotReady (422)", () => {
    const { sim, token } = humanAtNode3();
    stepUntil(sim, () => pendingPods(sim).length > 0, 200, "a pending pod");
    const scheduler = sitDown(sim, "scheduler");
    const pod = pendingPods(sim)[0].metadata.name;
    const before = sim.request(scheduler, { type: "bind", pod, node: NODE });
    expect(before.code).to.equal(404);
    expect(before.message).to.match(/node node-3 not found/);
    for (const t of ["installRuntime", "installKubelet", "installKubeProxy"] as const) install(sim, token, t);
    step(sim, token, "joinCluster");
    const notReady = sim.request(scheduler, { type: "bind", pod, node: NODE });
    expect(notReady.code).to.equal(422);
    expect(notReady.message).to.match(/NotReady/);
    stepUntil(sim, () => sim.state.nodes.get(NODE)!.status.ready === "True", 100);
    expect(sim.request(scheduler, { type: "bind", pod, node: NODE }).ok).to.equal(true);
  });

  it("its kube-proxy has no credentials the API server accepts until the node joins (401)", () => {
    const { sim, token } = humanAtNode3();
    for (const t of ["installRuntime", "installKubelet", "installKubeProxy"] as const) install(sim, token, t);
    const r = sim.request(sim.tokenFor(`kube-proxy:${NODE}`), { type: "syncRules", node: NODE, service: "web", mode: "local-first" });
    expect(r.code).to.equal(401);
    expect(r.message).to.match(/has not joined the cluster/);
    // Refused at the first of the API server's four checks: who is calling.
    expect(sim.api.recentAudit(1)[0]).to.include({ user: `kube-proxy/${NODE}`, code: 401, refusedAt: "identity" });
  });

  it("a power loss cuts an install short and keeps the server as bare as it was", () => {
    const { sim, token } = humanAtNode3();
    install(sim, token, "installRuntime");
    step(sim, token, "installKubelet");
    sim.inject({ type: "crashNode", node: NODE, durationSec: 1 });
    sim.run(20);
    expect(sim.world.machine(NODE)!.processes).to.deep.equal({ "container-runtime": true });
    expect(sim.world.machine(NODE)!.installing).to.equal(null);
    expect(step(sim, token, "installKubelet").ok).to.equal(true);
  });
});

describe("join a node: the join goes through the control plane", () => {
  it("while cp-2 is down (etcd without its majority) the join is refused and node-3 stays out; the installs carry on", () => {
    const sim = newSim(SCENARIO);
    const token = sitDown(sim, `kubelet:${NODE}`);
    stepUntil(sim, () => !sim.world.machine("cp-2")!.powered, 200, "cp-2's power loss");
    for (const t of ["installRuntime", "installKubelet", "installKubeProxy"] as const) install(sim, token, t);
    expect(sim.world.machine("cp-2")!.powered, "still down after the installs").to.equal(false);
    const before = fingerprint(sim);
    const r = step(sim, token, "joinCluster");
    expect(r.code).to.equal(503);
    expect(r.message).to.match(/^node-3 could not join: etcd has lost quorum \(1 of 2 members up\)/);
    expect(fingerprint(sim)).to.equal(before);
    expect(sim.state.nodes.has(NODE)).to.equal(false);
    stepUntil(sim, () => sim.world.machine("cp-2")!.powered, 300, "cp-2 back");
    expect(step(sim, token, "joinCluster").code).to.equal(201);
  });
});

describe("join a node: a bare server from the chaos panel", () => {
  it("addBareServer adds a bare worker with its two seats; its kubelet bot sets it up and joins it", () => {
    const sim = newSim("free-play");
    const r = sim.inject({ type: "addBareServer" });
    expect(r.message).to.match(/node-4 is a bare server/);
    expect(sim.world.machine("node-4")!.processes).to.deep.equal({});
    expect(sim.seats()).to.include.members(["kubelet:node-4", "kube-proxy:node-4"]);
    expect(sim.inject({ type: "startProcess", node: "node-4", process: "kubelet" }).message).to.match(/kubelet is not installed on node-4 yet/);
    stepUntil(sim, () => sim.state.nodes.get("node-4")?.status.ready === "True", 400, "node-4 Ready");
    expect(sim.world.machine("node-4")!.processes).to.deep.equal({ "container-runtime": true, kubelet: true, "kube-proxy": true });
  });
});

describe("join a node: refusals say why and change nothing", () => {
  interface Case {
    name: string;
    /** The caller's seat (default: node-3's kubelet). */
    seat?: string;
    /** Gets the game to where the step is taken. */
    setup?: (sim: Simulation, token: string) => void;
    request: { type: string; node?: string };
    code: number;
    says: RegExp;
  }
  const CASES: Case[] = [
    {
      name: "the kubelet before the runtime",
      request: { type: "installKubelet", node: NODE },
      code: 422,
      says: /install container-runtime first: the kubelet runs every container through it/,
    },
    {
      name: "kube-proxy before the kubelet",
      setup: (s, t) => {
        install(s, t, "installRuntime");
      },
      request: { type: "installKubeProxy", node: NODE },
      code: 422,
      says: /install kubelet first/,
    },
    {
      name: "joining with processes missing",
      setup: (s, t) => {
        install(s, t, "installRuntime");
      },
      request: { type: "joinCluster", node: NODE },
      code: 422,
      says: /no kubelet yet: a worker needs all three processes/,
    },
    {
      name: "a step while an install runs",
      setup: (s, t) => {
        step(s, t, "installRuntime");
      },
      request: { type: "installKubelet", node: NODE },
      code: 409,
      says: /node-3 is still installing container-runtime \(\d s left\): one step at a time/,
    },
    {
      name: "installing twice",
      setup: (s, t) => {
        install(s, t, "installRuntime");
      },
      request: { type: "installRuntime", node: NODE },
      code: 409,
      says: /container-runtime is already installed on node-3/,
    },
    {
      name: "another node's kubelet",
      seat: "kubelet:node-1",
      request: { type: "installRuntime", node: NODE },
      code: 403,
      says: /kubelet\/node-1 may only set up its own machine node-1, not node-3/,
    },
    {
      name: "the scheduler",
      seat: "scheduler",
      request: { type: "installRuntime", node: NODE },
      code: 403,
      says: /the person in a node's kubelet seat installs its processes/,
    },
    {
      name: "a node that has joined long ago",
      seat: "kubelet:node-1",
      request: { type: "installRuntime", node: "node-1" },
      code: 409,
      says: /node-1 has already joined the cluster/,
    },
    {
      name: "a machine that does not exist",
      seat: "kubelet:node-9",
      request: { type: "installRuntime", node: "node-9" },
      code: 404,
      says: /no machine called node-9/,
    },
    {
      name: "a powered-off server",
      setup: (s) => {
        s.inject({ type: "crashNode", node: NODE });
      },
      request: { type: "installRuntime", node: NODE },
      code: 503,
      says: /node-3 is powered off/,
    },
    { name: "a step with no node", request: { type: "installRuntime" }, code: 400, says: /malformed setup step: node/ },
  ];
  for (const c of CASES) {
    it(`${c.name}: ${c.code}`, () => {
      const { sim, token } = humanAtNode3();
      c.setup?.(sim, token);
      const before = fingerprint(sim);
      const r = sim.request(c.seat ? sim.tokenFor(c.seat) : token, c.request, "ada");
      expect(r.code, r.message).to.equal(c.code);
      expect(r.message).to.match(c.says);
      expect(fingerprint(sim)).to.equal(before);
    });
  }
});

describe("the join-a-node scenario", function () {
  this.timeout(60_000);

  it("with the bots, node-3 joins before the scaled-out pods have waited long, and takes pods only once Ready", () => {
    const sim = newSim(SCENARIO, { seed: 1 });
    let boundBeforeReady = 0;
    let readyAt = -1;
    for (let t = 0; t < sim.durationTicks; t++) {
      sim.step();
      const ready = sim.state.nodes.get(NODE)?.status.ready === "True";
      if (ready && readyAt < 0) readyAt = sim.now;
      if (!ready) boundBeforeReady += sim.state.podsOnNode(NODE).length;
    }
    expect(boundBeforeReady).to.equal(0);
    expect(readyAt / 1000).to.be.within(15, 40);
    // The seat figures say when the bare server joined (3 s before it turned Ready); a node that began in the cluster has no such figure.
    expect(sim.outcome().seats.kubelets[NODE].joinedSec).to.equal(readyAt / 1000 - 3);
    expect(sim.outcome().seats.kubelets["node-1"]).to.not.have.property("joinedSec");
    expect(sim.state.podsOnNode(NODE).length).to.be.greaterThan(0);
    expect(sim.outcome().won, sim.outcome().verdict).to.equal(true);
  });

  it("with node-3's kubelet seat idle the server never joins, pods stay Pending and the game is lost", () => {
    const sim = newSim(SCENARIO, { seed: 1, botsOff: [`kubelet:${NODE}`] });
    sim.run();
    expect(sim.state.nodes.has(NODE)).to.equal(false);
    expect(sim.world.machine(NODE)!.processes).to.deep.equal({});
    expect(pendingPods(sim).length).to.equal(4);
    expect(sim.outcome().won).to.equal(false);
    expect(sim.outcome().seats.kubelets[NODE].joinedSec).to.equal(null);
  });

  it("a game where a player set node-3 up replays identically from its input log, and resumes from a snapshot", () => {
    const opts = { scenario: SCENARIO, seed: 4 };
    const { sim: live, token } = (() => {
      const sim = newSim(SCENARIO, { seed: 4 });
      return { sim, token: sitDown(sim, `kubelet:${NODE}`) };
    })();
    live.run(30);
    install(live, token, "installRuntime");
    step(live, token, "installKubelet");
    live.run(15);
    const saved = JSON.parse(JSON.stringify(live.snapshot()));
    const atSave = JSON.stringify(live.world.machine(NODE));
    stepUntil(live, () => live.world.machine(NODE)!.installing === null, 100);
    install(live, token, "installKubeProxy");
    joinOnceBack(live, token);
    // The player hands the seat back: its bot starts the pods bound to node-3.
    live.setBot(`kubelet:${NODE}`, true);
    live.run();
    expect(live.outcome().won, live.outcome().verdict).to.equal(true);
    const again = replay(opts, live.inputLog, live.tick);
    expect(JSON.stringify(again.outcome())).to.equal(JSON.stringify(live.outcome()));
    expect(JSON.stringify(again.state.allObjects())).to.equal(JSON.stringify(live.state.allObjects()));
    const resumed = Simulation.restore(saved);
    expect(JSON.stringify(resumed.world.machine(NODE)), "mid-install").to.equal(atSave);
    stepUntil(resumed, () => resumed.world.machine(NODE)!.installing === null, 100);
    expect(resumed.world.machine(NODE)!.processes.kubelet).to.equal(true);
  });

  it("you against the bot: the player's setup steps are compared with the bot's, in words", () => {
    const sim = newSim(SCENARIO, { seed: 2 });
    const token = sitDown(sim, `kubelet:${NODE}`);
    sim.run(50);
    expect(step(sim, token, "installKubelet").code, "out of order").to.equal(422);
    for (const t of ["installRuntime", "installKubelet", "installKubeProxy"] as const) install(sim, token, t);
    joinOnceBack(sim, token, 20);
    sim.run(300);
    const report = versusBot({ options: { scenario: SCENARIO, seed: 2 }, inputLog: sim.inputLog, inputsDropped: 0, ticks: sim.tick }, [
      { nickname: "ada", seats: [`kubelet:${NODE}`] },
    ]);
    expect(report.ok).to.equal(true);
    if (!report.ok) return;
    const ada = report.players[0];
    const played = sim.outcome();
    const botGame = replay(
      { scenario: SCENARIO, seed: 2 },
      sim.inputLog.filter((r) => r.kind !== "request" && r.kind !== "bot"),
      sim.tick,
      false,
    ).outcome();
    expect(ada.seats).to.deep.equal([`kubelet:${NODE}`]);
    expect(ada.withBot.availability).to.be.at.least(ada.withYou.availability);
    // The seat's reactions: when node-3 joined with the player and with the bot, then how fast its pods started.
    const joined = seatReactions(ada.seats, played.seats, botGame.seats)[0];
    expect(joined).to.include({ seat: `kubelet:${NODE}`, measure: "the game second node-3 joined the cluster", unit: "s" });
    expect(joined.you).to.be.greaterThan(joined.bot!);
    expect(ada.moments.map((m) => m.text)).to.deep.equal([
      "you installed the kubelet on node-3; the bot would have installed the container runtime on node-3 instead",
    ]);
  });
});
