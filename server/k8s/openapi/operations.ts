/**
 * The API's operations (paths and methods) as both OpenAPI documents list them, generated from
 * the served resources (resources.ts): each carries the kind it is about
 * (x-kubernetes-group-version-kind), which is how kubectl explain finds a resource's schema and
 * how kubectl apply decides how to validate and patch it.
 */
import { REVIEWS } from "../discovery.ts";
import { RESOURCES, SUBRESOURCES } from "../resources.ts";
import { definitionOf } from "./definitions.ts";
import type { Gvk } from "./model.ts";

/** What an operation does, as x-kubernetes-action says it. */
export type Action = "list" | "get" | "post" | "put" | "patch" | "delete";

export interface Operation {
  path: string;
  method: "get" | "post" | "put" | "patch" | "delete";
  action: Action;
  gvk: Gvk;
  operationId: string;
  description: string;
  /** The definition of the request body, if any. */
  body?: string;
  /** The definition of the 200 (or 201) answer. */
  response: string;
  /** Path parameters, in order. */
  params: ("namespace" | "name")[];
}

/** The patch types the API server accepts; kubectl apply patches with strategic merge when it is listed. */
export const PATCH_TYPES = ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json"];
export const PATCH_BODY = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";
export const STATUS = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";

const METHOD: Record<Action, Operation["method"]> = { list: "get", get: "get", post: "post", put: "put", patch: "patch", delete: "delete" };
const VERB_WORD: Record<Action, string> = {
  list: "list or watch objects of kind",
  get: "read the specified",
  post: "create a",
  put: "replace the specified",
  patch: "partially update the specified",
  delete: "delete a",
};

/** Where a group version's paths start: /api/v1 or /apis/apps/v1. */
export const gvPath = (group: string, version: string) => (group ? `/apis/${group}/${version}` : `/api/${version}`);

/** A group version as operation ids write it: apps → AppsV1, "" → CoreV1, coordination.k8s.io → CoordinationV1. */
const gvWord = (group: string, version: string) => {
  const g = group ? group.split(".")[0] : "core";
  return `${g[0].toUpperCase()}${g.slice(1)}${version[0].toUpperCase()}${version.slice(1)}`;
};

const ID_WORD: Record<Action, string> = { list: "list", get: "read", post: "create", put: "replace", patch: "patch", delete: "delete" };

function op(action: Action, path: string, gvk: Gvk, idKind: string, what: string, opts: Partial<Operation> = {}): Operation {
  const namespaced = path.includes("{namespace}");
  return {
    path,
    method: METHOD[action],
    action,
    gvk,
    operationId: `${ID_WORD[action]}${gvWord(gvk.group, gvk.version)}${namespaced ? "Namespaced" : ""}${idKind}`,
    description: `${VERB_WORD[action]} ${what}`,
    response: definitionOf(gvk),
    params: [...(namespaced ? (["namespace"] as const) : []), ...(path.includes("{name}") ? (["name"] as const) : [])],
    ...opts,
  };
}

function buildOperations(): Operation[] {
  const out: Operation[] = [];
  for (const r of RESOURCES) {
    const gvk = { group: r.group, kind: r.kind, version: r.version };
    const base = gvPath(r.group, r.version);
    const collection = r.namespaced ? `${base}/namespaces/{namespace}/${r.name}` : `${base}/${r.name}`;
    const item = `${collection}/{name}`;
    const listDef = definitionOf({ ...gvk, kind: `${r.kind}List` });
    const verbs = new Set(r.verbs);
    // kubectl apply (1.25 and later) looks for each manifest kind's PATCH operation to decide how to
    // validate it: every kind has one, and the game's API answers with its own reasons.
    verbs.add("patch");
    if (verbs.has("list")) {
      out.push(op("list", collection, gvk, r.kind, r.kind, { response: listDef }));
      if (r.namespaced) out.push(op("list", `${base}/${r.name}`, gvk, `${r.kind}ForAllNamespaces`, r.kind, { response: listDef }));
    }
    if (verbs.has("create")) out.push(op("post", collection, gvk, r.kind, r.kind, { body: definitionOf(gvk) }));
    if (verbs.has("get")) out.push(op("get", item, gvk, r.kind, r.kind));
    if (verbs.has("update")) out.push(op("put", item, gvk, r.kind, r.kind, { body: definitionOf(gvk) }));
    out.push(op("patch", item, gvk, r.kind, r.kind, { body: PATCH_BODY }));
    if (verbs.has("delete")) out.push(op("delete", item, gvk, r.kind, r.kind, { response: STATUS }));
  }
  for (const s of SUBRESOURCES) {
    const [resource, sub] = s.name.split("/");
    const parent = RESOURCES.find((r) => r.group === s.group && r.version === s.version && r.name === resource)!;
    const base = gvPath(s.group, s.version);
    const path = `${base}${s.namespaced ? "/namespaces/{namespace}" : ""}/${resource}/{name}/${sub}`;
    // The scale subresource is an autoscaling/v1 Scale, served under apps/v1 deployments.
    const gvk = "scaleGroup" in s ? { group: s.scaleGroup, kind: s.kind, version: s.scaleVersion } : { group: s.group, kind: s.kind, version: s.version };
    const idKind = `${parent.kind}${sub[0].toUpperCase()}${sub.slice(1)}`;
    const what = `${sub} of the specified ${parent.kind}`;
    const verbs: readonly string[] = s.verbs;
    if (verbs.includes("create")) out.push(op("post", path, gvk, idKind, what, { body: definitionOf(gvk) }));
    if (verbs.includes("get")) out.push(op("get", path, gvk, idKind, what));
    if (verbs.includes("update")) out.push(op("put", path, gvk, idKind, what, { body: definitionOf(gvk) }));
    if (verbs.includes("patch")) out.push(op("patch", path, gvk, idKind, what, { body: PATCH_BODY }));
  }
  for (const r of REVIEWS) {
    const gvk = { group: r.group, kind: r.kind, version: r.version };
    out.push(op("post", `${gvPath(r.group, r.version)}/${r.name}`, gvk, r.kind, r.kind, { body: definitionOf(gvk) }));
  }
  return out;
}

let operations: Operation[] | undefined;

/** Every operation the game's API documents, built once. */
export function allOperations(): Operation[] {
  operations ??= buildOperations();
  return operations;
}

/** The group versions served (each gets a v3 document): api/v1, apis/apps/v1 … */
export function groupVersions(): { group: string; version: string; key: string }[] {
  const seen = new Map<string, { group: string; version: string; key: string }>();
  for (const r of [...RESOURCES, ...REVIEWS]) {
    const key = gvPath(r.group, r.version).slice(1);
    if (!seen.has(key)) seen.set(key, { group: r.group, version: r.version, key });
  }
  return [...seen.values()];
}
