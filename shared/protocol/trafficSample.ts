/**
 * The traffic sample (`state.traffic`): the requests the room sampled since its last patch, as
 * one compact string — the room encodes it (server/room/projection.ts), the client's map decodes
 * it (client/src/map/trafficLayer.ts). Items are separated by ";", each one of
 *   `entry>pod`       a request sent from worker node `entry` to pod `pod`
 *   `pod!s`           served at that pod
 *   `pod!t`           timed out at that pod
 *   `entry!d:cause`   dropped at node `entry` ("lb" = the load balancer)
 * Decoding skips malformed items (a name the encoder could not have written); whether the names
 * exist is the caller's business.
 */

export const TrafficKind = { Send: 0, Served: 1, TimedOut: 2, Dropped: 3 } as const;
export type TrafficKind = (typeof TrafficKind)[keyof typeof TrafficKind];

export interface TrafficItem {
  kind: TrafficKind;
  /** Send: entry node; Served/TimedOut: pod; Dropped: entry node or "lb". */
  a: string;
  /** Send: pod; Dropped: cause (may be ""); otherwise "". */
  b: string;
}

/** The entry named for a request dropped before it reached any node. */
export const LOAD_BALANCER = "lb";

const SEPARATOR = ";";

/** A name or cause the sample can carry: none of the separators, no surrounding space (decoding trims). */
const ENCODABLE = /^[^;>!\s]+$/;

/**
 * One item of the sample; "" (skipped when decoded) for an item whose names the sample cannot
 * carry — Kubernetes names and drop causes never contain ";", ">", "!" or spaces.
 */
export function encodeTrafficItem(item: TrafficItem): string {
  if (!ENCODABLE.test(item.a)) return "";
  switch (item.kind) {
    case TrafficKind.Send:
      return ENCODABLE.test(item.b) ? `${item.a}>${item.b}` : "";
    case TrafficKind.Served:
      return `${item.a}!s`;
    case TrafficKind.TimedOut:
      return `${item.a}!t`;
    case TrafficKind.Dropped:
      return item.b === "" || ENCODABLE.test(item.b) ? `${item.a}!d:${item.b}` : "";
  }
}

/** Joins items already encoded by encodeTrafficItem into a sample. */
export function joinTrafficItems(encoded: readonly string[]): string {
  return encoded.join(SEPARATOR);
}

/** The whole sample for these items. */
export function encodeTraffic(items: readonly TrafficItem[]): string {
  return joinTrafficItems(items.map(encodeTrafficItem));
}

/** Appends the decoded items to `out` (cleared first, so a caller may reuse one array per frame) and returns it. */
export function decodeTraffic(traffic: unknown, out: TrafficItem[] = []): TrafficItem[] {
  out.length = 0;
  if (typeof traffic !== "string" || traffic.length === 0) return out;
  for (const raw of traffic.split(SEPARATOR)) {
    const item = decodeItem(raw.trim());
    if (item) out.push(item);
  }
  return out;
}

/** One item, or undefined when it is malformed (any name the encoder could not have written). */
function decodeItem(item: string): TrafficItem | undefined {
  const gt = item.indexOf(">");
  if (gt >= 0) {
    const a = item.slice(0, gt).trim();
    const b = item.slice(gt + 1).trim();
    return ENCODABLE.test(a) && ENCODABLE.test(b) ? { kind: TrafficKind.Send, a, b } : undefined;
  }
  const bang = item.lastIndexOf("!");
  const a = item.slice(0, Math.max(0, bang)).trim();
  if (!ENCODABLE.test(a)) return undefined;
  const rest = item.slice(bang + 1).trim();
  if (rest === "s") return { kind: TrafficKind.Served, a, b: "" };
  if (rest === "t") return { kind: TrafficKind.TimedOut, a, b: "" };
  const b = rest === "d" ? "" : rest.startsWith("d:") ? rest.slice(2) : undefined;
  return b === "" || (b !== undefined && ENCODABLE.test(b)) ? { kind: TrafficKind.Dropped, a, b } : undefined;
}
