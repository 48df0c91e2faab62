/**
 * What a room costs the server's one event loop, in CPU milliseconds per second of wall time:
 * the unit of the simulation budget (RoomCaps). Measured with `npm run bench:rooms` (solo rooms,
 * one client each, the server process's CPU from /proc), twice on the project's 2-core machine
 * with other work beside it (load 2–4, then 5–6), and fitted to the cluster's size leaning to
 * the higher figures, so that the estimate errs on the side of the games already running:
 *
 *   scenario (pods)       speed   measured     this model
 *   small ones (3–9)       1×      3.0–6.1      4.0–5.0
 *   free-play (7)          1×      3.4–4.2      4.7
 *   free-play              4×      3.7–3.8      5.0
 *   large-cluster (500)    1×     56–86        86
 *   large-cluster          4×     78–96       108.5
 *
 * Most of a room's cost comes every loop whatever the speed (projecting the cluster into the
 * synchronised state and per-seat views, encoding patches); the simulation's ticks are the part
 * that speed multiplies. Both grow with the number of pods.
 */

/** A room's fixed cost per second of wall time, CPU ms (timers, patches, an empty projection). */
export const ROOM_BASE_MS = 3.5;
/** The loop's cost per pod per second of wall time, CPU ms (projection and views: every loop). */
export const LOOP_MS_PER_POD = 0.15;
/** The simulation's cost per pod per second of game time, CPU ms (multiplied by the speed). */
export const TICK_MS_PER_POD = 0.015;

export interface RoomSize {
  /** Pods the cluster has or will have (the scenario's replicas, or more once scaled up). */
  pods: number;
  /** Game speed (1 = real time). */
  speed: number;
}

/** Estimated CPU ms per wall-clock second of a room of this size and speed. */
export function roomCostMs({ pods, speed }: RoomSize): number {
  return ROOM_BASE_MS + pods * LOOP_MS_PER_POD + pods * TICK_MS_PER_POD * speed;
}

/** The pods a scenario's cluster is meant to run. */
export function scenarioPods(scenario: { deployments: readonly { replicas: number }[] }): number {
  return scenario.deployments.reduce((n, d) => n + d.replicas, 0);
}
