/**
 * The cluster as the score checks it once a second for incident recovery: which deployments are
 * whole, whether a pod serves, whether the control plane leads and answers, and which nodes are
 * under memory pressure. Physical truth, like the rest of the score.
 */
import { isActivePod } from "../objects/types.ts";
import type { ClusterState } from "../objects/ClusterState.ts";
import type { World } from "../world/World.ts";

/** What the facts are read from (a Simulation is one; declared here so the two do not import each other). */
export interface FactsSource {
  state: ClusterState;
  world: World;
  isServing(pod: string, node: string): boolean;
}
import { MEMORY_PRESSURE_RATIO } from "../tuning.ts";
import { memoryInUse } from "../world/Machine.ts";
import type { ClusterFacts } from "./Scoreboard.ts";

export function clusterFacts(sim: FactsSource, short: ReadonlySet<string>): ClusterFacts {
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
