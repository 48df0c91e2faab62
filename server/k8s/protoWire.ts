/**
 * Protobuf's wire format, read: a message as its fields in order (number, wire type, value),
 * varints as numbers (64-bit two's complement read as negative, as int32 and int64 fields are),
 * length-delimited fields as bytes, fixed-width ones skipped over as their bytes.
 */

export interface WireField {
  n: number;
  wire: number;
  /** A varint's value, or the bytes of a length-delimited (or fixed-width) field. */
  value: number | Buffer;
}

const TWO_64 = 2n ** 64n;
const TWO_63 = 2n ** 63n;

/** The fields of one message, in order; throws on truncated or malformed input. */
export function wireFields(buf: Buffer): WireField[] {
  const out: WireField[] = [];
  let i = 0;
  const varint = (): bigint => {
    let v = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (i >= buf.length) throw new Error("truncated varint");
      const b = buf[i++];
      v |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return v;
    }
    throw new Error("varint too long");
  };
  const take = (len: number) => {
    if (i + len > buf.length) throw new Error("truncated field");
    const bytes = buf.subarray(i, i + len);
    i += len;
    return bytes;
  };
  while (i < buf.length) {
    const key = Number(varint());
    const n = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) {
      const v = varint() % TWO_64;
      out.push({ n, wire, value: Number(v >= TWO_63 ? v - TWO_64 : v) });
    } else if (wire === 2) out.push({ n, wire, value: take(Number(varint())) });
    else if (wire === 1) out.push({ n, wire, value: take(8) });
    else if (wire === 5) out.push({ n, wire, value: take(4) });
    else throw new Error(`wire type ${wire} is not supported`);
  }
  return out;
}
