/**
 * The OpenAPI v2 document in the protobuf form kubectl asks for (`Accept:
 * application/com.github.proto-openapi.spec.v2@v1.0+protobuf`; kubectl 1.20 and 1.32 read
 * /openapi/v2 in no other form). The messages are gnostic's openapi_v2 (OpenAPIv2.proto):
 * Document, Info, Paths, PathItem, Operation, parameters, responses, Definitions and Schema, with
 * vendor extensions as NamedAny whose Any carries the value as YAML text (JSON is YAML).
 *
 * The encoding is driven by a table of those messages (JSON key → field number and shape), only
 * as much of it as the game's documents use: a key the table does not know is an error, not
 * silently dropped. The same table decodes (for tests: what kubectl would read back).
 */

import { wireFields } from "../protoWire.ts";

/** The Content-Type of the answer: kubectl asks with "@v1.0", which is not a valid media type, so servers answer ".v1.0". */
export const OPENAPI_V2_PROTOBUF = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

type Any = Record<string, any>;

/** How one JSON key is stored. */
type Field =
  | { n: number; t: "string" | "bool" | "int64" | "strings" | "anys" | "typeItem" | "additional" }
  | { n: number; t: "message" | "messages" | "items"; m: () => Msg }
  /** A JSON map, stored as a wrapper message whose field `at` repeats {1: name, 2: value}. */
  | { n: number; t: "named"; at: number; m: () => Msg };

/** A message: its fields by JSON key, and where its vendor extensions (x-…) go; or a oneof picked by the JSON. */
type Msg = { fields: Record<string, Field>; ext?: number } | { choose: (json: Any) => number; choices: Record<number, () => Msg> };

const S = (n: number): Field => ({ n, t: "string" });

const SCHEMA: Msg = {
  fields: {
    $ref: S(1),
    format: S(2),
    title: S(3),
    description: S(4),
    required: { n: 19, t: "strings" },
    enum: { n: 20, t: "anys" },
    additionalProperties: { n: 21, t: "additional" },
    type: { n: 22, t: "typeItem" },
    items: { n: 23, t: "items", m: () => SCHEMA },
    allOf: { n: 24, t: "messages", m: () => SCHEMA },
    properties: { n: 25, t: "named", at: 1, m: () => SCHEMA },
    readOnly: { n: 27, t: "bool" },
  },
  ext: 31,
};

const JSON_REFERENCE: Msg = { fields: { $ref: S(1), description: S(2) } };
const BODY_PARAMETER: Msg = {
  fields: { description: S(1), name: S(2), in: S(3), required: { n: 4, t: "bool" }, schema: { n: 5, t: "message", m: () => SCHEMA } },
  ext: 6,
};
const QUERY_PARAMETER: Msg = {
  fields: { required: { n: 1, t: "bool" }, in: S(2), description: S(3), name: S(4), type: S(6), format: S(7) },
  ext: 23,
};
const PATH_PARAMETER: Msg = { fields: { required: { n: 1, t: "bool" }, in: S(2), description: S(3), name: S(4), type: S(5), format: S(6) }, ext: 22 };
const NON_BODY_PARAMETER: Msg = { choose: (p) => ({ query: 3, path: 4 })[String(p.in)] ?? 0, choices: { 3: () => QUERY_PARAMETER, 4: () => PATH_PARAMETER } };
const PARAMETER: Msg = { choose: (p) => (p.in === "body" ? 1 : 2), choices: { 1: () => BODY_PARAMETER, 2: () => NON_BODY_PARAMETER } };
const PARAMETERS_ITEM: Msg = { choose: (p) => (p.$ref ? 2 : 1), choices: { 1: () => PARAMETER, 2: () => JSON_REFERENCE } };

const SCHEMA_ITEM: Msg = { choose: () => 1, choices: { 1: () => SCHEMA } };
const RESPONSE: Msg = { fields: { description: S(1), schema: { n: 2, t: "message", m: () => SCHEMA_ITEM } }, ext: 5 };
const RESPONSE_VALUE: Msg = { choose: (r) => (r.$ref ? 2 : 1), choices: { 1: () => RESPONSE, 2: () => JSON_REFERENCE } };

const OPERATION: Msg = {
  fields: {
    tags: { n: 1, t: "strings" },
    summary: S(2),
    description: S(3),
    operationId: S(5),
    produces: { n: 6, t: "strings" },
    consumes: { n: 7, t: "strings" },
    parameters: { n: 8, t: "messages", m: () => PARAMETERS_ITEM },
    responses: { n: 9, t: "named", at: 1, m: () => RESPONSE_VALUE },
    schemes: { n: 10, t: "strings" },
    deprecated: { n: 11, t: "bool" },
  },
  ext: 13,
};
const op = (n: number): Field => ({ n, t: "message", m: () => OPERATION });
const PATH_ITEM: Msg = {
  fields: { $ref: S(1), get: op(2), put: op(3), post: op(4), delete: op(5), options: op(6), head: op(7), patch: op(8) },
  ext: 10,
};
const INFO: Msg = { fields: { title: S(1), version: S(2), description: S(3), termsOfService: S(4) }, ext: 7 };
const DOCUMENT: Msg = {
  fields: {
    swagger: S(1),
    info: { n: 2, t: "message", m: () => INFO },
    host: S(3),
    basePath: S(4),
    schemes: { n: 5, t: "strings" },
    consumes: { n: 6, t: "strings" },
    produces: { n: 7, t: "strings" },
    paths: { n: 8, t: "named", at: 2, m: () => PATH_ITEM },
    definitions: { n: 9, t: "named", at: 1, m: () => SCHEMA },
  },
  ext: 16,
};

// ---- writing ----

function varint(n: number): number[] {
  if (!Number.isInteger(n) || n < 0) throw new Error(`cannot encode ${n} as a varint`);
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

const bytesField = (n: number, body: Buffer) => Buffer.concat([Buffer.from([...varint(n * 8 + 2), ...varint(body.length)]), body]);
const textField = (n: number, s: string) => bytesField(n, Buffer.from(s, "utf8"));
const varintField = (n: number, v: number) => Buffer.from([...varint(n * 8), ...varint(v)]);
/** gnostic's Any: the value as YAML text (field 2). */
const anyOf = (value: unknown) => textField(2, JSON.stringify(value));

function encodeField(key: string, f: Field, value: unknown): Buffer[] {
  switch (f.t) {
    case "string":
      return value === "" ? [] : [textField(f.n, String(value))];
    case "bool":
      return value ? [varintField(f.n, 1)] : [];
    case "int64":
      return value ? [varintField(f.n, Number(value))] : [];
    case "strings":
      return (value as string[]).map((s) => textField(f.n, s));
    case "anys":
      return (value as unknown[]).map((v) => bytesField(f.n, anyOf(v)));
    case "typeItem":
      return [bytesField(f.n, Buffer.concat((Array.isArray(value) ? value : [value]).map((t) => textField(1, String(t)))))];
    case "additional":
      return [bytesField(f.n, typeof value === "boolean" ? varintField(2, value ? 1 : 0) : bytesField(1, encode(value as Any, SCHEMA)))];
    case "message":
      return [bytesField(f.n, encode(value as Any, f.m()))];
    case "messages":
      return (value as Any[]).map((v) => bytesField(f.n, encode(v, f.m())));
    case "items":
      return [bytesField(f.n, Buffer.concat((Array.isArray(value) ? value : [value]).map((v) => bytesField(1, encode(v, f.m())))))];
    case "named": {
      const entries = Object.entries(value as Any).map(([name, v]) => bytesField(f.at, Buffer.concat([textField(1, name), bytesField(2, encode(v, f.m()))])));
      return [bytesField(f.n, Buffer.concat(entries))];
    }
  }
  throw new Error(`unknown field shape for ${key}`);
}

/** One JSON object as the protobuf message `msg`, fields in number order. */
function encode(json: Any, msg: Msg): Buffer {
  if ("choose" in msg) {
    const n = msg.choose(json);
    const inner = msg.choices[n];
    if (!inner) throw new Error(`no protobuf message for ${JSON.stringify(json).slice(0, 80)}`);
    return bytesField(n, encode(json, inner()));
  }
  const parts: { n: number; bytes: Buffer[] }[] = [];
  const ext: Buffer[] = [];
  for (const [key, value] of Object.entries(json)) {
    if (value === undefined) continue;
    if (key.startsWith("x-") && msg.ext) {
      ext.push(bytesField(msg.ext, Buffer.concat([textField(1, key), bytesField(2, anyOf(value))])));
      continue;
    }
    const f = msg.fields[key];
    if (!f) throw new Error(`the OpenAPI v2 protobuf encoder does not know the key "${key}"`);
    parts.push({ n: f.n, bytes: encodeField(key, f, value) });
  }
  parts.sort((a, b) => a.n - b.n);
  return Buffer.concat([...parts.flatMap((p) => p.bytes), ...ext]);
}

/** The v2 document (JSON form) as gnostic's openapi_v2.Document. */
export function encodeDocument(doc: Any): Buffer {
  return encode(doc, DOCUMENT);
}

// ---- reading (what kubectl reads back; for tests) ----

const entries = wireFields;

const text = (v: number | Buffer) => (v as Buffer).toString("utf8");
const yamlOf = (v: number | Buffer) => JSON.parse(text(entries(v as Buffer).find((e) => e.n === 2)!.value));

function decode(buf: Buffer, msg: Msg): Any {
  if ("choose" in msg) {
    const [only] = entries(buf);
    return decode(only.value as Buffer, msg.choices[only.n]());
  }
  const out: Any = {};
  const byNumber = new Map(Object.entries(msg.fields).map(([k, f]) => [f.n, [k, f] as const]));
  for (const e of entries(buf)) {
    if (e.n === msg.ext) {
      const [name, value] = entries(e.value as Buffer);
      out[text(name.value)] = yamlOf(value.value);
      continue;
    }
    const known = byNumber.get(e.n);
    if (!known) throw new Error(`unexpected field ${e.n}`);
    const [key, f] = known;
    const sub = e.value as Buffer;
    switch (f.t) {
      case "string":
        out[key] = text(sub);
        break;
      case "bool":
      case "int64":
        out[key] = f.t === "bool" ? e.value === 1 : e.value;
        break;
      case "strings":
        (out[key] ??= []).push(text(sub));
        break;
      case "anys":
        (out[key] ??= []).push(yamlOf(sub));
        break;
      case "typeItem": {
        const types = entries(sub).map((t) => text(t.value));
        out[key] = types.length === 1 ? types[0] : types;
        break;
      }
      case "additional": {
        const [choice] = entries(sub);
        out[key] = choice.n === 2 ? choice.value === 1 : decode(choice.value as Buffer, SCHEMA);
        break;
      }
      case "message":
        out[key] = decode(sub, f.m());
        break;
      case "messages":
        (out[key] ??= []).push(decode(sub, f.m()));
        break;
      case "items": {
        const items = entries(sub).map((x) => decode(x.value as Buffer, f.m()));
        out[key] = items.length === 1 ? items[0] : items;
        break;
      }
      case "named":
        out[key] = Object.fromEntries(
          entries(sub).map((x) => {
            const [name, value] = entries(x.value as Buffer);
            return [text(name.value), decode(value.value as Buffer, f.m())];
          }),
        );
        break;
    }
  }
  return out;
}

/** A gnostic openapi_v2.Document back to its JSON form. */
export function decodeDocument(buf: Buffer): Any {
  return decode(buf, DOCUMENT);
}
