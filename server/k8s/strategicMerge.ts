/**
 * Patching a whole object, as the API server does for `kubectl apply` (a strategic-merge patch
 * computed from the last-applied configuration), `kubectl patch --type merge` (RFC 7386) and
 * `kubectl patch --type json` (RFC 6902). Strategic merge is a merge patch that merges some lists
 * by a key instead of replacing them — a deployment's containers by name, a service's ports by
 * port — and understands kubectl's directives ($patch, $setElementOrder, $retainKeys,
 * $deleteFromPrimitiveList). Only the lists of the kinds the game writes are known here.
 */
import { quoted } from "./validation.ts";

type Json = unknown;
type Obj = Record<string, Json>;

/** Lists merged by a key in a strategic-merge patch (Kubernetes' patchMergeKey), by field name. */
const MERGE_KEYS: Record<string, string> = {
  containers: "name",
  initContainers: "name",
  env: "name",
  volumeMounts: "mountPath",
  volumes: "name",
  imagePullSecrets: "name",
  // A container's ports merge by containerPort; a service's by port (told apart by the parent below).
  ports: "containerPort",
};

const isObj = (x: Json): x is Obj => typeof x === "object" && x !== null && !Array.isArray(x);

/** Keys that would reach an object's prototype: never patched. */
const UNSAFE = new Set(["__proto__", "constructor", "prototype"]);

/** Most levels of nesting a patch may have (a real object is a dozen deep). */
const MAX_DEPTH = 32;

export class PatchError extends Error {}

/** Applies a JSON merge patch (RFC 7386): objects merge, null deletes, everything else replaces. */
export function mergePatch(target: Json, patch: Json, depth = 0): Json {
  if (depth > MAX_DEPTH) throw new PatchError("the patch is nested too deeply");
  if (!isObj(patch)) return patch;
  const out: Obj = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (UNSAFE.has(k)) continue;
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v, depth + 1);
  }
  return out;
}

/** Applies a strategic-merge patch to an object; `kind` tells a service's ports from a container's. */
export function strategicMerge(target: Json, patch: Json, kind: string, depth = 0): Json {
  if (depth > MAX_DEPTH) throw new PatchError("the patch is nested too deeply");
  if (!isObj(patch)) return patch;
  if (patch.$patch === "replace") {
    const { $patch: _, ...rest } = patch;
    return rest;
  }
  if (patch.$patch === "delete") return undefined;
  const out: Obj = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (UNSAFE.has(k) || k === "$patch" || k === "$retainKeys" || k.startsWith("$setElementOrder/")) continue;
    if (k.startsWith("$deleteFromPrimitiveList/")) {
      const list = k.slice("$deleteFromPrimitiveList/".length);
      if (Array.isArray(out[list]) && Array.isArray(v)) out[list] = (out[list] as Json[]).filter((x) => !v.includes(x));
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    const key = k === "ports" && kind === "Service" && depth === 1 ? "port" : MERGE_KEYS[k];
    if (Array.isArray(v) && key) out[k] = mergeList(out[k], v, key, kind, depth + 1);
    else {
      const merged = strategicMerge(out[k], v, kind, depth + 1);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    }
  }
  if (Array.isArray(patch.$retainKeys)) {
    for (const k of Object.keys(out)) if (!patch.$retainKeys.includes(k) && !(k in patch)) delete out[k];
  }
  return out;
}

/** Merges a list by `key`: patched elements merge into the live one with the same key, new ones are appended. */
function mergeList(live: Json, patch: Json[], key: string, kind: string, depth: number): Json[] {
  const out = Array.isArray(live) ? [...live] : [];
  for (const el of patch) {
    if (!isObj(el) || !(key in el)) throw new PatchError(`each element of a list merged by ${key} must name its ${key}, not ${quoted(el)}`);
    const at = out.findIndex((x) => isObj(x) && x[key] === el[key]);
    if (el.$patch === "delete") {
      if (at >= 0) out.splice(at, 1);
      continue;
    }
    if (at >= 0) out[at] = strategicMerge(out[at], el, kind, depth);
    else out.push(strategicMerge({}, el, kind, depth));
  }
  return out;
}

/** Applies a JSON patch (RFC 6902): add, replace, remove, test, on paths of objects and list indices. */
export function jsonPatch(target: Json, ops: Json): Json {
  if (!Array.isArray(ops)) throw new PatchError("a JSON patch is a list of operations");
  let doc = structuredClone(target);
  for (const op of ops) {
    if (!isObj(op) || typeof op.path !== "string") throw new PatchError(`each JSON patch operation names a path, not ${quoted(op)}`);
    const path = op.path
      .split("/")
      .slice(1)
      .map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"));
    if (path.length === 0) {
      if (op.op === "replace" || op.op === "add") doc = structuredClone(op.value);
      else throw new PatchError(`JSON patch operation ${quoted(op.op)} cannot apply to the whole object`);
      continue;
    }
    const last = path.pop()!;
    if ([...path, last].some((p) => UNSAFE.has(p))) throw new PatchError(`the path ${quoted(op.path)} is not allowed`);
    let parent: Json = doc;
    for (const p of path) {
      parent = Array.isArray(parent) ? parent[Number(p)] : isObj(parent) ? parent[p] : undefined;
      if (parent === undefined) throw new PatchError(`the path ${quoted(op.path)} does not exist`);
    }
    if (op.op === "test") {
      const at = Array.isArray(parent) ? parent[Number(last)] : (parent as Obj)[last];
      if (JSON.stringify(at) !== JSON.stringify(op.value)) throw new PatchError(`test of ${quoted(op.path)} failed`);
    } else if (op.op === "remove") {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete (parent as Obj)[last];
    } else if (op.op === "add" || op.op === "replace") {
      if (Array.isArray(parent)) {
        const i = last === "-" ? parent.length : Number(last);
        if (op.op === "add") parent.splice(i, 0, structuredClone(op.value));
        else parent[i] = structuredClone(op.value);
      } else (parent as Obj)[last] = structuredClone(op.value);
    } else throw new PatchError(`JSON patch operation ${quoted(op.op)} is not supported here: use add, replace, remove or test`);
  }
  return doc;
}
