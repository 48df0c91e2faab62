/**
 * Property tests of what the store is sent: one revision per write, and the drained changes
 * applied in order rebuild exactly the cluster's objects.
 * Replay a failure: FC_SEED=<seed> FC_PATH=<path> npm test -- test/sim/properties/store.test.ts
 */
import { expect } from "chai";
import fc from "fast-check";
import { objectKey } from "../../../shared/sim/objects/keys.ts";
import type { Simulation } from "../../../shared/sim/Simulation.ts";
import { planArb } from "./generators.ts";
import { at, ensure } from "./invariants.ts";
import { play } from "./player.ts";
import { params } from "./settings.ts";

describe("properties (random scenarios, seeds, requests and failures)", function () {
  this.timeout(120_000);

  describe("the store", () => {
    it("sees the revision strictly increase by one per write, and no object newer than the revision", () => {
      fc.assert(
        fc.property(planArb({ minTicks: 100, maxTicks: 500, maxInputs: 30 }), (plan) => {
          let last = 0;
          const drain = (sim: Simulation, what: string) => {
            for (const ch of sim.drainChanges()) {
              ensure(ch.revision === last + 1, () => `${at(sim, what)} change ${ch.type} ${ch.key} at revision ${ch.revision} after revision ${last}`);
              last = ch.revision;
            }
            ensure(last === sim.state.revision, () => `${at(sim, what)} the revision is ${sim.state.revision} but the last change stored is ${last}`);
            for (const obj of sim.state.allObjects()) {
              const rv = obj.metadata.resourceVersion;
              ensure(
                rv >= 1 && rv <= sim.state.revision,
                () => `${at(sim, what)} ${objectKey(obj)} has resourceVersion ${rv}, revision is ${sim.state.revision}`,
              );
            }
          };
          play(plan, { start: (sim) => drain(sim, "start"), input: drain, tick: (sim) => drain(sim, "the tick") });
        }),
        params(40),
      );
    });

    it("rebuilds exactly the cluster's objects by applying the drained changes in order", () => {
      fc.assert(
        fc.property(planArb({ minTicks: 100, maxTicks: 500, maxInputs: 30 }), (plan) => {
          // What a store persisting the drained changes would hold: key -> [resourceVersion, JSON].
          const store = new Map<string, [number, string]>();
          const apply = (sim: Simulation, what: string) => {
            for (const ch of sim.drainChanges()) {
              ensure(ch.key === objectKey(ch.object), () => `${at(sim, what)} change key ${ch.key} for ${objectKey(ch.object)}`);
              const stored = store.get(ch.key)?.[0] ?? 0;
              ensure(ch.previous === stored, () => `${at(sim, what)} ${ch.type} ${ch.key} says it replaces revision ${ch.previous}, the store holds ${stored}`);
              if (ch.type === "put") {
                ensure(
                  ch.object.metadata.resourceVersion === ch.revision,
                  () => `${at(sim, what)} ${ch.key} has resourceVersion ${ch.object.metadata.resourceVersion}, stored at revision ${ch.revision}`,
                );
                store.set(ch.key, [ch.revision, JSON.stringify(ch.object)]);
              } else {
                ensure(stored > 0, () => `${at(sim, what)} deleted ${ch.key}, which was never stored`);
                store.delete(ch.key);
              }
            }
          };
          const compare = (sim: Simulation, what: string) => {
            apply(sim, what);
            const live = new Map(sim.state.allObjects().map((o) => [objectKey(o), JSON.stringify(o)]));
            expect([...store.keys()].sort(), `${at(sim, what)} stored keys`).to.deep.equal([...live.keys()].sort());
            for (const [k, v] of live) ensure(store.get(k)?.[1] === v, () => `${at(sim, what)} ${k} is ${v}, the store holds ${store.get(k)?.[1]}`);
          };
          let ticks = 0;
          const sim = play(plan, {
            start: (s) => compare(s, "start"),
            input: apply,
            tick: (s) => (++ticks % 10 === 0 ? compare(s, "the tick") : apply(s, "the tick")),
          });
          compare(sim, "the end");
        }),
        params(40),
      );
    });
  });
});
