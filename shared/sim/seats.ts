/**
 * Seats: the components a player can play. A seat's id is its role, followed for the per-node
 * roles by the node — "scheduler", "controller-manager", "kubelet:node-2", "kube-proxy:node-2".
 * This module is the one place that reads and writes those ids (server, client and tests).
 */
import { SEAT_ROLES, type SeatRole } from "./api/identity.ts";

export { SEAT_ROLES, type SeatRole };

/** The roles played once per worker node. */
export type NodeSeatRole = "kubelet" | "kube-proxy";

/** A seat, parsed: the cluster-wide roles have no node, the per-node ones always one. */
export type Seat =
  | { role: "scheduler"; node?: undefined }
  | { role: "controller-manager"; node?: undefined }
  | { role: "kubelet"; node: string }
  | { role: "kube-proxy"; node: string };

export const isNodeSeatRole = (role: string): role is NodeSeatRole => role === "kubelet" || role === "kube-proxy";

/** The seat an id names, or undefined for anything that is not a seat id. */
export function parseSeat(id: string): Seat | undefined {
  const colon = id.indexOf(":");
  const role = colon < 0 ? id : id.slice(0, colon);
  if (!(SEAT_ROLES as readonly string[]).includes(role)) return undefined;
  if (isNodeSeatRole(role)) {
    const node = id.slice(colon + 1);
    return colon > 0 && node.length > 0 && !node.includes(":") ? { role, node } : undefined;
  }
  return colon < 0 ? ({ role } as Seat) : undefined;
}

/** The id of a seat: seatId("kubelet", "node-2") is "kubelet:node-2". */
export function seatId(role: "scheduler" | "controller-manager"): string;
export function seatId(role: NodeSeatRole, node: string): string;
export function seatId(role: SeatRole, node?: string): string;
export function seatId(role: SeatRole, node?: string): string {
  return isNodeSeatRole(role) ? `${role}:${node}` : role;
}

/** The role a seat id plays, or undefined when it is not a seat id. */
export const seatRole = (id: string): SeatRole | undefined => parseSeat(id)?.role;
