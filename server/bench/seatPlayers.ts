/**
 * Benchmark players: what a player in a seat would ask for next, from the game's state — enough
 * to fill a game's input log as a busy workshop would (bench:saved, bench:replay).
 */
import type { GameSession } from "../game/GameSession.ts";

/** What a player in `seat` would ask for next, from the game's state (refused or not, it is sent). */
export function nextRequest(session: GameSession, seat: string, n: number): Record<string, unknown> {
  const { state, world } = session.sim;
  const [role, node] = seat.split(":");
  const pods = [...state.pods.values()];
  const pick = <T>(xs: T[]): T | undefined => xs[n % Math.max(1, xs.length)];
  if (role === "scheduler") {
    const pending = pick(pods.filter((p) => p.status.phase === "Pending")) ?? pick(pods);
    const worker = pick(world.workers());
    return { type: "bind", pod: pending?.metadata.name ?? "web-1", node: worker?.name ?? "node-1" };
  }
  if (role === "controller-manager") return { type: "createPod", deployment: pick([...state.deployments.keys()]) ?? "web" };
  if (role === "kubelet") {
    const mine = pods.filter((p) => p.spec.nodeName === node);
    return { type: n % 2 ? "admit" : "restart", pod: pick(mine)?.metadata.name ?? "web-1" };
  }
  return { type: "syncRules", node, service: pick([...state.services.keys()]) ?? "web", mode: "local-first" };
}
