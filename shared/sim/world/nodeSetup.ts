/**
 * Bringing a bare server into the cluster, as the seed says: "Get new bare server, Install all
 * the worker node processes, Add it to the cluster". The person in the new node's kubelet seat
 * installs the container runtime, the kubelet and kube-proxy on the machine itself (as with SSH
 * and a package manager: nothing of this goes through the API server), then joins it — the one
 * step that does: the kubelet authenticates with a bootstrap token and registers its Node.
 * Each install takes game time; the steps go in order, and a wrong one is refused in words.
 */
import { z } from "zod";
import type { ApiRequest, RequestOf } from "../api/requests.ts";
import { badRequest, conflict, forbidden, invalid, notFound, ok, unavailable, type ApiResult } from "../api/status.ts";
import type { Identity } from "../api/identity.ts";
import { NEVER } from "../clock.ts";
import { NODE_STARTUP_MS } from "../tuning.ts";
import { INSTALL_MS, INSTALLS, PROCESS_WORDS, SETUP_STEPS, type SetupStep } from "./setupSteps.ts";
import { isInstalled, WORKER_PROCESSES, type Machine, type WorkerProcess } from "./Machine.ts";
import type { World } from "./World.ts";

export { INSTALL_MS, INSTALLS, PROCESS_WORDS, SETUP_STEPS, type SetupStep };

const name = z
  .string()
  .min(1, "a name is required")
  .max(63, "names are at most 63 characters")
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "names are lower-case letters, digits and '-'");

/** A setup step asked of a machine: validated like every request (the room and the replay use it). */
export const NodeSetupRequestSchema = z.object({ type: z.enum(SETUP_STEPS), node: name });
export type NodeSetupRequest = z.infer<typeof NodeSetupRequestSchema>;

/** Anything a seat can ask: an API request, or a setup step done on its own machine. */
export type SeatRequest = ApiRequest | NodeSetupRequest;

const STEP_SET: ReadonlySet<string> = new Set(SETUP_STEPS);
/** Whether a request (parsed or not) is a setup step rather than an API request. */
export function isSetupRequest(r: unknown): r is { type: SetupStep } {
  const type = (r as { type?: unknown } | null)?.type;
  return typeof r === "object" && r !== null && typeof type === "string" && STEP_SET.has(type);
}

/** The next step a bare server needs, or undefined when it has joined or an install is running. */
export function nextSetupStep(m: Machine): SetupStep | undefined {
  if (m.joined || m.installing) return undefined;
  for (const step of SETUP_STEPS) if (step === "joinCluster" || !isInstalled(m, INSTALLS[step])) return step;
  return undefined;
}

/** What the machine lacks for a step: the processes before it in the order, not yet installed. */
function missingBefore(m: Machine, step: SetupStep): WorkerProcess | undefined {
  const upTo = step === "joinCluster" ? WORKER_PROCESSES.length : WORKER_PROCESSES.indexOf(INSTALLS[step]);
  return WORKER_PROCESSES.slice(0, upTo).find((p) => !isInstalled(m, p));
}

/** Why each process comes before the next, for the refusal of a step out of order. */
const NEEDS: Record<WorkerProcess, string> = {
  "container-runtime": "the kubelet runs every container through it",
  kubelet: "kube-proxy is started and kept running by the kubelet in a real cluster",
  "kube-proxy": "",
};

export interface SetupEnv {
  world: World;
  now: number;
  /** Registers the node through the API server as its kubelet (the join's one API request). */
  register(request: RequestOf<"registerNode">): ApiResult;
}

/** One setup step taken or refused, as the machines' own logs keep it (not the API server's). */
export interface SetupLogEntry {
  time: number;
  /** The seat's user (kubelet/node-3). */
  user: string;
  /** Who sat in the seat: a nickname, or the user with " (bot)". */
  actor: string;
  type: SetupStep;
  node: string;
  code: number;
  message: string;
}

/** How many setup steps the log keeps (the last ones). */
export const SETUP_LOG_SIZE = 100;

/** The setup steps taken on the machines, newest last: what each seat did there, for checks and tools. */
export class SetupLog {
  readonly entries: SetupLogEntry[] = [];

  add(e: SetupLogEntry): void {
    this.entries.push(e);
    if (this.entries.length > SETUP_LOG_SIZE) this.entries.shift();
  }
}

/** A setup step as it arrives (from a player, a bot or a replay): checked, taken or refused, and logged. */
export function setUpMachine(env: SetupEnv & { log: SetupLog; actor: string }, who: Identity, raw: unknown): ApiResult {
  const parsed = NodeSetupRequestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return badRequest(`malformed setup step: ${issue?.path.length ? `${issue.path.join(".")}: ` : ""}${issue?.message ?? "not a setup step"}`);
  }
  const result = takeSetupStep(env, who, parsed.data);
  env.log.add({ time: env.now, user: who.user, actor: env.actor, type: parsed.data.type, node: parsed.data.node, code: result.code, message: result.message });
  return result;
}

/**
 * Takes a setup step for `who` (the node's kubelet seat), or says why not, changing nothing.
 * Installs start now and finish after INSTALL_MS (finishInstalls); joining registers the Node.
 */
export function takeSetupStep(env: SetupEnv, who: Identity, r: NodeSetupRequest): ApiResult {
  if (who.role !== "kubelet") return forbidden(`${who.user} may not set up machines: the person in a node's kubelet seat installs its processes and joins it`);
  if (who.node !== r.node) return forbidden(`${who.user} may only set up its own machine ${who.node}, not ${r.node}`);
  const m = env.world.machine(r.node);
  if (!m) return notFound(`there is no machine called ${r.node}`);
  if (m.role !== "worker") return invalid(`${r.node} is a control-plane node, not a worker`);
  if (!m.powered) return unavailable(`${r.node} is powered off: nothing can be installed until it is on again`);
  if (m.joined) return conflict(`${r.node} has already joined the cluster: its processes are installed and its kubelet is registered`);
  if (m.installing) {
    const left = Math.ceil((m.installing.until - env.now) / 1000);
    return conflict(`${r.node} is still installing ${m.installing.process} (${left} s left): one step at a time`);
  }
  const missing = missingBefore(m, r.type);
  if (r.type === "joinCluster") {
    if (missing)
      return invalid(
        `${r.node} has no ${missing} yet: a worker needs all three processes — container runtime, kubelet and kube-proxy — before it joins the cluster`,
      );
    return join(env, m);
  }
  const process = INSTALLS[r.type];
  if (isInstalled(m, process)) return conflict(`${process} is already installed on ${r.node}`);
  if (missing) return invalid(`install ${missing} first: ${NEEDS[missing]}`);
  m.installing = { process, until: env.now + INSTALL_MS[r.type] };
  return ok(`installing ${PROCESS_WORDS[process]} on ${r.node}: ready in ${INSTALL_MS[r.type] / 1000} s`);
}

/** The join: the kubelet authenticates with the bootstrap token and registers its Node. */
function join(env: SetupEnv, m: Machine): ApiResult {
  m.joined = true;
  m.startingUntil = env.now + NODE_STARTUP_MS;
  const registered = env.register({ type: "registerNode", node: m.name, capacity: m.capacity });
  if (!registered.ok) {
    m.joined = false;
    m.startingUntil = 0;
    return { ...registered, message: `${m.name} could not join: ${registered.message}` };
  }
  // The kubelet renews its lease from its next heartbeat on; kube-proxy starts syncing rules.
  m.lastLeaseRenew = NEVER;
  for (const p of WORKER_PROCESSES) m.processes[p] = true;
  return ok(
    `${m.name} joined the cluster: its kubelet authenticated to the API server with the bootstrap token and registered the Node; it turns Ready once the kubelet has checked its runtime (${NODE_STARTUP_MS / 1000} s)`,
    201,
  );
}

/** Finishes the installs whose time is up: the process is on the machine and starts. */
export function finishInstalls(world: World, now: number): void {
  for (const m of world.machines.values()) {
    if (!m.installing || now < m.installing.until) continue;
    if (m.powered) m.processes[m.installing.process] = true;
    m.installing = null;
  }
}
