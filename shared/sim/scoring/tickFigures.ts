/**
 * What the score reads of the cluster at the end of each tick: per deployment, how many replicas
 * are missing (desired minus active pods), how many pods wait for a node, how many really serve,
 * and whether every deployment is whole. "Serving" is the physical truth (a running container on
 * a powered machine), not what the API server believes.
 */
import type { ClusterState } from "../objects/ClusterState.ts";
import { isActivePod } from "../objects/types.ts";

export interface TickFigures {
  /** Desired replicas minus active pods, by deployment. */
  deficits: Map<string, number>;
  pending: number;
  serving: number;
  /** Every deployment has at least its desired number of serving pods. */
  whole: boolean;
  /** Deployments with fewer serving pods than desired. */
  short: Set<string>;
}

export function tickFigures(state: ClusterState, isServing: (pod: string, node: string) => boolean): TickFigures {
  const deficits = new Map<string, number>();
  let pending = 0;
  let serving = 0;
  let whole = true;
  const short = new Set<string>();
  for (const d of state.deployments.values()) {
    let active = 0;
    let live = 0;
    for (const p of state.podsOf(d.metadata.name)) {
      if (!isActivePod(p)) continue;
      active++;
      if (p.status.phase === "Pending") pending++;
      if (isServing(p.metadata.name, p.spec.nodeName)) live++;
    }
    deficits.set(d.metadata.name, d.spec.replicas - active);
    serving += live;
    if (live < d.spec.replicas) {
      whole = false;
      short.add(d.metadata.name);
    }
  }
  return { deficits, pending, serving, whole, short };
}
