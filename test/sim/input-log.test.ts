/**
 * The input log: what it records (parsed requests the caller's role may make, never raw input),
 * its cap and what happens there (the game plays on, the log is marked incomplete, replays are
 * refused), and the caps on chaos that keep the rest of a saved game bounded.
 */
import { expect } from "chai";
import { MAX_INJECTED_FAILURES } from "../../shared/sim/failures/failures.ts";
import { MAX_MACHINES } from "../../shared/sim/failures/apply.ts";
import { replayOf } from "../../shared/sim/replay.ts";
import { MAX_INPUT_LOG_CHARS, Simulation } from "../../shared/sim/Simulation.ts";
import { newSim, sitDown } from "./support.ts";

const logChars = (sim: Simulation) => sim.inputLog.reduce((n, r) => n + JSON.stringify(r).length, 0);

describe("the input log", () => {
  it("records a request as parsed: unknown fields are dropped, never the raw input", () => {
    const sim = newSim("node-down");
    const cm = sitDown(sim, "controller-manager");
    sim.run(10);
    sim.request(cm, { type: "createPod", deployment: "web", padding: "x".repeat(10_000) }, "Ada");
    const last = sim.inputLog.at(-1)!;
    expect(last).to.deep.include({ kind: "request", request: { type: "createPod", deployment: "web" }, actor: "Ada" });
    expect(JSON.stringify(last).length).to.be.below(300);
  });

  // Each is refused without changing the game, so a replay does not need it.
  const unlogged: [string, (sim: Simulation, token: string) => unknown][] = [
    ["a request with a 60 KB name (malformed)", (sim, t) => sim.request(t, { type: "createPod", deployment: "a".repeat(60_000) })],
    ["a request that is not a request at all", (sim, t) => sim.request(t, "x".repeat(60_000))],
    ["a request from an unknown token", (sim) => sim.request("forged", { type: "createPod", deployment: "web" })],
    [
      "a request the caller's role may never make",
      (sim, t) =>
        sim.request(t, { type: "updateEndpoints", service: "web", addresses: Array.from({ length: 1000 }, () => ({ pod: "p", node: "n", ip: "10.0.0.1" })) }),
    ],
    ["a failure with a label past the chaos panel's limit", (sim) => sim.inject({ type: "killPod", deployment: "web" }, "x".repeat(60_000))],
  ];
  for (const [what, send] of unlogged) {
    it(`does not record ${what}`, () => {
      const sim = newSim("node-down");
      const cm = sitDown(sim, "controller-manager");
      sim.run(10);
      const before = JSON.stringify(sim.inputLog);
      const result = send(sim, cm) as { ok: boolean };
      expect(result.ok).to.equal(false);
      expect(JSON.stringify(sim.inputLog)).to.equal(before);
    });
  }

  it(`holds at most ${MAX_INPUT_LOG_CHARS / 1024 / 1024} MiB; past it the game plays on, the log is marked incomplete and its replay is refused`, function () {
    this.timeout(120_000);
    const sim = newSim("free-play");
    const cm = sitDown(sim, "controller-manager");
    sim.run(5);
    // A request the role may make, refused by the state (no such node): recorded, changes nothing.
    const probe = { type: "markNodeNotReady", node: `n-${"x".repeat(58)}` };
    while (sim.inputsDropped === 0) sim.request(cm, probe, "Ada");
    const full = sim.inputLog.length;
    expect(logChars(sim))
      .to.be.at.most(MAX_INPUT_LOG_CHARS)
      .and.above(MAX_INPUT_LOG_CHARS - 1_000);
    // At the cap: nothing more is recorded, not even a small input that would still fit…
    sim.setBot("scheduler", false);
    const revision = sim.state.revision;
    const deleted = sim.request(sim.tokenFor("admin"), { type: "scale", deployment: "web", replicas: 6 }, "host");
    expect(sim.inputLog.length).to.equal(full);
    expect(sim.inputsDropped).to.equal(3);
    // …and the game goes on: the request took effect, and time passes.
    expect(deleted.ok, deleted.message).to.equal(true);
    expect(sim.state.revision).to.be.above(revision);
    expect(sim.state.deployments.get("web")!.spec.replicas).to.equal(6);
    sim.request(cm, probe, "Ada");
    sim.run(50);
    expect(sim.tick).to.equal(55);
    const saved = JSON.parse(JSON.stringify(sim.snapshot()));
    expect(saved.inputsDropped).to.equal(4);
    expect(() => replayOf(saved)).to.throw(/cannot be replayed: its input log is incomplete/);
    // A restored game keeps its mark, and its log stays full.
    const restored = Simulation.restore(saved);
    restored.request(restored.tokenFor("controller-manager"), { type: "createPod", deployment: "web" }, "Ada");
    expect(restored.inputLog.length).to.equal(full);
    expect(restored.inputsDropped).to.equal(5);
  });

  it("replays a game whose log is complete, to the same cluster", () => {
    const sim = newSim("node-down");
    const cm = sitDown(sim, "controller-manager");
    sim.run(100);
    sim.inject({ type: "crashNode", node: "node-2", durationSec: 20 });
    sim.run(150);
    sim.request(cm, { type: "markNodeNotReady", node: "node-2" }, "Ada");
    sim.run(100);
    const again = replayOf(JSON.parse(JSON.stringify(sim.snapshot())));
    expect(JSON.stringify(again.state.allObjects())).to.equal(JSON.stringify(sim.state.allObjects()));
  });
});

describe("caps on chaos", () => {
  it(`takes at most ${MAX_INJECTED_FAILURES} injected failures a game, then refuses with a reason`, () => {
    const sim = newSim("free-play");
    for (let i = 0; i < MAX_INJECTED_FAILURES; i++) sim.inject({ type: "slowImagePulls", factor: 2, durationSec: 1 }, `pulls ${i}`);
    const incidents = sim.score.incidents.length;
    const refused = sim.inject({ type: "killPod", deployment: "web" });
    expect(refused).to.deep.include({ ok: false, code: 429 });
    expect(refused.message).to.match(/200 failures injected.*start a new game/);
    expect(sim.score.incidents.length).to.equal(incidents);
  });

  it(`grows a cluster to at most ${MAX_MACHINES} machines`, () => {
    const sim = newSim("free-play");
    const start = sim.world.machines.size;
    for (let i = start; i < MAX_MACHINES; i++) expect(sim.inject({ type: "joinWorker" }).ok).to.equal(true);
    const refused = sim.inject({ type: "joinWorker" });
    expect(refused).to.deep.include({ ok: false, code: 422 });
    expect(refused.message).to.match(/64 machines/);
    expect(sim.world.machines.size).to.equal(MAX_MACHINES);
  });
});
