/** What a request handler is given: the state to validate against and write to, and who asks. */
import type { ClusterState } from "../objects/ClusterState.ts";
import type { PodObject, Resources } from "../objects/types.ts";
import { holdsNodeResources, isActivePod } from "../objects/types.ts";
import type { World } from "../world/World.ts";
import type { Identity } from "./identity.ts";

/** Facts the scoreboard wants to hear about as the API server accepts them. */
export interface ApiObserver {
  podBound(pod: PodObject, now: number): void;
  podRejected(pod: PodObject, now: number): void;
  podCreated(pod: PodObject, now: number): void;
  podEvicted(pod: PodObject, now: number): void;
  podReady(pod: PodObject, now: number): void;
}

/** An observer that hears nothing (the game's score starts listening once the cluster is built). */
export const NO_OBSERVER: ApiObserver = { podBound() {}, podRejected() {}, podCreated() {}, podEvicted() {}, podReady() {} };

/** An observer that passes every call on to whichever observer `current()` returns at the time. */
export function forwardingObserver(current: () => ApiObserver): ApiObserver {
  return {
    podBound: (p, n) => current().podBound(p, n),
    podRejected: (p, n) => current().podRejected(p, n),
    podCreated: (p, n) => current().podCreated(p, n),
    podEvicted: (p, n) => current().podEvicted(p, n),
    podReady: (p, n) => current().podReady(p, n),
  };
}

export interface HandlerContext {
  state: ClusterState;
  world: World;
  now: number;
  who: Identity;
  observer: ApiObserver;
}

const sum = (pods: readonly PodObject[], keep: (p: PodObject) => boolean): Resources => {
  let cpu = 0;
  let memory = 0;
  for (const p of pods) {
    if (!keep(p)) continue;
    cpu += p.spec.requests.cpu;
    memory += p.spec.requests.memory;
  }
  return { cpu, memory };
};

/** Resources the kubelet has reserved for the pods it admitted. */
export function admittedRequests(state: ClusterState, node: string): Resources {
  return sum(state.podsOnNode(node), holdsNodeResources);
}

/** Resources requested by every pod bound to a node that still counts (the scheduler's view). */
export function boundRequests(state: ClusterState, node: string): Resources {
  return sum(state.podsOnNode(node), (p) => isActivePod(p) || p.status.phase === "Terminating");
}

export function formatCpu(m: number): string {
  return `${m}m CPU`;
}

export function formatMemory(mi: number): string {
  return `${mi}Mi memory`;
}
