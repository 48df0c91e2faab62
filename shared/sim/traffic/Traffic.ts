/**
 * Application traffic: requests from the outside world arrive at each service at the scenario's
 * rate, enter a worker node picked by the load balancer, are forwarded by that node's kube-proxy
 * rules to a pod and are served if the pod has capacity before the deadline. Requests live only
 * here — never in etcd.
 */
import { NEVER, TICK_MS } from "../clock.ts";
import type { ClusterState } from "../objects/ClusterState.ts";
import { streamFor } from "../random.ts";
import { LB_HEALTH_CHECK_MS, LOCAL_HOP_MS, REMOTE_HOP_MS, REQUEST_DEADLINE_MS, THRASH_CAPACITY_FACTOR } from "../tuning.ts";
import { countServed, isRunning, isThrashing } from "../world/Machine.ts";
import type { World } from "../world/World.ts";

export type Outcome = "served" | "dropped" | "timedOut";

/** Why a request was dropped. */
export type DropCause =
  /** The load balancer had no healthy node to send it to. */
  | "no-node"
  /** The entry or target node is down. */
  | "node-down"
  /** The entry node's kube-proxy has no rules for the service yet. */
  | "no-rule"
  /** The rules are there but list no endpoint: no pod of the service is ready. */
  | "no-endpoints"
  /** The rule pointed at a pod that is gone or not serving: kube-proxy's rules are stale. */
  | "stale-rule";

export const DROP_CAUSES: readonly DropCause[] = ["no-node", "node-down", "no-rule", "no-endpoints", "stale-rule"];

export interface InFlight {
  id: number;
  service: string;
  entry: string;
  node: string;
  pod: string;
  sentAt: number;
  arriveAt: number;
  deadline: number;
  local: boolean;
}

export interface Finished {
  id: number;
  service: string;
  entry: string;
  node: string;
  pod: string;
  outcome: Outcome;
  cause?: DropCause;
  at: number;
}

/** A piecewise-linear rate: [second, requests per second] points, flat after the last. */
export type RateCurve = readonly (readonly [number, number])[];

export function rateAt(curve: RateCurve, tSec: number): number {
  if (curve.length === 0) return 0;
  if (tSec <= curve[0][0]) return curve[0][1];
  for (let i = 1; i < curve.length; i++) {
    const [t1, r1] = curve[i];
    if (tSec <= t1) {
      const [t0, r0] = curve[i - 1];
      return r0 + ((r1 - r0) * (tSec - t0)) / (t1 - t0 || 1);
    }
  }
  return curve[curve.length - 1][1];
}

/**
 * The traffic of each service that exists now, in a fixed order: a scenario's services follow its
 * script (in the scenario's order), unless a manifest set their rate; a service created during the
 * game gets the constant rate it was created with (see DEFAULT_SERVICE_RPS), in creation order. A
 * deleted service gets no traffic.
 */
export function serviceCurves(scripted: ReadonlyMap<string, RateCurve>, state: ClusterState): Map<string, RateCurve> {
  const out = new Map<string, RateCurve>();
  for (const [name, curve] of scripted) {
    const svc = state.services.get(name);
    if (svc) out.set(name, svc.spec.rps === undefined ? curve : [[0, svc.spec.rps]]);
  }
  for (const svc of state.services.values()) {
    if (!out.has(svc.metadata.name) && svc.spec.rps !== undefined) out.set(svc.metadata.name, [[0, svc.spec.rps]]);
  }
  return out;
}

/** The most that stacked traffic spikes can multiply a service's rate by. */
export const MAX_SPIKE_FACTOR = 20;

export interface Spike {
  service: string;
  factor: number;
  until: number;
}

/** What kube-proxy on one node did with the traffic that entered there. */
export interface ProxyStats {
  forwarded: number;
  forwardedLocal: number;
  staleDrops: number;
  /** Requests served after a same-node hop, and their summed latency (sent → served), ms. */
  servedLocal: number;
  localMs: number;
  /** Requests served after a hop to another node, and their summed latency, ms. */
  servedRemote: number;
  remoteMs: number;
}

const NO_STATS: ProxyStats = { forwarded: 0, forwardedLocal: 0, staleDrops: 0, servedLocal: 0, localMs: 0, servedRemote: 0, remoteMs: 0 };

export interface TrafficSnapshot {
  nextId: number;
  carry: Record<string, number>;
  spikes: Spike[];
  lbHealthy: string[];
  lbCheckedAt: number;
  credit: Record<string, number>;
  proxyStats: Record<string, ProxyStats>;
}

export interface TrafficEnv {
  state: ClusterState;
  world: World;
  now: number;
  tick: number;
  seed: number;
  curves: ReadonlyMap<string, RateCurve>;
}

export class Traffic {
  private nextId = 1;
  private hops: InFlight[] = [];
  private readonly queues = new Map<string, InFlight[]>();
  private readonly credit = new Map<string, number>();
  private carry = new Map<string, number>();
  spikes: Spike[] = [];
  private lbHealthy: string[] = [];
  private lbCheckedAt = NEVER;
  readonly proxyStats = new Map<string, ProxyStats>();

  /** Advances one tick; returns the requests that ended in it. */
  tick(env: TrafficEnv): Finished[] {
    const finished: Finished[] = [];
    this.checkHealth(env);
    this.arrive(env, finished);
    this.deliver(env, finished);
    this.serve(env, finished);
    return finished;
  }

  /** The load balancer's health check: nodes whose kube-proxy answers its healthz. */
  private checkHealth(env: TrafficEnv): void {
    if (env.now - this.lbCheckedAt < LB_HEALTH_CHECK_MS) return;
    this.lbCheckedAt = env.now;
    // kube-proxy's healthz answers once it runs and has programmed rules.
    this.lbHealthy = env.world
      .workers()
      .filter((m) => isRunning(m, "kube-proxy") && m.proxyRules.size > 0)
      .map((m) => m.name);
  }

  private stats(node: string): ProxyStats {
    let s = this.proxyStats.get(node);
    if (!s) this.proxyStats.set(node, (s = { ...NO_STATS }));
    return s;
  }

  /** A request served: its latency counts for the kube-proxy of the node it entered, local or remote. */
  private served(r: InFlight, now: number): Finished {
    const s = this.stats(r.entry);
    if (r.local) {
      s.servedLocal++;
      s.localMs += now - r.sentAt;
    } else {
      s.servedRemote++;
      s.remoteMs += now - r.sentAt;
    }
    return end(r, "served", now);
  }

  private arrive(env: TrafficEnv, finished: Finished[]): void {
    const rng = streamFor(env.seed, env.tick, "traffic");
    const tSec = env.now / 1000;
    for (const [service, curve] of env.curves) {
      let rate = rateAt(curve, tSec);
      let factor = 1;
      for (const s of this.spikes) if (s.service === service && env.now < s.until) factor *= s.factor;
      // Spikes stacked from the chaos panel compound, but never past MAX_SPIKE_FACTOR.
      rate *= Math.min(factor, MAX_SPIKE_FACTOR);
      const expected = (this.carry.get(service) ?? 0) + (rate * TICK_MS) / 1000;
      const count = Math.floor(expected);
      this.carry.set(service, expected - count);
      for (let i = 0; i < count; i++) this.send(env, service, rng.next(), rng.next(), finished);
    }
    this.spikes = this.spikes.filter((s) => env.now < s.until);
  }

  private send(env: TrafficEnv, service: string, r1: number, r2: number, finished: Finished[]): void {
    const id = this.nextId++;
    const base = { id, service, entry: "", node: "", pod: "", at: env.now };
    if (this.lbHealthy.length === 0) {
      finished.push({ ...base, outcome: "dropped", cause: "no-node" });
      return;
    }
    const entry = this.lbHealthy[Math.floor(r1 * this.lbHealthy.length)];
    const m = env.world.machine(entry);
    if (!m?.powered) {
      finished.push({ ...base, entry, outcome: "dropped", cause: "node-down" });
      return;
    }
    const rule = m.proxyRules.get(service);
    if (!rule || rule.endpoints.length === 0) {
      finished.push({ ...base, entry, outcome: "dropped", cause: rule ? "no-endpoints" : "no-rule" });
      return;
    }
    const pool = rule.mode === "local-first" && rule.local.length > 0 ? rule.local : rule.endpoints;
    const target = pool[Math.floor(r2 * pool.length)];
    const local = target.node === entry;
    const s = this.stats(entry);
    s.forwarded++;
    if (local) s.forwardedLocal++;
    this.hops.push({
      id,
      service,
      entry,
      node: target.node,
      pod: target.pod,
      sentAt: env.now,
      arriveAt: env.now + (local ? LOCAL_HOP_MS : REMOTE_HOP_MS),
      deadline: env.now + REQUEST_DEADLINE_MS,
      local,
    });
  }

  private deliver(env: TrafficEnv, finished: Finished[]): void {
    const still: InFlight[] = [];
    for (const r of this.hops) {
      if (r.arriveAt > env.now) {
        still.push(r);
        continue;
      }
      const m = env.world.machine(r.node);
      if (!m?.powered) {
        finished.push(end(r, "dropped", env.now, "node-down"));
        continue;
      }
      const c = m.containers.get(r.pod);
      if (c?.state !== "running" || c.stopAt > 0) {
        this.stats(r.entry).staleDrops++;
        finished.push(end(r, "dropped", env.now, "stale-rule"));
        continue;
      }
      let q = this.queues.get(r.pod);
      if (!q) this.queues.set(r.pod, (q = []));
      q.push(r);
    }
    this.hops = still;
  }

  private serve(env: TrafficEnv, finished: Finished[]): void {
    // Whether each node is starving for memory, worked out once a tick.
    const starving = new Map<string, boolean>();
    for (const [pod, queue] of this.queues) {
      const r0 = queue[0];
      const m = r0 ? env.world.machine(r0.node) : undefined;
      const c = m?.powered ? m.containers.get(pod) : undefined;
      if (c?.state !== "running" || c.stopAt > 0) {
        // The pod died with requests waiting: their connections are reset.
        for (const r of queue) {
          this.stats(r.entry).staleDrops++;
          finished.push(end(r, "dropped", env.now, "stale-rule"));
        }
        this.queues.delete(pod);
        this.credit.delete(pod);
        continue;
      }
      let slow = m ? starving.get(m.name) : false;
      if (slow === undefined && m) starving.set(m.name, (slow = isThrashing(m)));
      const perTick = (c.capacityRps * (slow ? THRASH_CAPACITY_FACTOR : 1) * TICK_MS) / 1000;
      // Unused capacity carries over by at most one request, so an idle pod does not bank a burst.
      let credit = Math.min(this.credit.get(pod) ?? 0, 1) + perTick;
      let i = 0;
      while (i < queue.length && credit >= 1) {
        finished.push(this.served(queue[i++], env.now));
        countServed(c, env.now);
        credit--;
      }
      const rest: InFlight[] = [];
      for (; i < queue.length; i++) {
        const r = queue[i];
        if (env.now >= r.deadline) finished.push(end(r, "timedOut", env.now));
        else rest.push(r);
      }
      this.credit.set(pod, credit);
      if (rest.length) this.queues.set(pod, rest);
      else this.queues.delete(pod);
    }
  }

  /** Multiplies a service's traffic for a while (a spike). */
  spike(service: string, factor: number, until: number): void {
    this.spikes.push({ service, factor, until });
  }

  /** Requests travelling or waiting at a pod, for drawing. */
  inFlight(): InFlight[] {
    const out = [...this.hops];
    // A loop, not push(...q): a queue can hold more requests than a call has arguments.
    for (const q of this.queues.values()) for (const r of q) out.push(r);
    return out;
  }

  get inFlightCount(): number {
    let n = this.hops.length;
    for (const q of this.queues.values()) n += q.length;
    return n;
  }

  snapshot(): TrafficSnapshot {
    return {
      nextId: this.nextId,
      carry: Object.fromEntries(this.carry),
      spikes: this.spikes.map((s) => ({ ...s })),
      lbHealthy: [...this.lbHealthy],
      lbCheckedAt: this.lbCheckedAt,
      credit: Object.fromEntries(this.credit),
      proxyStats: structuredClone(Object.fromEntries(this.proxyStats)),
    };
  }

  restore(s: TrafficSnapshot): void {
    this.nextId = s.nextId;
    this.carry = new Map(Object.entries(s.carry));
    this.spikes = s.spikes.map((x) => ({ ...x }));
    this.lbHealthy = [...s.lbHealthy];
    this.lbCheckedAt = s.lbCheckedAt;
    this.credit.clear();
    for (const [pod, c] of Object.entries(s.credit)) this.credit.set(pod, c);
    this.proxyStats.clear();
    // Games saved before latencies were counted start them at 0.
    for (const [node, p] of Object.entries(s.proxyStats)) this.proxyStats.set(node, { ...NO_STATS, ...p });
  }
}

function end(r: InFlight, outcome: Outcome, at: number, cause?: DropCause): Finished {
  const f: Finished = { id: r.id, service: r.service, entry: r.entry, node: r.node, pod: r.pod, outcome, at };
  if (cause) f.cause = cause;
  return f;
}
