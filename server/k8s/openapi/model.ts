/**
 * The vocabulary the game's API schemas are written in: one schema per Kubernetes type, named as
 * Kubernetes names it (io.k8s.api.core.v1.Pod), with real field names, types and descriptions. The
 * OpenAPI v2 document (kubectl 1.20's validation and explain), its protobuf form and the v3
 * documents (kubectl 1.32's explain) are all generated from these; nothing else describes them.
 */

/** A group, version and kind as the x-kubernetes-group-version-kind extension writes it. */
export interface Gvk {
  group: string;
  kind: string;
  version: string;
}

/** A JSON schema in the subset both OpenAPI versions share; `$ref` is a bare definition name here. */
export interface Schema {
  type?: "object" | "string" | "integer" | "number" | "boolean" | "array";
  format?: string;
  description?: string;
  $ref?: string;
  items?: Schema;
  additionalProperties?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: string[];
  "x-kubernetes-group-version-kind"?: Gvk[];
  "x-kubernetes-patch-merge-key"?: string;
  "x-kubernetes-patch-strategy"?: string;
  "x-kubernetes-list-type"?: "atomic" | "map" | "set";
  "x-kubernetes-list-map-keys"?: string[];
  "x-kubernetes-map-type"?: "atomic" | "granular";
}

/** Definition name prefixes, as in Kubernetes' own documents. */
export const CORE = "io.k8s.api.core.v1.";
export const APPS = "io.k8s.api.apps.v1.";
export const META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
export const QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
export const INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
export const TIME = `${META}Time`;

/** What the game does with a field, appended to Kubernetes' own description (one sentence). */
const withGame = (description: string, game?: string) => (game ? `${description} In this game: ${game}` : description);

export const str = (description: string, game?: string): Schema => ({ type: "string", description: withGame(description, game) });
export const oneOf = (values: string[], description: string, game?: string): Schema => ({ ...str(description, game), enum: values });
export const int32 = (description: string, game?: string): Schema => ({ type: "integer", format: "int32", description: withGame(description, game) });
export const int64 = (description: string, game?: string): Schema => ({ type: "integer", format: "int64", description: withGame(description, game) });
export const bool = (description: string, game?: string): Schema => ({ type: "boolean", description: withGame(description, game) });
export const ref = (name: string, description: string, game?: string): Schema => ({ $ref: name, description: withGame(description, game) });
export const time = (description: string, game?: string): Schema => ref(TIME, description, game);
export const intOrString = (description: string, game?: string): Schema => ref(INT_OR_STRING, description, game);
/** A map of strings (labels, annotations, selectors). */
export const strings = (description: string, game?: string): Schema => ({
  type: "object",
  additionalProperties: { type: "string" },
  description: withGame(description, game),
});
/** A list of strings. */
export const stringList = (description: string, game?: string): Schema => ({
  type: "array",
  items: { type: "string" },
  description: withGame(description, game),
});
/** A map of quantities (resource requests and limits, capacity). */
export const quantities = (description: string, game?: string): Schema => ({
  type: "object",
  additionalProperties: { $ref: QUANTITY },
  description: withGame(description, game),
});

/** A list of objects; `mergeKey` names the field strategic merge patches match list items by. */
export function list(item: string, description: string, opts: { mergeKey?: string; strategy?: string; game?: string; mapKeys?: string[] } = {}): Schema {
  return {
    type: "array",
    items: { $ref: item },
    description: withGame(description, opts.game),
    ...(opts.mergeKey ? { "x-kubernetes-patch-merge-key": opts.mergeKey, "x-kubernetes-patch-strategy": opts.strategy ?? "merge" } : {}),
    ...(opts.mapKeys ? { "x-kubernetes-list-type": "map" as const, "x-kubernetes-list-map-keys": opts.mapKeys } : {}),
  };
}

/**
 * A part of the API the game does not model, accepted as any object so manifests that use it
 * stay valid; explain shows its description.
 */
export const anyObject = (description: string, game = "accepted and ignored."): Schema => ({
  type: "object",
  description: withGame(description, game),
});

/** An object type with its fields. */
export function obj(description: string, properties: Record<string, Schema>, required: string[] = []): Schema {
  return { type: "object", description, properties, ...(required.length ? { required } : {}) };
}

/** The fields every top-level object starts with. */
export function typeMeta(): Record<string, Schema> {
  return {
    apiVersion: str(
      "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.",
    ),
    kind: str(
      "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. In CamelCase.",
    ),
  };
}

/** A top-level kind: typeMeta, then its fields, tagged with its group, version and kind. */
export function kind(gvk: Gvk, description: string, properties: Record<string, Schema>, required: string[] = []): Schema {
  return { ...obj(description, { ...typeMeta(), ...properties }, required), "x-kubernetes-group-version-kind": [gvk] };
}

/** A list kind (PodList …): its items and the list's metadata. */
export function listKind(gvk: Gvk, item: string, what: string): Schema {
  return kind(
    gvk,
    `${gvk.kind} is a list of ${what}.`,
    {
      items: list(item, `List of ${what}.`),
      metadata: ref(`${META}ListMeta`, "Standard list metadata."),
    },
    ["items"],
  );
}

/** The name of a definition without its package: io.k8s.api.core.v1.Pod → Pod. */
export const shortName = (name: string) => name.slice(name.lastIndexOf(".") + 1);
