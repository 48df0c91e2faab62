/**
 * Deployments and Services sent as protobuf: kubectl 1.32's typed commands (`kubectl create
 * deployment`, `kubectl expose`) post built-in objects in Kubernetes' protobuf encoding — the
 * magic "k8s\0", a runtime.Unknown (1: typeMeta {1: apiVersion, 2: kind}, 2: raw) and the object
 * in raw. This reads the fields the game uses (generated.proto's numbering of apps/v1 and core/v1)
 * into the JSON shape the rest of the write path reads; everything else is skipped.
 */

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** How one field is read: a scalar, a string map, a nested message, or a list of one of these. */
type Field = "string" | "int" | "map" | "quantityMap" | "intOrString" | Schema;
interface Schema {
  [field: number]: [name: string, type: Field, repeated?: boolean];
}

const META: Schema = { 1: ["name", "string"], 2: ["generateName", "string"], 3: ["namespace", "string"], 11: ["labels", "map"], 12: ["annotations", "map"] };
const SELECTOR: Schema = {
  1: ["matchLabels", "map"],
  2: ["matchExpressions", { 1: ["key", "string"], 2: ["operator", "string"], 3: ["values", "string", true] }, true],
};
/** A probe's handler (exec, httpGet, tcpSocket, grpc) only matters by being there. */
const PROBE: Schema = { 1: ["handler", {}], 2: ["initialDelaySeconds", "int"], 4: ["periodSeconds", "int"] };
const CONTAINER: Schema = {
  1: ["name", "string"],
  2: ["image", "string"],
  6: ["ports", { 1: ["name", "string"], 3: ["containerPort", "int"], 4: ["protocol", "string"] }, true],
  8: ["resources", { 1: ["limits", "quantityMap"], 2: ["requests", "quantityMap"] }],
  11: ["readinessProbe", PROBE],
  14: ["imagePullPolicy", "string"],
};
const DEPLOYMENT: Schema = {
  1: ["metadata", META],
  2: [
    "spec",
    { 1: ["replicas", "int"], 2: ["selector", SELECTOR], 3: ["template", { 1: ["metadata", META], 2: ["spec", { 2: ["containers", CONTAINER, true] }] }] },
  ],
};
const SERVICE: Schema = {
  1: ["metadata", META],
  2: [
    "spec",
    {
      1: ["ports", { 1: ["name", "string"], 2: ["protocol", "string"], 3: ["port", "int"], 4: ["targetPort", "intOrString"], 5: ["nodePort", "int"] }, true],
      2: ["selector", "map"],
      3: ["clusterIP", "string"],
      4: ["type", "string"],
    },
  ],
};
const BY_KIND: Record<string, Schema> = { Deployment: DEPLOYMENT, Service: SERVICE };

/** Most levels of nesting read (a Deployment is seven deep). */
const MAX_DEPTH = 12;

type Raw = { field: number; wire: number; value: number | Buffer };

function read(buf: Buffer): Raw[] {
  const out: Raw[] = [];
  let i = 0;
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (i >= buf.length) throw new Error("truncated varint");
      const b = buf[i++];
      if (shift < 49) value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return value;
    }
    throw new Error("varint too long");
  };
  while (i < buf.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) out.push({ field, wire, value: varint() });
    else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else if (wire === 2) {
      const len = varint();
      if (i + len > buf.length) throw new Error("truncated field");
      out.push({ field, wire, value: buf.subarray(i, i + len) });
      i += len;
    } else throw new Error(`wire type ${wire} is not supported`);
  }
  return out;
}

const bytes = (v: number | Buffer) => (Buffer.isBuffer(v) ? v : Buffer.alloc(0));
const str = (v: number | Buffer) => bytes(v).toString("utf8");

function value(v: number | Buffer, type: Field, depth: number): unknown {
  switch (type) {
    case "string":
      return str(v);
    case "int":
      // int32 fields: a negative value arrives as a huge varint.
      return typeof v === "number" ? (v > 2 ** 31 ? v - 2 ** 64 : v) : 0;
    case "intOrString": {
      const m = decode(bytes(v), { 1: ["type", "int"], 2: ["intVal", "int"], 3: ["strVal", "string"] }, depth + 1);
      return m.type === 1 ? (m.strVal ?? "") : (m.intVal ?? 0);
    }
    case "map":
    case "quantityMap":
      return undefined; // entries are gathered by decode
    default:
      return decode(bytes(v), type, depth + 1);
  }
}

function decode(buf: Buffer, schema: Schema, depth = 0): Record<string, any> {
  if (depth > MAX_DEPTH) throw new Error("nested too deeply");
  const out: Record<string, any> = {};
  for (const r of read(buf)) {
    const spec = schema[r.field];
    if (!spec) continue;
    const [name, type, repeated] = spec;
    if (type === "map" || type === "quantityMap") {
      // A map entry: {1: key, 2: value} (a Quantity value is {1: string}).
      const entry = read(bytes(r.value));
      const k = entry.find((e) => e.field === 1);
      const val = entry.find((e) => e.field === 2);
      if (!k) continue;
      const text = val ? (type === "map" ? str(val.value) : str(read(bytes(val.value)).find((e) => e.field === 1)?.value ?? Buffer.alloc(0))) : "";
      out[name] = { ...(out[name] ?? {}), [str(k.value)]: text };
    } else if (repeated) (out[name] ??= []).push(value(r.value, type, depth));
    else out[name] = value(r.value, type, depth);
  }
  return out;
}

/** A protobuf-encoded Deployment or Service as its JSON would be; throws when it is neither or unreadable. */
export function decodeWorkload(body: Buffer): Record<string, unknown> {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error("not a Kubernetes protobuf message (no k8s\\0 prefix)");
  const unknown = decode(body.subarray(MAGIC.length), { 1: ["typeMeta", { 1: ["apiVersion", "string"], 2: ["kind", "string"] }] });
  const kind = String(unknown.typeMeta?.kind ?? "");
  const schema = BY_KIND[kind];
  if (!schema) throw new Error(`a ${kind || "message without a kind"} cannot be written here as protobuf: send it as JSON`);
  const raw = read(body.subarray(MAGIC.length)).find((r) => r.field === 2);
  return { apiVersion: unknown.typeMeta.apiVersion, kind, ...decode(bytes(raw?.value ?? Buffer.alloc(0)), schema) };
}
