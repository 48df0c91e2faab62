/**
 * The API server: the one door to the cluster's state. Each request is authenticated, checked
 * against the control plane's health, authorised for the caller's role, validated against the
 * current state by its handler and only then written — so a rejected request changes nothing.
 * Every request and its answer goes to the audit log the players see as the API log.
 */
import type { ClusterState } from "../objects/ClusterState.ts";
import { isRunning } from "../world/Machine.ts";
import type { LeaderComponent, World } from "../world/World.ts";
import { authorize } from "./authorize.ts";
import type { ApiObserver, HandlerContext } from "./context.ts";
import * as deployments from "./handlers/deployments.ts";
import * as nodes from "./handlers/nodes.ts";
import * as mirrorPods from "./handlers/mirrorPods.ts";
import * as pods from "./handlers/pods.ts";
import * as services from "./handlers/services.ts";
import * as workloads from "./handlers/workloads.ts";
import type { Authenticator, Identity } from "./identity.ts";
import { ApiRequestSchema, httpOf, READ_ONLY, type ApiRequest, type RequestType } from "./requests.ts";
import { READ_STAGES, type Check, type RequestStages } from "./stages.ts";
import { badRequest, fail, unauthorized, unavailable, type ApiFailure, type ApiResult } from "./status.ts";

type Handler = (ctx: HandlerContext, r: never) => ApiResult;

const HANDLERS: Record<RequestType, Handler> = {
  bind: pods.bind,
  admit: pods.admit,
  reject: pods.reject,
  restart: pods.restart,
  evict: pods.evict,
  createPod: pods.createPod,
  deletePod: pods.deletePod,
  reportPodStatus: pods.reportPodStatus,
  confirmPodDeletion: pods.confirmPodDeletion,
  createMirrorPod: mirrorPods.createMirrorPod,
  reportMirrorPod: mirrorPods.reportMirrorPod,
  gcPod: pods.gcPod,
  markNodeNotReady: nodes.markNodeNotReady,
  evictNodePods: nodes.evictNodePods,
  cordon: nodes.cordon,
  uncordon: nodes.cordon,
  deleteNode: nodes.deleteNode,
  registerNode: nodes.registerNode,
  renewLease: nodes.renewLease,
  reportNodeStatus: nodes.reportNodeStatus,
  syncRules: services.syncRules,
  updateEndpoints: services.updateEndpoints,
  scale: deployments.scale,
  updateDeploymentStatus: deployments.updateDeploymentStatus,
  createEvent: deployments.createEvent,
  createDeployment: workloads.createDeployment,
  updateDeployment: workloads.updateDeployment,
  deleteDeployment: workloads.deleteDeployment,
  createService: workloads.createService,
  updateService: workloads.updateService,
  deleteService: workloads.deleteService,
};

/** One line of the API log, with how far the request went through the four checks (stages.ts). */
export interface AuditEntry extends RequestStages {
  /** Game time of the request. */
  time: number;
  user: string;
  /**
   * Who sat in the seat: a player's nickname, the component's user with " (bot)" for a bot
   * (see botActor), or empty for the room's own components.
   */
  actor: string;
  /** The request's type; "read" for a get, list or watch made from outside (kubectl). */
  type: RequestType | "invalid" | "read";
  verb: string;
  path: string;
  code: number;
  message: string;
}

/** How many API log entries are kept. */
export const AUDIT_LOG_SIZE = 400;
/** Longest path an API log entry keeps, characters (a URL can be kilobytes long). */
export const MAX_AUDIT_PATH = 200;
/** Longest actor (a nickname, "<nickname> (kubectl)") an API log entry keeps, characters. */
export const MAX_AUDIT_ACTOR = 60;
/** Longest message an API log entry keeps, characters. */
export const MAX_AUDIT_MESSAGE = 300;

/** The actor of a bot's requests: the component it plays, e.g. "system:kube-scheduler (bot)". */
export const botActor = (user: string) => `${user} (bot)`;
/** Whether an API log entry's actor is a bot. */
export const isBotActor = (actor: string) => actor.endsWith(" (bot)");

/** The stages of a request refused at `check`: nothing stored. */
const refused = (check: Check): RequestStages => ({ refusedAt: check, revision: 0, writes: 0 });

/** `text` cut to `max` characters, ending in "…" when cut. */
export const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

export class ApiServer {
  private readonly log: AuditEntry[] = [];
  private auditSeq = 0;

  constructor(
    private readonly state: ClusterState,
    private readonly world: World,
    readonly auth: Authenticator,
    private readonly observer: ApiObserver,
    private readonly clock: () => number,
  ) {}

  /** Handles a request from a bearer token: the front door every seat uses. */
  handle(token: string, raw: unknown, actor = ""): ApiResult {
    const who = this.auth.authenticate(token);
    if (!who) {
      const result = unauthorized("unknown or expired credentials: rejoin the game to get a new seat token");
      const parsed = ApiRequestSchema.safeParse(raw);
      this.audit({ user: "anonymous", role: "admin" }, parsed.success ? parsed.data : undefined, result, actor, refused("identity"));
      return result;
    }
    return this.handleAs(who, raw, actor);
  }

  /** Handles a request from an already authenticated identity (replays and the room's own parts). */
  handleAs(who: Identity, raw: unknown, actor = ""): ApiResult {
    const parsed = ApiRequestSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
      const result = badRequest(`malformed request: ${where}${issue?.message ?? "not a request"}`);
      this.audit(who, undefined, result, actor, refused("validation"));
      return result;
    }
    const request = parsed.data;
    const denied = this.admit(who, request);
    if (denied) {
      this.audit(who, request, denied.failure, actor, refused(denied.at));
      return denied.failure;
    }
    const before = this.state.revision;
    let result: ApiResult;
    try {
      result = HANDLERS[request.type](this.context(who), request as never);
    } catch (err) {
      // A bug in a handler must not take the game down; the request is answered and logged.
      result = fail("InternalError", `the API server could not handle this request: ${(err as Error).message}`);
    }
    const writes = this.state.revision - before;
    this.audit(who, request, result, actor, result.ok ? { refusedAt: "", revision: writes ? this.state.revision : 0, writes } : refused("validation"));
    return result;
  }

  private context(who: Identity): HandlerContext {
    return { state: this.state, world: this.world, now: this.clock(), who, observer: this.observer };
  }

  /**
   * The checks before a handler runs, and the check each belongs to: control-plane health (with
   * no api-server up, nobody checks who is calling), authorisation, the caller's process (a
   * request a stopped process cannot have made), etcd's quorum (nothing can be stored).
   */
  private admit(who: Identity, r: ApiRequest): { failure: ApiFailure; at: Check } | undefined {
    if (!this.world.apiServerUp()) {
      const failure = unavailable("no api-server is up: the api-server is down on every control-plane node, so no request can be served");
      return { failure, at: "identity" };
    }
    // A bare server's kubelet and kube-proxy have no credentials until the node joins (world/nodeSetup.ts).
    const node = who.role === "kubelet" || who.role === "kube-proxy" || who.role === "node-agent" ? this.world.machine(who.node ?? "") : undefined;
    if (node && !node.joined) {
      const failure = unauthorized(
        `${node.name} has not joined the cluster yet: its kubelet and kube-proxy have no credentials the API server accepts until it joins`,
      );
      return { failure, at: "identity" };
    }
    const denied = authorize(this.state, who, r);
    if (denied) return { failure: denied, at: "permission" };
    const down = this.callerDown(who);
    if (down) return { failure: down, at: "validation" };
    if (!READ_ONLY.has(r.type)) {
      const etcd = this.world.etcd();
      if (!etcd.quorum) {
        const failure = unavailable(
          `etcd has lost quorum (${etcd.up} of ${etcd.members} members up): the API server cannot write until a majority of etcd members is back`,
        );
        return { failure, at: "stored" };
      }
    }
    return undefined;
  }

  /** A component can only act while its own process runs. */
  private callerDown(who: Identity): ApiFailure | undefined {
    const leaderDown = (c: LeaderComponent) => {
      if (this.world.leader(c)) return undefined;
      const etcd = this.world.etcd();
      if (!etcd.quorum) {
        return unavailable(
          `etcd has lost quorum (${etcd.up} of ${etcd.members} members up): kube-${c} cannot renew its leader lease, which is stored in etcd, so it has stepped down until a majority of etcd members is back`,
        );
      }
      const standby = this.world.controlPlane().some((m) => isRunning(m, c));
      return unavailable(
        standby
          ? `kube-${c} is electing a new leader after losing the old one: try again in a few seconds`
          : `kube-${c} is down on every control-plane node: it cannot act until one is started again`,
      );
    };
    switch (who.role) {
      case "scheduler":
        return leaderDown("scheduler");
      case "controller-manager":
      case "system-controllers":
        return leaderDown("controller-manager");
      case "kubelet":
      case "node-agent":
      case "kube-proxy": {
        const m = this.world.machine(who.node ?? "");
        if (!m) return unavailable(`node ${who.node} does not exist (any more)`);
        if (!m.powered) return unavailable(`${who.node} is down: nothing on it can act until it is powered on`);
        const proc = who.role === "kube-proxy" ? "kube-proxy" : "kubelet";
        if (m.role === "worker" && !isRunning(m, proc)) {
          return unavailable(`the ${proc} process on ${who.node} is stopped: it cannot act until it is started again`);
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }

  /** Logs a request (undefined: it was malformed) with its answer and how far it went. */
  private audit(who: Identity, req: ApiRequest | undefined, result: ApiResult, actor: string, stages: RequestStages): void {
    const http = req ? httpOf(req) : { verb: "?", path: "(malformed request)" };
    this.auditSeq++;
    this.log.push({
      time: this.clock(),
      user: who.user,
      actor: clip(actor, MAX_AUDIT_ACTOR),
      type: req ? req.type : "invalid",
      verb: http.verb,
      path: http.path,
      code: result.code,
      message: clip(result.message, MAX_AUDIT_MESSAGE),
      ...stages,
    });
    if (this.log.length > AUDIT_LOG_SIZE) this.log.shift();
  }

  /**
   * Logs a read the room served from outside the game's own requests (kubectl's get, list and
   * watch): reads change nothing, so they are not game input, but learners should see them. Its
   * caller was authenticated and everyone may read, so a refusal (a 404) is the request's own.
   */
  recordRead(who: Identity, verb: string, path: string, code: number, message: string, actor = ""): void {
    this.auditSeq++;
    // A write kubectl sent that the room could not turn into a game request is not a read: it could not be read.
    const unreadable = code >= 400 && verb !== "GET" && verb !== "WATCH";
    this.log.push({
      time: this.clock(),
      user: who.user,
      actor: clip(actor, MAX_AUDIT_ACTOR),
      type: unreadable ? "invalid" : "read",
      verb: clip(verb, 10),
      path: clip(path, MAX_AUDIT_PATH),
      code,
      message: clip(message, MAX_AUDIT_MESSAGE),
      ...(code < 400 ? READ_STAGES : refused("validation")),
    });
    if (this.log.length > AUDIT_LOG_SIZE) this.log.shift();
  }

  /** Logs a request the room refused before it reached the game (kubectl from a player with no seat), at `check`; returns the refusal. */
  refuse(who: Identity, request: ApiRequest, failure: ApiFailure, actor: string, check: Check): ApiFailure {
    this.audit(who, request, failure, actor, refused(check));
    return failure;
  }

  /** The most recent API log entries, oldest first. */
  recentAudit(limit = AUDIT_LOG_SIZE): readonly AuditEntry[] {
    return this.log.slice(-limit);
  }

  /** How many requests have been answered in all. */
  get requestCount(): number {
    return this.auditSeq;
  }
}
