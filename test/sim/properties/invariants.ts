/**
 * What the property tests check after ticks and inputs: containers on one machine at most,
 * resources never over-reserved, a rejected input changing nothing (fingerprints), and every
 * answer a well-formed ApiResult.
 */
import { expect } from "chai";
import { admittedRequests } from "../../../shared/sim/api/context.ts";
import type { ApiResult } from "../../../shared/sim/api/status.ts";
import { holdsNodeResources, isActivePod } from "../../../shared/sim/objects/types.ts";
import type { Simulation } from "../../../shared/sim/Simulation.ts";

/** Where a check failed, for the assertion message. */
export const at = (sim: Simulation, what: string) => `[${sim.scenario.id} seed ${sim.seed} ${sim.difficulty}, tick ${sim.tick}, after ${what}]`;

/** Fails with the message, built only on failure: the checks run after every tick and input. */
export function ensure(ok: boolean, message: () => string): asserts ok {
  if (!ok) expect.fail(message());
}

/** A pod's container is on one machine at most, and an active pod's container only on its node. */
export function checkContainers(sim: Simulation, what: string): void {
  const where = new Map<string, string>();
  for (const m of sim.world.machines.values()) {
    for (const [key, c] of m.containers) {
      ensure(c.pod === key, () => `${at(sim, what)} container keyed ${key} on ${m.name} runs pod ${c.pod}`);
      // A container being stopped (deleted or moved pod) may linger for its grace period.
      if (c.stopAt > 0) continue;
      const other = where.get(c.pod);
      ensure(other === undefined, () => `${at(sim, what)} pod ${c.pod} has a live container on ${other} and on ${m.name}`);
      where.set(c.pod, m.name);
      const pod = sim.state.pods.get(c.pod);
      if (pod && isActivePod(pod)) {
        ensure(
          pod.spec.nodeName === m.name,
          () => `${at(sim, what)} active pod ${c.pod} is bound to "${pod.spec.nodeName}" but its container runs on ${m.name}`,
        );
      }
    }
  }
}

/** The requests of pods holding a node's resources fit in its allocatable; free resources are never negative. */
export function checkResources(sim: Simulation, what: string): void {
  const held = new Map<string, { cpu: number; memory: number }>();
  for (const p of sim.state.pods.values()) {
    if (!p.spec.nodeName || !holdsNodeResources(p)) continue;
    let h = held.get(p.spec.nodeName);
    if (!h) held.set(p.spec.nodeName, (h = { cpu: 0, memory: 0 }));
    h.cpu += p.spec.requests.cpu;
    h.memory += p.spec.requests.memory;
  }
  for (const node of sim.state.nodes.values()) {
    const name = node.metadata.name;
    const alloc = node.status.allocatable;
    const h = held.get(name) ?? { cpu: 0, memory: 0 };
    const where = () => {
      const pods = [...sim.state.pods.values()].filter((p) => p.spec.nodeName === name && holdsNodeResources(p));
      return `${at(sim, what)} node ${name} (allocatable ${alloc.cpu}m/${alloc.memory}Mi) holds ${pods.map((p) => `${p.metadata.name}(${p.status.phase})`).join(", ")}`;
    };
    ensure(h.cpu <= alloc.cpu, () => `${where()}: CPU requests ${h.cpu}m exceed allocatable ${alloc.cpu}m`);
    ensure(h.memory <= alloc.memory, () => `${where()}: memory requests ${h.memory}Mi exceed allocatable ${alloc.memory}Mi`);
    // The API server's own view (what admission uses) agrees and leaves no negative free resources.
    const used = admittedRequests(sim.state, name);
    ensure(
      used.cpu === h.cpu && used.memory === h.memory,
      () => `${where()}: the API server counts ${used.cpu}m/${used.memory}Mi reserved, the pods hold ${h.cpu}m/${h.memory}Mi`,
    );
    ensure(alloc.cpu - used.cpu >= 0 && alloc.memory - used.memory >= 0, () => `${where()}: negative free resources`);
  }
}

/** The whole physical side a request could touch: machines (containers, proxy rules, …), leaders, leaks. */
function worldPrint(sim: Simulation): string {
  return JSON.stringify({
    machines: [...sim.world.machines.values()].map((m) => ({
      ...m,
      containers: [...m.containers.entries()],
      images: [...m.images],
      proxyRules: [...m.proxyRules.entries()],
    })),
    leaders: sim.world.leaders,
    leaks: [...sim.world.memoryLeaks.entries()],
  });
}

interface Fingerprint {
  revision: number;
  pending: number;
  objects: string;
  world: string;
  traffic: string;
}

export function fingerprint(sim: Simulation): Fingerprint {
  return {
    revision: sim.state.revision,
    pending: sim.state.pendingChanges().length,
    objects: JSON.stringify(sim.state.allObjects()),
    world: worldPrint(sim),
    traffic: JSON.stringify(sim.traffic.snapshot()),
  };
}

export function expectUnchanged(sim: Simulation, before: Fingerprint, why: string): void {
  const after = fingerprint(sim);
  expect(after.revision, `${why}: the revision moved`).to.equal(before.revision);
  expect(after.pending, `${why}: changes were queued for the store`).to.equal(before.pending);
  expect(after.objects === before.objects, `${why}: the API objects changed`).to.equal(true);
  expect(after.world === before.world, `${why}: the machines (containers, proxy rules, …) changed`).to.equal(true);
  expect(after.traffic === before.traffic, `${why}: the traffic changed`).to.equal(true);
}

const ANSWER_CODES = [200, 201, 400, 401, 403, 404, 409, 422, 429, 503];

/** An answer the room can send back: a well-formed ApiResult with a known code, never a 500. */
export function expectAnswer(result: unknown, why: string): void {
  expect(result, `${why}: no answer`).to.be.an("object");
  const r = result as ApiResult;
  expect(r.code, `${why}: answered 500: ${r.message}`).to.not.equal(500);
  expect(ANSWER_CODES, `${why}: unexpected code ${r.code}`).to.include(r.code);
  expect(r.ok, `${why}: ok must be a boolean`).to.be.a("boolean");
  expect(r.ok, `${why}: ok ${r.ok} with code ${r.code}`).to.equal(r.code < 300);
  expect(r.message, `${why}: the answer needs a message`).to.be.a("string").that.is.not.empty;
}

export function sendWithoutThrowing(send: () => ApiResult, why: string): ApiResult {
  let result: ApiResult | undefined;
  let error: unknown;
  try {
    result = send();
  } catch (err) {
    error = err;
  }
  expect(error, `${why}: threw ${error instanceof Error ? error.stack?.split("\n").slice(0, 3).join(" | ") : String(error)}`).to.equal(undefined);
  return result!;
}
