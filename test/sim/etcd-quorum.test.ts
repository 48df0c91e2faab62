/**
 * The etcd-quorum scenario: the seed's example cluster (2 control-plane nodes, 3 workers) loses one
 * etcd member. With 1 of 2 members up there is no majority: every write answers 503, reads still
 * work, the pods keep serving; a worker that dies meanwhile is healed only once quorum is back.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { getScenario } from "../../shared/sim/scenarios/index.ts";
import { Simulation } from "../../shared/sim/Simulation.ts";
import { sitDown, stepUntil } from "./support.ts";

const at = (sim: Simulation, sec: number) => stepUntil(sim, () => sim.now >= sec * 1000, 10 * sec + 10, `t=${sec} s`);

describe("etcd-quorum scenario", () => {
  it("is the seed's example: 2 control-plane nodes, each with an etcd member, and 3 workers", () => {
    const sim = new Simulation({ scenario: "etcd-quorum", seed: 1 });
    expect(sim.world.controlPlane().map((m) => m.name)).to.deep.equal(["cp-1", "cp-2"]);
    expect(sim.world.workers()).to.have.length(3);
    expect(sim.world.etcd()).to.deep.equal({ up: 2, members: 2, quorum: true });
  });

  it("etcd on cp-2 stops at 40 s: 1 of 2 members is no majority, and it is back at 85 s", () => {
    const sim = new Simulation({ scenario: "etcd-quorum", seed: 1 });
    at(sim, 39);
    expect(sim.world.etcd().quorum).to.equal(true);
    at(sim, 41);
    expect(sim.world.etcd()).to.deep.equal({ up: 1, members: 2, quorum: false });
    at(sim, 84);
    expect(sim.world.etcd().quorum).to.equal(false);
    at(sim, 86);
    expect(sim.world.etcd().quorum).to.equal(true);
  });

  it("without quorum every write answers 503 and changes nothing, a read still works, and the pods keep serving", () => {
    const sim = new Simulation({ scenario: "etcd-quorum", seed: 2 });
    const cm = sitDown(sim, "controller-manager");
    const proxy = sitDown(sim, "kube-proxy:node-1");
    at(sim, 45);
    const revision = sim.state.revision;
    const served = sim.score.totals.served;
    const write = sim.request(cm, { type: "createPod", deployment: "web" });
    expect(write.code).to.equal(503);
    expect(write.message).to.match(/etcd has lost quorum \(1 of 2 members up\)/);
    expect(sim.state.revision).to.equal(revision);
    expect(sim.request(proxy, { type: "syncRules", node: "node-1", service: "web", mode: "local-first" }).code).to.equal(200);
    at(sim, 52);
    // Nothing was stored for seven seconds (the heartbeats were refused too), yet requests were served.
    expect(sim.state.revision).to.equal(revision);
    const ratio = (sim.score.totals.served - served) / 7 / 100;
    expect(ratio, "share of 100 rps served during the outage").to.be.greaterThan(0.9);
  });

  it("node-3 dies during the outage and is marked NotReady and replaced only once quorum is back", () => {
    const sim = new Simulation({ scenario: "etcd-quorum", seed: 3 });
    at(sim, 84);
    // 29 s without a heartbeat, but the node controller could not write it down.
    expect(sim.state.nodes.get("node-3")!.status.ready).to.equal("True");
    stepUntil(sim, () => sim.state.nodes.get("node-3")!.status.ready !== "True", 100, "node-3 NotReady");
    expect(sim.now).to.be.at.least(85_000);
    // The live nodes, silent for as long, keep their Ready: their kubelets renew first.
    expect(sim.state.nodes.get("node-1")!.status.ready).to.equal("True");
    expect(sim.state.nodes.get("node-2")!.status.ready).to.equal("True");
    sim.run();
    const o = sim.outcome();
    expect(o.won, o.verdict).to.equal(true);
  });

  it("whenever quorum comes back, only the dead node is marked NotReady: the leaders, whose leases etcd holds, stepped down", () => {
    const base = getScenario("etcd-quorum")!;
    // etcd back between two heartbeats (85.35 s), with quick bots: nothing may be judged on heartbeats etcd could not store.
    const events = base.events.map((e) => (e.failure.type === "stopProcess" ? { ...e, failure: { ...e.failure, durationSec: 45.35 } } : e));
    const sim = new Simulation({ scenario: { ...base, events }, seed: 1, difficulty: "easy" });
    at(sim, 50);
    expect(sim.world.leader("controller-manager")).to.equal(null);
    expect(sim.world.leader("scheduler")).to.equal(null);
    const notReady = new Set<string>();
    while (!sim.isOver()) {
      sim.step();
      for (const n of sim.state.nodes.values()) if (n.status.ready !== "True") notReady.add(n.metadata.name);
    }
    expect([...notReady]).to.deep.equal(["node-3"]);
    expect(sim.outcome().won).to.equal(true);
  });

  it("the same seed gives the same game, and a game saved during the outage resumes to the same end", () => {
    const a = new Simulation({ scenario: "etcd-quorum", seed: 7 });
    const b = new Simulation({ scenario: "etcd-quorum", seed: 7 });
    at(a, 60);
    const resumed = Simulation.restore(JSON.parse(JSON.stringify(a.snapshot())));
    a.run();
    b.run();
    resumed.run();
    expect(JSON.stringify(a.state.allObjects())).to.equal(JSON.stringify(b.state.allObjects()));
    expect(JSON.stringify(resumed.state.allObjects())).to.equal(JSON.stringify(a.state.allObjects()));
    expect(resumed.state.revision).to.equal(a.state.revision);
  });

  it("its texts say what the seed says about etcd, and what a real cluster does instead", () => {
    const s = getScenario("etcd-quorum")!;
    expect(s.intro).to.contain("key-value store of the cluster's state information").and.contain("the cluster's brain").and.contain("NOT stored in etcd");
    expect(s.debrief)
      .to.match(/3 or 5/)
      .and.match(/majority of 2 is 2/)
      .and.match(/Only the API server talks to etcd/)
      .and.match(/watch the API server/);
  });

  it("declares only what it teaches: each told phrase is in its text, each failure in its events", () => {
    const raw = JSON.parse(readFileSync("shared/sim/scenarios/data/etcd-quorum.json", "utf8"));
    const bank = JSON.parse(readFileSync("server/teaching/questions/etcd-quorum.json", "utf8"));
    const textOf = (where: string): string => {
      if (where === "intro" || where === "debrief") return raw[where];
      if (where.startsWith("hint:")) return raw.hints[where.slice(5)];
      const q = bank.questions.find((x: { id: string }) => x.id === where.slice("question:".length));
      return q ? `${q.text} ${q.explain}` : "";
    };
    const labels: string[] = raw.events.map((e: { label: string }) => e.label);
    for (const [concept, how] of Object.entries<any>(raw.teaches)) {
      for (const t of how.told ?? []) expect(textOf(t.in).toLowerCase(), `${concept} told in ${t.in}`).to.contain(t.says.toLowerCase());
      if (how.seesFail)
        expect(
          labels.some((l) => l.includes(how.seesFail.when)),
          `${concept} fails when ${how.seesFail.when}`,
        ).to.equal(true);
    }
    for (const id of [...bank.exitCheck, ...bank.checkpoints.map((c: { question: string }) => c.question)])
      expect(bank.questions.map((q: { id: string }) => q.id)).to.include(id);
    expect(bank.exitCheck.length).to.be.within(3, 5);
    for (const q of bank.questions) expect(q.answer, q.id).to.be.within(0, q.options.length - 1);
  });

  it("a bot-played game shows each declared seat making its declared action", () => {
    const raw = JSON.parse(readFileSync("shared/sim/scenarios/data/etcd-quorum.json", "utf8"));
    const USER: Record<string, string> = {
      scheduler: "kube-scheduler",
      "controller-manager": "kube-controller-manager",
      "kube-proxy": "kube-proxy/",
      kubelet: "kubelet/",
    };
    const sim = new Simulation({ scenario: "etcd-quorum", seed: 1 });
    const done = new Set<string>();
    let seen = 0;
    while (!sim.isOver()) {
      sim.step();
      const fresh = sim.api.recentAudit().slice(-(sim.api.requestCount - seen));
      seen = sim.api.requestCount;
      for (const a of fresh) if (a.code < 300) for (const [seat, user] of Object.entries(USER)) if (a.user.includes(user)) done.add(`${seat}:${a.type}`);
    }
    for (const how of Object.values<any>(raw.teaches))
      for (const d of how.does ?? []) expect(done, `${d.seat} ${d.action}`).to.include(`${d.seat}:${d.action}`);
  });
});
