/**
 * The cluster as the score checks it once a second for incident recovery: which deployments are
 * whole, whether a pod serves, whether the control plane leads and answers, and which nodes are
 * under memory pressure. Physical truth, like the rest of the score.
 */
import { isActivePod } from "../objects/types.ts";
import type { Simulation } from "../Simulation.ts";
import { MEMORY_PRESSURE_RATIO } from "../tuning.ts";
import { memoryInUse } from "../world/Machine.ts";
import type { ClusterFacts } from "./Scoreboard.ts";

export function clusterFacts(sim: Simulation, short: ReadonlySet<string>): ClusterFacts {
  return {
    deploymentWhole: (name) => !short.has(name),
    podServing: (name) => {
      const p = sim.state.pods.get(name);
      return p && isActivePod(p) ? sim.isServing(name, p.spec.nodeName) : undefined;
    },
    controlPlaneUp: () => sim.world.apiServerUp() && sim.world.leader("scheduler") !== null && sim.world.leader("controller-manager") !== null,
    memoryPressure: (deployment) => {
      for (const p of sim.state.podsOf(deployment)) {
        const m = isActivePod(p) && p.spec.nodeName ? sim.world.machine(p.spec.nodeName) : undefined;
        if (m?.powered && memoryInUse(m) >= MEMORY_PRESSURE_RATIO * m.capacity.memory) return true;
      }
      return false;
    },
    deployments: () => [...sim.state.deployments.keys()],
    services: () => [...sim.state.services.keys()],
  };
}
