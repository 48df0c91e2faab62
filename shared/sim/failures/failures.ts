/**
 * Failures and cluster changes: what scenario scripts schedule and the instructor's chaos panel
 * injects. Each is data (a tagged union with a zod schema, so the room can validate the host's
 * messages with it) and is aimed at a node, process, pod, deployment or service.
 */
import { z } from "zod";
import { badRequest, fail, type ApiFailure } from "../api/status.ts";
import { describeOutsider, OUTSIDER_KINDS } from "./outsiderKinds.ts";

/** Failures the chaos panel may inject into one game; more are refused (each adds an incident, timers and events). */
export const MAX_INJECTED_FAILURES = 200;
/** Longest label of an injected failure, characters (the chaos panel's own limit). */
export const MAX_FAILURE_LABEL = 120;

const name = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "names are lower-case letters, digits and '-'");
const seconds = z.number().positive().max(3600);

/** A pod by name, or (with only a deployment) one of its running pods picked at random. */
const podTarget = { pod: name.optional(), deployment: name.optional() };

export const FailureSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("killPod"), ...podTarget }),
  // With a node: only a pod on that node (a scenario aiming at one worker).
  z.object({ type: z.literal("crashContainer"), ...podTarget, node: name.optional() }),
  z.object({ type: z.literal("oomPod"), ...podTarget }),
  z.object({ type: z.literal("crashNode"), node: name, durationSec: seconds.optional() }),
  z.object({ type: z.literal("restoreNode"), node: name }),
  z.object({
    type: z.literal("stopProcess"),
    node: name,
    process: z.enum(["container-runtime", "kubelet", "kube-proxy", "api-server", "scheduler", "controller-manager", "etcd"]),
    durationSec: seconds.optional(),
  }),
  z.object({
    type: z.literal("startProcess"),
    node: name,
    process: z.enum(["container-runtime", "kubelet", "kube-proxy", "api-server", "scheduler", "controller-manager", "etcd"]),
  }),
  z.object({ type: z.literal("trafficSpike"), service: name, factor: z.number().min(1).max(20), durationSec: seconds }),
  z.object({ type: z.literal("slowImagePulls"), node: name.optional(), factor: z.number().min(1).max(50), durationSec: seconds }),
  z.object({ type: z.literal("memoryLeak"), deployment: name, mibPerSec: z.number().min(0).max(1000) }),
  z.object({
    type: z.literal("joinWorker"),
    node: name.optional(),
    cpu: z.number().int().min(500).max(64000).optional(),
    memory: z.number().int().min(512).max(262144).optional(),
  }),
  z.object({
    type: z.literal("addBareServer"),
    node: name.optional(),
    cpu: z.number().int().min(500).max(64000).optional(),
    memory: z.number().int().min(512).max(262144).optional(),
  }),
  z.object({ type: z.literal("addControlPlane"), node: name.optional() }),
  z.object({ type: z.literal("removeControlPlane"), node: name }),
  z.object({ type: z.literal("scaleDeployment"), deployment: name, replicas: z.number().int().min(0).max(1000) }),
  /** A request from outside the crew that the API server must turn away (outsider.ts). */
  z.object({ type: z.literal("outsiderRequest"), kind: z.enum(OUTSIDER_KINDS), node: name.optional(), deployment: name.optional() }),
]);

export type Failure = z.infer<typeof FailureSchema>;
export type FailureType = Failure["type"];

/** A line for the timeline and the event log: what happened, in words. */
export function describeFailure(f: Failure): string {
  const target = (x: { pod?: string; deployment?: string }) => x.pod ?? `a pod of ${x.deployment}`;
  switch (f.type) {
    case "killPod":
      return `${target(f)} is killed`;
    case "crashContainer":
      return `${target(f)}${f.node ? ` on ${f.node}` : ""}'s container crashes`;
    case "oomPod":
      return `${target(f)} runs out of memory`;
    case "crashNode":
      return `${f.node} loses power${f.durationSec ? ` for ${f.durationSec} s` : ""}`;
    case "restoreNode":
      return `${f.node} powers back on`;
    case "stopProcess":
      return `${f.process} stops on ${f.node}${f.durationSec ? ` for ${f.durationSec} s` : ""}`;
    case "startProcess":
      return `${f.process} starts again on ${f.node}`;
    case "trafficSpike":
      return `traffic to ${f.service} spikes ×${f.factor} for ${f.durationSec} s`;
    case "slowImagePulls":
      return `image pulls ${f.node ? `on ${f.node} ` : ""}slow down ×${f.factor} for ${f.durationSec} s`;
    case "memoryLeak":
      return `${f.deployment}'s pods start leaking ${f.mibPerSec} MiB/s`;
    case "joinWorker":
      return `a new worker${f.node ? ` ${f.node}` : ""} joins the cluster`;
    case "addBareServer":
      return `a bare server${f.node ? ` ${f.node}` : ""} is powered on: nothing is installed on it yet`;
    case "addControlPlane":
      return `a control-plane node${f.node ? ` ${f.node}` : ""} is added`;
    case "removeControlPlane":
      return `control-plane node ${f.node} is removed`;
    case "scaleDeployment":
      return `${f.deployment} is scaled to ${f.replicas} replicas`;
    case "outsiderRequest":
      return describeOutsider(f);
  }
}

/**
 * A failure injected from outside the script (the host's chaos panel) as the game takes it — its
 * shape checked, its label bounded, within the game's allowance — or why it is refused.
 */
export function parseInjection(raw: unknown, label: unknown, injectedSoFar: number): Failure | ApiFailure {
  const parsed = FailureSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return badRequest(`malformed failure: ${issue?.path.join(".") || "type"}: ${issue?.message}`);
  }
  if (label !== undefined && (typeof label !== "string" || label.length > MAX_FAILURE_LABEL))
    return badRequest(`a failure's label is text of at most ${MAX_FAILURE_LABEL} characters`);
  if (injectedSoFar >= MAX_INJECTED_FAILURES)
    return fail("TooManyRequests", `this game has had ${MAX_INJECTED_FAILURES} failures injected, the most one game takes: start a new game for more chaos`);
  return parsed.data;
}
