/**
 * Requests on the mirror pods in kube-system (world/staticPods.ts): a kubelet writes one for each
 * static pod it runs and reports its status; the pod garbage collector removes those whose node
 * is gone. The game's own pod logic never sees these pods (ClusterState.mirrorPods).
 */
import { SYSTEM_NAMESPACE } from "../../objects/types.ts";
import { mirrorPodName, mirrorStatus, newMirrorPod, staticProcessesOf, type StaticProcess } from "../../world/staticPods.ts";
import type { HandlerContext } from "../context.ts";
import type { RequestOf } from "../requests.ts";
import { conflict, invalid, notFound, ok, type ApiResult } from "../status.ts";

/** The machine runs this static process, or why the request is invalid. */
function runsStatic(ctx: HandlerContext, node: string, p: StaticProcess): ApiResult | undefined {
  const m = ctx.world.machine(node);
  if (!m) return notFound(`no machine called ${node} exists`);
  if (!staticProcessesOf(m).includes(p)) return invalid(`${node} is a ${m.role} node: it runs no ${p} static pod`);
  return undefined;
}

export function createMirrorPod(ctx: HandlerContext, r: RequestOf<"createMirrorPod">): ApiResult {
  const node = ctx.state.nodes.get(r.node);
  if (!node) return notFound(`node ${r.node} not found: a kubelet registers its node before it writes mirror pods`);
  const wrong = runsStatic(ctx, r.node, r.process);
  if (wrong) return wrong;
  const name = mirrorPodName(r.process, r.node);
  if (ctx.state.mirrorPods.has(name)) return conflict(`pods "${name}" already exists in ${SYSTEM_NAMESPACE}`);
  // Static pods use the host's network: the pod's address is the node's (10.0.0.<10 + its pod range>).
  ctx.state.create(newMirrorPod(r.process, r.node, `10.0.0.${10 + node.status.podCidrIndex}`, r.running, ctx.now), ctx.now);
  return ok(`mirror pod ${SYSTEM_NAMESPACE}/${name} created: ${r.node}'s kubelet runs it as a static pod`, 201);
}

export function reportMirrorPod(ctx: HandlerContext, r: RequestOf<"reportMirrorPod">): ApiResult {
  const wrong = runsStatic(ctx, r.node, r.process);
  if (wrong) return wrong;
  const name = mirrorPodName(r.process, r.node);
  const pod = ctx.state.mirrorPods.get(name);
  if (!pod) return notFound(`pods "${name}" not found in ${SYSTEM_NAMESPACE}`);
  if (pod.status.ready === r.running) return ok(`${name} unchanged`);
  ctx.state.update({ ...pod, status: mirrorStatus(pod, r.process, r.node, r.running, ctx.now) });
  return ok(`${name} is ${r.running ? "running and ready" : "not ready: its container keeps failing (CrashLoopBackOff)"}`);
}

/** The pod garbage collector's removal of a mirror pod whose node no longer exists. */
export function gcMirrorPod(ctx: HandlerContext, r: RequestOf<"gcPod">): ApiResult {
  const pod = ctx.state.mirrorPods.get(r.pod);
  if (!pod) return notFound(`pods "${r.pod}" not found in ${SYSTEM_NAMESPACE}`);
  if (ctx.state.nodes.has(pod.spec.nodeName)) return conflict(`mirror pod ${r.pod}'s node ${pod.spec.nodeName} still exists: only its kubelet removes it`);
  ctx.state.delete("Pod", r.pod, SYSTEM_NAMESPACE);
  return ok(`mirror pod ${SYSTEM_NAMESPACE}/${r.pod} garbage-collected: its node ${pod.spec.nodeName} is gone`);
}
