/**
 * What each incident broke, so its recovery is measured against that and nothing else: a crashed
 * container has recovered when that pod serves again, however broken the rest of the cluster is;
 * a lost node when the deployments it held are whole and their services serve; a memory leak once
 * it has done harm and the harm is healed. A failure that breaks nothing recovers when its own
 * effect is over.
 */
import type { Failure } from "../failures/failures.ts";
import type { ClusterState } from "../objects/ClusterState.ts";
import { isActivePod } from "../objects/types.ts";
import { seconds } from "../clock.ts";

/** An instantaneous failure counts as over this long after it struck, ms. */
export const MIN_INCIDENT_MS = 2_000;

/** `until` of a failure that lasts until the team stops it (finite: scopes are saved as JSON). */
export const LASTS = Number.MAX_SAFE_INTEGER;

/** A failure on the timeline, and when what it broke was whole again. */
export interface Incident {
  /** Game ms the failure struck. */
  at: number;
  label: string;
  /** Game ms what the failure broke was whole again, if it was. */
  recoveredAt?: number;
}

export interface IncidentScope {
  /** Deployments that must have every replica serving. */
  deployments: string[];
  /** Services whose last second must be healthy (≥ 95% served). */
  services: string[];
  /** A pod whose container must serve again (if the pod still exists). */
  pod?: string;
  /** The pod's deployment, which must be whole again if the pod is gone. */
  owner?: string;
  /** The scheduler and controller manager must have leaders and the API must answer. */
  controlPlane?: boolean;
  /** No node holding a pod of this deployment may be under memory pressure. */
  memoryOf?: string;
  /** When the failure's own effect is over (game ms); LASTS while it lasts. */
  until: number;
  /** Set once the scope was seen unhealthy. */
  harmed?: boolean;
}

/** What the score can ask of the cluster once a second. */
export interface ClusterHealth {
  deploymentWhole(name: string): boolean;
  /** Whether the pod's container serves; undefined when the pod is gone or finished. */
  podServing(pod: string): boolean | undefined;
  serviceHealthy(name: string): boolean;
  controlPlaneUp(): boolean;
  memoryPressure(deployment: string): boolean;
  deployments(): string[];
  services(): string[];
}

const ownerOf = (state: ClusterState, pod: string | undefined) => (pod ? state.pods.get(pod)?.metadata.ownerReferences?.[0]?.name : undefined);

/** Deployments with an active pod on the node. */
function deploymentsOn(state: ClusterState, node: string): string[] {
  const out = new Set<string>();
  for (const p of state.podsOnNode(node)) {
    const owner = p.metadata.ownerReferences?.[0]?.name;
    if (owner && isActivePod(p)) out.add(owner);
  }
  return [...out];
}

/**
 * The scope of a failure that struck at `now`; `target` is the pod it hit when it picked one.
 * Called before the failure is applied for node failures (to see what the node held).
 */
export function scopeOf(f: Failure, state: ClusterState, now: number, isControlPlane: (node: string) => boolean, target?: string): IncidentScope {
  const withServices = (deployments: string[]) => ({ deployments, services: deployments.filter((d) => state.services.has(d)) });
  const over = (durationSec?: number) => (durationSec ? now + seconds(durationSec) : now + MIN_INCIDENT_MS);
  const all = (): IncidentScope => ({ deployments: [], services: [], until: now + MIN_INCIDENT_MS });
  switch (f.type) {
    case "killPod": {
      const d = f.deployment ?? ownerOf(state, f.pod);
      return d ? { ...withServices([d]), until: over() } : all();
    }
    case "crashContainer":
    case "oomPod": {
      const pod = target ?? f.pod;
      const d = f.deployment ?? ownerOf(state, pod);
      return { ...withServices(d ? [d] : []), deployments: [], pod, owner: d, until: over() };
    }
    case "crashNode":
    case "stopProcess":
      if (isControlPlane(f.node)) return { deployments: [], services: [...state.services.keys()], controlPlane: true, until: over(f.durationSec) };
      return { ...withServices(deploymentsOn(state, f.node)), until: over(f.durationSec) };
    case "trafficSpike":
      return { ...withServices([f.service]), until: over(f.durationSec) };
    case "slowImagePulls":
      return { ...all(), until: over(f.durationSec) };
    case "memoryLeak":
      return f.mibPerSec === 0 ? all() : { ...withServices([f.deployment]), memoryOf: f.deployment, until: LASTS };
    case "scaleDeployment":
      return { ...withServices([f.deployment]), until: over() };
    case "removeControlPlane":
      return { deployments: [], services: [], controlPlane: true, until: over() };
    case "outsiderRequest":
      // Turned away, it breaks nothing: it is over once the API server has answered it.
      return { deployments: [], services: [], controlPlane: true, until: over() };
    default:
      // restoreNode, startProcess, joinWorker, addControlPlane: changes that break nothing;
      // they count as over when the whole cluster is.
      return all();
  }
}

/** Whether what the scope covers is healthy now. An empty scope covers the whole cluster. */
export function scopeHealthy(s: IncidentScope, h: ClusterHealth): boolean {
  const empty = s.deployments.length === 0 && s.services.length === 0 && s.pod === undefined && !s.controlPlane && s.memoryOf === undefined;
  const deployments = empty ? h.deployments() : s.deployments;
  const services = empty ? h.services() : s.services;
  if (s.controlPlane && !h.controlPlaneUp()) return false;
  if (s.pod !== undefined) {
    const serving = h.podServing(s.pod);
    if (serving === false) return false;
    // The pod is gone: its replacement must serve, so its deployment must be whole.
    if (serving === undefined && s.owner !== undefined && !h.deploymentWhole(s.owner)) return false;
  }
  if (s.memoryOf !== undefined && (h.memoryPressure(s.memoryOf) || !h.deploymentWhole(s.memoryOf))) return false;
  for (const d of deployments) if (!h.deploymentWhole(d)) return false;
  for (const svc of services) if (!h.serviceHealthy(svc)) return false;
  return true;
}

/**
 * One second's check of an open incident: it has recovered when its scope is healthy and it
 * either did harm (and the harm is healed) or its own effect is over.
 */
export function checkRecovery(s: IncidentScope, h: ClusterHealth, now: number): boolean {
  const healthy = scopeHealthy(s, h);
  if (!healthy) s.harmed = true;
  return healthy && (s.harmed === true || now >= s.until);
}
