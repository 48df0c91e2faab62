/**
 * Property tests of the cluster: random games (plan.ts) keep a pod's container on one machine,
 * never over-reserve a node and never bring a finished pod back; the generators cover every
 * request and failure type.
 * Replay a failure: FC_SEED=<seed> FC_PATH=<path> npm test -- test/sim/properties/cluster.test.ts
 */
import { expect } from "chai";
import fc from "fast-check";
import type { Simulation } from "../../../shared/sim/Simulation.ts";
import { FAILURE_TYPES, planArb, REQUEST_TYPES, failureSpec, requestSpec } from "./generators.ts";
import { at, checkContainers, checkResources, ensure } from "./invariants.ts";
import { play } from "./player.ts";
import { params } from "./settings.ts";

describe("properties (random scenarios, seeds, requests and failures)", function () {
  this.timeout(120_000);

  it("the generators cover every request and failure type", () => {
    const requestTypes = new Set<string>();
    const failureTypes = new Set<string>();
    for (const r of fc.sample(requestSpec, { numRuns: 2000, seed: 1 })) requestTypes.add(r.type);
    for (const f of fc.sample(failureSpec, { numRuns: 2000, seed: 1 })) failureTypes.add(f.type);
    expect([...requestTypes].sort()).to.deep.equal(Object.keys(REQUEST_TYPES).sort());
    expect([...failureTypes].sort()).to.deep.equal(Object.keys(FAILURE_TYPES).sort());
  });

  describe("cluster invariants", () => {
    it("never has a pod's container on two machines, nor an active pod's container off its node", () => {
      fc.assert(
        fc.property(planArb({ minTicks: 100, maxTicks: 500, maxInputs: 30 }), (plan) => {
          play(plan, {
            start: (sim) => checkContainers(sim, "start"),
            input: (sim, what) => checkContainers(sim, what),
            tick: (sim) => checkContainers(sim, "the tick"),
          });
        }),
        params(40),
      );
    });

    it("never reserves more than a node's allocatable resources for the pods that hold them", () => {
      fc.assert(
        fc.property(planArb({ minTicks: 100, maxTicks: 500, maxInputs: 30 }), (plan) => {
          play(plan, {
            start: (sim) => checkResources(sim, "start"),
            input: (sim, what) => checkResources(sim, what),
            tick: (sim) => checkResources(sim, "the tick"),
          });
        }),
        params(60),
      );
    });
  });

  describe("pod lifecycle", () => {
    it("never brings a finished (Failed or Succeeded) pod back to life", () => {
      fc.assert(
        fc.property(planArb({ minTicks: 100, maxTicks: 500, maxInputs: 30 }), (plan) => {
          const finished = new Map<string, string>();
          const check = (sim: Simulation, what: string) => {
            for (const p of sim.state.pods.values()) {
              const { phase } = p.status;
              const terminal = phase === "Failed" || phase === "Succeeded";
              const was = finished.get(p.metadata.uid);
              if (was) ensure(terminal, () => `${at(sim, what)} pod ${p.metadata.name} had ${was} but is ${phase} again (reason "${p.status.reason}")`);
              else if (terminal) finished.set(p.metadata.uid, `${phase} (${p.status.reason || "no reason"})`);
            }
          };
          play(plan, { start: (sim) => check(sim, "start"), input: check, tick: (sim) => check(sim, "the tick") });
        }),
        params(50),
      );
    });
  });
});
