/**
 * The metrics API (metrics.k8s.io/v1beta1) that `kubectl top nodes` and `kubectl top pods` read:
 * NodeMetrics and PodMetrics, list (by label and field selector: kubectl top -l) and get. In
 * Kubernetes metrics-server serves it from what it gathers from the kubelets, and nothing of it
 * is in etcd; here the room answers from its simulation (usage.ts) on every request.
 */
import type { Request, Response } from "express";
import { fail } from "../../shared/sim/api/status.ts";
import { cpuQuantity, memoryQuantity, type GameClock } from "./convert.ts";
import { sendStatus, type Any, type Log } from "./http.ts";
import { matches, parseFieldSelector, parseLabelSelector, SelectorError, type Requirement } from "./selectors.ts";
import type { PodUsage, Usage, UsageReport } from "./usage.ts";

export const METRICS_GROUP = "metrics.k8s.io";
export const METRICS_VERSION = "v1beta1";
const API_VERSION = `${METRICS_GROUP}/${METRICS_VERSION}`;

/** The metrics resources, for discovery (read-only: get and list). */
export const METRICS_RESOURCES = [
  { group: METRICS_GROUP, version: METRICS_VERSION, name: "nodes", singularName: "", kind: "NodeMetrics", namespaced: false, verbs: ["get", "list"] },
  { group: METRICS_GROUP, version: METRICS_VERSION, name: "pods", singularName: "", kind: "PodMetrics", namespaced: true, verbs: ["get", "list"] },
];

/** The fields metrics-server selects by. */
const METRICS_FIELDS = { nodes: ["metadata.name"], pods: ["metadata.name", "metadata.namespace"] } as const;

export interface MetricsTarget {
  resource: "nodes" | "pods";
  namespace?: string;
  name?: string;
}

/** apis/metrics.k8s.io/v1beta1/nodes[/<name>], …/pods, …/namespaces/<ns>/pods[/<name>]; undefined otherwise. */
export function parseMetricsTarget(parts: string[]): MetricsTarget | undefined {
  if (parts[0] !== "apis" || parts[1] !== METRICS_GROUP || parts[2] !== METRICS_VERSION) return undefined;
  let rest = parts.slice(3);
  let namespace: string | undefined;
  if (rest[0] === "namespaces" && rest.length >= 3) [namespace, rest] = [rest[1], rest.slice(2)];
  if (rest[0] !== "nodes" && rest[0] !== "pods") return undefined;
  if (rest.length > 2 || (rest[0] === "nodes" && namespace !== undefined)) return undefined;
  return { resource: rest[0], namespace, name: rest[1] };
}

const usageOf = (u: Usage) => ({ cpu: cpuQuantity(u.cpu), memory: memoryQuantity(u.memory) });

function nodeMetrics(n: Usage, r: UsageReport, clock: GameClock): Any {
  const at = clock.iso(r.at);
  return {
    kind: "NodeMetrics",
    apiVersion: API_VERSION,
    metadata: { name: n.name, creationTimestamp: at, labels: n.labels },
    timestamp: at,
    window: `${r.windowMs / 1000}s`,
    usage: usageOf(n),
  };
}

function podMetrics(p: PodUsage, r: UsageReport, clock: GameClock): Any {
  const at = clock.iso(r.at);
  return {
    kind: "PodMetrics",
    apiVersion: API_VERSION,
    metadata: { name: p.name, namespace: p.namespace, creationTimestamp: at, labels: p.labels },
    timestamp: at,
    window: `${r.windowMs / 1000}s`,
    containers: [{ name: p.container, usage: usageOf(p) }],
  };
}

/** Answers a metrics request from the room's report (undefined: the token is not this game's). */
export async function serveMetrics(
  report: () => Promise<UsageReport | undefined>,
  t: MetricsTarget,
  clock: GameClock,
  req: Request,
  res: Response,
  log: Log,
): Promise<void> {
  if (req.method !== "GET") return sendStatus(res, fail("MethodNotAllowed", `the metrics API is read-only: ${req.method} is not allowed`));
  if (req.query.watch) return sendStatus(res, fail("MethodNotAllowed", "the metrics API cannot be watched: ask again (kubectl top) instead"));
  // kubectl top -l app=web, --field-selector metadata.name=…: as metrics-server, by the node's or pod's labels and name.
  let labels: Requirement[];
  let fields: Requirement[];
  try {
    labels = parseLabelSelector(String(req.query.labelSelector ?? ""));
    fields = parseFieldSelector(String(req.query.fieldSelector ?? ""), METRICS_FIELDS[t.resource], `${t.resource}.${METRICS_GROUP}`);
  } catch (err) {
    if (!(err instanceof SelectorError)) throw err;
    log(400, err.message);
    return sendStatus(res, fail("BadRequest", err.message));
  }
  const selected = (u: Usage & { namespace?: string }) =>
    matches(labels, (k) => u.labels[k]) && matches(fields, (k) => (k === "metadata.name" ? u.name : u.namespace));
  const r = await report();
  if (!r) return sendStatus(res, fail("Unauthorized", "this token is not valid in this game"));
  const kind = t.resource === "nodes" ? "NodeMetrics" : "PodMetrics";
  const items =
    t.resource === "nodes"
      ? r.nodes.filter((n) => (!t.name || n.name === t.name) && selected(n)).map((n) => nodeMetrics(n, r, clock))
      : r.pods
          .filter((p) => (t.namespace === undefined || p.namespace === t.namespace) && (!t.name || p.name === t.name) && selected(p))
          .map((p) => podMetrics(p, r, clock));
  if (t.name) {
    if (items.length === 0) {
      // What metrics-server answers for a node or pod it has no figures for (not running, kubelet down).
      const what = t.resource === "nodes" ? "nodemetrics" : "podmetrics";
      log(404, `no metrics for ${t.name}`);
      return sendStatus(res, fail("NotFound", `${what}.${METRICS_GROUP} "${t.name}" not found`), { name: t.name, group: METRICS_GROUP, kind: t.resource });
    }
    log(200, `usage of ${t.name}`);
    return void res.json(items[0]);
  }
  log(200, `usage of ${items.length} ${t.resource}`);
  res.json({ kind: `${kind}List`, apiVersion: API_VERSION, metadata: {}, items });
}
