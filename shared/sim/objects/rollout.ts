/**
 * A deployment's pods against its template: which labels they carry, whether a service selects
 * them, and which are out of date after the template changed (a new image or new requests). A
 * rollout replaces out-of-date pods with new ones one at a time, never dropping below the desired
 * number of ready pods — Kubernetes' RollingUpdate with maxSurge 1 and maxUnavailable 0. Real
 * Deployments do it through a new ReplicaSet per template; the game keeps one set of pods and
 * compares each pod with the template, which shows the same steps.
 */
import type { DeploymentObject, PodObject, PodTemplate } from "./types.ts";
import { isActivePod } from "./types.ts";

/** How many pods above the desired replicas a rollout may run at once (RollingUpdate maxSurge). */
export const MAX_SURGE = 1;

/** The labels a deployment's pods are created with. */
export function podLabels(d: DeploymentObject): Record<string, string> {
  return d.spec.templateLabels ?? d.spec.selector;
}

/** Whether labels carry every key and value of a selector (an empty selector selects nothing here). */
export function matchesSelector(labels: Readonly<Record<string, string>> | undefined, selector: Readonly<Record<string, string>>): boolean {
  if (!labels) return false;
  // A loop, not Object.keys: the endpoints controller asks for every serving pod every tick.
  let any = false;
  for (const k in selector) {
    if (labels[k] !== selector[k]) return false;
    any = true;
  }
  return any;
}

/** Whether a pod was made from its deployment's current template (same image, requests, limits, labels). */
export function isCurrentPod(pod: PodObject, d: DeploymentObject): boolean {
  // Field by field, not in a loop over names: this runs for every pod every tick.
  const t: PodTemplate = d.spec.template;
  const s = pod.spec;
  if (
    s.image !== t.image ||
    s.memoryLimit !== t.memoryLimit ||
    s.memoryUsage !== t.memoryUsage ||
    s.startupMs !== t.startupMs ||
    s.capacityRps !== t.capacityRps
  ) {
    return false;
  }
  if (s.requests !== t.requests && (s.requests.cpu !== t.requests.cpu || s.requests.memory !== t.requests.memory)) return false;
  return sameLabels(pod.metadata.labels ?? {}, podLabels(d));
}

/** Whether two label maps are equal (loops, not Object.keys: this runs for every pod every tick). */
function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  if (a === b) return true;
  let n = 0;
  for (const k in b) {
    if (a[k] !== b[k]) return false;
    n++;
  }
  for (const _ in a) n--;
  return n === 0;
}

/** A deployment's active pods split by template, and how many of them are ready. */
export interface PodCensus {
  active: PodObject[];
  outdated: PodObject[];
  current: number;
  ready: number;
}

export function census(d: DeploymentObject, pods: readonly PodObject[]): PodCensus {
  const active: PodObject[] = [];
  const outdated: PodObject[] = [];
  let ready = 0;
  for (const p of pods) {
    if (!isActivePod(p)) continue;
    active.push(p);
    if (!isCurrentPod(p, d)) outdated.push(p);
    if (p.status.ready) ready++;
  }
  return { active, outdated, current: active.length - outdated.length, ready };
}

/** The most active pods a deployment may have now: its replicas, plus the surge while a rollout runs. */
export function podLimit(d: DeploymentObject, c: PodCensus): number {
  return d.spec.replicas + (c.outdated.length > 0 ? MAX_SURGE : 0);
}

/**
 * One step of a rollout, as the deployment controller takes it: create new pods while fewer than
 * `replicas` are current and the surge allows; remove out-of-date pods while there is a surplus,
 * not-ready ones first and a ready one only while enough others are ready (maxUnavailable 0).
 */
export function rolloutStep(d: DeploymentObject, c: PodCensus): { create: number; remove: PodObject[] } {
  const replicas = d.spec.replicas;
  const create = Math.max(0, Math.min(replicas - c.current, podLimit(d, c) - c.active.length));
  const remove: PodObject[] = [];
  let active = c.active.length;
  let ready = c.ready;
  const victims = [...c.outdated].sort(
    (a, b) => Number(a.status.ready) - Number(b.status.ready) || a.metadata.creationTimestamp - b.metadata.creationTimestamp,
  );
  for (const p of victims) {
    if (active <= replicas && c.current < replicas) break;
    if (p.status.ready && ready - 1 < Math.min(replicas, ready)) break;
    remove.push(p);
    active--;
    if (p.status.ready) ready--;
  }
  return { create, remove };
}
