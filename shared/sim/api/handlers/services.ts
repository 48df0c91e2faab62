/** Requests on services: kube-proxy's rule sync (a read) and the endpoints controller's writes. */
import type { EndpointsObject } from "../../objects/types.ts";
import { NAMESPACE } from "../../objects/types.ts";
import type { HandlerContext } from "../context.ts";
import type { RequestOf } from "../requests.ts";
import { notFound, ok, type ApiResult } from "../status.ts";

const serviceNotFound = (name: string) => notFound(`service ${name} not found`);

/** kube-proxy reads a service's Endpoints and programs its node's forwarding rules from them. */
export function syncRules(ctx: HandlerContext, r: RequestOf<"syncRules">): ApiResult {
  if (!ctx.state.services.has(r.service)) return serviceNotFound(r.service);
  const m = ctx.world.machine(r.node);
  if (!m) return notFound(`node ${r.node} not found`);
  const ep = ctx.state.endpoints.get(r.service);
  const endpoints = ep ? ep.addresses : [];
  const local = endpoints.filter((e) => e.node === r.node);
  m.proxyRules.set(r.service, { service: r.service, endpoints, local, mode: r.mode, syncedVersion: ep?.metadata.resourceVersion ?? 0, syncedAt: ctx.now });
  return ok(
    `rules for ${r.service} on ${r.node} now forward to ${endpoints.length} endpoint${endpoints.length === 1 ? "" : "s"} (${local.length} on this node, ${r.mode})`,
  );
}

export function updateEndpoints(ctx: HandlerContext, r: RequestOf<"updateEndpoints">): ApiResult {
  if (!ctx.state.services.has(r.service)) return serviceNotFound(r.service);
  const current = ctx.state.endpoints.get(r.service);
  if (!current) {
    ctx.state.create<EndpointsObject>({ kind: "Endpoints", metadata: { name: r.service, namespace: NAMESPACE }, addresses: r.addresses }, ctx.now);
    return ok(`endpoints ${r.service} created`, 201);
  }
  ctx.state.update({ ...current, addresses: r.addresses });
  return ok(`endpoints ${r.service} now list ${r.addresses.length} ready pod${r.addresses.length === 1 ? "" : "s"}`);
}
