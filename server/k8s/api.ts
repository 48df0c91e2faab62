/**
 * Every room's Kubernetes API, under /k8s/<PIN>: discovery and the OpenAPI documents, get, list
 * and watch of the room's objects, and the writes kubectl makes (run and delete pods, scale, cordon). Reads come from the
 * store — the game's etcd — so `kubectl get pods --watch` is the store's watch, resumable from a
 * resourceVersion, and any server process sharing the store can serve them. Writes go to the
 * room (wherever it runs) as the game's own API requests, so they meet the same authorisation,
 * validation and API log as the players' clicks.
 */
import express, { type Request, type Response } from "express";
import { clip, MAX_AUDIT_MESSAGE, MAX_AUDIT_PATH } from "../../shared/sim/api/ApiServer.ts";
import type { ApiRequest } from "../../shared/sim/api/requests.ts";
import { fail, type ApiFailure, type ApiResult } from "../../shared/sim/api/status.ts";
import type { ClusterObject, DeploymentObject } from "../../shared/sim/objects/types.ts";
import { keyOf } from "../../shared/sim/objects/keys.ts";
import type { ApiAuth } from "./ports.ts";
import { StoreUnavailable, type ClusterStore } from "../store/ClusterStore.ts";
import { unreachableMessage } from "../ops/httpErrors.ts";
import { accessReview } from "./access.ts";
import { decodeAccessReview, PROTOBUF } from "./protobuf.ts";
import { decodeObject, isReadableProtobuf } from "./protobufObjects.ts";
import { GameClock, scaleOf, toKube } from "./convert.ts";
import { coreVersions, group, groupList, resourceList, versionInfo } from "./discovery.ts";
import { bearer, forbiddenMessage, notFoundOf, parseTarget, sendStatus, statusOf, type Any, type Log, type Target } from "./http.ts";
import { TokenLimits } from "./limits.ts";
import { WatchHub } from "./WatchHub.ts";
import { strictFieldProblem } from "./openapi/fields.ts";
import { openApiDocuments } from "./openapi/documents.ts";
import { serveOpenApi } from "./openapi/serve.ts";
import { addressOf } from "../limits/clientAddress.ts";
import { read } from "./reads.ts";
import { NAMESPACES } from "./resources.ts";
import { isObjectName, MAX_SUBDOMAIN_LENGTH } from "./validation.ts";
import { FIELD_OF, requestFor } from "./writes.ts";
import { parseMetricsTarget, serveMetrics } from "./metricsApi.ts";
import { serveLog, type LogWant } from "./logsApi.ts";
import type { PodLog } from "./podLogs.ts";
import type { UsageReport } from "./usage.ts";

export { statusOf };

/** What the API needs from the game server: the store, and the rooms by PIN wherever they run. */
export interface KubeApiDeps {
  store: ClusterStore;
  /** The room id of a running game, by PIN; or why this caller may not look PINs up now (PIN guessing). */
  roomOf(pin: string, req: Request): Promise<string | undefined | { retryAfterSec: number; message: string }>;
  auth(roomId: string, token: string): Promise<ApiAuth | undefined>;
  /** A write as the game's own request; `user` is the identity it acted as (for refusals worded as Kubernetes words them). */
  write(roomId: string, token: string, request: ApiRequest): Promise<{ result: ApiResult; revision: number; user?: string }>;
  log(roomId: string, token: string, verb: string, path: string, code: number, message: string): void;
  /** What `kubectl top` reads: the room's CPU and memory figures now; undefined for a stranger. */
  usage(roomId: string, token: string): Promise<UsageReport | undefined>;
  /** A pod's log, built by the room (as the API server asks the pod's kubelet); undefined for a stranger. */
  podLog(roomId: string, token: string, namespace: string, name: string, want: LogWant): Promise<PodLog | undefined>;
}

/** Largest request body accepted (a pod manifest is a few hundred bytes). */
const BODY_LIMIT = "64kb";

/** The router, and what it limits (for tests and figures). */
export type KubeApi = express.Router & { limits: TokenLimits; watches: WatchHub };

export function kubeApi(deps: KubeApiDeps): KubeApi {
  const router = express.Router({ mergeParams: true }) as KubeApi;
  const limits = (router.limits = new TokenLimits());
  // Every watch on a room in this process shares one watch of the store.
  const hub = (router.watches = new WatchHub(deps.store));
  // The OpenAPI documents take a fifth of a second to build: once, now, rather than in a kubectl's first call.
  setImmediate(openApiDocuments);
  router.use(express.json({ limit: BODY_LIMIT, type: (req) => /json/.test(String(req.headers["content-type"] ?? "")) }));
  // kubectl 1.32 sends its access reviews (auth can-i) as protobuf.
  router.use(express.raw({ limit: BODY_LIMIT, type: PROTOBUF }));
  router.use("/:pin", (req, res) => {
    void serve(deps, limits, hub, req, res).catch((err: Error) => {
      if (res.headersSent) res.end();
      else if (err instanceof StoreUnavailable) sendStatus(res, fail("ServiceUnavailable", unreachableMessage(err)));
      else sendStatus(res, fail("InternalError", `the game's API could not answer: ${err.message}`));
    });
  });
  // Malformed JSON bodies and oversized ones end here, answered as Kubernetes would.
  router.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: unknown) => {
    const code = err.status === 413 ? 413 : 400;
    sendStatus(res, {
      code,
      reason: code === 413 ? "RequestEntityTooLarge" : "BadRequest",
      message: code === 413 ? `the request body is larger than ${BODY_LIMIT}` : `the request body is not valid JSON: ${err.message}`,
    });
  });
  return router;
}

async function serve(deps: KubeApiDeps, limits: TokenLimits, hub: WatchHub, req: Request, res: Response): Promise<void> {
  const pin = String(req.params.pin);
  let parts: string[];
  try {
    parts = req.path.split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    return sendStatus(res, fail("BadRequest", `the path ${req.path} is not valid URL encoding`));
  }
  const found = /^\d{6}$/.test(pin) ? await deps.roomOf(pin, req) : undefined;
  if (typeof found === "object") {
    res.setHeader("Retry-After", String(found.retryAfterSec));
    return sendStatus(res, fail("TooManyRequests", found.message));
  }
  const roomId = found;
  if (!roomId) return sendStatus(res, fail("NotFound", `no game with PIN ${pin} is running: check the PIN on the host's screen`));
  const path = `/${parts.join("/")}`;

  // Discovery is public, as in Kubernetes (system:discovery): kubectl reads it before anything else.
  if (req.method === "GET") {
    if (parts[0] === "openapi") return serveOpenApi(parts.slice(1), req, res);
    const doc = discovery(parts, `${req.headers.host ?? "localhost"}`);
    if (doc) return void res.json(doc);
  }
  const isReview = parts.join("/") === ACCESS_REVIEWS;
  // The metrics API (kubectl top) is not stored: the room answers it.
  const metrics = isReview ? undefined : parseMetricsTarget(parts);
  const target = isReview || metrics ? undefined : parseTarget(parts);
  if (!isReview && !metrics && !target) {
    return sendStatus(
      res,
      fail("NotFound", `the server could not find the requested resource (${req.method} ${path}): kubectl api-resources lists what this game serves`),
    );
  }

  const token = bearer(req);
  // Requests without a valid token are limited by address: a made-up token is never remembered.
  const address = addressOf(req);
  const stranger = (f: ApiFailure) => {
    const v = limits.strangerTried(address);
    if (v.ok) return sendStatus(res, f);
    res.setHeader("Retry-After", String(v.retryAfterSec));
    return sendStatus(
      res,
      fail(
        "TooManyRequests",
        `too many requests without a valid token from your address: wait ${v.retryAfterSec} s, and use the kubeconfig from the game's kubectl box`,
      ),
    );
  };
  if (!token)
    return stranger(fail("Unauthorized", "no bearer token: use the kubeconfig from the game's kubectl box (kubectl --kubeconfig …), or pass --token"));
  // An address out of tries is not even asked about a token it has not used validly before.
  if (!limits.strangerMay(address) && !limits.knows(token)) return stranger(fail("Unauthorized", "this token is not valid in this game"));
  if (!limits.tokenMay(token)) {
    res.setHeader("Retry-After", "1");
    return sendStatus(res, fail("TooManyRequests", "slow down: at most 10 requests a second through the API"));
  }
  const auth = await deps.auth(roomId, token);
  if (!auth) return stranger(fail("Unauthorized", "this token is not valid in this game: download a fresh kubeconfig from the game's kubectl box"));
  limits.tokenUsed(token);
  const clock = new GameClock(auth.gameNow, auth.wallNow);
  // What goes into the room's API log is cut to size here, before it travels to the room.
  const log = (code: number, message: string) =>
    deps.log(roomId, token, req.method === "GET" && req.query.watch ? "WATCH" : req.method, clip(path, MAX_AUDIT_PATH), code, clip(message, MAX_AUDIT_MESSAGE));

  if (isReview) return review(auth, req, res, log);
  const namespace = (metrics ?? target)?.namespace;
  if (namespace !== undefined && !NAMESPACES.includes(namespace)) {
    log(404, `namespace ${namespace} not found`);
    return sendStatus(res, fail("NotFound", `namespaces "${namespace}" not found`), { name: namespace, kind: "namespaces" });
  }
  if (metrics) return serveMetrics(() => deps.usage(roomId, token), metrics, clock, req, res, log);
  if (!target) return;
  // kubectl logs: the API server asks the pod's kubelet in Kubernetes; here, the room.
  if (req.method === "GET" && target.def.name === "pods" && target.subresource === "log" && target.name) {
    const ns = target.namespace ?? "default";
    return serveLog((want) => deps.podLog(roomId, token, ns, target.name!, want), limits, token, auth.store, clock, req, res, log);
  }
  if (req.method === "GET") return read(deps.store, limits, hub, token, auth, target, clock, req, res, log);
  if (["POST", "PUT", "PATCH", "DELETE"].includes(req.method)) return write(deps, roomId, token, auth, target, clock, req, res, log);
  return sendStatus(res, fail("MethodNotAllowed", `${req.method} is not a Kubernetes API verb`));
}

/** kubectl auth can-i posts here: not a stored resource, an answer computed for the caller. */
const ACCESS_REVIEWS = "apis/authorization.k8s.io/v1/selfsubjectaccessreviews";

function review(auth: ApiAuth, req: Request, res: Response, log: Log): void {
  if (req.method !== "POST")
    return void sendStatus(res, fail("MethodNotAllowed", "a SelfSubjectAccessReview is only ever created (POST): kubectl auth can-i <verb> <resource>"));
  let spec: Any;
  if (Buffer.isBuffer(req.body)) {
    try {
      spec = decodeAccessReview(req.body).spec;
    } catch (err) {
      return void sendStatus(res, fail("BadRequest", `the access review could not be read: ${(err as Error).message}`));
    }
  } else spec = ((req.body ?? {}) as Any).spec ?? {};
  const attrs = spec.resourceAttributes;
  if (!attrs || typeof attrs !== "object") return void sendStatus(res, fail("Invalid", "spec.resourceAttributes names the verb and resource to ask about"));
  const status = accessReview(auth.caller, attrs);
  log(201, `can ${auth.caller.name} ${String(attrs.verb)} ${String(attrs.resource)}? ${status.allowed ? "yes" : "no"}`);
  res.status(201).json({ kind: "SelfSubjectAccessReview", apiVersion: "authorization.k8s.io/v1", metadata: { creationTimestamp: null }, spec, status });
}

function discovery(parts: string[], host: string): Any | undefined {
  const p = parts.join("/");
  if (p === "")
    return { paths: ["/api", "/api/v1", "/apis", ...(groupList().groups as Any[]).map((g) => `/apis/${g.preferredVersion.groupVersion}`), "/version"] };
  if (p === "version") return versionInfo();
  if (p === "api") return coreVersions(host);
  if (p === "api/v1") return resourceList("", "v1");
  if (p === "apis") return groupList();
  if (parts[0] === "apis" && parts.length === 2) return group(parts[1]);
  if (parts[0] === "apis" && parts.length === 3) return resourceList(parts[1], parts[2]);
  return undefined;
}

async function write(
  deps: KubeApiDeps,
  roomId: string,
  token: string,
  auth: ApiAuth,
  t: Target,
  clock: GameClock,
  req: Request,
  res: Response,
  log: Log,
): Promise<void> {
  const { def } = t;
  // kubectl 1.32's typed clients (create deployment, create service) send the object as protobuf
  // (and a delete's DeleteOptions, which a delete does not read: left as it came).
  if ((req.method === "POST" || req.method === "PUT") && isReadableProtobuf(req.body)) {
    try {
      req.body = decodeObject(req.body);
    } catch (err) {
      log(400, "unreadable protobuf body");
      return sendStatus(res, fail("BadRequest", `the request body could not be read: ${(err as Error).message}`));
    }
  }
  // ?fieldValidation=Strict (what kubectl 1.25 and later ask for): unknown fields of a whole object are refused.
  const strict = req.query.fieldValidation === "Strict" && !t.subresource && ["POST", "PUT"].includes(req.method);
  const unknown = strict ? strictFieldProblem({ group: def.group, kind: def.kind, version: def.version }, req.body) : undefined;
  if (unknown) {
    log(unknown.code, unknown.message);
    return sendStatus(res, unknown);
  }
  if (req.query.dryRun !== undefined) {
    log(400, "dry runs are not supported");
    return sendStatus(res, fail("BadRequest", "this game's API does not do server-side dry runs: leave out --dry-run=server"));
  }
  const body: unknown = req.body;
  const key = (name: string) => keyOf(def.stored!, name, t.namespace);
  // A patch of a whole deployment or service is applied to the object as the API serves it now.
  const whole = req.method === "PATCH" && t.name && !t.subresource && (def.name === "deployments" || def.name === "services");
  const current = whole && isObjectName(t.name!) ? ((await deps.store.get(auth.store, key(t.name!)))?.value as ClusterObject | undefined) : undefined;
  const request = requestFor({
    verb: req.method as "POST" | "PUT" | "PATCH" | "DELETE",
    resource: def.name,
    namespace: t.namespace,
    name: t.name,
    subresource: t.subresource,
    body,
    contentType: String(req.headers["content-type"] ?? ""),
    live: current && toKube(current, clock),
  });
  const name = clip(t.name ?? String((body as Any | undefined)?.metadata?.name ?? ""), MAX_SUBDOMAIN_LENGTH);
  // kubectl prints an Invalid answer as: The Pod "x" is invalid: <field>: <message>.
  const refuse = (f: ApiFailure, field?: string) =>
    sendStatus(
      res,
      f,
      f.reason === "Invalid"
        ? {
            name,
            kind: def.kind,
            ...(def.group ? { group: def.group } : {}),
            causes: f.causes?.length
              ? f.causes.map((c) => ({
                  reason: c.message.startsWith("Required value") ? "FieldValueRequired" : "FieldValueInvalid",
                  message: c.message,
                  field: c.field,
                }))
              : [{ reason: "FieldValueInvalid", message: f.message, field: field ?? "" }],
          }
        : { name, ...(def.group ? { group: def.group } : {}), kind: def.name },
    );
  if ("ok" in request) {
    log(request.code, request.message);
    return refuse(request, request.field);
  }
  const before = t.name ? await deps.store.get(auth.store, key(t.name)) : undefined;
  const { result, user } = await deps.write(roomId, token, request);
  if (!result.ok && result.reason === "Forbidden" && user) return refuse({ ...result, message: forbiddenMessage(t, req.method, name, user, result.message) });
  if (!result.ok) return refuse(result, FIELD_OF[request.type]);

  const after = async (name: string) => (await deps.store.get(auth.store, key(name)))?.value as ClusterObject | undefined;
  switch (request.type) {
    case "createPod": {
      const pod = result.name ? await after(result.name) : undefined;
      return void (pod ? res.status(201).json(toKube(pod, clock)) : res.status(201).json(statusOf(201, "", result.message)));
    }
    case "bind":
      return void res.status(201).json(statusOf(201, "", result.message));
    case "createDeployment":
    case "createService": {
      const obj = result.name ? await after(result.name) : undefined;
      return void (obj ? res.status(201).json(toKube(obj, clock)) : res.status(201).json(statusOf(201, "", result.message)));
    }
    case "deleteDeployment":
    case "deleteService":
      return void res.json(
        statusOf(200, "", result.message, {
          name: t.name,
          ...(def.group ? { group: def.group } : {}),
          kind: def.name,
          uid: (before?.value as ClusterObject | undefined)?.metadata.uid,
        }),
      );
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
