/**
 * Projects the game into the synchronised state once per tick: cluster objects as the API
 * server holds them, the physical truth of each machine and pod (apart, for those who may see it), the lobby, the logs and a sample of the
 * requests in flight. Only changed fields are written, so patches stay small.
 */
import { census, rolloutStep } from "../../shared/sim/objects/rollout.ts";
import type { ArraySchema } from "@colyseus/schema";
import { boundRequests } from "../../shared/sim/api/context.ts";
import { refusedCode } from "../../shared/sim/api/stages.ts";
import { replicasOnNode } from "../../shared/sim/bots/nodeSummaries.ts";
import type { Change } from "../../shared/sim/objects/ClusterState.ts";
import { isActivePod } from "../../shared/sim/objects/types.ts";
import { currentScore } from "../../shared/sim/outcome.ts";
import { isInstalled, isRunning, memoryInUse, processesOf } from "../../shared/sim/world/Machine.ts";
import { encodeTrafficItem, LOAD_BALANCER, TrafficKind } from "../../shared/protocol/trafficSample.ts";
import type { Finished } from "../../shared/sim/traffic/Traffic.ts";
import { eventSummary } from "../game/debrief.ts";
import type { GameSession } from "../game/GameSession.ts";
import { projectQuestion } from "./teaching.ts";
import {
  DeploymentView,
  EtcdWrite,
  EventLine,
  LogLine,
  NodeTruth,
  NodeView,
  PlayerView,
  PodTruth,
  PodView,
  RuleView,
  SeatView,
  ServiceView,
  type ClusterRoomState,
} from "../../shared/protocol/state.ts";

/** How many lines the API log, event log and etcd panel keep. */
export const LOG_LINES = 30;
/** How many sent and how many ended requests are drawn per tick at most. */
export const MAX_DOTS_PER_TICK = 4;

/** Writes `value` into `target[key]` only when it differs (no needless patch). */
function set<T extends object, K extends keyof T>(target: T, key: K, value: T[K]): void {
  if (target[key] !== value) target[key] = value;
}

function setList(list: ArraySchema<string>, values: readonly string[]): void {
  if (list.length === values.length && values.every((v, i) => list[i] === v)) return;
  list.splice(0, list.length, ...values);
}

/** Keeps a map's keys to exactly `keys`, creating entries with `make`. */
function syncKeys<V>(map: Map<string, V> & { delete(k: string): boolean }, keys: Set<string>, make: (key: string) => V): void {
  for (const k of [...map.keys()]) if (!keys.has(k)) map.delete(k);
  for (const k of keys) if (!map.has(k)) map.set(k, make(k));
}

/** Keeps a map of counts to exactly `counts`. */
function syncCounts(map: Map<string, number> & { delete(k: string): boolean }, counts: ReadonlyMap<string, number>): void {
  for (const k of [...map.keys()]) if (!counts.has(k)) map.delete(k);
  for (const [k, n] of counts) if (map.get(k) !== n) map.set(k, n);
}

export function projectCluster(state: ClusterRoomState, session: GameSession, cursor: LogCursor): void {
  const { sim } = session;
  const s = sim.state;
  set(state, "mode", session.options.mode);
  set(state, "phase", session.phase);
  set(state, "pin", session.pin);
  set(state, "scenario", sim.scenario.id);
  set(state, "title", sim.scenario.title);
  set(state, "difficulty", sim.difficulty);
  set(state, "noSpeedPoints", sim.score.noSpeedPoints);
  set(state, "speed", session.speed);
  set(state, "locked", session.locked);
  set(state, "time", sim.now);
  set(state, "duration", sim.scenario.durationSec * 1000);
  set(state, "revision", s.revision);
  set(state, "availability", Math.round(sim.score.slidingAvailability() * 10000) / 10000);
  set(state, "availabilityTotal", Math.round(sim.score.totalAvailability() * 10000) / 10000);
  set(state, "score", currentScore(sim));
  set(state, "served", sim.score.totals.served);
  set(state, "dropped", sim.score.totals.dropped);
  set(state, "timedOut", sim.score.totals.timedOut);

  syncKeys(state.nodes, new Set(sim.world.machines.keys()), (name) => new NodeView({ name }));
  for (const [name, view] of state.nodes) {
    const m = sim.world.machine(name)!;
    const node = s.nodes.get(name);
    set(view, "role", m.role);
    set(view, "ready", node?.status.ready ?? "Unknown");
    set(view, "readyReason", node?.status.readyReason ?? "NotRegistered");
    // Control-plane nodes are kept free of workloads by their taint, not by a cordon.
    set(view, "unschedulable", m.role === "worker" && (node?.spec.unschedulable ?? false));
    const used = boundRequests(s, name);
    set(view, "cpuAllocatable", node?.status.allocatable.cpu ?? m.capacity.cpu);
    set(view, "memoryAllocatable", node?.status.allocatable.memory ?? m.capacity.memory);
    set(view, "cpuRequested", used.cpu);
    set(view, "memoryRequested", used.memory);
    const lease = s.leases.get(name);
    // Whole seconds: a heartbeat age that changes every tick would cost every client bytes for nothing.
    set(view, "leaseAgeMs", lease ? Math.max(0, Math.floor((sim.now - lease.spec.renewTime) / 1000) * 1000) : 0);
    set(view, "pods", s.podsOnNode(name).filter(isActivePod).length);
    const proxy = sim.traffic.proxyStats.get(name);
    set(view, "localLatencyMs", proxy?.servedLocal ? Math.round(proxy.localMs / proxy.servedLocal) : 0);
    set(view, "remoteLatencyMs", proxy?.servedRemote ? Math.round(proxy.remoteMs / proxy.servedRemote) : 0);
    syncCounts(view.replicas, replicasOnNode(s, name));
  }

  syncKeys(state.pods, new Set(s.pods.keys()), (name) => new PodView({ name }));
  for (const [name, view] of state.pods) {
    const p = s.pods.get(name)!;
    set(view, "deployment", p.metadata.ownerReferences?.[0]?.name ?? "");
    set(view, "node", p.spec.nodeName);
    set(view, "phase", p.status.phase);
    set(view, "ready", p.status.ready);
    set(view, "reason", p.status.reason);
    set(view, "message", p.status.message);
    set(view, "restartCount", p.status.restartCount);
    set(view, "ip", p.status.podIP);
    set(view, "cpu", p.spec.requests.cpu);
    set(view, "memory", p.spec.requests.memory);
    set(view, "createdAt", p.metadata.creationTimestamp);
    set(view, "restartAfter", p.status.restartAfter);
  }

  projectTruth(state, session);
  projectEtcdMembers(state, session);

  syncKeys(state.deployments, new Set(s.deployments.keys()), (name) => new DeploymentView({ name }));
  for (const [name, view] of state.deployments) {
    const d = s.deployments.get(name)!;
    set(view, "desired", d.spec.replicas);
    set(view, "replicas", d.status.replicas);
    set(view, "ready", d.status.readyReplicas);
    const c = census(d, s.podsOf(name));
    set(view, "updated", c.current);
    set(view, "removable", c.outdated.length ? (rolloutStep(d, c).remove[0]?.metadata.name ?? "") : "");
  }

  syncKeys(state.services, new Set(s.services.keys()), (name) => new ServiceView({ name }));
  for (const [name, view] of state.services) {
    const ep = s.endpoints.get(name);
    set(view, "clusterIP", s.services.get(name)!.spec.clusterIP);
    setList(view.endpoints, ep?.addresses.map((a) => a.pod) ?? []);
    set(view, "endpointsVersion", ep?.metadata.resourceVersion ?? 0);
  }

  const ruleKeys = new Set<string>();
  for (const m of sim.world.workers()) for (const svc of m.proxyRules.keys()) ruleKeys.add(`${m.name}/${svc}`);
  syncKeys(state.rules, ruleKeys, (key) => new RuleView({ node: key.split("/")[0], service: key.split("/")[1] }));
  for (const [key, view] of state.rules) {
    const [node, svc] = key.split("/");
    const rule = sim.world.machine(node)!.proxyRules.get(svc)!;
    set(view, "mode", rule.mode);
    setList(
      view.endpoints,
      rule.endpoints.map((e) => e.pod),
    );
    setList(
      view.local,
      rule.endpoints.filter((e) => e.node === node).map((e) => e.pod),
    );
    set(view, "stale", rule.syncedVersion !== (s.endpoints.get(svc)?.metadata.resourceVersion ?? 0));
  }

  projectLobby(state, session);
  projectLogs(state, session, cursor);
  projectQuestion(state, session);
}

/** etcd's members and whether each runs: every client's etcd panel shows them (at most one per control-plane node). */
function projectEtcdMembers(state: ClusterRoomState, session: GameSession): void {
  const members = session.sim.world.controlPlane();
  const names = new Set(members.map((m) => m.name));
  for (const k of [...state.etcdMembers.keys()]) if (!names.has(k)) state.etcdMembers.delete(k);
  for (const m of members) if (state.etcdMembers.get(m.name) !== isRunning(m, "etcd")) state.etcdMembers.set(m.name, isRunning(m, "etcd"));
}

/** The physical truth of every machine and pod (views.ts decides who receives it). */
function projectTruth(state: ClusterRoomState, session: GameSession): void {
  const { sim } = session;
  syncKeys(state.nodeTruth, new Set(sim.world.machines.keys()), (name) => new NodeTruth({ name }));
  for (const [name, view] of state.nodeTruth) {
    const m = sim.world.machine(name)!;
    set(view, "powered", m.powered);
    for (const p of processesOf(m.role)) {
      if (!isInstalled(m, p)) {
        if (view.processes.has(p)) view.processes.delete(p);
      } else if (view.processes.get(p) !== isRunning(m, p)) view.processes.set(p, isRunning(m, p));
    }
    set(view, "joined", m.joined);
    set(view, "installing", m.installing?.process ?? "");
    set(view, "installUntil", m.installing?.until ?? 0);
    set(view, "memoryInUse", Math.round(memoryInUse(m)));
  }
  syncKeys(state.podTruth, new Set(sim.state.pods.keys()), (name) => new PodTruth({ name }));
  for (const [name, view] of state.podTruth) set(view, "serving", sim.isServing(name, sim.state.pods.get(name)!.spec.nodeName));
}

export function projectLobby(state: ClusterRoomState, session: GameSession): void {
  syncKeys(state.players, new Set(session.players.keys()), (id) => new PlayerView({ id }));
  for (const [id, view] of state.players) {
    const p = session.players.get(id)!;
    set(view, "nickname", p.nickname);
    set(view, "host", p.host);
    set(view, "spectator", p.spectator);
    set(view, "connected", p.connected);
    setList(view.seats, p.seats);
    set(view, "mayApply", session.applyGrants.has(p.key));
  }
  syncKeys(state.seats, new Set(session.sim.seats()), (seat) => new SeatView({ seat }));
  for (const [seat, view] of state.seats) {
    set(view, "bot", session.sim.isBot(seat));
    setList(
      view.holders,
      session.holders(seat).map((p) => p.nickname),
    );
  }
}

/** Appends to a log array and trims it in batches (a shift per line would resend every index). */
function append<T>(list: { length: number; push(...x: T[]): number; splice(start: number, n: number): unknown }, items: T[]): void {
  if (items.length === 0) return;
  list.push(...items.slice(-LOG_LINES));
  if (list.length > LOG_LINES + 10) list.splice(0, list.length - LOG_LINES);
}

/** API log lines and events since the last projection (heartbeats stay out of the API log: they would drown it). */
function projectLogs(state: ClusterRoomState, session: GameSession, cursor: LogCursor): void {
  const audit = session.sim.api.recentAudit();
  const total = session.sim.api.requestCount;
  const fresh = audit.slice(Math.max(0, audit.length - (total - cursor.requests)));
  cursor.requests = total;
  append(
    state.apiLog,
    fresh
      .filter((a) => a.type !== "renewLease")
      .map(
        (a) =>
          new LogLine({
            time: a.time,
            user: a.user,
            actor: a.actor,
            verb: a.verb,
            path: a.path,
            code: a.code,
            message: a.message,
            type: a.type,
            refused: refusedCode(a.refusedAt),
            revision: a.revision,
            writes: a.writes,
          }),
      ),
  );
  const events: InstanceType<typeof EventLine>[] = [];
  for (const e of session.sim.state.events.values()) {
    if (e.metadata.resourceVersion <= cursor.eventRevision) continue;
    events.push(new EventLine(eventSummary(e)));
  }
  cursor.eventRevision = session.sim.state.revision;
  append(state.events, events);
}

/** How far the logs have been projected. */
export interface LogCursor {
  requests: number;
  eventRevision: number;
}

/** Adds the tick's etcd writes to the etcd panel (keys and revisions only: no request is ever in etcd). */
export function projectEtcd(state: ClusterRoomState, changes: readonly Change[]): void {
  if (changes.length === 0) return;
  append(
    state.etcd,
    changes
      .slice(-LOG_LINES)
      .map((c) => new EtcdWrite({ revision: c.revision, op: c.type === "delete" ? "DELETE" : c.previous === 0 ? "CREATE" : "PUT", key: c.key })),
  );
}

/**
 * A sample of the tick's traffic for drawing, appended to `buffer` as encoded items
 * (shared/protocol/trafficSample.ts): requests sent (entry node → pod) and requests that ended
 * (served, timed out at a pod, or dropped at their entry node).
 */
export function sampleTraffic(buffer: string[], session: GameSession, finished: readonly Finished[]): void {
  const now = session.sim.now;
  let sent = 0;
  for (const r of session.sim.traffic.inFlight()) {
    if (r.sentAt !== now || sent >= MAX_DOTS_PER_TICK) continue;
    buffer.push(encodeTrafficItem({ kind: TrafficKind.Send, a: r.entry, b: r.pod }));
    sent++;
  }
  const step = Math.max(1, Math.ceil(finished.length / MAX_DOTS_PER_TICK));
  for (let i = 0; i < finished.length; i += step) {
    const f = finished[i];
    if (f.outcome === "served") buffer.push(encodeTrafficItem({ kind: TrafficKind.Served, a: f.pod, b: "" }));
    else if (f.outcome === "timedOut") buffer.push(encodeTrafficItem({ kind: TrafficKind.TimedOut, a: f.pod, b: "" }));
    else buffer.push(encodeTrafficItem({ kind: TrafficKind.Dropped, a: f.entry || LOAD_BALANCER, b: f.cause ?? "" }));
  }
}
