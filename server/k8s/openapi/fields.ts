/**
 * Strict field validation, server side, from the same schemas the OpenAPI documents publish: the
 * fields of a request body its kind does not declare (`spec.replica`), and the 400 a real API
 * server answers a write with `?fieldValidation=Strict` that has them. kubectl validates the
 * same schemas itself before it sends; this catches what curl, or kubectl with
 * --validate=false, sends.
 */
import { fail, type ApiFailure } from "../../../shared/sim/api/status.ts";
import { DEFINITIONS, definitionOf } from "./definitions.ts";
import type { Gvk, Schema } from "./model.ts";

/** At most this many unknown fields are named in one answer. */
const MAX_NAMED_FIELDS = 10;

/** A JSON object (not an array, and not a protobuf body's Buffer). */
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype;
const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

function walk(schema: Schema, value: unknown, path: string, out: string[]): void {
  if (value === null || value === undefined) return;
  if (schema.$ref) walk(DEFINITIONS[schema.$ref], value, path, out);
  else if (schema.properties && isObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      // Own properties only: "constructor" or "__proto__" in a body is an unknown field like any other.
      const field = Object.hasOwn(schema.properties, key) ? schema.properties[key] : undefined;
      if (field) walk(field, v, join(path, key), out);
      else out.push(join(path, key));
    }
  } else if (schema.items && Array.isArray(value)) {
    for (const [i, v] of value.entries()) walk(schema.items, v, `${path}[${i}]`, out);
  } else if (schema.additionalProperties && isObject(value)) {
    for (const [key, v] of Object.entries(value)) walk(schema.additionalProperties, v, join(path, key), out);
  }
}

/** The fields of an object of kind `gvk` that its schema does not declare, as dotted paths. */
export function unknownFields(gvk: Gvk, body: unknown): string[] {
  const out: string[] = [];
  walk(DEFINITIONS[definitionOf(gvk)], body, "", out);
  return out;
}

/**
 * The answer to a create or replace with `?fieldValidation=Strict` whose JSON body has fields its
 * kind does not declare, worded as the real API server words it; undefined when there are none,
 * the body is not a JSON object (a protobuf body is left to the write route), or the game
 * describes no such kind.
 */
export function strictFieldProblem(gvk: Gvk, body: unknown): ApiFailure | undefined {
  if (!isObject(body)) return undefined;
  let unknown: string[];
  try {
    unknown = unknownFields(gvk, body);
  } catch {
    return undefined;
  }
  if (unknown.length === 0) return undefined;
  const named = unknown.slice(0, MAX_NAMED_FIELDS).map((f) => `unknown field "${f.length > 80 ? `${f.slice(0, 80)}…` : f}"`);
  const more = unknown.length > MAX_NAMED_FIELDS ? ` and ${unknown.length - MAX_NAMED_FIELDS} more` : "";
  return fail("BadRequest", `${gvk.kind} in version "${gvk.version}" cannot be handled as a ${gvk.kind}: strict decoding error: ${named.join(", ")}${more}`);
}
