/**
 * The score: the team's availability (served / all ended requests) over a sliding minute and in
 * total, the timeline for the debrief, incidents and how fast the team recovered from them, and
 * each seat's own figures (as in the design's role table).
 */
import type { ApiObserver } from "../api/context.ts";
import type { PodObject } from "../objects/types.ts";
import { AVAILABILITY_WINDOW_MS, TIMELINE_SAMPLE_MS } from "../tuning.ts";
import { DROP_CAUSES, type DropCause, type Finished, type ProxyStats } from "../traffic/Traffic.ts";
import { checkRecovery, MIN_INCIDENT_MS, type ClusterHealth, type Incident, type IncidentScope } from "./incidents.ts";
import { scoreParts, totalScore, type ScoreParts } from "./score.ts";

export type { ScoringOptions } from "./score.ts";

/** What the simulation tells the score about the cluster once a second (the score knows the traffic itself). */
export type ClusterFacts = Omit<ClusterHealth, "serviceHealthy">;

export interface TimelinePoint {
  /** Game second. */
  t: number;
  /** Sliding-minute availability at that second (0..1). */
  availability: number;
  served: number;
  dropped: number;
  timedOut: number;
  /** Pods waiting for a node. */
  pending: number;
  /** Pods whose containers are actually serving. */
  serving: number;
}

export type { Incident };

interface KubeletTally {
  started: number;
  startMsTotal: number;
  oomKills: number;
  rejected: number;
  evicted: number;
}

export interface SeatFigures {
  scheduler: { bindings: number; meanWaitSec: number; maxWaitSec: number; rejectedBindings: number };
  controllerManager: { podsCreated: number; replacements: number; meanReplaceSec: number; maxReplaceSec: number };
  kubelets: Record<
    string,
    {
      started: number;
      meanStartSec: number;
      oomKills: number;
      rejected: number;
      evicted: number;
      /** A node that began as a bare server: the game second it joined the cluster (null: it never did). */
      joinedSec?: number | null;
    }
  >;
  kubeProxies: Record<string, { forwarded: number; localShare: number; staleDrops: number }>;
}

export interface ScoreSnapshot {
  totals: { served: number; dropped: number; timedOut: number };
  dropsByCause: Record<DropCause, number>;
  buckets: number[][];
  currentSecond: number;
  timeline: TimelinePoint[];
  incidents: Incident[];
  sched: { bindings: number; waitTotal: number; waitMax: number; rejected: number };
  cm: { created: number; replacements: number; replaceTotal: number; replaceMax: number };
  deficitSince: Record<string, number>;
  kubelets: Record<string, KubeletTally>;
  /** Per incident, what it broke (absent in games saved before scopes; null for none). */
  scopes?: (IncidentScope | null)[];
  /** Per service: [served, all] in the current and the previous second. */
  serviceSeconds?: Record<string, [number, number, number, number]>;
  /** The host's *no points for speed* (absent in games saved before it: off). */
  noSpeedPoints?: boolean;
}

/** Seconds of history kept for the sliding window. */
const WINDOW_SECONDS = AVAILABILITY_WINDOW_MS / 1000;
/** A second is healthy when at least this share of its ended requests was served. */
const HEALTHY_SECOND = 0.95;
const round2 = (x: number) => Math.round(x * 100) / 100;
const round4 = (x: number) => Math.round(x * 10000) / 10000;

export class Scoreboard implements ApiObserver {
  /** No points for speed (score.ts): an input of the game, set before it starts and saved with it. */
  noSpeedPoints = false;
  totals = { served: 0, dropped: 0, timedOut: 0 };
  dropsByCause = Object.fromEntries(DROP_CAUSES.map((c) => [c, 0])) as Record<DropCause, number>;
  /** Per game second: [served, dropped, timedOut], a ring of the last minute. */
  private buckets: number[][] = Array.from({ length: WINDOW_SECONDS }, () => [0, 0, 0]);
  private currentSecond = 0;
  readonly timeline: TimelinePoint[] = [];
  readonly incidents: Incident[] = [];
  private sched = { bindings: 0, waitTotal: 0, waitMax: 0, rejected: 0 };
  private cm = { created: 0, replacements: 0, replaceTotal: 0, replaceMax: 0 };
  private deficitSince = new Map<string, number>();
  private kubelets = new Map<string, KubeletTally>();
  private scopes: (IncidentScope | null)[] = [];
  /** Per service: [served, all] this second, then [served, all] the second before. */
  private serviceSeconds = new Map<string, [number, number, number, number]>();

  private kubelet(node: string): KubeletTally {
    let k = this.kubelets.get(node);
    if (!k) this.kubelets.set(node, (k = { started: 0, startMsTotal: 0, oomKills: 0, rejected: 0, evicted: 0 }));
    return k;
  }

  // ApiObserver: facts as the API server accepts them.
  podBound(pod: PodObject, now: number): void {
    const wait = now - pod.metadata.creationTimestamp;
    this.sched.bindings++;
    this.sched.waitTotal += wait;
    this.sched.waitMax = Math.max(this.sched.waitMax, wait);
  }

  podRejected(pod: PodObject): void {
    this.sched.rejected++;
    this.kubelet(pod.spec.nodeName).rejected++;
  }

  podCreated(pod: PodObject, now: number): void {
    this.cm.created++;
    const owner = pod.metadata.ownerReferences?.[0]?.name;
    const since = owner !== undefined ? this.deficitSince.get(owner) : undefined;
    if (since === undefined) return;
    const took = now - since;
    this.cm.replacements++;
    this.cm.replaceTotal += took;
    this.cm.replaceMax = Math.max(this.cm.replaceMax, took);
  }

  podEvicted(pod: PodObject): void {
    if (pod.status.reason === "Evicted") this.kubelet(pod.spec.nodeName).evicted++;
  }

  podReady(pod: PodObject, now: number): void {
    if (pod.status.restartCount > 0 || pod.status.scheduledAt < 0) return;
    const k = this.kubelet(pod.spec.nodeName);
    k.started++;
    k.startMsTotal += now - pod.status.scheduledAt;
  }

  oomKill(node: string): void {
    this.kubelet(node).oomKills++;
  }

  /** Records the requests that ended this tick. */
  recordTraffic(finished: readonly Finished[], now: number): void {
    this.advanceTo(now);
    const bucket = this.buckets[Math.floor(now / 1000) % WINDOW_SECONDS];
    for (const f of finished) {
      let svc = this.serviceSeconds.get(f.service);
      if (!svc) this.serviceSeconds.set(f.service, (svc = [0, 0, 0, 0]));
      svc[1]++;
      if (f.outcome === "served") {
        svc[0]++;
        this.totals.served++;
        bucket[0]++;
      } else if (f.outcome === "dropped") {
        this.totals.dropped++;
        bucket[1]++;
        if (f.cause) this.dropsByCause[f.cause]++;
      } else {
        this.totals.timedOut++;
        bucket[2]++;
      }
    }
  }

  /** Moves the sliding window on to the current second, emptying the seconds it enters. */
  private advanceTo(now: number): void {
    const second = Math.floor(now / 1000);
    if (this.currentSecond < second) {
      const gap = second - this.currentSecond;
      for (const c of this.serviceSeconds.values()) {
        c[2] = gap === 1 ? c[0] : 0;
        c[3] = gap === 1 ? c[1] : 0;
        c[0] = c[1] = 0;
      }
    }
    while (this.currentSecond < second) {
      this.currentSecond++;
      const b = this.buckets[this.currentSecond % WINDOW_SECONDS];
      b[0] = b[1] = b[2] = 0;
    }
  }

  /** Tracks how long each deployment has been short of replicas (for the controller manager's figure). */
  recordDeficits(deficits: ReadonlyMap<string, number>, now: number): void {
    for (const [d, deficit] of deficits) {
      if (deficit > 0 && !this.deficitSince.has(d)) this.deficitSince.set(d, now);
      else if (deficit <= 0) this.deficitSince.delete(d);
    }
  }

  /** Since when (game ms) a deployment has been short of replicas, or undefined when it is not. */
  missingSince(deployment: string): number | undefined {
    return this.deficitSince.get(deployment);
  }

  /** A failure struck; `scope` is what it broke (without one, the whole cluster). */
  failure(label: string, now: number, scope?: IncidentScope): void {
    this.incidents.push({ at: now, label });
    this.scopes[this.incidents.length - 1] = scope ?? null;
  }

  /** Whether a service's last whole second served at least HEALTHY_SECOND of its requests. */
  private serviceHealthy(service: string): boolean {
    const c = this.serviceSeconds.get(service);
    return !c || c[3] === 0 || c[2] / c[3] >= HEALTHY_SECOND;
  }

  /**
   * Once per tick: at each whole second, samples the timeline and closes recovered incidents —
   * each against what it broke when `cluster` is given, else against the whole cluster.
   */
  endTick(now: number, pending: number, serving: number, whole: boolean, cluster?: ClusterFacts): void {
    if (now % TIMELINE_SAMPLE_MS !== 0) return;
    this.advanceTo(now);
    const second = now / 1000;
    const last = this.buckets[(second - 1 + WINDOW_SECONDS) % WINDOW_SECONDS];
    const point: TimelinePoint = {
      t: second,
      availability: round4(this.slidingAvailability()),
      served: last[0],
      dropped: last[1],
      timedOut: last[2],
      pending,
      serving,
    };
    this.timeline.push(point);
    const lastTotal = last[0] + last[1] + last[2];
    const healthy = lastTotal === 0 || last[0] / lastTotal >= HEALTHY_SECOND;
    const health: ClusterHealth | undefined = cluster && { ...cluster, serviceHealthy: (svc) => this.serviceHealthy(svc) };
    this.incidents.forEach((inc, i) => {
      if (inc.recoveredAt !== undefined || now <= inc.at) return;
      const scope = this.scopes[i];
      const recovered = scope && health ? checkRecovery(scope, health, now) : now - inc.at >= MIN_INCIDENT_MS && whole && healthy;
      if (recovered) inc.recoveredAt = now;
    });
  }

  /** Availability over the last minute (1 when nothing was asked). */
  slidingAvailability(): number {
    let served = 0;
    let all = 0;
    for (const b of this.buckets) {
      served += b[0];
      all += b[0] + b[1] + b[2];
    }
    return all === 0 ? 1 : served / all;
  }

  totalAvailability(): number {
    const all = this.totals.served + this.totals.dropped + this.totals.timedOut;
    return all === 0 ? 1 : this.totals.served / all;
  }

  /** The score's parts (see score.ts); `won` is the scenario's verdict. */
  scoreParts(won: boolean): ScoreParts {
    return scoreParts({
      won,
      availability: this.totalAvailability(),
      incidents: this.incidents,
      oomKills: this.totalOomKills(),
      rejectedBindings: this.sched.rejected,
      staleDrops: this.dropsByCause["stale-rule"],
      noSpeedPoints: this.noSpeedPoints,
    });
  }

  /** The team score, 0–1,000 (see score.ts); `won`: whether the scenario's goal is met. */
  teamScore(won = false): number {
    return totalScore(this.scoreParts(won));
  }

  seats(proxyStats: ReadonlyMap<string, ProxyStats>, workers: readonly string[]): SeatFigures {
    const kubelets: SeatFigures["kubelets"] = {};
    const kubeProxies: SeatFigures["kubeProxies"] = {};
    for (const node of workers) {
      const k = this.kubelets.get(node) ?? { started: 0, startMsTotal: 0, oomKills: 0, rejected: 0, evicted: 0 };
      kubelets[node] = {
        started: k.started,
        meanStartSec: k.started ? round2(k.startMsTotal / k.started / 1000) : 0,
        oomKills: k.oomKills,
        rejected: k.rejected,
        evicted: k.evicted,
      };
      const p = proxyStats.get(node) ?? { forwarded: 0, forwardedLocal: 0, staleDrops: 0 };
      kubeProxies[node] = { forwarded: p.forwarded, localShare: p.forwarded ? round4(p.forwardedLocal / p.forwarded) : 0, staleDrops: p.staleDrops };
    }
    return {
      scheduler: {
        bindings: this.sched.bindings,
        meanWaitSec: this.sched.bindings ? round2(this.sched.waitTotal / this.sched.bindings / 1000) : 0,
        maxWaitSec: round2(this.sched.waitMax / 1000),
        rejectedBindings: this.sched.rejected,
      },
      controllerManager: {
        podsCreated: this.cm.created,
        replacements: this.cm.replacements,
        meanReplaceSec: this.cm.replacements ? round2(this.cm.replaceTotal / this.cm.replacements / 1000) : 0,
        maxReplaceSec: round2(this.cm.replaceMax / 1000),
      },
      kubelets,
      kubeProxies,
    };
  }

  totalOomKills(): number {
    let n = 0;
    for (const k of this.kubelets.values()) n += k.oomKills;
    return n;
  }

  snapshot(): ScoreSnapshot {
    return structuredClone({
      totals: this.totals,
      dropsByCause: this.dropsByCause,
      buckets: this.buckets,
      currentSecond: this.currentSecond,
      timeline: this.timeline,
      incidents: this.incidents,
      sched: this.sched,
      cm: this.cm,
      deficitSince: Object.fromEntries(this.deficitSince),
      kubelets: Object.fromEntries(this.kubelets),
      scopes: this.scopes,
      serviceSeconds: Object.fromEntries(this.serviceSeconds),
      noSpeedPoints: this.noSpeedPoints,
    });
  }

  static restore(s: ScoreSnapshot): Scoreboard {
    const b = new Scoreboard();
    const c = structuredClone(s);
    b.totals = c.totals;
    b.dropsByCause = c.dropsByCause;
    b.buckets = c.buckets;
    b.currentSecond = c.currentSecond;
    b.timeline.push(...c.timeline);
    b.incidents.push(...c.incidents);
    b.sched = c.sched;
    b.cm = c.cm;
    b.deficitSince = new Map(Object.entries(c.deficitSince));
    b.kubelets = new Map(Object.entries(c.kubelets));
    b.scopes = c.scopes ?? c.incidents.map(() => null);
    b.serviceSeconds = new Map(Object.entries(c.serviceSeconds ?? {}));
    b.noSpeedPoints = c.noSpeedPoints === true;
    return b;
  }
}
