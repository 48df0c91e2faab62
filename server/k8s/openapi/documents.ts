/**
 * The OpenAPI documents the game's API serves, built once from the definitions and operations:
 * v2 (/openapi/v2, as JSON or in gnostic's protobuf form, which is what kubectl asks for) and v3
 * (an index at /openapi/v3 naming one document per group version, each self-contained, its URL
 * carrying a hash of its content so clients can cache it for good).
 */
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { SERVER_VERSION } from "../kubeBasics.ts";
import { closure, DEFINITIONS } from "./definitions.ts";
import { encodeDocument, OPENAPI_V2_PROTOBUF } from "./gnostic.ts";
import { INT_OR_STRING, QUANTITY, type Schema } from "./model.ts";
import { allOperations, groupVersions, gvPath, PATCH_BODY, PATCH_TYPES, STATUS, type Operation } from "./operations.ts";

type Any = Record<string, any>;

/** One document ready to send: its bytes (and gzipped), their hash (the ETag) and its Content-Type. */
export interface Served {
  body: Buffer;
  gzipped: Buffer;
  etag: string;
  contentType: string;
}

export interface OpenApiDocuments {
  v2Json: Served;
  v2Proto: Served;
  /** The v2 document as an object (for tests). */
  v2: Any;
  v3Index: Served;
  /** Each group version's v3 document, by its path: "api/v1", "apis/apps/v1" … */
  v3: Map<string, Served & { doc: Any }>;
}

/** As Kubernetes computes them: the SHA-512 of the bytes, in upper-case hex. */
const hashOf = (body: Buffer) => createHash("sha512").update(body).digest("hex").toUpperCase();
const served = (body: Buffer, contentType: string): Served => ({ body, gzipped: gzipSync(body), etag: hashOf(body), contentType });
const INFO = { title: "Kubernetes", version: SERVER_VERSION.gitVersion };
const PARAM_WORDS = { namespace: "object name and auth scope, such as for teams and projects", name: "name of the object" };

/**
 * Kubernetes' v3 documents describe these two scalars as either of two types (a number or a
 * string), which is also how kubectl explain names them (<Quantity>, <IntOrString>); v2 says string.
 */
const V3_EITHER: Record<string, Any[]> = {
  [QUANTITY]: [{ type: "string" }, { type: "number" }],
  [INT_OR_STRING]: [{ type: "integer" }, { type: "string" }],
};

/** A definition as the v3 documents carry it. */
function v3Definition(name: string): Any {
  const out = rewrite(DEFINITIONS[name], "#/components/schemas/", true);
  if (!V3_EITHER[name]) return out;
  const { type: _type, ...rest } = out;
  return { ...rest, oneOf: V3_EITHER[name] };
}

/** A schema with its references pointing where `prefix` says; v3 wraps a described reference in allOf, as Kubernetes does. */
function rewrite(s: Schema, prefix: string, v3: boolean): Any {
  const out: Any = {};
  for (const [key, value] of Object.entries(s)) {
    if (key === "$ref") out.$ref = `${prefix}${value}`;
    else if (key === "items" || key === "additionalProperties") out[key] = rewrite(value as Schema, prefix, v3);
    else if (key === "properties")
      out.properties = Object.fromEntries(Object.entries(value as Record<string, Schema>).map(([k, p]) => [k, rewrite(p, prefix, v3)]));
    else out[key] = value;
  }
  if (v3 && out.$ref && out.description) return { allOf: [{ $ref: out.$ref }], description: out.description };
  return out;
}

const common = (o: Operation) => ({
  description: o.description,
  operationId: o.operationId,
  tags: [o.gvk.group ? `${o.gvk.group.split(".")[0]}_${o.gvk.version}` : `core_${o.gvk.version}`],
});
/** A list only when it has something in it (protobuf cannot tell an empty list from none). */
const nonEmpty = (key: string, list: unknown[]) => (list.length ? { [key]: list } : {});
const extensions = (o: Operation) => ({ "x-kubernetes-action": o.action, "x-kubernetes-group-version-kind": o.gvk });

function v2Operation(o: Operation): Any {
  const ref = (name: string) => ({ $ref: `#/definitions/${name}` });
  return {
    ...common(o),
    consumes: o.method === "patch" ? PATCH_TYPES : ["*/*"],
    produces: ["application/json", "application/yaml"],
    schemes: ["https"],
    ...nonEmpty("parameters", [
      ...(o.body ? [{ name: "body", in: "body", required: true, schema: ref(o.body) }] : []),
      ...o.params.map((p) => ({ name: p, in: "path", required: true, type: "string", description: PARAM_WORDS[p] })),
    ]),
    responses: {
      "200": { description: "OK", schema: ref(o.response) },
      ...(o.method === "post" ? { "201": { description: "Created", schema: ref(o.response) } } : {}),
      "401": { description: "Unauthorized" },
    },
    ...extensions(o),
  };
}

function v3Operation(o: Operation): Any {
  const ref = (name: string) => ({ schema: { $ref: `#/components/schemas/${name}` } });
  const answer = { content: { "application/json": ref(o.response), "application/yaml": ref(o.response) } };
  return {
    ...common(o),
    ...nonEmpty(
      "parameters",
      o.params.map((p) => ({ name: p, in: "path", required: true, description: PARAM_WORDS[p], schema: { type: "string" } })),
    ),
    ...(o.body
      ? { requestBody: { required: true, content: Object.fromEntries((o.method === "patch" ? PATCH_TYPES : ["*/*"]).map((t) => [t, ref(o.body!)])) } }
      : {}),
    responses: {
      "200": { description: "OK", ...answer },
      ...(o.method === "post" ? { "201": { description: "Created", ...answer } } : {}),
      "401": { description: "Unauthorized" },
    },
    ...extensions(o),
  };
}

function pathsOf(ops: Operation[], render: (o: Operation) => Any): Any {
  const paths: Any = {};
  for (const o of [...ops].sort((a, b) => a.path.localeCompare(b.path))) (paths[o.path] ??= {})[o.method] = render(o);
  return paths;
}

const definitionsUsedBy = (ops: Operation[]) => closure(ops.flatMap((o) => [o.response, ...(o.body ? [o.body] : []), STATUS, PATCH_BODY]));

function build(): OpenApiDocuments {
  const ops = allOperations();
  const v2 = {
    swagger: "2.0",
    info: INFO,
    paths: pathsOf(ops, v2Operation),
    definitions: Object.fromEntries(closure(Object.keys(DEFINITIONS)).map((n) => [n, rewrite(DEFINITIONS[n], "#/definitions/", false)])),
  };
  const v3 = new Map<string, Served & { doc: Any }>();
  for (const gv of groupVersions()) {
    const prefix = `${gvPath(gv.group, gv.version)}/`;
    const mine = ops.filter((o) => o.path.startsWith(prefix));
    const doc = {
      openapi: "3.0.0",
      info: INFO,
      paths: pathsOf(mine, v3Operation),
      components: {
        schemas: Object.fromEntries(definitionsUsedBy(mine).map((n) => [n, v3Definition(n)])),
      },
    };
    v3.set(gv.key, { ...served(Buffer.from(JSON.stringify(doc)), "application/json"), doc });
  }
  const index = { paths: Object.fromEntries([...v3].map(([key, d]) => [key, { serverRelativeURL: `/openapi/v3/${key}?hash=${d.etag}` }])) };
  return {
    v2,
    v2Json: served(Buffer.from(JSON.stringify(v2)), "application/json"),
    v2Proto: served(encodeDocument(v2), OPENAPI_V2_PROTOBUF),
    v3Index: served(Buffer.from(JSON.stringify(index)), "application/json"),
    v3,
  };
}

let documents: OpenApiDocuments | undefined;

/** The documents, built on first use and kept: they depend only on the code. */
export function openApiDocuments(): OpenApiDocuments {
  documents ??= build();
  return documents;
}
