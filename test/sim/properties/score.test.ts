/**
 * Property tests of the score: always 0–1,000, the sum of its parts, and a lost game never
 * outscores a won one — neither for any inputs of the formula, nor among random games of a
 * scenario (random seeds, idle roles and chaos at random times).
 * Replay a failure: FC_SEED=<seed> FC_PATH=<path> npm test -- test/sim/properties/score.test.ts
 */
import { expect } from "chai";
import fc from "fast-check";
import { FailureSchema } from "../../../shared/sim/failures/failures.ts";
import { scoreParts, totalScore } from "../../../shared/sim/scoring/score.ts";
import { Simulation } from "../../../shared/sim/Simulation.ts";
import { params } from "./settings.ts";

const inputs = (won: boolean) =>
  fc.record({
    won: fc.constant(won),
    availability: fc.double({ min: 0, max: 1, noNaN: true }),
    incidents: fc.array(fc.record({ at: fc.nat(100_000), label: fc.constant("x"), recoveredAt: fc.option(fc.nat(200_000), { nil: undefined }) }), {
      maxLength: 6,
    }),
    oomKills: fc.nat(50),
    rejectedBindings: fc.nat(200),
    staleDrops: fc.nat(100_000),
  });

const ROLES = ["scheduler", "controller-manager", "kubelet", "kube-proxy"];
const CHAOS = [
  { type: "crashNode", node: "node-1" },
  { type: "killPod", deployment: "web" },
  { type: "crashContainer", deployment: "web" },
  { type: "trafficSpike", service: "web", factor: 3, durationSec: 30 },
  { type: "memoryLeak", deployment: "web", mibPerSec: 60 },
  { type: "stopProcess", node: "node-2", process: "kube-proxy", durationSec: 40 },
].map((f) => FailureSchema.parse(f));

describe("properties: the score", function () {
  this.timeout(120_000);

  it("is 0–1,000, the sum of its parts, and any won game outscores any lost one", () => {
    fc.assert(
      fc.property(inputs(true), inputs(false), (w, l) => {
        const won = scoreParts(w);
        const lost = scoreParts(l);
        for (const p of [won, lost]) {
          expect(totalScore(p)).to.be.within(0, 1000);
          expect(p.penalties).to.be.at.most(0);
        }
        expect(totalScore(won)).to.be.greaterThan(totalScore(lost));
      }),
      params<[unknown, unknown]>(500),
    );
  });

  it("among random games of a scenario, no lost game outscores a won one", () => {
    const game = fc.record({
      seed: fc.nat(1000),
      off: fc.subarray(ROLES, { maxLength: 1 }),
      chaos: fc.array(fc.record({ atTick: fc.integer({ min: 0, max: 2000 }), f: fc.constantFrom(...CHAOS) }), { maxLength: 3 }),
    });
    const outcomes: { won: boolean; score: number; why: string }[] = [];
    fc.assert(
      fc.property(game, ({ seed, off, chaos }) => {
        const sim = new Simulation({ scenario: "node-down", seed, botsOff: off });
        const due = [...chaos].sort((a, b) => a.atTick - b.atTick);
        while (!sim.isOver()) {
          while (due.length && due[0].atTick <= sim.tick) sim.inject(due.shift()!.f);
          sim.step();
        }
        const o = sim.outcome();
        expect(o.score).to.equal(totalScore(o.scoreParts));
        outcomes.push({ won: o.won, score: o.score, why: `seed ${seed}, off ${off.join() || "-"}, chaos ${JSON.stringify(chaos)}` });
      }),
      params<[unknown]>(24),
    );
    const won = outcomes.filter((o) => o.won);
    const lost = outcomes.filter((o) => !o.won);
    if (won.length && lost.length) {
      const worstWon = won.reduce((a, b) => (a.score <= b.score ? a : b));
      const bestLost = lost.reduce((a, b) => (a.score >= b.score ? a : b));
      expect(bestLost.score, `lost ${bestLost.why} against won ${worstWon.why}`).to.be.below(worstWon.score);
    }
    expect(won.length + lost.length).to.equal(outcomes.length);
  });
});
