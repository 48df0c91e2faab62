/**
 * Building a scenario's cluster at game time 0: machines, the objects a cluster admin would
 * apply (deployments, services), and — for scenarios that open mid-flight — every replica
 * already created, placed, started and behind its service, done through the same API requests
 * the components make during play.
 */
import type { ApiRequest } from "./api/requests.ts";
import type { ApiResult } from "./api/status.ts";
import { defaultPick } from "./bots/nodeSummaries.ts";
import type { ClusterState } from "./objects/ClusterState.ts";
import type { DeploymentObject, ServiceObject } from "./objects/types.ts";
import { NAMESPACE } from "./objects/types.ts";
import type { Scenario } from "./scenarios/schema.ts";
import { seconds } from "./clock.ts";
import type { World } from "./world/World.ts";
import { seatId } from "./seats.ts";

export const controlPlaneName = (i: number) => `cp-${i}`;
export const workerName = (i: number) => `node-${i}`;

export interface BootstrapEnv {
  state: ClusterState;
  world: World;
  /** Sends a request as a seat or component: "scheduler", "kubelet:node-1", "node-agent:node-1", … */
  as(who: string, request: ApiRequest): ApiResult;
  /** Runs the room's own controllers once (endpoints). */
  runSystemControllers(): void;
}

/**
 * The seats of a scenario's cluster as it opens (one scheduler, one controller manager, a kubelet
 * and a kube-proxy per worker and per bare server) — with `joining`, also the seats of workers its
 * script adds later.
 */
export function scenarioSeats(scenario: Scenario, opts: { joining?: boolean } = {}): string[] {
  const joins = opts.joining ? scenario.events.filter((e) => e.failure.type === "joinWorker" || e.failure.type === "addBareServer") : [];
  const machines = scenario.cluster.workers.count + (scenario.cluster.bareServers?.count ?? 0);
  const workers = new Set(Array.from({ length: machines + joins.length }, (_, i) => workerName(i + 1)));
  for (const e of joins) if ((e.failure.type === "joinWorker" || e.failure.type === "addBareServer") && e.failure.node) workers.add(e.failure.node);
  return ["scheduler", "controller-manager", ...[...workers].flatMap((w) => [seatId("kubelet", w), seatId("kube-proxy", w)])];
}

/** The bare servers of a scenario's cluster, by name: numbered after its workers. */
export function bareServerNames(scenario: Scenario): string[] {
  const { workers, bareServers } = scenario.cluster;
  return Array.from({ length: bareServers?.count ?? 0 }, (_, i) => workerName(workers.count + i + 1));
}

/** Every seat of a cluster as it is now: one scheduler, one controller manager, two per worker (bare servers too). */
export function clusterSeats(world: World): string[] {
  const out = ["scheduler", "controller-manager"];
  for (const m of world.workers()) out.push(seatId("kubelet", m.name), seatId("kube-proxy", m.name));
  return out;
}

export function buildMachines(world: World, scenario: Scenario): void {
  const { controlPlane, workers } = scenario.cluster;
  for (let i = 1; i <= controlPlane.count; i++) world.addMachine(controlPlaneName(i), "control-plane", { cpu: controlPlane.cpu, memory: controlPlane.memory });
  for (let i = 1; i <= workers.count; i++) world.addMachine(workerName(i), "worker", { cpu: workers.cpu, memory: workers.memory });
  const bare = scenario.cluster.bareServers;
  for (const name of bareServerNames(scenario)) world.addMachine(name, "worker", { cpu: bare!.cpu, memory: bare!.memory }, true);
}

/** The deployments and services, as `kubectl apply` of the scenario's manifests would create them. */
export function applyManifests(state: ClusterState, scenario: Scenario): void {
  let ipOctet = 10;
  for (const d of scenario.deployments) {
    state.create<DeploymentObject>(
      {
        kind: "Deployment",
        metadata: { name: d.name, namespace: NAMESPACE, labels: { app: d.name } },
        spec: {
          replicas: d.replicas,
          selector: { app: d.name },
          template: {
            image: d.image,
            requests: { cpu: d.cpu, memory: d.memory },
            memoryLimit: d.memoryLimit,
            memoryUsage: d.memoryUsage,
            startupMs: seconds(d.startupSec),
            capacityRps: d.capacityRps,
          },
        },
        status: { replicas: 0, readyReplicas: 0 },
      },
      0,
    );
    if (d.service) {
      state.create<ServiceObject>(
        {
          kind: "Service",
          metadata: { name: d.name, namespace: NAMESPACE, labels: { app: d.name } },
          spec: { selector: { app: d.name }, port: d.service.port, clusterIP: `10.96.0.${ipOctet++}` },
        },
        0,
      );
    }
  }
}

/** Registers every node through its own node agent, as kubelets do when they start. */
export function registerNodes(env: BootstrapEnv): void {
  for (const m of env.world.machines.values()) {
    if (!m.joined) continue; // a bare server joins when a player (or its bot) has set it up
    env.as(`node-agent:${m.name}`, { type: "registerNode", node: m.name, capacity: m.capacity });
    env.as(`node-agent:${m.name}`, { type: "renewLease", node: m.name });
    m.lastLeaseRenew = 0;
  }
}

/** Opens the game with every replica serving: each pod walks the normal path, instantly. */
export function startAllReplicas(env: BootstrapEnv): void {
  const { state, world } = env;
  for (const d of state.deployments.values()) {
    for (let i = 0; i < d.spec.replicas; i++) env.as("controller-manager", { type: "createPod", deployment: d.metadata.name });
  }
  for (const pod of [...state.pods.values()]) {
    const node = defaultPick(state, pod);
    if (!node) continue;
    const name = pod.metadata.name;
    env.as("scheduler", { type: "bind", pod: name, node });
    env.as(`kubelet:${node}`, { type: "admit", pod: name });
    const m = world.machine(node)!;
    const cidr = state.nodes.get(node)!.status.podCidrIndex;
    m.images.add(pod.spec.image);
    m.containers.set(name, {
      pod: name,
      image: pod.spec.image,
      state: "running",
      since: 0,
      until: 0,
      exitReason: "",
      memoryUsage: pod.spec.memoryUsage,
      memoryLimit: pod.spec.memoryLimit,
      capacityRps: pod.spec.capacityRps,
      stopAt: 0,
    });
    env.as(`node-agent:${node}`, {
      type: "reportPodStatus",
      pod: name,
      status: { phase: "Running", ready: true, podIP: `10.244.${cidr}.${m.nextIp++}`, startedAt: 0, readyAt: 0, message: "" },
    });
  }
  env.runSystemControllers();
  for (const m of world.workers()) {
    if (!m.joined) continue;
    for (const svc of state.services.keys()) env.as(`kube-proxy:${m.name}`, { type: "syncRules", node: m.name, service: svc, mode: "local-first" });
  }
}
