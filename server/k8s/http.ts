/**
 * The HTTP side of the rooms' Kubernetes API shared by reads and writes: Status answers, the
 * parts of a resource URL, content negotiation for tables, the bearer token.
 */
import type { Request, Response } from "express";
import { fail, type ApiFailure } from "../../shared/sim/api/status.ts";
import { kindPrefix } from "../../shared/sim/objects/keys.ts";
import { resourceAt, type ResourceDef } from "./resources.ts";

export type Any = Record<string, any>;

/** A Kubernetes Status object: how every error (and some successes) is answered. */
export function statusOf(code: number, reason: string, message: string, details?: Any): Any {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: code < 400 ? "Success" : "Failure",
    message,
    ...(code < 400 ? {} : { reason }),
    ...(details ? { details } : {}),
    code,
  };
}

export function sendStatus(res: Response, f: { code: number; reason: string; message: string }, details?: Any): void {
  res.status(f.code).json(statusOf(f.code, f.reason, f.message, details));
}

/** The parts of a resource URL: /api/v1/namespaces/default/pods/web-1/status and the like. */
export interface Target {
  def: ResourceDef;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export function parseTarget(parts: string[]): Target | undefined {
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === "api" && parts[1] === "v1") [group, version, rest] = ["", "v1", parts.slice(2)];
  else if (parts[0] === "apis" && parts.length >= 4) [group, version, rest] = [parts[1], parts[2], parts.slice(3)];
  else return undefined;
  let namespace: string | undefined;
  // namespaces/<ns>/<resource>… is namespaced; namespaces and namespaces/<ns> are the namespaces themselves.
  if (rest[0] === "namespaces" && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const def = resourceAt(group, version, rest[0]);
  if (!def || rest.length > 3) return undefined;
  if (namespace !== undefined && !def.namespaced) return undefined;
  return { def, namespace, name: rest[1], subresource: rest[2] };
}

/** Whether the client asked for a server-printed Table (kubectl get does), and which version. */
export function tableVersion(req: Request): "v1" | "v1beta1" | undefined {
  for (const part of String(req.headers.accept ?? "").split(",")) {
    const p = part.replace(/\s/g, "");
    if (!p.includes("as=Table") || !p.includes("g=meta.k8s.io")) continue;
    if (p.includes("v=v1beta1")) return "v1beta1";
    if (p.includes("v=v1")) return "v1";
  }
  return undefined;
}

export function bearer(req: Request): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ""));
  return m?.[1];
}

/** The store prefix of a resource, in one namespace or all. */
export function prefixOf(t: Target): string {
  const base = kindPrefix(t.def.stored!);
  return t.namespace !== undefined ? `${base}${t.namespace}/` : base;
}

/** Kubernetes' verb for an HTTP method on a resource. */
const VERB_OF: Record<string, string> = { POST: "create", PUT: "update", PATCH: "patch", DELETE: "delete", GET: "get" };

/**
 * A refusal as a real API server words it — `pods "web-x" is forbidden: User
 * "system:kube-scheduler" cannot delete resource "pods" in API group "" in the namespace
 * "default"` — followed by the game's reason, so a learner reads both.
 */
export function forbiddenMessage(t: Target, method: string, name: string, user: string, why: string): string {
  const resource = t.subresource ? `${t.def.name}/${t.subresource}` : t.def.name;
  const kind = `${t.def.name}${t.def.group ? `.${t.def.group}` : ""}`;
  const object = name ? `${kind} "${name}"` : kind;
  const scope = t.def.namespaced ? `in the namespace "${t.namespace ?? "default"}"` : "at the cluster scope";
  return `${object} is forbidden: User "${user}" cannot ${VERB_OF[method] ?? method.toLowerCase()} resource "${resource}" in API group "${t.def.group ?? ""}" ${scope}: ${why}`;
}

/** What a request leaves in the room's API log: its answer's code and a few words. */
export type Log = (code: number, message: string) => void;

export function notFoundOf(t: Target, name: string): ApiFailure {
  return fail("NotFound", `${t.def.name}${t.def.group ? `.${t.def.group}` : ""} "${name}" not found`);
}
