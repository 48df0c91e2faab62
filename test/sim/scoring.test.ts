import { expect } from "chai";
import { Scoreboard } from "../../shared/sim/scoring/Scoreboard.ts";
import { recoveryQuality } from "../../shared/sim/scoring/score.ts";
import { Simulation } from "../../shared/sim/Simulation.ts";
import type { Finished } from "../../shared/sim/traffic/Traffic.ts";

const req = (outcome: Finished["outcome"], at: number): Finished => ({ id: at, service: "web", entry: "node-1", node: "node-1", pod: "p", outcome, at });

describe("scoring", () => {
  it("counts a recovery stamped before its incident as instant, never as more than full marks", () => {
    expect(recoveryQuality([{ at: 99_600, label: "x", recoveredAt: 0 }])).to.equal(1);
    expect(recoveryQuality([{ at: 0, label: "x", recoveredAt: 60_000 }])).to.equal(0.5);
  });

  it("availability is served over all ended requests, 1 when nothing was asked", () => {
    const s = new Scoreboard();
    expect(s.totalAvailability()).to.equal(1);
    s.recordTraffic([req("served", 100), req("served", 100), req("dropped", 100), req("timedOut", 100)], 100);
    expect(s.totalAvailability()).to.equal(0.5);
  });

  it("the sliding availability forgets what is older than a minute", () => {
    const s = new Scoreboard();
    s.recordTraffic([req("dropped", 500)], 500);
    s.recordTraffic([req("served", 30_000)], 30_000);
    expect(s.slidingAvailability()).to.equal(0.5);
    s.recordTraffic([req("served", 61_000)], 61_000);
    expect(s.slidingAvailability()).to.equal(1);
    expect(s.totalAvailability()).to.be.closeTo(2 / 3, 1e-9);
  });

  it("samples the timeline every second with the last second's outcomes", () => {
    const s = new Scoreboard();
    s.recordTraffic([req("served", 900), req("dropped", 900)], 900);
    s.endTick(1000, 2, 5, true);
    expect(s.timeline).to.deep.equal([{ t: 1, availability: 0.5, served: 1, dropped: 1, timedOut: 0, pending: 2, serving: 5 }]);
  });

  it("an incident recovered quickly earns more than one recovered slowly", () => {
    const fast = new Scoreboard();
    fast.failure("x", 0);
    fast.endTick(5000, 0, 1, true);
    const slow = new Scoreboard();
    slow.failure("x", 0);
    slow.endTick(5000, 0, 0, false);
    slow.endTick(90_000, 0, 1, true);
    expect(fast.incidents[0].recoveredAt).to.equal(5000);
    expect(slow.incidents[0].recoveredAt).to.equal(90_000);
    expect(fast.teamScore()).to.be.greaterThan(slow.teamScore());
  });

  describe("no points for speed (the host's option)", () => {
    /** A scoreboard with one incident recovered at `recoveredMs` (never: not recovered). */
    const oneIncident = (noSpeedPoints: boolean, recoveredMs?: number) => {
      const s = new Scoreboard();
      s.noSpeedPoints = noSpeedPoints;
      s.failure("x", 0);
      s.endTick(5000, 0, 0, false);
      if (recoveredMs !== undefined) s.endTick(recoveredMs, 0, 1, true);
      return s;
    };

    it("a slow recovery scores as much as a fast one; one never made still scores nothing", () => {
      expect(oneIncident(true, 10_000).scoreParts(false).recovery).to.equal(150);
      expect(oneIncident(true, 110_000).scoreParts(false).recovery).to.equal(150);
      expect(oneIncident(true).scoreParts(false).recovery).to.equal(0);
      // With speed points (the default) the same slow recovery earns little.
      expect(oneIncident(false, 110_000).scoreParts(false).recovery).to.be.below(20);
      expect(
        recoveryQuality(
          [
            { at: 0, label: "x", recoveredAt: 119_000 },
            { at: 0, label: "y" },
          ],
          { noSpeedPoints: true },
        ),
      ).to.equal(0.5);
    });

    it("is saved with the score and restored with it", () => {
      const copy = Scoreboard.restore(JSON.parse(JSON.stringify(oneIncident(true, 110_000).snapshot())));
      expect(copy.noSpeedPoints).to.equal(true);
      expect(copy.scoreParts(false).recovery).to.equal(150);
      // A score saved before the option existed restores with it off.
      const old = oneIncident(false, 110_000).snapshot() as unknown as Record<string, unknown>;
      delete old.noSpeedPoints;
      expect(Scoreboard.restore(old as never).noSpeedPoints).to.equal(false);
    });

    it("is an input of the simulation: the same seed gives the same game, with the recovery scored without its speed and the outcome saying so", () => {
      const play = (noSpeedPoints: boolean) => {
        const sim = new Simulation({ scenario: "node-down", seed: 7, noSpeedPoints });
        while (!sim.isOver()) sim.step();
        return sim;
      };
      const [a, b, off] = [play(true), play(true), play(false)];
      const outcome = a.outcome();
      expect(outcome).to.deep.equal(b.outcome());
      expect(outcome.noSpeedPoints).to.equal(true);
      expect(off.outcome()).not.to.have.property("noSpeedPoints");
      // The option changes the score only, never the game: the same requests served, the same incidents.
      expect(outcome.served).to.equal(off.outcome().served);
      expect(outcome.incidents).to.deep.equal(off.outcome().incidents);
      const recovered = outcome.incidents.filter((i) => i.recoveredAt !== undefined).length;
      expect(outcome.incidents.length).to.be.greaterThan(0);
      expect(outcome.scoreParts.recovery).to.equal(Math.round((150 * recovered) / outcome.incidents.length));
      expect(outcome.scoreParts.recovery).to.be.greaterThan(off.outcome().scoreParts.recovery);
      // Restored from a snapshot, the game keeps the option.
      expect(Simulation.restore(JSON.parse(JSON.stringify(a.snapshot()))).score.noSpeedPoints).to.equal(true);
    });
  });

  it("survives a snapshot and restore unchanged", () => {
    const s = new Scoreboard();
    s.recordTraffic([req("served", 900), req("dropped", 1500)], 1500);
    s.failure("boom", 1000);
    s.endTick(2000, 1, 2, false);
    const copy = Scoreboard.restore(JSON.parse(JSON.stringify(s.snapshot())));
    expect(copy.snapshot()).to.deep.equal(s.snapshot());
    expect(copy.slidingAvailability()).to.equal(s.slidingAvailability());
  });

  describe("incident recovery is measured against what each failure broke", () => {
    it("a container crash during a node loss recovers when its pod serves again, not when the node's pods are replaced", () => {
      const sim = new Simulation({ scenario: "free-play", seed: 1 });
      sim.run(100);
      const web = sim.state.podsOnNode("node-1").find((p) => p.metadata.labels?.app === "web")!;
      expect(sim.inject({ type: "crashNode", node: "node-2" }).ok).to.equal(true);
      sim.run(20);
      expect(sim.inject({ type: "crashContainer", pod: web.metadata.name }).ok).to.equal(true);
      sim.run(1200);
      const [node, crash] = sim.outcome().incidents;
      const took = (i: { at: number; recoveredAt?: number }) => (i.recoveredAt! - i.at) / 1000;
      expect(took(crash), "crash").to.be.within(1, 10);
      expect(took(node), "node").to.be.greaterThan(20);
    });

    it("a container crash picked at random is tracked by the pod it hit", () => {
      const sim = new Simulation({ scenario: "node-down", seed: 2 });
      sim.run(50);
      expect(sim.inject({ type: "crashContainer", deployment: "api" }).ok).to.equal(true);
      sim.run(300);
      const i = sim.outcome().incidents[0];
      expect((i.recoveredAt! - i.at) / 1000).to.be.within(1, 10);
    });

    it("a memory leak is not recovered before it has done harm and the harm is healed", () => {
      const sim = new Simulation({ scenario: "noisy-neighbour", seed: 1 });
      sim.run();
      const leak = sim.outcome().incidents[0];
      expect(leak.label).to.match(/leak/);
      // At 100 MiB/s the first node reaches memory pressure about 55 s after the leak starts.
      expect((leak.recoveredAt! - leak.at) / 1000).to.be.greaterThan(30);
    });

    it("a failure that breaks nothing recovers when its own effect is over", () => {
      const sim = new Simulation({ scenario: "free-play", seed: 1 });
      sim.run(50);
      expect(sim.inject({ type: "slowImagePulls", factor: 3, durationSec: 20 }).ok).to.equal(true);
      sim.run(300);
      const i = sim.outcome().incidents[0];
      expect((i.recoveredAt! - i.at) / 1000).to.be.within(20, 21);
    });
  });
});
