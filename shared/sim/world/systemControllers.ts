/**
 * The controllers the room plays itself, inside the controller manager process: the endpoints
 * controller (ready pods behind each service), the deployment status, and the pod garbage
 * collector. They run while a kube-controller-manager leads, and go through the API like
 * everyone else, each as its own service account (the API log names which one acted).
 */
import type { ApiRequest } from "../api/requests.ts";
import type { ApiResult } from "../api/status.ts";
import type { SystemControllerName } from "../api/identity.ts";
import type { ClusterState } from "../objects/ClusterState.ts";
import type { EndpointAddress, PodObject } from "../objects/types.ts";
import { isActivePod, SYSTEM_NAMESPACE } from "../objects/types.ts";
import { isCurrentPod, matchesSelector } from "../objects/rollout.ts";
import { FAILED_POD_TTL_MS, STUCK_TERMINATING_MS } from "../tuning.ts";
import type { World } from "./World.ts";

export interface SystemControllerEnv {
  state: ClusterState;
  world: World;
  now: number;
  /** Sends a request as one of the controllers. */
  call(request: ApiRequest, controller: SystemControllerName): ApiResult;
}

/** A pod that should receive traffic: running, ready and not on its way out. */
export function isServingPod(p: PodObject): boolean {
  return isActivePod(p) && p.status.phase === "Running" && p.status.ready && p.spec.nodeName !== "";
}

export function runSystemControllers(env: SystemControllerEnv): void {
  if (!env.world.leader("controller-manager") || !env.world.apiServerUp()) return;
  syncEndpoints(env);
  syncDeploymentStatus(env);
  collectGarbage(env);
}

/** A selector's first label key, or undefined for an empty selector (which selects nothing). */
function firstKey(selector: Readonly<Record<string, string>>): string | undefined {
  for (const k in selector) return k;
  return undefined;
}

function syncEndpoints(env: SystemControllerEnv): void {
  // Serving pods by the value of each label a selector starts with (usually just "app"): a
  // service looks only at the pods carrying its first label, then checks the rest.
  const keys = new Set<string>();
  for (const svc of env.state.services.values()) {
    const k = firstKey(svc.spec.selector);
    if (k !== undefined) keys.add(k);
  }
  const byLabel = new Map<string, Map<string, PodObject[]>>();
  for (const k of keys) byLabel.set(k, new Map());
  for (const p of env.state.pods.values()) {
    if (!isServingPod(p) || !p.metadata.labels) continue;
    for (const [k, byValue] of byLabel) {
      const v = p.metadata.labels[k];
      if (v === undefined) continue;
      let list = byValue.get(v);
      if (!list) byValue.set(v, (list = []));
      list.push(p);
    }
  }
  for (const svc of env.state.services.values()) {
    const addresses: EndpointAddress[] = [];
    const k = firstKey(svc.spec.selector);
    const candidates = k === undefined ? undefined : byLabel.get(k)?.get(svc.spec.selector[k]);
    for (const p of candidates ?? []) {
      if (matchesSelector(p.metadata.labels, svc.spec.selector)) addresses.push({ pod: p.metadata.name, node: p.spec.nodeName, ip: p.status.podIP });
    }
    addresses.sort((a, b) => (a.pod < b.pod ? -1 : 1));
    const current = env.state.endpoints.get(svc.metadata.name);
    if (current && sameAddresses(current.addresses, addresses)) continue;
    env.call({ type: "updateEndpoints", service: svc.metadata.name, addresses }, "endpoint-controller");
  }
}

function sameAddresses(a: readonly EndpointAddress[], b: readonly EndpointAddress[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].pod !== b[i].pod || a[i].ip !== b[i].ip) return false;
  return true;
}

function syncDeploymentStatus(env: SystemControllerEnv): void {
  for (const d of env.state.deployments.values()) {
    let replicas = 0;
    let ready = 0;
    let updated = 0;
    for (const p of env.state.podsOf(d.metadata.name)) {
      if (!isActivePod(p)) continue;
      replicas++;
      if (isServingPod(p)) ready++;
      if (isCurrentPod(p, d)) updated++;
    }
    // A scenario's deployment reports updatedReplicas only once a rollout makes it differ.
    const updatedReplicas = d.status.updatedReplicas === undefined && updated === replicas ? undefined : updated;
    // The generation acted on, once a spec change has made it differ from the first.
    const observedGeneration = d.metadata.generation;
    if (
      d.status.replicas !== replicas ||
      d.status.readyReplicas !== ready ||
      d.status.updatedReplicas !== updatedReplicas ||
      d.status.observedGeneration !== observedGeneration
    ) {
      env.call(
        {
          type: "updateDeploymentStatus",
          deployment: d.metadata.name,
          replicas,
          readyReplicas: ready,
          ...(updatedReplicas === undefined ? {} : { updatedReplicas }),
          ...(observedGeneration === undefined ? {} : { observedGeneration }),
        },
        "deployment-controller",
      );
    }
  }
}

function collectGarbage(env: SystemControllerEnv): void {
  const { state, now } = env;
  const doomed: string[] = [];
  for (const p of state.pods.values()) {
    const finished = (p.status.phase === "Failed" || p.status.phase === "Succeeded") && now - p.status.finishedAt >= FAILED_POD_TTL_MS;
    const node = p.spec.nodeName ? state.nodes.get(p.spec.nodeName) : undefined;
    const orphaned = p.spec.nodeName !== "" && !node;
    const stuck =
      p.metadata.deletionTimestamp !== undefined &&
      node !== undefined &&
      node.status.ready !== "True" &&
      now - p.metadata.deletionTimestamp >= STUCK_TERMINATING_MS;
    if (finished || orphaned || stuck) doomed.push(p.metadata.name);
  }
  for (const name of doomed) env.call({ type: "gcPod", pod: name }, "pod-garbage-collector");
  // Mirror pods of a node that is gone (a control-plane node removed): nobody else would remove them.
  const lost: string[] = [];
  for (const p of state.mirrorPods.values()) if (!state.nodes.has(p.spec.nodeName)) lost.push(p.metadata.name);
  for (const name of lost) env.call({ type: "gcPod", pod: name, namespace: SYSTEM_NAMESPACE }, "pod-garbage-collector");
}
