/**
 * Every room's Kubernetes API, under /k8s/<PIN>: discovery, get, list and watch of the room's
 * objects, and the writes kubectl makes (run and delete pods, scale, cordon). Reads come from the
 * store — the game's etcd — so `kubectl get pods --watch` is the store's watch, resumable from a
 * resourceVersion, and any server process sharing the store can serve them. Writes go to the
 * room (wherever it runs) as the game's own API requests, so they meet the same authorisation,
 * validation and API log as the players' clicks.
 */
import express, { type Request, type Response } from "express";
import type { ApiRequest } from "../../shared/sim/api/requests.ts";
import { fail, type ApiFailure, type ApiResult } from "../../shared/sim/api/status.ts";
import type { ClusterObject, DeploymentObject } from "../../shared/sim/objects/types.ts";
import { keyOf, kindPrefix } from "../../shared/sim/objects/keys.ts";
import type { ApiAuth } from "../room/ClusterRoom.ts";
import { StoreCompacted, StoreRoomDropped, type ClusterStore, type StoredObject, type Watch } from "../store/ClusterStore.ts";
import { GameClock, scaleOf, toKube, type KubeObject } from "./convert.ts";
import { coreVersions, group, groupList, resourceList, versionInfo } from "./discovery.ts";
import { namespaceObject, NAMESPACES, resourceAt, type ResourceDef } from "./resources.ts";
import { matches, parseFieldSelector, parseLabelSelector, SelectorError, type Requirement } from "./selectors.ts";
import { FIELD_OF, requestFor } from "./writes.ts";
import { accessReview } from "./access.ts";
import { RateLimiter } from "../game/RateLimiter.ts";

/** What the API needs from the game server: the store, and the rooms by PIN wherever they run. */
export interface KubeApiDeps {
  store: ClusterStore;
  /** The room id of a running game, by PIN. */
  roomOf(pin: string): Promise<string | undefined>;
  auth(roomId: string, token: string): Promise<ApiAuth | undefined>;
  write(roomId: string, token: string, request: ApiRequest): Promise<{ result: ApiResult; revision: number }>;
  log(roomId: string, token: string, verb: string, path: string, code: number, message: string): void;
}

/** Watches one token may hold open at once (kubectl get -w holds one). */
export const MAX_WATCHES_PER_TOKEN = 10;
/** Limiters of tokens not seen for this long are forgotten. */
const LIMITER_IDLE_MS = 10 * 60_000;

/**
 * Each token's share of the API: the game's own per-player request limits (a burst, then a
 * sustained rate; client-go waits and retries a 429 that carries Retry-After), and a cap on
 * open watches.
 */
class TokenLimits {
  private readonly limiters = new Map<string, { limiter: RateLimiter; seen: number; watches: number }>();

  private entry(token: string, now: number) {
    let e = this.limiters.get(token);
    if (!e) {
      if (this.limiters.size > 1000) this.forgetIdle(now);
      this.limiters.set(token, (e = { limiter: new RateLimiter(now), seen: now, watches: 0 }));
    }
    e.seen = now;
    return e;
  }

  private forgetIdle(now: number): void {
    for (const [t, e] of this.limiters) if (e.watches === 0 && now - e.seen > LIMITER_IDLE_MS) this.limiters.delete(t);
  }

  /** Counts one request; false when the token is over its rate. */
  allow(token: string, now = Date.now()): boolean {
    return this.entry(token, now).limiter.check(now) === "ok";
  }

  /** Opens a watch for the token, or returns undefined when it holds too many; call the result to close it. */
  openWatch(token: string): (() => void) | undefined {
    const e = this.entry(token, Date.now());
    if (e.watches >= MAX_WATCHES_PER_TOKEN) return undefined;
    e.watches++;
    let open = true;
    return () => {
      if (open) e.watches--;
      open = false;
    };
  }
}

/** Longest a watch stays open when the client does not say (Kubernetes picks 30–60 minutes). */
const MAX_WATCH_SECONDS = 30 * 60;
/** Largest request body accepted (a pod manifest is a few hundred bytes). */
const BODY_LIMIT = "64kb";

type Any = Record<string, any>;

/** A Kubernetes Status object: how every error (and some successes) is answered. */
export function statusOf(code: number, reason: string, message: string, details?: Any): Any {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: code < 400 ? "Success" : "Failure",
    message,
    ...(code < 400 ? {} : { reason }),
    ...(details ? { details } : {}),
    code,
  };
}

function sendStatus(res: Response, f: { code: number; reason: string; message: string }, details?: Any): void {
  res.status(f.code).json(statusOf(f.code, f.reason, f.message, details));
}

/** The parts of a resource URL: /api/v1/namespaces/default/pods/web-1/status and the like. */
interface Target {
  def: ResourceDef;
  namespace?: string;
  name?: string;
  subresource?: string;
}

function parseTarget(parts: string[]): Target | undefined {
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === "api" && parts[1] === "v1") [group, version, rest] = ["", "v1", parts.slice(2)];
  else if (parts[0] === "apis" && parts.length >= 4) [group, version, rest] = [parts[1], parts[2], parts.slice(3)];
  else return undefined;
  let namespace: string | undefined;
  // namespaces/<ns>/<resource>… is namespaced; namespaces and namespaces/<ns> are the namespaces themselves.
  if (rest[0] === "namespaces" && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const def = resourceAt(group, version, rest[0]);
  if (!def || rest.length > 3) return undefined;
  if (namespace !== undefined && !def.namespaced) return undefined;
  return { def, namespace, name: rest[1], subresource: rest[2] };
}

/** Whether the client asked for a server-printed Table (kubectl get does), and which version. */
function tableVersion(req: Request): "v1" | "v1beta1" | undefined {
  for (const part of String(req.headers.accept ?? "").split(",")) {
    const p = part.replace(/\s/g, "");
    if (!p.includes("as=Table") || !p.includes("g=meta.k8s.io")) continue;
    if (p.includes("v=v1beta1")) return "v1beta1";
    if (p.includes("v=v1")) return "v1";
  }
  return undefined;
}

function bearer(req: Request): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ""));
  return m?.[1];
}

interface Selectors {
  labels: Requirement[];
  fields: Requirement[];
}

function selectorsOf(req: Request, def: ResourceDef): Selectors {
  const known = ["metadata.name", "metadata.namespace", ...Object.keys(def.fields(sampleOf(def)))];
  return {
    labels: parseLabelSelector(String(req.query.labelSelector ?? "")),
    fields: parseFieldSelector(String(req.query.fieldSelector ?? ""), known, def.name),
  };
}

/** A blank object of a resource, to learn which fields its selector knows. */
function sampleOf(def: ResourceDef): KubeObject {
  return { kind: def.kind, apiVersion: "v1", metadata: { name: "" }, spec: { containers: [] }, status: { conditions: [], addresses: [], nodeInfo: {} }, involvedObject: {}, source: {} };
}

function selected(o: KubeObject, def: ResourceDef, s: Selectors): boolean {
  const labels = (o.metadata.labels ?? {}) as Record<string, string>;
  if (!matches(s.labels, (k) => labels[k])) return false;
  const fields = def.fields(o);
  return matches(s.fields, (k) => (k === "metadata.name" ? o.metadata.name : k === "metadata.namespace" ? (o.metadata.namespace ?? "") : fields[k]));
}

/** The store prefix of a resource, in one namespace or all. */
function prefixOf(t: Target): string {
  const base = kindPrefix(t.def.stored!);
  return t.namespace !== undefined ? `${base}${t.namespace}/` : base;
}

function table(def: ResourceDef, version: string, objects: KubeObject[], resourceVersion: string, includeObject: string, withColumns = true): Any {
  const now = Date.now();
  return {
    kind: "Table",
    apiVersion: `meta.k8s.io/${version}`,
    metadata: { resourceVersion },
    columnDefinitions: withColumns ? def.columns : [],
    rows: objects.map((o) => ({
      cells: def.cells(o, now),
      ...(includeObject === "None"
        ? {}
        : { object: includeObject === "Object" ? o : { kind: "PartialObjectMetadata", apiVersion: `meta.k8s.io/${version}`, metadata: o.metadata } }),
    })),
  };
}

export function kubeApi(deps: KubeApiDeps): express.Router {
  const router = express.Router({ mergeParams: true });
  const limits = new TokenLimits();
  router.use(express.json({ limit: BODY_LIMIT, type: (req) => /json/.test(String(req.headers["content-type"] ?? "")) }));
  router.use("/:pin", (req, res) => {
    void serve(deps, limits, req, res).catch((err: Error) => {
      if (!res.headersSent) sendStatus(res, fail("InternalError", `the game's API could not answer: ${err.message}`));
      else res.end();
    });
  });
  // Malformed JSON bodies and oversized ones end here, answered as Kubernetes would.
  router.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: unknown) => {
    const code = err.status === 413 ? 413 : 400;
    sendStatus(res, { code, reason: code === 413 ? "RequestEntityTooLarge" : "BadRequest", message: code === 413 ? `the request body is larger than ${BODY_LIMIT}` : `the request body is not valid JSON: ${err.message}` });
  });
  return router;
}

async function serve(deps: KubeApiDeps, limits: TokenLimits, req: Request, res: Response): Promise<void> {
  const pin = String(req.params.pin);
  let parts: string[];
  try {
    parts = req.path.split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    return sendStatus(res, fail("BadRequest", `the path ${req.path} is not valid URL encoding`));
  }
  const roomId = /^\d{6}$/.test(pin) ? await deps.roomOf(pin) : undefined;
  if (!roomId) return sendStatus(res, fail("NotFound", `no game with PIN ${pin} is running: check the PIN on the host's screen`));
  const path = `/${parts.join("/")}`;

  // Discovery is public, as in Kubernetes (system:discovery): kubectl reads it before anything else.
  if (req.method === "GET") {
    const doc = discovery(parts, `${req.headers.host ?? "localhost"}`);
    if (doc) return void res.json(doc);
  }
  const target = parts.join("/") === "apis/authorization.k8s.io/v1/selfsubjectaccessreviews" ? { def: ACCESS_REVIEW } : parseTarget(parts);
  if (!target) {
    if (parts[0] === "openapi" || parts[0] === "swagger.json") return sendStatus(res, fail("NotFound", "this game's API publishes no OpenAPI schema: use kubectl with --validate=false for kubectl create/apply"));
    return sendStatus(res, fail("NotFound", `the server could not find the requested resource (${req.method} ${path}): kubectl api-resources lists what this game serves`));
  }

  const token = bearer(req);
  if (!token) return sendStatus(res, fail("Unauthorized", "no bearer token: use the kubeconfig from the game's kubectl box (kubectl --kubeconfig …), or pass --token"));
  if (!limits.allow(token)) {
    res.setHeader("Retry-After", "1");
    return sendStatus(res, fail("TooManyRequests", "slow down: at most 10 requests a second through the API"));
  }
  const auth = await deps.auth(roomId, token);
  if (!auth) return sendStatus(res, fail("Unauthorized", "this token is not valid in this game: download a fresh kubeconfig from the game's kubectl box"));
  const clock = new GameClock(auth.gameNow, auth.wallNow);
  const log = (code: number, message: string) => deps.log(roomId, token, req.method === "GET" && req.query.watch ? "WATCH" : req.method, path, code, message);

  const { def, namespace } = target;
  if (def === ACCESS_REVIEW) return review(auth, req, res, log);
  if (namespace !== undefined && !NAMESPACES.includes(namespace)) {
    log(404, `namespace ${namespace} not found`);
    return sendStatus(res, fail("NotFound", `namespaces "${namespace}" not found`), { name: namespace, kind: "namespaces" });
  }
  if (req.method === "GET") return read(deps, limits, token, auth, target, clock, req, res, log);
  if (["POST", "PUT", "PATCH", "DELETE"].includes(req.method)) return write(deps, roomId, token, auth, target, clock, req, res, log);
  return sendStatus(res, fail("MethodNotAllowed", `${req.method} is not a Kubernetes API verb`));
}

/** kubectl auth can-i posts here: not a stored resource, an answer computed for the caller. */
const ACCESS_REVIEW = { name: "selfsubjectaccessreviews" } as ResourceDef;

function review(auth: ApiAuth, req: Request, res: Response, log: Log): void {
  if (req.method !== "POST") return sendStatus(res, fail("MethodNotAllowed", "a SelfSubjectAccessReview is only ever created (POST): kubectl auth can-i <verb> <resource>"));
  const spec = ((req.body ?? {}) as Any).spec ?? {};
  const attrs = spec.resourceAttributes;
  if (!attrs || typeof attrs !== "object") return sendStatus(res, { ...fail("Invalid", "spec.resourceAttributes names the verb and resource to ask about"), code: 422 });
  const status = accessReview(auth.caller, attrs);
  log(201, `can ${auth.caller.name} ${String(attrs.verb)} ${String(attrs.resource)}? ${status.allowed ? "yes" : "no"}`);
  res.status(201).json({ kind: "SelfSubjectAccessReview", apiVersion: "authorization.k8s.io/v1", metadata: { creationTimestamp: null }, spec, status });
}

function discovery(parts: string[], host: string): Any | undefined {
  const p = parts.join("/");
  if (p === "") return { paths: ["/api", "/api/v1", "/apis", ...(groupList().groups as Any[]).map((g) => `/apis/${g.preferredVersion.groupVersion}`), "/version"] };
  if (p === "version") return versionInfo();
  if (p === "api") return coreVersions(host);
  if (p === "api/v1") return resourceList("", "v1");
  if (p === "apis") return groupList();
  if (parts[0] === "apis" && parts.length === 2) return group(parts[1]);
  if (parts[0] === "apis" && parts.length === 3) return resourceList(parts[1], parts[2]);
  return undefined;
}

type Log = (code: number, message: string) => void;

function notFoundOf(t: Target, name: string): ApiFailure {
  return fail("NotFound", `${t.def.name}${t.def.group ? `.${t.def.group}` : ""} "${name}" not found`);
}

async function read(deps: KubeApiDeps, limits: TokenLimits, token: string, auth: ApiAuth, t: Target, clock: GameClock, req: Request, res: Response, log: Log): Promise<void> {
  const { def } = t;
  const asTable = tableVersion(req);
  const includeObject = String(req.query.includeObject ?? "Metadata");
  let sel: Selectors;
  try {
    sel = selectorsOf(req, def);
  } catch (err) {
    if (!(err instanceof SelectorError)) throw err;
    log(400, err.message);
    return sendStatus(res, fail("BadRequest", err.message));
  }

  // Namespaces are the game's fixed four, never stored.
  if (!def.stored) {
    const created = clock.iso(0);
    const all = NAMESPACES.map((n) => namespaceObject(n, created));
    if (t.name) {
      const ns = all.find((n) => n.metadata.name === t.name);
      if (!ns) return sendStatus(res, notFoundOf(t, t.name), { name: t.name, kind: def.name });
      return void res.json(asTable ? table(def, asTable, [ns], "1", includeObject) : ns);
    }
    const items = all.filter((o) => selected(o, def, sel));
    return void res.json(asTable ? table(def, asTable, items, "1", includeObject) : { kind: "NamespaceList", apiVersion: "v1", metadata: { resourceVersion: "1" }, items });
  }

  if (t.name) {
    const stored = await deps.store.get(auth.store, keyOf(def.stored, t.name, t.namespace));
    if (!stored) {
      log(404, `${def.singularName} ${t.name} not found`);
      return sendStatus(res, notFoundOf(t, t.name), { name: t.name, kind: def.name, ...(def.group ? { group: def.group } : {}) });
    }
    const obj = stored.value as ClusterObject;
    if (t.subresource === "scale" && def.name === "deployments") return void res.json(scaleOf(obj as DeploymentObject, clock));
    if (t.subresource === "log") {
      return sendStatus(res, fail("NotFound", `the game's containers write no logs: kubectl describe pod ${t.name} shows what happened to this pod, kubectl get events what happened in the cluster`));
    }
    if (t.subresource && t.subresource !== "status") return sendStatus(res, fail("NotFound", `${def.name} have no subresource ${t.subresource} in this game`));
    const kube = toKube(obj, clock);
    log(200, `read ${def.singularName} ${t.name}`);
    return void res.json(asTable ? table(def, asTable, [kube], String(stored.modRevision), includeObject) : kube);
  }

  if (req.query.watch === "true" || req.query.watch === "1") {
    const close = limits.openWatch(token);
    if (!close) {
      log(429, "too many watches");
      return sendStatus(res, fail("TooManyRequests", `at most ${MAX_WATCHES_PER_TOKEN} watches at once per player: stop one first`));
    }
    res.on("close", close);
    return watch(deps, auth, t, clock, req, res, sel, asTable, includeObject, log).catch((err) => {
      close();
      throw err;
    });
  }
  const { items, revision } = await deps.store.list(auth.store, prefixOf(t));
  const objects = items.map((i: StoredObject) => toKube(i.value as ClusterObject, clock)).filter((o) => selected(o, def, sel));
  log(200, `listed ${objects.length} ${def.name}`);
  if (asTable) return void res.json(table(def, asTable, objects, String(revision), includeObject));
  res.json({ kind: `${def.kind}List`, apiVersion: def.group ? `${def.group}/${def.version}` : def.version, metadata: { resourceVersion: String(revision) }, items: objects });
}

/**
 * A watch: newline-separated events (ADDED, MODIFIED, DELETED) streamed from the store's watch,
 * from the resourceVersion asked for (or, without one, the current objects first). History the
 * store has compacted away is 410 Expired, which tells kubectl to list again.
 */
async function watch(
  deps: KubeApiDeps, auth: ApiAuth, t: Target, clock: GameClock, req: Request, res: Response,
  sel: Selectors, asTable: string | undefined, includeObject: string, log: Log,
): Promise<void> {
  const { def } = t;
  const prefix = prefixOf(t);
  const asked = String(req.query.resourceVersion ?? "");
  let from = Number(asked);
  const initial: KubeObject[] = [];
  if (asked === "" || asked === "0" || !Number.isInteger(from) || from < 0) {
    const { items, revision } = await deps.store.list(auth.store, prefix);
    for (const i of items) initial.push(toKube(i.value as ClusterObject, clock));
    from = revision;
  }
  res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache, private", "Transfer-Encoding": "chunked" });
  res.flushHeaders();
  let first = true;
  const send = (type: string, o: KubeObject | Any) => {
    const object = asTable && type !== "ERROR" ? table(def, asTable, [o as KubeObject], String((o as KubeObject).metadata?.resourceVersion ?? ""), includeObject, first) : o;
    first = false;
    res.write(`${JSON.stringify({ type, object })}\n`);
  };
  for (const o of initial) if (selected(o, def, sel)) send("ADDED", o);
  log(200, `watching ${def.name} from revision ${from}`);

  let w: Watch | undefined;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    w?.close();
    res.end();
  };
  const seconds = Math.min(Number(req.query.timeoutSeconds) || MAX_WATCH_SECONDS, MAX_WATCH_SECONDS);
  const timer = setTimeout(end, seconds * 1000);
  req.on("close", end);
  try {
    w = await deps.store.watch(auth.store, prefix, from, {
      onEvent: (e) => {
        if (ended || e.value === null || e.value === undefined) return;
        const o = toKube(e.value as ClusterObject, clock);
        if (!selected(o, def, sel)) return;
        if (e.type === "delete") o.metadata.resourceVersion = String(e.revision);
        send(e.type === "delete" ? "DELETED" : e.created ? "ADDED" : "MODIFIED", o);
      },
      onError: (err) => {
        if (ended) return;
        send(
          "ERROR",
          err instanceof StoreRoomDropped
            ? statusOf(410, "Gone", "the game this watch followed is over, or the host started a new scenario: run the command again")
            : statusOf(500, "InternalError", `the watch ended: ${err.message}`),
        );
        end();
      },
    });
    if (ended) w.close();
  } catch (err) {
    if (err instanceof StoreCompacted) send("ERROR", statusOf(410, "Expired", `too old resource version: ${from} (${err.compactedRevision})`));
    else send("ERROR", statusOf(500, "InternalError", `cannot watch: ${(err as Error).message}`));
    end();
  }
}

async function write(
  deps: KubeApiDeps, roomId: string, token: string, auth: ApiAuth, t: Target, clock: GameClock, req: Request, res: Response, log: Log,
): Promise<void> {
  const { def } = t;
  if (req.query.dryRun !== undefined) {
    log(400, "dry runs are not supported");
    return sendStatus(res, fail("BadRequest", "this game's API does not do server-side dry runs: leave out --dry-run=server"));
  }
  const request = requestFor({
    verb: req.method as "POST" | "PUT" | "PATCH" | "DELETE",
    resource: def.name,
    namespace: t.namespace,
    name: t.name,
    subresource: t.subresource,
    body: req.body,
    contentType: String(req.headers["content-type"] ?? ""),
  });
  const name = t.name ?? String((req.body as Any | undefined)?.metadata?.name ?? "");
  // kubectl prints an Invalid answer as: The Pod "x" is invalid: <field>: <message>.
  const refuse = (f: ApiFailure, field?: string) =>
    sendStatus(
      res,
      f,
      f.reason === "Invalid"
        ? { name, kind: def.kind, ...(def.group ? { group: def.group } : {}), causes: [{ reason: "FieldValueInvalid", message: f.message, field: field ?? "" }] }
        : { name, kind: def.name },
    );
  if ("ok" in request) {
    log(request.code, request.message);
    return refuse(request, request.field);
  }
  const key = (name: string) => keyOf(def.stored!, name, t.namespace);
  const before = t.name ? await deps.store.get(auth.store, key(t.name)) : undefined;
  const { result } = await deps.write(roomId, token, request);
  if (!result.ok) return refuse(result, FIELD_OF[request.type]);

  const after = async (name: string) => (await deps.store.get(auth.store, key(name)))?.value as ClusterObject | undefined;
  switch (request.type) {
    case "createPod": {
      const pod = result.name ? await after(result.name) : undefined;
      return void (pod ? res.status(201).json(toKube(pod, clock)) : res.status(201).json(statusOf(201, "", result.message)));
    }
    case "bind":
      return void res.status(201).json(statusOf(201, "", result.message));
    case "deletePod":
    case "deleteNode": {
      const obj = (await after(t.name!)) ?? (before?.value as ClusterObject | undefined);
      return void res.json(obj ? toKube(obj, clock) : statusOf(200, "", result.message, { name: t.name, kind: def.name }));
    }
    case "scale": {
      const d = (await after(t.name!)) as DeploymentObject | undefined;
      if (!d) return sendStatus(res, notFoundOf(t, t.name!));
      return void res.json(t.subresource === "scale" ? scaleOf(d, clock) : toKube(d, clock));
    }
    default: {
      const obj = await after(t.name!);
      return void (obj ? res.json(toKube(obj, clock)) : sendStatus(res, notFoundOf(t, t.name!)));
    }
  }
}
