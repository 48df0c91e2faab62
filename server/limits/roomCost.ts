/**
 * What a room costs the server's one event loop, in CPU milliseconds per second of wall time:
 * the unit of the simulation budget (RoomCaps). Measured with `npm run bench:rooms` (solo rooms,
 * one client each, the server's CPU from /proc), then fitted to the cluster's size:
 *
 *   scenario        speed   measured   this model
 *   free-play (7)    1×      3.4        3.5
 *   free-play        4×      3.7        3.8
 *   large-cluster    1×     56.3       56.2
 *   large-cluster    4×     78.3       78.7       (500 pods; 2-core AMD EPYC, Node 20)
 *
 * Most of a room's cost comes every loop whatever the speed (projecting the cluster into the
 * synchronised state and per-seat views, encoding patches); the simulation's ticks are the part
 * that speed multiplies. Both grow with the number of pods.
 */

/** A room's fixed cost per second of wall time, CPU ms (timers, patches, an empty projection). */
export const ROOM_BASE_MS = 2.7;
/** The loop's cost per pod per second of wall time, CPU ms (projection and views: every loop). */
export const LOOP_MS_PER_POD = 0.092;
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
