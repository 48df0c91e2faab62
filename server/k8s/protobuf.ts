/**
 * The one request kubectl sends as protobuf: a SelfSubjectAccessReview. kubectl 1.32 posts
 * `kubectl auth can-i` in Kubernetes' protobuf encoding (for built-in types it prefers protobuf);
 * this reads that one message. The encoding: the magic bytes "k8s\0", then a runtime.Unknown
 * (1: typeMeta {1: apiVersion, 2: kind}, 2: raw) whose raw bytes are the object — here a
 * SelfSubjectAccessReview (2: spec {1: resourceAttributes {1 namespace, 2 verb, 3 group,
 * 4 version, 5 resource, 6 subresource, 7 name}, 2: nonResourceAttributes {1 path, 2 verb}}).
 * Everything is answered as JSON, which kubectl accepts as well.
 */

export const PROTOBUF = "application/vnd.kubernetes.protobuf";
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** The length-delimited fields of one protobuf message, by field number (other wire types skipped). */
function fields(buf: Buffer): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  let i = 0;
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (i >= buf.length) throw new Error("truncated varint");
      const b = buf[i++];
      value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return value;
    }
    throw new Error("varint too long");
  };
  while (i < buf.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) varint();
    else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else if (wire === 2) {
      const len = varint();
      if (i + len > buf.length) throw new Error("truncated field");
      out.set(field, buf.subarray(i, i + len));
      i += len;
    } else throw new Error(`wire type ${wire} is not supported`);
  }
  return out;
}

const text = (m: Map<number, Buffer>, n: number) => m.get(n)?.toString("utf8") ?? "";

/** The object kind and spec of a protobuf-encoded SelfSubjectAccessReview, as its JSON would have them. */
export function decodeAccessReview(body: Buffer): { kind: string; spec: Record<string, unknown> } {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error("not a Kubernetes protobuf message (no k8s\\0 prefix)");
  const unknown = fields(body.subarray(MAGIC.length));
  const typeMeta = fields(unknown.get(1) ?? Buffer.alloc(0));
  const object = fields(unknown.get(2) ?? Buffer.alloc(0));
  const spec = fields(object.get(2) ?? Buffer.alloc(0));
  const out: Record<string, unknown> = {};
  const ra = spec.get(1);
  if (ra) {
    const a = fields(ra);
    out.resourceAttributes = {
      namespace: text(a, 1),
      verb: text(a, 2),
      group: text(a, 3),
      version: text(a, 4),
      resource: text(a, 5),
      subresource: text(a, 6),
      name: text(a, 7),
    };
  }
  const nra = spec.get(2);
  if (nra) {
    const a = fields(nra);
    out.nonResourceAttributes = { path: text(a, 1), verb: text(a, 2) };
  }
  return { kind: text(typeMeta, 2), spec: out };
}
