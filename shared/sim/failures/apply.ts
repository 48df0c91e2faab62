/**
 * Carrying out a failure: physical ones change machines (power, processes, containers), the
 * others go through the API as the cluster admin would. Bad targets are refused with a reason,
 * changing nothing.
 */
import type { ApiRequest } from "../api/requests.ts";
import { invalid, notFound, ok, type ApiResult } from "../api/status.ts";
import { controlPlaneName, workerName } from "../bootstrap.ts";
import type { ClusterState } from "../objects/ClusterState.ts";
import { isActivePod } from "../objects/types.ts";
import type { Rng } from "../random.ts";
import type { Traffic } from "../traffic/Traffic.ts";
import { crashContainer, type NodeAgentEnv } from "../world/nodeAgent.ts";
import { CONTROL_PLANE_PROCESSES, isInstalled, isRunning, processesOf, WORKER_PROCESSES, type Machine, type ProcessName } from "../world/Machine.ts";
import type { World } from "../world/World.ts";
import { NEVER, seconds } from "../clock.ts";
import type { Failure } from "./failures.ts";
import { sendOutsider } from "./outsider.ts";

/**
 * Most machines a cluster may have: joining workers and adding control-plane nodes stop here
 * (the large-cluster scenario has 53). Each machine brings seats, bots, objects and saved state.
 */
export const MAX_MACHINES = 64;

/** Undoing a timed failure when its time is up. */
export type Timer =
  | { at: number; undo: { type: "restoreNode"; node: string } }
  | { at: number; undo: { type: "startProcess"; node: string; process: ProcessName } }
  | { at: number; undo: { type: "resetPulls"; node?: string } };

export interface FailureEnv {
  state: ClusterState;
  world: World;
  traffic: Traffic;
  now: number;
  rng: Rng;
  agentEnv: NodeAgentEnv;
  /** Sends a request as the cluster admin. */
  admin(request: ApiRequest): ApiResult;
  /** Sends a request as a component, or with no valid credentials (undefined): an outsider's request. */
  callAs(who: string | undefined, request: ApiRequest, actor: string): ApiResult;
  schedule(timer: Timer): void;
  /** Told which pod a failure aimed at a deployment picked (for the score's incident). */
  targeted?(pod: string): void;
  /** Drops pending undo timers that a newer failure on the same target supersedes. */
  cancel(match: (t: Timer) => boolean): void;
}

function machineOr404(env: FailureEnv, node: string): Machine | ApiResult {
  return env.world.machine(node) ?? notFound(`node ${node} not found`);
}

const isResult = (x: unknown): x is ApiResult => typeof x === "object" && x !== null && "ok" in x;

/** A running container of the named pod, or of a random serving pod of the deployment (on `node`, when named). */
function pickContainerPod(env: FailureEnv, f: { pod?: string; deployment?: string; node?: string }): { pod: string; machine: Machine } | ApiResult {
  if (!f.pod && !f.deployment) return invalid("name a pod or a deployment to aim at");
  const candidates: { pod: string; machine: Machine }[] = [];
  const pods = f.pod ? [env.state.pods.get(f.pod)].filter((p) => p !== undefined) : env.state.podsOf(f.deployment!);
  if (f.pod && pods.length === 0) return notFound(`pod ${f.pod} not found`);
  if (!f.pod && !env.state.deployments.has(f.deployment!)) return notFound(`deployment ${f.deployment} not found`);
  for (const p of pods) {
    if (!isActivePod(p) || (f.node !== undefined && p.spec.nodeName !== f.node)) continue;
    const m = env.world.machine(p.spec.nodeName);
    const c = m?.powered ? m.containers.get(p.metadata.name) : undefined;
    if (m && c && c.state !== "exited" && c.stopAt === 0) candidates.push({ pod: p.metadata.name, machine: m });
  }
  if (candidates.length === 0)
    return invalid(
      f.pod
        ? `pod ${f.pod} has no running container${f.node ? ` on ${f.node}` : ""}`
        : `deployment ${f.deployment} has no running pod${f.node ? ` on ${f.node}` : ""}`,
    );
  return candidates[env.rng.int(candidates.length)];
}

function nextName(world: World, make: (i: number) => string): string {
  for (let i = 1; ; i++) if (!world.machines.has(make(i))) return make(i);
}

function powerOff(m: Machine): void {
  m.powered = false;
  // An install cut short by the power loss has to be started again.
  m.installing = null;
  m.containers.clear();
  // The node's forwarding rules live in the kernel: a reboot loses them.
  m.proxyRules.clear();
}

export function applyFailure(env: FailureEnv, f: Failure): ApiResult {
  switch (f.type) {
    case "killPod": {
      if (!f.pod && !f.deployment) return invalid("name a pod or a deployment to aim at");
      let pod = f.pod;
      if (!pod) {
        const target = pickContainerPod(env, f);
        if (isResult(target)) return target;
        pod = target.pod;
      }
      return env.admin({ type: "deletePod", pod });
    }
    case "crashContainer":
    case "oomPod": {
      const target = pickContainerPod(env, f);
      if (isResult(target)) return target;
      env.targeted?.(target.pod);
      crashContainer(target.machine, target.pod, f.type === "oomPod" ? "OOMKilled" : "Error", env.agentEnv);
      return ok(`${target.pod}'s container ${f.type === "oomPod" ? "was OOM-killed" : "crashed"}`);
    }
    case "crashNode": {
      const m = machineOr404(env, f.node);
      if (isResult(m)) return m;
      if (!m.powered) return invalid(`${f.node} is already down`);
      powerOff(m);
      env.cancel((t) => t.undo.type === "restoreNode" && t.undo.node === f.node);
      if (f.durationSec) env.schedule({ at: env.now + seconds(f.durationSec), undo: { type: "restoreNode", node: f.node } });
      return ok(`${f.node} lost power`);
    }
    case "restoreNode": {
      const m = machineOr404(env, f.node);
      if (isResult(m)) return m;
      if (m.powered) return invalid(`${f.node} is already up`);
      env.cancel((t) => t.undo.type === "restoreNode" && t.undo.node === f.node);
      m.powered = true;
      // What is installed starts again at boot (a bare server stays as bare as it was).
      for (const p of processesOf(m.role)) if (isInstalled(m, p)) m.processes[p] = true;
      m.lastLeaseRenew = NEVER;
      return ok(`${f.node} powered on: its processes start again`);
    }
    case "stopProcess":
    case "startProcess": {
      const m = machineOr404(env, f.node);
      if (isResult(m)) return m;
      const own = processesOf(m.role);
      if (!own.includes(f.process)) {
        const kind = m.role === "worker" ? WORKER_PROCESSES : CONTROL_PLANE_PROCESSES;
        return invalid(`${f.node} is a ${m.role} node and runs no ${f.process}; it runs ${kind.join(", ")}`);
      }
      if (!m.powered) return invalid(`${f.node} is down: power it on first`);
      if (!isInstalled(m, f.process)) return invalid(`${f.process} is not installed on ${f.node} yet: its kubelet seat installs it`);
      const up = f.type === "startProcess";
      if (m.processes[f.process] === up) return invalid(`${f.process} on ${f.node} is already ${up ? "running" : "stopped"}`);
      m.processes[f.process] = up;
      env.cancel((t) => t.undo.type === "startProcess" && t.undo.node === f.node && t.undo.process === f.process);
      if (f.type === "stopProcess" && f.durationSec) {
        env.schedule({ at: env.now + seconds(f.durationSec), undo: { type: "startProcess", node: f.node, process: f.process } });
      }
      return ok(`${f.process} on ${f.node} ${up ? "started" : "stopped"}`);
    }
    case "trafficSpike": {
      if (!env.state.services.has(f.service)) return notFound(`service ${f.service} not found`);
      env.traffic.spike(f.service, f.factor, env.now + seconds(f.durationSec));
      return ok(`traffic to ${f.service} ×${f.factor} for ${f.durationSec} s`);
    }
    case "slowImagePulls": {
      const targets = f.node ? [env.world.machine(f.node)] : env.world.workers();
      if (f.node && !targets[0]) return notFound(`node ${f.node} not found`);
      for (const m of targets) if (m) m.pullFactor = f.factor;
      env.cancel((t) => t.undo.type === "resetPulls" && t.undo.node === f.node);
      env.schedule({ at: env.now + seconds(f.durationSec), undo: { type: "resetPulls", node: f.node } });
      return ok(`image pulls ${f.node ? `on ${f.node}` : "everywhere"} are ${f.factor}× slower for ${f.durationSec} s`);
    }
    case "memoryLeak": {
      if (!env.state.deployments.has(f.deployment)) return notFound(`deployment ${f.deployment} not found`);
      if (f.mibPerSec === 0) env.world.memoryLeaks.delete(f.deployment);
      else env.world.memoryLeaks.set(f.deployment, f.mibPerSec);
      return ok(f.mibPerSec === 0 ? `${f.deployment} no longer leaks` : `${f.deployment}'s pods leak ${f.mibPerSec} MiB/s`);
    }
    case "joinWorker":
    case "addBareServer": {
      if (env.world.machines.size >= MAX_MACHINES) return invalid(`the cluster has ${MAX_MACHINES} machines, the most the game runs: no more can join`);
      const name = f.node ?? nextName(env.world, workerName);
      if (env.world.machines.has(name)) return invalid(`a node called ${name} already exists`);
      const like = env.world.workers()[0]?.capacity ?? { cpu: 4000, memory: 8192 };
      const bare = f.type === "addBareServer";
      env.world.addMachine(name, "worker", { cpu: f.cpu ?? like.cpu, memory: f.memory ?? like.memory }, bare);
      return ok(
        bare ? `${name} is a bare server: its kubelet seat installs the worker processes and joins it` : `${name} is booting: its kubelet will register it`,
      );
    }
    case "addControlPlane": {
      const etcd = env.world.etcd();
      if (!etcd.quorum) return invalid(`etcd has lost quorum (${etcd.up} of ${etcd.members} members up): a member can only be added while a majority is up`);
      if (env.world.machines.size >= MAX_MACHINES) return invalid(`the cluster has ${MAX_MACHINES} machines, the most the game runs: no more can be added`);
      const name = f.node ?? nextName(env.world, controlPlaneName);
      if (env.world.machines.has(name)) return invalid(`a node called ${name} already exists`);
      const like = env.world.controlPlane()[0]?.capacity ?? { cpu: 2000, memory: 4096 };
      env.world.addMachine(name, "control-plane", like);
      return ok(`${name} joins the control plane with an api-server, scheduler, controller manager and etcd member`);
    }
    case "removeControlPlane": {
      const m = machineOr404(env, f.node);
      if (isResult(m)) return m;
      if (m.role !== "control-plane") return invalid(`${f.node} is a worker, not a control-plane node`);
      const others = env.world.controlPlane().filter((o) => o.name !== f.node);
      if (others.length === 0) return invalid(`${f.node} is the last control-plane node: the cluster cannot run without one`);
      if (!others.some((o) => isRunning(o, "api-server"))) return invalid(`removing ${f.node} would leave no api-server running`);
      const upAfter = others.filter((o) => isRunning(o, "etcd")).length;
      if (upAfter <= others.length / 2) return invalid(`removing ${f.node} would leave etcd without quorum (${upAfter} of ${others.length} members up)`);
      const deleted = env.admin({ type: "deleteNode", node: f.node });
      if (!deleted.ok && deleted.code !== 404) return deleted;
      env.world.machines.delete(f.node);
      return ok(`${f.node} removed from the control plane (its etcd member too)`);
    }
    case "scaleDeployment":
      return env.admin({ type: "scale", deployment: f.deployment, replicas: f.replicas });
    case "outsiderRequest":
      return sendOutsider(env, f);
  }
}

/** Carries out a timer's undo. */
export function applyTimer(env: FailureEnv, t: Timer): void {
  if (t.undo.type === "resetPulls") {
    const targets = t.undo.node ? [env.world.machine(t.undo.node)] : env.world.workers();
    for (const m of targets) if (m) m.pullFactor = 1;
    return;
  }
  applyFailure(env, t.undo);
}
