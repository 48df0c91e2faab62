/**
 * Property tests of the API server under random games with junk requests and failures: a refusal
 * changes nothing, and nothing makes it throw or answer 500.
 * Replay a failure: FC_SEED=<seed> FC_PATH=<path> npm test -- test/sim/properties/api.test.ts
 */
import { expect } from "chai";
import fc from "fast-check";
import type { ApiResult } from "../../../shared/sim/api/status.ts";
import { planArb } from "./generators.ts";
import { at, expectAnswer, expectUnchanged, fingerprint, sendWithoutThrowing } from "./invariants.ts";
import { play } from "./player.ts";
import { params } from "./settings.ts";

describe("properties (random scenarios, seeds, requests and failures)", function () {
  this.timeout(120_000);

  describe("the API server", () => {
    it("changes nothing when it rejects a request", () => {
      let rejected = 0;
      fc.assert(
        fc.property(planArb({ minTicks: 50, maxTicks: 250, maxInputs: 40, junkRequests: true, junkFailures: true }), (plan) => {
          play(plan, {
            request: (sim, send, what) => {
              const before = fingerprint(sim);
              let result: ApiResult | undefined;
              try {
                result = send();
              } catch {
                // Throwing is the next property's concern; a request that throws must change nothing either.
              }
              if (result?.ok) return;
              rejected++;
              expectUnchanged(sim, before, `${at(sim, what)} rejected (${result ? `${result.code} ${result.message}` : "threw"})`);
            },
          });
        }),
        params(40),
      );
      expect(rejected, "no request was rejected: the property tested nothing").to.be.greaterThan(100);
    });

    it("changes nothing when it refuses a failure", () => {
      let refused = 0;
      fc.assert(
        fc.property(planArb({ minTicks: 50, maxTicks: 250, maxInputs: 30, junkFailures: true }), (plan) => {
          play(plan, {
            failure: (sim, send, what) => {
              const before = fingerprint(sim);
              const result = send();
              if (result.ok) return;
              refused++;
              expectUnchanged(sim, before, `${at(sim, what)} refused (${result.code} ${result.message})`);
            },
          });
        }),
        params(30),
      );
      expect(refused, "no failure was refused: the property tested nothing").to.be.greaterThan(10);
    });

    it("never throws and never answers 500, whatever it is sent", () => {
      fc.assert(
        fc.property(planArb({ minTicks: 30, maxTicks: 200, maxInputs: 40, junkRequests: true, junkFailures: true }), (plan) => {
          play(plan, {
            request: (sim, send, what) => expectAnswer(sendWithoutThrowing(send, `${at(sim, what)}`), at(sim, what)),
            failure: (sim, send, what) => expectAnswer(sendWithoutThrowing(send, `${at(sim, what)}`), at(sim, what)),
          });
        }),
        params(60),
      );
    });
  });
});
