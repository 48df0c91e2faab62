/**
 * Property tests of the traffic: every request of a random game ends in exactly one outcome, and
 * the requests in flight are all listed however many there are.
 * Replay a failure: FC_SEED=<seed> FC_PATH=<path> npm test -- test/sim/properties/traffic.test.ts
 */
import { expect } from "chai";
import fc from "fast-check";
import { DIFFICULTIES, type Difficulty } from "../../../shared/sim/bots/Bot.ts";
import { Simulation } from "../../../shared/sim/Simulation.ts";
import { planArb } from "./generators.ts";
import { at, ensure } from "./invariants.ts";
import { play } from "./player.ts";
import { params } from "./settings.ts";

describe("properties (random scenarios, seeds, requests and failures)", function () {
  this.timeout(120_000);

  describe("traffic", () => {
    it("ends every request in exactly one outcome: generated = served + dropped + timed out + in flight", () => {
      fc.assert(
        fc.property(planArb({ minTicks: 100, maxTicks: 500, maxInputs: 30 }), (plan) => {
          const ended = new Set<number>();
          play(plan, {
            tick: (sim, report) => {
              const where = () => at(sim, "the tick");
              const generated = sim.traffic.snapshot().nextId - 1;
              for (const f of report.finished) {
                ensure(!ended.has(f.id), () => `${where()} request ${f.id} ended twice (now ${f.outcome})`);
                ensure(f.id >= 1 && f.id <= generated, () => `${where()} request id ${f.id} was never generated (${generated} were)`);
                ensure(["served", "dropped", "timedOut"].includes(f.outcome), () => `${where()} request ${f.id} ended as ${f.outcome}`);
                ended.add(f.id);
              }
              const inFlight = sim.traffic.inFlight();
              const flying = new Set<number>();
              for (const r of inFlight) {
                ensure(!ended.has(r.id), () => `${where()} request ${r.id} ended but is still in flight`);
                ensure(!flying.has(r.id), () => `${where()} request ${r.id} is in flight twice`);
                flying.add(r.id);
              }
              ensure(
                inFlight.length === sim.traffic.inFlightCount,
                () => `${where()} inFlightCount ${sim.traffic.inFlightCount}, ${inFlight.length} in flight`,
              );
              const t = sim.score.totals;
              ensure(
                t.served + t.dropped + t.timedOut === ended.size,
                () => `${where()} the score counts ${t.served}+${t.dropped}+${t.timedOut}, ${ended.size} ended`,
              );
              ensure(
                generated === ended.size + sim.traffic.inFlightCount,
                () => `${where()} ${generated} generated, ${ended.size} ended, ${sim.traffic.inFlightCount} in flight`,
              );
            },
          });
        }),
        params(40),
      );
    });

    it("lists every request in flight however many there are, even when the chaos panel stacks spikes", () => {
      // The random games keep spikes small to stay fast; this storm is the largest three clicks make:
      // three ×20 spikes on traffic-spike's 50 req/s, 400 000 req/s for the ~1.3 s a request may wait.
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), fc.constantFrom(...DIFFICULTIES), (seed, difficulty) => {
          const sim = new Simulation({ scenario: "traffic-spike", seed, difficulty });
          for (let i = 0; i < 3; i++) expect(sim.inject({ type: "trafficSpike", service: "web", factor: 20, durationSec: 30 }).ok).to.equal(true);
          for (let t = 0; t < 13; t++) {
            sim.step();
            let listed: number;
            try {
              listed = sim.traffic.inFlight().length;
            } catch (err) {
              expect.fail(
                `[traffic-spike seed ${seed} ${difficulty}, tick ${sim.tick}, ${sim.traffic.inFlightCount} in flight] inFlight() threw ${(err as Error).message}`,
              );
            }
            ensure(listed === sim.traffic.inFlightCount, () => `tick ${sim.tick}: ${listed} listed, ${sim.traffic.inFlightCount} in flight`);
          }
        }),
        // Each run is a second or so of heavy traffic: two runs, and no shrinking (any seed shows it).
        { ...params<[number, Difficulty]>(2), numRuns: 2, endOnFailure: true },
      );
    });
  });
});
