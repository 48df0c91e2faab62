/**
 * Whether a seat's component can act now — the bots' rule, so that a bot whose process is down
 * does not knock in vain (a human there is refused by the API server for the same reasons).
 */
import { parseSeat } from "../seats.ts";
import { isRunning } from "../world/Machine.ts";
import type { World } from "../world/World.ts";

export function seatCanAct(world: World, seat: string): boolean {
  const s = parseSeat(seat);
  const m = s?.node === undefined ? undefined : world.machine(s.node);
  // Setting up a bare server is done on the machine: it needs no API server until the join.
  if (s?.role === "kubelet" && m && !m.joined) return m.powered;
  if (!s || !world.apiServerUp()) return false;
  if (s.role === "scheduler" || s.role === "controller-manager") return world.leader(s.role) !== null;
  return m?.joined === true && isRunning(m, s.role);
}
