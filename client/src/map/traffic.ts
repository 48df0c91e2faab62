/**
 * Parses the `traffic` sample of a map update: ';'-separated items, each one of
 *   `entry>pod`       a request sent from worker node `entry` to pod `pod`
 *   `pod!s`           served at that pod
 *   `pod!t`           timed out at that pod
 *   `entry!d:cause`   dropped at node `entry` ("lb" = the load balancer)
 * Malformed items are skipped; whether the names exist is the caller's business.
 */

export const TrafficKind = { Send: 0, Served: 1, TimedOut: 2, Dropped: 3 } as const;
export type TrafficKind = (typeof TrafficKind)[keyof typeof TrafficKind];

export interface TrafficItem {
  kind: TrafficKind;
  /** Send: entry node; Served/TimedOut: pod; Dropped: entry node or "lb". */
  a: string;
  /** Send: pod; Dropped: cause; otherwise "". */
  b: string;
}

/** Appends the parsed items to `out` (cleared first) and returns it. */
export function parseTraffic(traffic: unknown, out: TrafficItem[] = []): TrafficItem[] {
  out.length = 0;
  if (typeof traffic !== "string" || traffic.length === 0) return out;
  for (const raw of traffic.split(";")) {
    const item = raw.trim();
    if (!item) continue;
    const gt = item.indexOf(">");
    if (gt >= 0) {
      const a = item.slice(0, gt).trim();
      const b = item.slice(gt + 1).trim();
      if (a && b && !b.includes(">") && !b.includes("!")) out.push({ kind: TrafficKind.Send, a, b });
      continue;
    }
    const bang = item.lastIndexOf("!");
    if (bang <= 0) continue;
    const name = item.slice(0, bang).trim();
    const rest = item.slice(bang + 1).trim();
    if (!name) continue;
    if (rest === "s") out.push({ kind: TrafficKind.Served, a: name, b: "" });
    else if (rest === "t") out.push({ kind: TrafficKind.TimedOut, a: name, b: "" });
    else if (rest === "d" || rest.startsWith("d:")) out.push({ kind: TrafficKind.Dropped, a: name, b: rest.slice(2) });
  }
  return out;
}
