/** Requests on deployments (the admin's scale, what `kubectl scale` does) and the admin's events. */
import { NAMESPACE } from "../../objects/types.ts";
import type { HandlerContext } from "../context.ts";
import type { RequestOf } from "../requests.ts";
import { notFound, ok, type ApiResult } from "../status.ts";

export function scale(ctx: HandlerContext, r: RequestOf<"scale">): ApiResult {
  const d = ctx.state.deployments.get(r.deployment);
  if (!d) return notFound(`deployment ${r.deployment} not found`);
  if (d.spec.replicas === r.replicas) return ok(`deployment ${r.deployment} already wants ${r.replicas} replicas`);
  ctx.state.update({ ...d, metadata: nextGeneration(d.metadata), spec: { ...d.spec, replicas: r.replicas } });
  ctx.state.recordEvent(
    {
      involvedObject: { kind: "Deployment", name: r.deployment },
      reason: "ScalingReplicaSet",
      message: `Scaled ${r.replicas > d.spec.replicas ? "up" : "down"} ${r.deployment} from ${d.spec.replicas} to ${r.replicas}`,
      type: "Normal",
      source: "deployment-controller",
      time: ctx.now,
    },
    ctx.now,
    NAMESPACE,
  );
  return ok(`deployment ${r.deployment} scaled from ${d.spec.replicas} to ${r.replicas} replicas`);
}

export function updateDeploymentStatus(ctx: HandlerContext, r: RequestOf<"updateDeploymentStatus">): ApiResult {
  const d = ctx.state.deployments.get(r.deployment);
  if (!d) return notFound(`deployment ${r.deployment} not found`);
  if (
    d.status.replicas === r.replicas &&
    d.status.readyReplicas === r.readyReplicas &&
    d.status.updatedReplicas === r.updatedReplicas &&
    d.status.observedGeneration === r.observedGeneration
  ) {
    return ok(`deployment ${r.deployment} status unchanged`);
  }
  const updated = r.updatedReplicas === undefined ? {} : { updatedReplicas: r.updatedReplicas };
  const observed = r.observedGeneration === undefined ? {} : { observedGeneration: r.observedGeneration };
  ctx.state.update({ ...d, status: { replicas: r.replicas, readyReplicas: r.readyReplicas, ...updated, ...observed } });
  return ok(`deployment ${r.deployment}: ${r.readyReplicas}/${d.spec.replicas} ready`);
}

/** A deployment's metadata after a change to its spec: the next generation. */
export function nextGeneration<M extends { generation?: number }>(m: M): M {
  return { ...m, generation: (m.generation ?? 1) + 1 };
}

export function createEvent(ctx: HandlerContext, r: RequestOf<"createEvent">): ApiResult {
  ctx.state.recordEvent(
    {
      involvedObject: { kind: r.involvedKind, name: r.involvedName },
      reason: r.reason,
      message: r.message,
      type: r.warning ? "Warning" : "Normal",
      source: ctx.who.user,
      time: ctx.now,
    },
    ctx.now,
    NAMESPACE,
  );
  return ok(`event ${r.reason} recorded`, 201);
}
