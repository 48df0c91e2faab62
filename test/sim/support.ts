/** Helpers shared by the simulation tests. */
import type { PodObject } from "../../shared/sim/objects/types.ts";
import { Simulation, type SimulationOptions } from "../../shared/sim/Simulation.ts";
import { seatRole } from "../../shared/sim/seats.ts";

export function newSim(scenario = "node-down", opts: Partial<SimulationOptions> = {}): Simulation {
  return new Simulation({ scenario, seed: 42, ...opts });
}

/** Takes a seat away from its bot and returns its token, as if a human sat down. */
export function sitDown(sim: Simulation, seat: string): string {
  sim.setBot(seat, false);
  return sim.tokenFor(seat);
}

/** Steps until the predicate holds; fails the test after maxTicks. */
export function stepUntil(sim: Simulation, pred: () => boolean, maxTicks = 600, what = "condition"): void {
  for (let i = 0; i < maxTicks; i++) {
    if (pred()) return;
    sim.step();
  }
  if (!pred()) throw new Error(`${what} did not hold within ${maxTicks} ticks (t=${sim.now / 1000} s)`);
}

export function podsOn(sim: Simulation, node: string): readonly PodObject[] {
  return sim.state.podsOnNode(node);
}

export function pod(sim: Simulation, name: string): PodObject {
  const p = sim.state.pods.get(name);
  if (!p) throw new Error(`no pod ${name}`);
  return p;
}

export function pendingPods(sim: Simulation): PodObject[] {
  return [...sim.state.pods.values()].filter((p) => p.status.phase === "Pending");
}

/** All seats of a role switched off. */
export function allSeats(sim: Simulation, role: string): string[] {
  return sim.seats().filter((s) => seatRole(s) === role);
}
