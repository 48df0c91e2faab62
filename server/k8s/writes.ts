/**
 * What a write through the Kubernetes API asks of the game: `kubectl run` creates a pod for a
 * deployment, `kubectl delete pod` deletes one, `kubectl scale` patches a deployment's scale,
 * `kubectl cordon` patches a node's spec.unschedulable, a Binding binds a pod as the scheduler
 * does. Each becomes the game's own API request, so it meets the same authorisation and
 * validation as a click in the game. Anything else is refused with a sentence saying why.
 */
import type { ApiRequest } from "../../shared/sim/api/requests.ts";
import { fail, invalid, type ApiFailure } from "../../shared/sim/api/status.ts";
import { NAMESPACE, SYSTEM_NAMESPACE } from "../../shared/sim/objects/types.ts";
import { deploymentRequest, serviceRequest } from "./manifests.ts";
import { jsonPatch, mergePatch, PatchError, strategicMerge } from "./strategicMerge.ts";
import { bodyProblem, isObjectName, quoted } from "./validation.ts";

export interface WriteCall {
  verb: "POST" | "PUT" | "PATCH" | "DELETE";
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** The request body as parsed JSON (undefined when there is none). */
  body: unknown;
  contentType: string;
  /** For a patch of a whole deployment or service: the object as the API serves it now (undefined: there is none). */
  live?: Record<string, unknown>;
}

type Any = Record<string, any>;

/** A refusal, with the field it is about when the request was invalid (kubectl prints it). */
export type WriteRefusal = ApiFailure & { field?: string };

const invalidField = (field: string, message: string): WriteRefusal => ({ ...invalid(message), field });

/** The field a game request's 422 is about, for kubectl's "The Pod "x" is invalid: <field>: …". */
export const FIELD_OF: Partial<Record<ApiRequest["type"], string>> = {
  createPod: "metadata.labels.app",
  deletePod: "metadata.name",
  deleteNode: "metadata.name",
  scale: "spec.replicas",
  cordon: "spec.unschedulable",
  uncordon: "spec.unschedulable",
  bind: "target.name",
};

export const methodNotAllowed = (m: string): ApiFailure => fail("MethodNotAllowed", m);

/** Turns a JSON Patch (RFC 6902) on the few paths the game lets change into a merge patch. */
function fromJsonPatch(ops: unknown): Any | WriteRefusal {
  if (!Array.isArray(ops)) return invalidField("patch", "a JSON patch is a list of operations");
  const merged: Any = {};
  for (const op of ops as Any[]) {
    const path = String(op?.path ?? "");
    const m = /^\/spec\/(replicas|unschedulable)$/.exec(path);
    if (!m)
      return invalidField(
        "patch",
        `the game can only change /spec/replicas of a deployment and /spec/unschedulable of a node, not ${path ? quoted(path) : "(no path)"}`,
      );
    if (op.op === "remove") merged[m[1]] = null;
    else if (op.op === "replace" || op.op === "add") merged[m[1]] = op.value;
    else return invalidField(path, `JSON patch operation ${quoted(String(op.op))} is not supported here: use replace`);
  }
  return { spec: merged };
}

/** The body as a merge patch: strategic-merge and merge patches are objects; JSON patches are converted. */
function patchBody(call: WriteCall): Any | WriteRefusal {
  if (call.contentType.startsWith("application/json-patch+json")) return fromJsonPatch(call.body);
  if (call.body === null || typeof call.body !== "object" || Array.isArray(call.body)) return invalidField("patch", "the patch must be a JSON object");
  return call.body as Any;
}

const isFailure = (x: unknown): x is ApiFailure => typeof x === "object" && x !== null && (x as ApiFailure).ok === false;

/** Only spec.<field> may be set; anything else in the patch is named in the refusal. */
function onlySpecField(patch: Any, field: string, what: string): WriteRefusal | undefined {
  const extra = [
    ...Object.keys(patch).filter((k) => !["spec", "metadata", "apiVersion", "kind", "status"].includes(k)),
    ...Object.keys((patch.spec ?? {}) as Any)
      .filter((k) => k !== field)
      .map((k) => `spec.${k}`),
  ];
  const named = extra.slice(0, 3).map((f) => (f.length > 40 ? quoted(f) : f));
  const more = extra.length > 3 ? ` and ${extra.length - 3} more` : "";
  return extra.length
    ? invalidField(extra[0].length > 40 ? "patch" : extra[0], `the game lets ${what} change only spec.${field}; it cannot change ${named.join(", ")}${more}`)
    : undefined;
}

function replicasOf(patch: Any): number | WriteRefusal {
  const n = patch.spec?.replicas;
  if (!Number.isInteger(n) || n < 0 || n > 1000) return invalidField("spec.replicas", `spec.replicas must be a whole number from 0 to 1000, not ${quoted(n)}`);
  return n;
}

/**
 * The game request a write stands for, or why there is none. The body is validated first, as
 * the real API server validates it, so nothing malformed or oversized reaches the game.
 */
export function requestFor(call: WriteCall): ApiRequest | WriteRefusal {
  const { verb, resource, name, subresource } = call;
  if (call.namespace === SYSTEM_NAMESPACE && resource === "pods" && name !== undefined && isObjectName(name)) {
    return fail(
      "Forbidden",
      `pods ${quoted(name)} is forbidden: kube-system's pods are mirror pods — each node's kubelet runs them from manifest files on the node (static pods) and only reports them here, so they cannot be changed or deleted through the API server (in a real cluster the kubelet would recreate a deleted one at once)`,
    );
  }
  if (call.namespace !== undefined && call.namespace !== NAMESPACE && resource !== "nodes") {
    return fail("Forbidden", `the game's workloads all live in the "${NAMESPACE}" namespace: nothing can be written in ${quoted(call.namespace)}`);
  }
  // A name no object can have names nothing here.
  if (name !== undefined && !isObjectName(name)) return fail("NotFound", `${resource} ${quoted(name)} not found`);
  const problem = bodyProblem(call.body, resource === "pods" && verb === "POST" && !name ? "Pod" : "");
  if (problem) return problem;
  if (resource === "pods" && verb === "POST" && !name) {
    const body = (call.body ?? {}) as Any;
    if (body.kind !== undefined && body.kind !== "Pod") return invalidField("kind", `the body is a ${quoted(body.kind)}, not a Pod`);
    const app = body.metadata?.labels?.app ?? body.metadata?.ownerReferences?.find?.((o: Any) => o.kind === "Deployment")?.name;
    if (typeof app !== "string" || app === "") {
      return invalidField(
        "metadata.labels.app",
        "in this game every pod belongs to a deployment: label it with its deployment, e.g. kubectl run extra --image=nginx --labels=app=web (kubectl get deployments lists them)",
      );
    }
    return { type: "createPod", deployment: app };
  }
  if (resource === "pods" && verb === "POST" && name && subresource === "binding") {
    const target = ((call.body ?? {}) as Any).target as Any | undefined;
    if (!target || typeof target.name !== "string") return invalidField("target.name", "a Binding names its node in target.name");
    if (!isObjectName(target.name)) return invalidField("target.name", `Invalid value: ${quoted(target.name)}: not a node's name`);
    if (target.kind !== undefined && target.kind !== "Node") return invalidField("target.kind", `a pod is bound to a Node, not a ${quoted(target.kind)}`);
    return { type: "bind", pod: name, node: target.name };
  }
  if (resource === "pods" && verb === "DELETE" && name && !subresource) return { type: "deletePod", pod: name };
  if (resource === "nodes" && verb === "DELETE" && name && !subresource) return { type: "deleteNode", node: name };
  if (resource === "nodes" && (verb === "PATCH" || verb === "PUT") && name && !subresource) {
    const patch = verb === "PATCH" ? patchBody(call) : ((call.body ?? {}) as Any);
    if (isFailure(patch)) return patch;
    if (verb === "PATCH") {
      const extra = onlySpecField(patch, "unschedulable", "a node");
      if (extra) return extra;
    }
    const u = patch.spec?.unschedulable;
    if (u !== true && u !== false && u !== null && u !== undefined)
      return invalidField("spec.unschedulable", `spec.unschedulable is true or false, not ${quoted(u)}`);
    return { type: u === true ? "cordon" : "uncordon", node: name };
  }
  const workload = workloadRequest(call);
  if (workload) return workload;
  if (resource === "deployments" && (verb === "PATCH" || verb === "PUT") && name && (subresource === "scale" || !subresource)) {
    const patch = verb === "PATCH" ? patchBody(call) : ((call.body ?? {}) as Any);
    if (isFailure(patch)) return patch;
    if (verb === "PATCH") {
      const extra = onlySpecField(patch, "replicas", subresource ? "a scale" : "a deployment");
      if (extra) return extra;
    }
    const replicas = replicasOf(patch);
    if (isFailure(replicas)) return replicas;
    return { type: "scale", deployment: name, replicas };
  }
  return methodNotAllowed(explainUnsupported(call));
}

/** Whether a patch only sets a deployment's replicas (kubectl scale's, or a hand-made one): the game's scale. */
function onlyReplicas(call: WriteCall): boolean {
  if (call.contentType.startsWith("application/json-patch+json")) {
    return Array.isArray(call.body) && call.body.every((op: Any) => op?.path === "/spec/replicas" && (op.op === "replace" || op.op === "add"));
  }
  const p = call.body as Any;
  return typeof p === "object" && p !== null && Object.keys(p).every((k) => k === "spec") && Object.keys(p.spec ?? {}).join() === "replicas";
}

/** The patched object: the live one with the patch applied as its content type says. */
function patched(call: WriteCall): Any | WriteRefusal {
  if (!call.live) return fail("NotFound", `${call.resource}${call.resource === "deployments" ? ".apps" : ""} ${quoted(call.name)} not found`);
  try {
    const type = call.contentType;
    if (type.startsWith("application/json-patch+json")) return jsonPatch(call.live, call.body) as Any;
    if (call.body === null || typeof call.body !== "object" || Array.isArray(call.body)) return invalidField("patch", "the patch must be a JSON object");
    const kind = call.resource === "deployments" ? "Deployment" : "Service";
    return (type.startsWith("application/merge-patch+json") ? mergePatch(call.live, call.body) : strategicMerge(call.live, call.body, kind)) as Any;
  } catch (err) {
    if (err instanceof PatchError) return invalidField("patch", err.message);
    throw err;
  }
}

/**
 * Creating, replacing, patching and deleting a whole deployment or service (kubectl apply,
 * replace, patch, delete -f). A patch that only sets a deployment's replicas stays a scale.
 */
function workloadRequest(call: WriteCall): ApiRequest | WriteRefusal | undefined {
  const { verb, resource, name, subresource } = call;
  if ((resource !== "deployments" && resource !== "services") || subresource) return undefined;
  const toRequest = resource === "deployments" ? deploymentRequest : serviceRequest;
  const body = (call.body ?? {}) as Any;
  if (verb === "POST" && !name) return toRequest(body, "create");
  if (!name) return undefined;
  if (verb === "DELETE") return resource === "deployments" ? { type: "deleteDeployment", deployment: name } : { type: "deleteService", service: name };
  if (verb === "PUT" && !(resource === "deployments" && onlyReplicas(call))) return toRequest(body, "update", name);
  if (verb === "PATCH" && !(resource === "deployments" && onlyReplicas(call))) {
    const obj = patched(call);
    return isFailure(obj) ? obj : toRequest(obj, "update", name);
  }
  return undefined;
}

function explainUnsupported(call: WriteCall): string {
  const what = `${call.verb} ${call.resource}${call.subresource ? `/${call.subresource.slice(0, 40)}` : ""}`;
  return `${what} is not something this game's cluster does. Through kubectl you can: apply (create, change, delete) deployments and services, run (create) and delete pods, scale deployments, cordon, uncordon and delete nodes, and bind a pod with a Binding — everything else is played in the game`;
}
