/**
 * Every schema the game's API documents, by its Kubernetes name, gathered from the files that
 * declare them, and the lookup from a kind to its schema.
 */
import { CLUSTER_TYPES } from "./clusterTypes.ts";
import { META_TYPES } from "./metaTypes.ts";
import type { Gvk, Schema } from "./model.ts";
import { POD_TYPES } from "./podTypes.ts";
import { WORKLOAD_TYPES } from "./workloadTypes.ts";

export const DEFINITIONS: Record<string, Schema> = {
  ...META_TYPES,
  ...POD_TYPES,
  ...WORKLOAD_TYPES,
  ...CLUSTER_TYPES,
  "io.k8s.apimachinery.pkg.apis.meta.v1.Patch": {
    type: "object",
    description: "Patch is the body of a PATCH request: a JSON patch, a merge patch or a strategic merge patch, as its Content-Type says.",
  },
};

const gvkKey = (g: Gvk) => `${g.group}/${g.version}/${g.kind}`;

const BY_KIND = new Map<string, string>();
for (const [name, schema] of Object.entries(DEFINITIONS)) for (const gvk of schema["x-kubernetes-group-version-kind"] ?? []) BY_KIND.set(gvkKey(gvk), name);

/** The definition name of a kind (io.k8s.api.core.v1.Pod for v1 Pod); throws for a kind not described. */
export function definitionOf(gvk: Gvk): string {
  const name = BY_KIND.get(gvkKey(gvk));
  if (!name) throw new Error(`no OpenAPI definition for ${gvkKey(gvk)}`);
  return name;
}

/** The definition names a schema refers to, directly. */
export function refsOf(schema: Schema): string[] {
  const out: string[] = [];
  const walk = (s: Schema | undefined) => {
    if (!s) return;
    if (s.$ref) out.push(s.$ref);
    walk(s.items);
    walk(s.additionalProperties);
    for (const p of Object.values(s.properties ?? {})) walk(p);
  };
  walk(schema);
  return out;
}

/** The given definitions and everything they refer to, transitively, in a stable order. */
export function closure(names: Iterable<string>): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    const schema = DEFINITIONS[name];
    if (!schema) throw new Error(`the OpenAPI definition ${name} is referred to but not declared`);
    seen.add(name);
    for (const r of refsOf(schema)) visit(r);
  };
  for (const n of names) visit(n);
  return [...seen].sort();
}
