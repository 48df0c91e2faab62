/**
 * How fast a player answered what the cluster needed, measured at the moment of their own
 * request (for the role leaderboard across teams, teamReport.ts). Read before the request is
 * sent; kept only when the API server accepted it:
 * - scheduler: from a pod's creation (pending, waiting for a node) to the player's binding;
 * - controller manager: from a deployment falling short of replicas (a pod missing or gone) to
 *   the player's create — the same start the score's replacement figure uses;
 * - kubelet: from a pod's binding to its node to the player admitting it (the kubelet's own
 *   step: once admitted, the node's agent pulls the image and reports the start by itself);
 * - kube-proxy: from the first Endpoints change the node's rules missed to the player's sync,
 *   the change's time read from the API log (a change that has left the log is not measured).
 * The bots' requests never come through here: every figure is a human's.
 */
import type { Simulation } from "../../shared/sim/Simulation.ts";
import { parseSeat, type SeatRole } from "../../shared/sim/seats.ts";

/** One measured reaction of a player in a seat. */
export interface Reaction {
  role: SeatRole;
  /** Game ms from what called for the action to the action. */
  ms: number;
}

/** Reads the state before a request; called after an accepted one, it gives the reaction it was. */
export type ReactionProbe = () => Reaction | undefined;

type Req = { type?: unknown; pod?: unknown; deployment?: unknown; node?: unknown; service?: unknown };

/** What a request, about to be sent from `seat`, would be a reaction to (undefined: not one the leaderboard measures). */
export function probeReaction(sim: Simulation, seat: string, raw: unknown): ReactionProbe | undefined {
  const role = parseSeat(seat)?.role;
  const r = (raw ?? {}) as Req;
  if (!role || typeof r !== "object") return undefined;
  const since = startOf(sim, role, r);
  if (since === undefined || since < 0 || since > sim.now) return undefined;
  return () => ({ role, ms: sim.now - since });
}

/** Game ms at which the need the request answers arose, or undefined when it answers none. */
function startOf(sim: Simulation, role: SeatRole, r: Req): number | undefined {
  const s = sim.state;
  switch (role) {
    case "scheduler": {
      if (r.type !== "bind" || typeof r.pod !== "string") return undefined;
      const pod = s.pods.get(r.pod);
      return pod && !pod.spec.nodeName ? pod.metadata.creationTimestamp : undefined;
    }
    case "controller-manager":
      return r.type === "createPod" && typeof r.deployment === "string" ? sim.score.missingSince(r.deployment) : undefined;
    case "kubelet": {
      if (r.type !== "admit" || typeof r.pod !== "string") return undefined;
      const pod = s.pods.get(r.pod);
      return pod?.spec.nodeName && pod.status.admittedAt < 0 ? pod.status.scheduledAt : undefined;
    }
    case "kube-proxy":
      return r.type === "syncRules" && typeof r.node === "string" && typeof r.service === "string" ? staleSince(sim, r.node, r.service) : undefined;
    default:
      return undefined;
  }
}

/** When the node's rules for a service first fell behind its Endpoints (undefined: they are up to date, or the change is no longer in the API log). */
function staleSince(sim: Simulation, node: string, service: string): number | undefined {
  const ep = sim.state.endpoints.get(service);
  const rule = sim.world.machine(node)?.proxyRules.get(service);
  if (!ep || (rule && rule.syncedVersion === ep.metadata.resourceVersion)) return undefined;
  const synced = rule?.syncedVersion ?? 0;
  const path = `/endpoints/${service}`;
  const change = sim.api.recentAudit().find((e) => e.type === "updateEndpoints" && e.code < 300 && e.revision > synced && e.path.endsWith(path));
  return change?.time;
}
