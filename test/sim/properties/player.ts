/**
 * Plays a plan (plan.ts) on a Simulation: each input resolved against the game as it stands and
 * sent before the tick it is due, with hooks around every request, failure, input and tick for
 * the properties to check what they hold.
 */
import fc from "fast-check";
import type { RequestType } from "../../../shared/sim/api/requests.ts";
import type { ApiResult } from "../../../shared/sim/api/status.ts";
import type { PodObject } from "../../../shared/sim/objects/types.ts";
import { getScenario } from "../../../shared/sim/scenarios/index.ts";
import { Simulation, type SimulationOptions, type TickReport } from "../../../shared/sim/Simulation.ts";
import type { Act, Now, Pick, Plan, PodState } from "./plan.ts";

export interface Hooks {
  /** After the game is built, before any input or tick. */
  start?(sim: Simulation): void;
  /** Around each request: call send() to deliver it. */
  request?(sim: Simulation, send: () => ApiResult, what: string): void;
  /** Around each failure injection: call send() to inject it. */
  failure?(sim: Simulation, send: () => ApiResult, what: string): void;
  /** After each input of any kind. */
  input?(sim: Simulation, what: string): void;
  /** After each tick. */
  tick?(sim: Simulation, report: TickReport): void;
}

export function optionsOf(plan: Plan): SimulationOptions {
  const scenario = getScenario(plan.scenario)!;
  const w = scenario.cluster.workers;
  const workers = { ...w, cpu: Math.round(w.cpu * plan.workerShare), memory: Math.round(w.memory * plan.workerShare) };
  return {
    scenario: plan.workerShare === 1 ? plan.scenario : { ...scenario, cluster: { ...scenario.cluster, workers } },
    seed: plan.seed,
    difficulty: plan.difficulty,
    botsOff: plan.botsOff,
  };
}

/** A value in an assertion message: short, and printable whatever it is. */
function show(x: unknown, max = 300): string {
  const s = fc.stringify(x);
  return s.length > max ? `${s.slice(0, max)}… (${s.length} chars)` : s;
}

function isPick(x: unknown): x is Pick {
  return typeof x === "object" && x !== null && typeof (x as Pick).$pick === "number";
}

function isNow(x: unknown): x is Now {
  return typeof x === "object" && x !== null && typeof (x as Now).$now === "number";
}

function inState(p: PodObject, state: PodState): boolean {
  const phase = p.status.phase;
  switch (state) {
    case "any":
      return true;
    case "pending":
      return phase === "Pending";
    case "scheduled":
      return phase === "Scheduled";
    case "started":
      return phase === "ContainerCreating" || phase === "Running";
    case "finished":
      return phase === "Failed" || phase === "Succeeded";
    case "terminating":
      return p.metadata.deletionTimestamp !== undefined;
  }
}

/** The names a Pick in a field of this name chooses among, as the game stands now. */
function namesFor(sim: Simulation, field: string, among: PodState = "any"): string[] {
  switch (field) {
    case "pod":
    case "involvedName": {
      if (among !== "any") {
        const names = [...sim.state.pods.values()].filter((p) => inState(p, among)).map((p) => p.metadata.name);
        if (names.length) return names;
      }
      // Pods in the API and pods whose containers linger on a machine after their object is gone.
      const names = new Set(sim.state.pods.keys());
      for (const m of sim.world.machines.values()) for (const p of m.containers.keys()) names.add(p);
      return [...names];
    }
    // Workers first: the small indices most picks use aim at the nodes that run pods.
    case "node":
      return [...new Set([...sim.world.workers().map((m) => m.name), ...sim.world.machines.keys(), ...sim.state.nodes.keys()])];
    case "deployment":
      return [...sim.state.deployments.keys()];
    case "service":
      return [...sim.state.services.keys()];
    default:
      return [];
  }
}

/** A walk's pod: picked when its first request is sent. */
interface Focus {
  pick: Pick;
  name?: string;
}

/**
 * Replaces every Pick by a name that exists now (or a fallback when there is none), every {$now}
 * by a game time, every {$focus} by the walk's pod, and drops absent options.
 */
function resolve(sim: Simulation, value: unknown, field = "", focus?: Focus): unknown {
  if (typeof value === "object" && value !== null && "$focus" in value && focus) {
    focus.name ??= resolve(sim, focus.pick, "pod") as string;
    return focus.name;
  }
  if (isPick(value)) {
    const names = namesFor(sim, field, value.among);
    return names.length ? names[value.$pick % names.length] : `no-${field || "object"}`;
  }
  if (isNow(value)) return sim.now + value.$now;
  if (Array.isArray(value)) return value.map((v) => resolve(sim, v, field, focus));
  if (typeof value === "object" && value !== null && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = resolve(sim, v, k, focus);
    return out;
  }
  return value;
}

/** The component that makes this request in a real cluster, for the node the request concerns. */
function rightfulCaller(sim: Simulation, r: Record<string, unknown>): string {
  const podNode = () => (typeof r.pod === "string" && sim.state.pods.get(r.pod)?.spec.nodeName) || "node-1";
  const node = typeof r.node === "string" && r.node !== "" ? r.node : "node-1";
  switch (r.type as RequestType) {
    case "bind":
      return "scheduler";
    case "admit":
    case "reject":
    case "restart":
    case "evict":
      return `kubelet:${podNode()}`;
    case "createPod":
    case "markNodeNotReady":
    case "evictNodePods":
      return "controller-manager";
    case "deletePod":
      return sim.tick % 2 === 0 ? "admin" : "controller-manager";
    case "syncRules":
      return `kube-proxy:${node}`;
    case "scale":
    case "cordon":
    case "uncordon":
    case "deleteNode":
    case "createEvent":
      return "admin";
    case "registerNode":
    case "renewLease":
    case "reportNodeStatus":
    case "createMirrorPod":
    case "reportMirrorPod":
      return `node-agent:${node}`;
    case "reportPodStatus":
    case "confirmPodDeletion":
      return `node-agent:${podNode()}`;
    case "updateEndpoints":
    case "gcPod":
    case "updateDeploymentStatus":
      return "system";
    default:
      return "admin";
  }
}

function tokenOf(sim: Simulation, who: string): string {
  return who === "forged" ? "forged.0000" : sim.tokenFor(who);
}

function perform(sim: Simulation, act: Act, hooks: Hooks, focus?: Focus): void {
  let what: string;
  switch (act.kind) {
    case "request":
    case "junk": {
      const raw = act.kind === "request" ? (resolve(sim, act.req, "", focus) as Record<string, unknown>) : act.raw;
      const who = act.who === "rightful" ? rightfulCaller(sim, (raw ?? {}) as Record<string, unknown>) : act.who;
      const token = tokenOf(sim, who);
      what = `t=${sim.tick}: ${who} sends ${show(raw)}`;
      const send = () => sim.request(token, raw, "property-test");
      if (hooks.request) hooks.request(sim, send, what);
      else send();
      break;
    }
    case "failure":
    case "junkFailure": {
      const raw = act.kind === "failure" ? resolve(sim, act.failure) : act.raw;
      what = `t=${sim.tick}: inject ${show(raw)}`;
      const send = () => sim.inject(raw);
      if (hooks.failure) hooks.failure(sim, send, what);
      else send();
      break;
    }
    case "bot": {
      const seats = sim.seats();
      const seat = seats[act.seat % seats.length];
      what = `t=${sim.tick}: ${seat} to ${act.on ? "its bot" : "a human"}`;
      sim.setBot(seat, act.on);
      break;
    }
  }
  hooks.input?.(sim, what);
}

/** A plan's inputs in the order they are sent, each with the tick it is sent before. */
function timeline(plan: Plan): { tick: number; acts: Act[]; focus?: Focus }[] {
  const out: { tick: number; acts: Act[]; focus?: Focus }[] = [];
  for (const input of plan.inputs) {
    let tick = Math.floor((input.at * plan.ticks) / 1000);
    if ("batch" in input) {
      out.push({ tick, acts: input.batch });
      continue;
    }
    const focus: Focus = { pick: input.walk.focus };
    for (const step of input.walk.steps) {
      tick = Math.min(tick + step.delay, plan.ticks);
      out.push({ tick, acts: [{ kind: "request", who: step.who, req: step.req }], focus });
    }
  }
  // A stable sort: inputs due at the same tick go in the plan's order.
  return out.sort((a, b) => a.tick - b.tick);
}

/** Plays a plan: its inputs before the ticks they are due, the hooks after each. */
export function play(plan: Plan, hooks: Hooks = {}): Simulation {
  const sim = new Simulation(optionsOf(plan));
  hooks.start?.(sim);
  const due = timeline(plan);
  let next = 0;
  const sendDue = () => {
    while (next < due.length && due[next].tick <= sim.tick) {
      const { acts, focus } = due[next++];
      for (const act of acts) perform(sim, act, hooks, focus);
    }
  };
  for (let t = 0; t < plan.ticks; t++) {
    sendDue();
    const report = sim.step();
    hooks.tick?.(sim, report);
  }
  sendDue();
  return sim;
}
