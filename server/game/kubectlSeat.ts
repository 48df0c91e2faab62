/**
 * Which component a kubectl request acts as. kubectl has no seat of its own: the host is the
 * cluster admin, and a player acts as whichever of their seats may make the request — or, when
 * none may, as their first seat, so the API server's refusal names who could.
 */
import { isPermitted, whoMay, WORKLOAD_REQUESTS } from "../../shared/sim/api/authorize.ts";
import type { RequestType } from "../../shared/sim/api/requests.ts";
import { forbidden, type ApiFailure } from "../../shared/sim/api/status.ts";
import { seatRole } from "../../shared/sim/seats.ts";
import { identityOf } from "../../shared/sim/api/credentials.ts";
import type { ApiCaller } from "../k8s/ports.ts";

/** The Kubernetes user a caller's request of `type` acts as (for refusals worded as Kubernetes words them). */
export function kubectlUser(caller: ApiCaller | undefined, type: RequestType): string | undefined {
  const component = caller && kubectlComponent(caller, type);
  return typeof component === "string" ? identityOf(component).user : undefined;
}

/** The component ("admin" or a seat id) the caller's request of `type` acts as, or why it cannot act at all. */
export function kubectlComponent(caller: ApiCaller, type: RequestType): string | ApiFailure {
  if (caller.host || (caller.mayApply && WORKLOAD_REQUESTS.has(type))) return "admin";
  if (caller.seats.length === 0)
    return forbidden(`${caller.name} plays no component yet: take a seat in the game first, then kubectl acts as that seat (${whoMay(type)})`);
  const permitted = (seat: string) => {
    const role = seatRole(seat);
    return role !== undefined && isPermitted(role, type);
  };
  return caller.seats.find(permitted) ?? caller.seats[0];
}
