/**
 * Property test of determinism: a random game with chaos plays the same twice, and replays the
 * same from its input log.
 * Replay a failure: FC_SEED=<seed> FC_PATH=<path> npm test -- test/sim/properties/determinism.test.ts
 */
import { expect } from "chai";
import fc from "fast-check";
import { replay } from "../../../shared/sim/replay.ts";
import { failureSpec, planArb, record, requestSpec } from "./generators.ts";
import type { Plan } from "./plan.ts";
import { optionsOf, play } from "./player.ts";
import { params } from "./settings.ts";

describe("properties (random scenarios, seeds, requests and failures)", function () {
  this.timeout(120_000);

  describe("determinism", () => {
    it("plays the same game twice from the same scenario, seed, difficulty and inputs, and replays it from its input log", () => {
      // Every game gets at least one failure and one request from outside, on top of its plan.
      const gameWithChaos = fc
        .record({
          plan: planArb({ minTicks: 100, maxTicks: 350, maxInputs: 25 }),
          failure: record({ at: fc.integer({ min: 0, max: 1000 }), failure: failureSpec }),
          request: record({ at: fc.integer({ min: 0, max: 1000 }), req: requestSpec }),
        })
        .map(
          ({ plan, failure, request }): Plan => ({
            ...plan,
            inputs: [
              ...plan.inputs,
              { at: failure.at, batch: [{ kind: "failure", failure: failure.failure }] },
              { at: request.at, batch: [{ kind: "request", who: "rightful", req: request.req }] },
            ],
          }),
        );
      let withBoth = 0;
      let games = 0;
      fc.assert(
        fc.property(gameWithChaos, (plan) => {
          const first = play(plan);
          const second = play(plan);
          const outcome = JSON.stringify(first.outcome());
          expect(JSON.stringify(second.outcome()), "the same plan gave a different outcome").to.equal(outcome);
          expect(JSON.stringify(second.state.allObjects()) === JSON.stringify(first.state.allObjects()), "the same plan gave different objects").to.equal(true);
          const again = replay(optionsOf(plan), first.inputLog, first.tick);
          expect(again.tick).to.equal(first.tick);
          expect(JSON.stringify(again.outcome()), "the replay of the input log gave a different outcome").to.equal(outcome);
          expect(JSON.stringify(again.state.allObjects()) === JSON.stringify(first.state.allObjects()), "the replay gave different objects").to.equal(true);
          games++;
          if (first.inputLog.some((r) => r.kind === "request") && first.inputLog.some((r) => r.kind === "failure")) withBoth++;
        }),
        params(30),
      );
      // Requests with forged tokens and failures with malformed names are not logged: most games still have both.
      expect(withBoth, `only ${withBoth} of ${games} games logged both a request and a failure`).to.be.at.least(games / 2);
    });
  });
});
