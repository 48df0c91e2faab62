/**
 * What `kubectl logs` prints: a simulated container's log, made line by line from what the
 * simulation knows of the pod and its container — the image it runs, its start-up and readiness,
 * the requests it served per SERVED_INTERVAL_MS (an access-log summary line each, as nginx-like
 * servers print), the OOM kill with its memory figure, the stop on deletion. The same game gives
 * the same lines (deterministic). In Kubernetes the API server asks the pod's kubelet for its
 * log; here the API asks the room, which builds it from its simulation.
 *
 * The seed's containers have no log of their own. Lines the application could not print itself
 * (the runtime's kill) are marked "[runtime]": in a real cluster an OOM kill is not in the log —
 * the process is killed without a word; `kubectl describe pod` shows it as Last State:
 * Terminated, Reason: OOMKilled. The current run of a container is kept, and the one before its
 * last restart (--previous).
 */
import type { ClusterState } from "../../shared/sim/objects/ClusterState.ts";
import { NAMESPACE, type PodObject } from "../../shared/sim/objects/types.ts";
import { NO_MEMORY_LIMIT, TERMINATION_GRACE_MS } from "../../shared/sim/tuning.ts";
import { SERVED_INTERVAL_MS, SERVED_INTERVALS_KEPT, type Container } from "../../shared/sim/world/Machine.ts";
import type { World } from "../../shared/sim/world/World.ts";
import { CONTAINER_PORT, containerName } from "./convert.ts";

/** Most lines a log holds (the current run: a few start-up lines, one per interval kept, the end). */
export const MAX_LOG_LINES = 500;

/** One line, at a game time. */
export interface LogLine {
  at: number;
  text: string;
}

/** A pod's log, or why there is none (worded as the real API server words it). */
export type PodLog =
  | { ok: true; container: string; lines: LogLine[] /** The container may still print more. */; live: boolean }
  | { ok: false; code: 400 | 404; reason: "BadRequest" | "NotFound"; message: string };

const nf = (name: string): PodLog => ({ ok: false, code: 404, reason: "NotFound", message: `pods "${name}" not found` });
const bad = (message: string): PodLog => ({ ok: false, code: 400, reason: "BadRequest", message });

/** The container of a pod, wherever it runs. */
function containerOf(world: World, pod: PodObject): Container | undefined {
  return pod.spec.nodeName ? world.machine(pod.spec.nodeName)?.containers.get(pod.metadata.name) : undefined;
}

export function podLog(
  state: ClusterState,
  world: World,
  now: number,
  namespace: string,
  name: string,
  want?: { container?: string; previous?: boolean },
): PodLog {
  const pod = state.pods.get(name);
  if (!pod || (pod.metadata.namespace ?? NAMESPACE) !== namespace) return nf(name);
  const container = containerName(pod);
  if (want?.container && want.container !== container) return bad(`container ${want.container} is not valid for pod ${name}`);
  // Not bound to a node yet: no kubelet to ask.
  if (!pod.spec.nodeName) return bad(`pod ${name} does not have a host assigned`);
  const c = containerOf(world, pod);
  if (want?.previous) {
    // The run before the kubelet restarted the container (after a crash or an OOM kill), as it ended.
    const before = c?.previous;
    if (!before) return bad(`previous terminated container "${container}" in pod "${name}" not found`);
    const then = { ...pod, status: { ...pod.status, restartCount: before.restartCount } };
    return { ok: true, container, lines: logLines(then, before.container, now), live: false };
  }
  if (!c || c.state === "pulling") {
    const why = pod.status.reason || "ContainerCreating";
    return bad(`container "${container}" in pod "${name}" is waiting to start: ${why}`);
  }
  return { ok: true, container, lines: logLines(pod, c, now), live: c.state !== "exited" };
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

/** The lines of the container's current run, oldest first, up to `now`. */
export function logLines(pod: PodObject, c: Container, now: number): LogLine[] {
  const lines: LogLine[] = [];
  const add = (at: number, text: string) => void (at <= now && lines.push({ at, text }));
  const s = pod.status;
  // When this run began serving (running since), and when it booted (start-up before that).
  const ranFrom =
    c.state === "running" ? c.since : (c.served?.run ?? (c.state === "exited" && s.restartCount === 0 && s.startedAt >= 0 ? s.startedAt : undefined));
  const bootAt = c.state === "starting" ? c.since : ranFrom !== undefined ? Math.max(0, ranFrom - pod.spec.startupMs) : undefined;
  const run = s.restartCount > 0 ? ` (restart ${s.restartCount})` : "";
  if (bootAt !== undefined) {
    add(bootAt, `[notice] 1#1: ${c.image}: starting${run}; start-up takes ${pod.spec.startupMs / 1000} s`);
    add(
      bootAt,
      `[notice] 1#1: using ${fmt(pod.spec.memoryUsage)} MiB of memory, limit ${c.memoryLimit >= NO_MEMORY_LIMIT ? "none" : `${fmt(c.memoryLimit)} MiB`}`,
    );
  }
  if (ranFrom !== undefined) {
    add(ranFrom, `[notice] 1#1: listening on ${s.podIP || "0.0.0.0"}:${CONTAINER_PORT}; ready to serve up to ${fmt(c.capacityRps)} requests/s`);
    // The end of this run: its exit, or now.
    const end = c.state === "exited" ? c.since : now;
    const t = c.served;
    const counted = t && t.run === ranFrom ? t : undefined;
    const countAt = (i: number) => (counted && i >= counted.first ? (counted.counts[i - counted.first] ?? 0) : 0);
    // Whole intervals run so far; a line for each of the last SERVED_INTERVALS_KEPT.
    const whole = Math.floor((end - ranFrom) / SERVED_INTERVAL_MS);
    const start = Math.max(0, whole - SERVED_INTERVALS_KEPT);
    let total = counted?.earlier ?? 0;
    for (let i = counted?.first ?? 0; i < start; i++) total += countAt(i);
    if (start > 0) add(ranFrom + start * SERVED_INTERVAL_MS, `[notice] 1#1: ${fmt(total)} requests served before this point (older lines not kept)`);
    for (let i = start; i < whole; i++) {
      const n = countAt(i);
      total += n;
      add(
        ranFrom + (i + 1) * SERVED_INTERVAL_MS,
        `${s.podIP || "-"} "GET / HTTP/1.1" 200: ${fmt(n)} requests in ${SERVED_INTERVAL_MS / 1000} s (${((n * 1000) / SERVED_INTERVAL_MS).toFixed(1)}/s of ${fmt(c.capacityRps)}/s), ${fmt(total)} since start`,
      );
    }
  }
  if (c.state === "exited") {
    if (c.exitReason === "OOMKilled") {
      const limit = c.memoryLimit >= NO_MEMORY_LIMIT ? "no limit" : `limit ${fmt(c.memoryLimit)} MiB`;
      const over = c.memoryUsage > c.memoryLimit ? ", over its limit" : "";
      add(c.since, `[runtime] killed by the kernel's OOM killer (OOMKilled) using ${fmt(c.memoryUsage)} MiB of memory (${limit})${over}; exit code 137`);
    } else add(c.since, `[runtime] the container exited (${c.exitReason || "Error"}); exit code 1`);
  } else if (c.stopAt > 0 || pod.metadata.deletionTimestamp !== undefined) {
    const at = c.stopAt > 0 ? c.stopAt - TERMINATION_GRACE_MS : (pod.metadata.deletionTimestamp ?? now);
    add(at, "[notice] 1#1: signal 15 (SIGTERM) received, exiting gracefully (Terminating)");
  }
  // The stop on deletion can come before the last whole interval's line: in time order.
  return lines.sort((a, b) => a.at - b.at).slice(-MAX_LOG_LINES);
}
