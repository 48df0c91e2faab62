/**
 * Carrying out an outsider's request (outsiderKinds.ts): the request goes to the API server like
 * any other and is answered and logged there. Each kind is aimed so that the API server must
 * refuse it — a target that would let it through is refused here instead, without calling — so
 * an outsider never changes the cluster: it only shows the gatekeeper at work.
 */
import type { ApiRequest } from "../api/requests.ts";
import { invalid, notFound, ok, type ApiResult } from "../api/status.ts";
import type { ClusterState } from "../objects/ClusterState.ts";
import { isActivePod } from "../objects/types.ts";
import type { Failure } from "./failures.ts";

/** What the API log names as the seat behind an outsider's request. */
export const OUTSIDER_ACTOR = "outsider";

/** What carrying out an outsider's request needs. */
export interface OutsiderEnv {
  state: ClusterState;
  /** Sends a request as a component ("admin", "node-agent:node-1"), or with no valid credentials (undefined). */
  callAs(who: string | undefined, request: ApiRequest, actor: string): ApiResult;
}

type Outsider = Extract<Failure, { type: "outsiderRequest" }>;

/** The deployment aimed at: the one named, else the first. */
function deploymentOf(state: ClusterState, f: Outsider): string | ApiResult {
  const name = f.deployment ?? state.deployments.keys().next().value;
  if (!name || !state.deployments.has(name)) return notFound(`deployment ${f.deployment ?? "(none)"} not found`);
  return name;
}

/** The API server's answer, as the failure's result: the outsider was sent, and turned away. */
function turnedAway(result: ApiResult): ApiResult {
  return result.ok ? result : ok(`the API server turned it away: ${result.code} ${result.message}`);
}

export function sendOutsider(env: OutsiderEnv, f: Outsider): ApiResult {
  const { state } = env;
  switch (f.kind) {
    case "anonymous": {
      const d = deploymentOf(state, f);
      if (typeof d !== "string") return d;
      return turnedAway(env.callAs(undefined, { type: "scale", deployment: d, replicas: 0 }, OUTSIDER_ACTOR));
    }
    case "wrong-node": {
      const node = f.node ?? [...state.nodes.values()].find((n) => n.spec.role === "worker")?.metadata.name;
      if (!node || !state.nodes.has(node)) return notFound(`node ${f.node ?? "(none)"} not found`);
      // Another node's pod: the node restriction refuses it whatever the pod's state.
      const victim = [...state.pods.values()].find((p) => p.spec.nodeName !== "" && p.spec.nodeName !== node && isActivePod(p));
      if (!victim) return invalid(`no pod runs on a node other than ${node}: there is nothing for its kubelet to reach for`);
      return turnedAway(env.callAs(`node-agent:${node}`, { type: "confirmPodDeletion", pod: victim.metadata.name }, OUTSIDER_ACTOR));
    }
    case "impossible": {
      // One pod more than a deployment wants: only a deployment that has every pod it wants makes it impossible.
      const full = [...state.deployments.values()].filter(
        (d) => state.podsOf(d.metadata.name).filter(isActivePod).length >= d.spec.replicas && (!f.deployment || d.metadata.name === f.deployment),
      );
      if (full.length === 0) return invalid(`${f.deployment ?? "every deployment"} still lacks pods: an extra pod would be accepted, not refused`);
      return turnedAway(env.callAs("admin", { type: "createPod", deployment: full[0].metadata.name }, OUTSIDER_ACTOR));
    }
  }
}
