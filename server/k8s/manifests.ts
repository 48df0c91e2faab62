/**
 * A student's manifest as the game's request: a Deployment or a Service body (what `kubectl
 * apply -f` sends, or the object a patch produced) read into the game's units — millicores, MiB,
 * milliseconds — with Kubernetes' defaults, and every field the game cannot read named in one 422
 * (details.causes, one per field), as the real API server lists them. What the game checks
 * against the cluster itself (a selector that does not match the template's labels, requests no
 * node can fit) is the game API server's to answer.
 *
 * The rules a manifest follows here, beyond Kubernetes' own:
 * - one container per pod; its readinessProbe's initialDelaySeconds is its start-up time
 *   (DEFAULT_STARTUP_MS without one);
 * - requests default to DEFAULT_CPU_REQUEST / DEFAULT_MEMORY_REQUEST (as a namespace's LimitRange
 *   would set them), or to the limits when only those are given; the container uses the memory
 *   it requests;
 * - the annotation clustercrew.dev/capacity-rps on a Deployment sets what one ready pod serves
 *   (DEFAULT_POD_CAPACITY_RPS), clustercrew.dev/rps on a Service the traffic the outside world
 *   sends it (DEFAULT_SERVICE_RPS).
 */
import type { ApiRequest } from "../../shared/sim/api/requests.ts";
import { MAX_ANNOTATION_CHARS } from "../../shared/sim/api/requests.ts";
import { fail, invalidFields, type ApiFailure, type FieldCause } from "../../shared/sim/api/status.ts";
import {
  CAPACITY_ANNOTATION,
  DEFAULT_CPU_REQUEST,
  DEFAULT_MEMORY_REQUEST,
  DEFAULT_POD_CAPACITY_RPS,
  DEFAULT_SERVICE_RPS,
  DEFAULT_STARTUP_MS,
  NO_MEMORY_LIMIT,
  SERVICE_RPS_ANNOTATION,
} from "../../shared/sim/tuning.ts";
import { quoted } from "./validation.ts";
type Any = Record<string, any>;

/** A refusal, with the first field it is about. */
type WriteRefusal = ApiFailure & { field?: string };

/** Most replicas a manifest may ask for (the game's scale limit). */
const MAX_REPLICAS = 1000;
/** Longest start-up a readiness probe's initial delay may set, s. */
const MAX_STARTUP_SEC = 300;

const MEMORY_UNITS: Record<string, number> = { "": 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
const MIB = 2 ** 20;

/** A CPU quantity ("250m", "0.5", 2) in millicores, or undefined when it is not one. */
export function parseCpu(q: unknown): number | undefined {
  if (typeof q === "number") return q > 0 && Number.isFinite(q) ? Math.ceil(q * 1000) : undefined;
  const m = typeof q === "string" ? /^(\d+(?:\.\d+)?|\.\d+)(m?)$/.exec(q) : null;
  if (!m) return undefined;
  const milli = m[2] ? Number(m[1]) : Number(m[1]) * 1000;
  return milli > 0 ? Math.ceil(milli) : undefined;
}

/** A memory quantity ("128Mi", "1Gi", "256M", 134217728) in MiB (rounded up), or undefined. */
export function parseMemory(q: unknown): number | undefined {
  const text = typeof q === "number" ? String(q) : q;
  const m = typeof text === "string" ? /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|K|M|G|T)?$/.exec(text) : null;
  if (!m) return undefined;
  const bytes = Number(m[1]) * MEMORY_UNITS[m[2] ?? ""];
  return bytes > 0 && Number.isFinite(bytes) ? Math.ceil(bytes / MIB) : undefined;
}

const isMap = (x: unknown): x is Any => typeof x === "object" && x !== null && !Array.isArray(x);

/** A string map (labels, a selector), or the cause when it is not one. */
function stringMap(x: unknown, field: string, causes: FieldCause[]): Record<string, string> {
  if (x === undefined || x === null) return {};
  if (!isMap(x) || Object.values(x).some((v) => typeof v !== "string")) {
    causes.push({ field, message: `Invalid value: ${quoted(x)}: a map of strings to strings` });
    return {};
  }
  return { ...(x as Record<string, string>) };
}

/** A numeric annotation (a rate), its default when absent. */
function rateAnnotation(annotations: Record<string, string>, key: string, fallback: number, causes: FieldCause[]): number {
  const v = annotations[key];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n) || n < 0 || n > 10_000) {
    causes.push({ field: `metadata.annotations[${key}]`, message: `Invalid value: ${quoted(v)}: requests per second, a number from 0 to 10000` });
    return fallback;
  }
  return n;
}

/** The object's name: the URL's for an update, the body's for a create; or why there is none. */
function nameOf(body: Any, urlName: string | undefined): string | WriteRefusal {
  const own = body.metadata?.name;
  if (urlName !== undefined) {
    if (own !== undefined && own !== urlName)
      return fail("BadRequest", `the name of the object (${quoted(own)}) does not match the name on the URL (${quoted(urlName)})`);
    return urlName;
  }
  if (typeof own !== "string" || own === "")
    return { ...invalidFields([{ field: "metadata.name", message: "Required value: name or generateName is required" }]), field: "metadata.name" };
  return own;
}

function annotationsOf(body: Any, causes: FieldCause[]): Record<string, string> {
  const a = stringMap(body.metadata?.annotations, "metadata.annotations", causes);
  const size = Object.entries(a).reduce((n, [k, v]) => n + k.length + v.length, 0);
  if (size > MAX_ANNOTATION_CHARS)
    causes.push({ field: "metadata.annotations", message: `Too long: the game keeps at most ${MAX_ANNOTATION_CHARS} characters of annotations` });
  return a;
}

const refusal = (causes: FieldCause[]): WriteRefusal => ({ ...invalidFields(causes), field: causes[0].field });

/** The game request a Deployment body stands for: created (POST) or replaced (PUT, or a patch's result). */
export function deploymentRequest(body: Any, mode: "create" | "update", urlName?: string): ApiRequest | WriteRefusal {
  if (body.kind !== undefined && body.kind !== "Deployment") return fail("BadRequest", `the body is a ${quoted(body.kind)}, not a Deployment`);
  const name = nameOf(body, urlName);
  if (typeof name !== "string") return name;
  const causes: FieldCause[] = [];
  const annotations = annotationsOf(body, causes);
  const spec: Any = isMap(body.spec) ? body.spec : {};
  const replicas = spec.replicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 0 || replicas > MAX_REPLICAS) {
    causes.push({ field: "spec.replicas", message: `Invalid value: ${quoted(replicas)}: a whole number from 0 to ${MAX_REPLICAS}` });
  }
  const selector = stringMap(spec.selector?.matchLabels, "spec.selector.matchLabels", causes);
  if (Array.isArray(spec.selector?.matchExpressions) && spec.selector.matchExpressions.length > 0) {
    causes.push({ field: "spec.selector.matchExpressions", message: "Unsupported value: the game's selectors use matchLabels only" });
  }
  const template: Any = isMap(spec.template) ? spec.template : {};
  const templateLabels = stringMap(template.metadata?.labels, "spec.template.metadata.labels", causes);
  const containers = template.spec?.containers;
  const at = "spec.template.spec.containers[0]";
  if (!Array.isArray(containers) || containers.length === 0) {
    causes.push({ field: "spec.template.spec.containers", message: "Required value" });
    return refusal(causes);
  }
  if (containers.length > 1)
    causes.push({ field: "spec.template.spec.containers", message: `Too many: ${containers.length}: the game runs one container per pod` });
  const c: Any = isMap(containers[0]) ? containers[0] : {};
  if (typeof c.name !== "string" || c.name === "") causes.push({ field: `${at}.name`, message: "Required value" });
  if (typeof c.image !== "string" || c.image === "") causes.push({ field: `${at}.image`, message: "Required value" });
  const requests: Any = isMap(c.resources?.requests) ? c.resources.requests : {};
  const limits: Any = isMap(c.resources?.limits) ? c.resources.limits : {};
  const quantity = (q: unknown, parse: (q: unknown) => number | undefined, field: string): number | undefined => {
    if (q === undefined) return undefined;
    const v = parse(q);
    if (v === undefined)
      causes.push({ field: `${at}.resources.${field}`, message: `Invalid value: ${quoted(q)}: must be a positive quantity (e.g. 250m, 0.5, 128Mi, 1Gi)` });
    return v;
  };
  const memoryLimit = quantity(limits.memory, parseMemory, "limits[memory]");
  quantity(limits.cpu, parseCpu, "limits[cpu]");
  const cpu = quantity(requests.cpu, parseCpu, "requests[cpu]") ?? parseCpu(limits.cpu) ?? DEFAULT_CPU_REQUEST;
  const memory = quantity(requests.memory, parseMemory, "requests[memory]") ?? memoryLimit ?? DEFAULT_MEMORY_REQUEST;
  const delay = c.readinessProbe?.initialDelaySeconds;
  if (delay !== undefined && (!Number.isInteger(delay) || delay < 0 || delay > MAX_STARTUP_SEC)) {
    causes.push({ field: `${at}.readinessProbe.initialDelaySeconds`, message: `Invalid value: ${quoted(delay)}: whole seconds from 0 to ${MAX_STARTUP_SEC}` });
  }
  const startupMs = c.readinessProbe ? (Number.isInteger(delay) ? delay * 1000 : 0) : DEFAULT_STARTUP_MS;
  const capacityRps = rateAnnotation(annotations, CAPACITY_ANNOTATION, DEFAULT_POD_CAPACITY_RPS, causes);
  const labels = stringMap(body.metadata?.labels, "metadata.labels", causes);
  if (causes.length) return refusal(causes);
  const deployment = {
    name,
    replicas,
    ...(Object.keys(labels).length ? { labels } : {}),
    container: c.name,
    selector,
    templateLabels,
    image: c.image,
    requests: { cpu, memory },
    memoryLimit: memoryLimit ?? NO_MEMORY_LIMIT,
    startupMs: Math.min(startupMs, MAX_STARTUP_SEC * 1000),
    capacityRps: Math.max(0.1, capacityRps),
    ...(Object.keys(annotations).length ? { annotations } : {}),
  };
  return mode === "create" ? { type: "createDeployment", deployment } : { type: "updateDeployment", deployment };
}

/** The game request a Service body stands for. */
export function serviceRequest(body: Any, mode: "create" | "update", urlName?: string): ApiRequest | WriteRefusal {
  if (body.kind !== undefined && body.kind !== "Service") return fail("BadRequest", `the body is a ${quoted(body.kind)}, not a Service`);
  const name = nameOf(body, urlName);
  if (typeof name !== "string") return name;
  const causes: FieldCause[] = [];
  const annotations = annotationsOf(body, causes);
  const spec: Any = isMap(body.spec) ? body.spec : {};
  const selector = stringMap(spec.selector, "spec.selector", causes);
  const ports = spec.ports;
  let port = 0;
  if (!Array.isArray(ports) || ports.length === 0) causes.push({ field: "spec.ports", message: "Required value" });
  else {
    port = ports[0]?.port;
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      causes.push({ field: "spec.ports[0].port", message: `Invalid value: ${quoted(port)}: must be between 1 and 65535, inclusive` });
    }
  }
  const rps = rateAnnotation(annotations, SERVICE_RPS_ANNOTATION, DEFAULT_SERVICE_RPS, causes);
  if (causes.length) return refusal(causes);
  const service = { name, selector, port, rps, ...(Object.keys(annotations).length ? { annotations } : {}) };
  return mode === "create" ? { type: "createService", service } : { type: "updateService", service };
}
