/**
 * Label and field selectors, as list and watch requests carry them (?labelSelector=app=web,
 * ?fieldSelector=spec.nodeName=node-1,status.phase!=Failed). kubectl describe and delete rely on
 * field selectors; a field the resource does not index is a 400, as in Kubernetes.
 */

export type Requirement =
  | { key: string; op: "=" | "!="; value: string }
  | { key: string; op: "in" | "notin"; values: string[] }
  | { key: string; op: "exists" | "!exists" };

export type Selector = (values: (key: string) => string | undefined) => boolean;

export class SelectorError extends Error {}

/** Splits on commas that are not inside a set's parentheses. */
function terms(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")") depth--;
    else if (text[i] === "," && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((t) => t.trim()).filter(Boolean);
}

export function parseLabelSelector(text: string): Requirement[] {
  return terms(text).map((t): Requirement => {
    let m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(t);
    if (m)
      return {
        key: m[1],
        op: m[2] as "in" | "notin",
        values: m[3]
          .split(",")
          .map((v) => v.trim())
          .filter(Boolean),
      };
    m = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(t);
    if (m) return { key: m[1], op: m[2] === "!=" ? "!=" : "=", value: m[3] };
    m = /^(!?)([\w./-]+)$/.exec(t);
    if (m) return { key: m[2], op: m[1] ? "!exists" : "exists" };
    throw new SelectorError(`unable to parse requirement: "${t}"`);
  });
}

export function parseFieldSelector(text: string, known: readonly string[], resource: string): Requirement[] {
  return terms(text).map((t): Requirement => {
    const m = /^([\w.]+)\s*(==|=|!=)\s*(.*)$/.exec(t);
    if (!m) throw new SelectorError(`invalid selector: '${text}'; can't understand '${t}'`);
    if (!known.includes(m[1])) throw new SelectorError(`"${m[1]}" is not a known field selector: only "${known.join('", "')}" for ${resource}`);
    return { key: m[1], op: m[2] === "!=" ? "!=" : "=", value: m[3] };
  });
}

export function matches(reqs: readonly Requirement[], value: (key: string) => string | undefined): boolean {
  return reqs.every((r) => {
    const v = value(r.key);
    switch (r.op) {
      case "=":
        return v === r.value;
      case "!=":
        return v !== r.value;
      case "in":
        return v !== undefined && r.values.includes(v);
      case "notin":
        return v === undefined || !r.values.includes(v);
      case "exists":
        return v !== undefined;
      case "!exists":
        return v === undefined;
      default:
        return false;
    }
  });
}
