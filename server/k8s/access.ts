/**
 * `kubectl auth can-i`: a SelfSubjectAccessReview answered from the game's own authorisation
 * table, for the seats the caller plays — so a learner can ask the API server what their
 * component may do before trying it.
 */
import { describeVerb, isPermitted, whoMay, WORKLOAD_REQUESTS } from "../../shared/sim/api/authorize.ts";
import { seatIdentity } from "../../shared/sim/api/identity.ts";
import type { RequestType } from "../../shared/sim/api/requests.ts";
import type { ApiCaller } from "./ports.ts";
import { RESOURCES } from "./resources.ts";
import { METRICS_RESOURCES } from "./metricsApi.ts";
import { parseSeat, seatRole } from "../../shared/sim/seats.ts";

export interface ResourceAttributes {
  verb?: string;
  group?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

/** The game request a verb on a resource stands for (what writes.ts turns it into). */
function requestTypeOf(a: ResourceAttributes): RequestType | undefined {
  const verb = a.verb ?? "";
  const sub = a.subresource ?? "";
  switch (a.resource) {
    case "pods":
      if (verb === "create" && sub === "") return "createPod";
      if (verb === "create" && sub === "binding") return "bind";
      if (verb === "delete" && sub === "") return "deletePod";
      return undefined;
    case "nodes":
      if ((verb === "patch" || verb === "update") && sub === "") return "cordon";
      if (verb === "delete" && sub === "") return "deleteNode";
      return undefined;
    case "deployments":
      if ((verb === "patch" || verb === "update") && sub === "scale") return "scale";
      if ((verb === "patch" || verb === "update") && sub === "") return "updateDeployment";
      if (verb === "create" && sub === "") return "createDeployment";
      if (verb === "delete" && sub === "") return "deleteDeployment";
      return undefined;
    case "services":
      if ((verb === "patch" || verb === "update") && sub === "") return "updateService";
      if (verb === "create" && sub === "") return "createService";
      if (verb === "delete" && sub === "") return "deleteService";
      return undefined;
    default:
      return undefined;
  }
}

export function accessReview(caller: ApiCaller, a: ResourceAttributes): { allowed: boolean; reason: string } {
  const served = RESOURCES.find((r) => r.name === a.resource && (a.group ?? "") === r.group);
  const verb = a.verb ?? "";
  if (served && ["get", "list", "watch"].includes(verb)) {
    return { allowed: true, reason: "everyone in the game may read the cluster" };
  }
  // kubectl top's figures: whoever may read pods and nodes may read their metrics.
  if (METRICS_RESOURCES.some((r) => r.name === a.resource && r.group === a.group) && ["get", "list"].includes(verb)) {
    return { allowed: true, reason: "everyone in the game may read the cluster's CPU and memory use" };
  }
  const type = requestTypeOf(a);
  const what = `${verb} ${a.resource ?? "?"}${a.subresource ? `/${a.subresource}` : ""}`;
  if (!served || !type) return { allowed: false, reason: `the game does not ${what} through the API` };
  if (caller.host) return { allowed: true, reason: "the host is the cluster admin" };
  if (caller.mayApply && WORKLOAD_REQUESTS.has(type)) return { allowed: true, reason: "the host lets you apply manifests" };
  const seat = caller.seats.find((s) => {
    const role = seatRole(s);
    return role !== undefined && isPermitted(role, type);
  });
  if (seat) return { allowed: true, reason: `you play ${seat}, which may ${describeVerb({ type })}` };
  if (caller.seats.length === 0) return { allowed: false, reason: `you play no component yet, and ${whoMay(type)}` };
  const first = parseSeat(caller.seats[0]);
  const who = first ? seatIdentity(first.role, first.node).user : caller.name;
  return { allowed: false, reason: `${who} may not ${describeVerb({ type })}: ${whoMay(type)}` };
}
