/**
 * What the room synchronises to clients: the core's state projected into @colyseus/schema
 * classes, once per tick. Fields only — the projection (projection.ts) fills them. Pods and
 * kube-proxy rules are per-client (StateView): each seat receives what its component watches.
 * Nodes and pods say what the API server knows; the physical truth (power, processes, memory
 * really in use, a container really serving) is in nodeTruth and podTruth, sent only to those
 * who may see it (server/room/views.ts): a kubelet its own node's, the host behind its *show the
 * truth* toggle, watch mode and the debrief everything.
 */
import { schema, t, type SchemaType } from "@colyseus/schema";

export const NodeView = schema(
  {
    name: t.string().default(""),
    role: t.string().default(""),
    /** "True", "False" or "Unknown", as the API server believes. */
    ready: t.string().default(""),
    readyReason: t.string().default(""),
    unschedulable: t.boolean().default(false),
    cpuAllocatable: t.uint32().default(0),
    memoryAllocatable: t.uint32().default(0),
    cpuRequested: t.uint32().default(0),
    memoryRequested: t.uint32().default(0),
    /** Milliseconds since the node's lease was renewed. */
    leaseAgeMs: t.uint32().default(0),
    pods: t.uint16().default(0),
    /** What its kube-proxy sees: the mean latency of requests that entered here, to a same-node pod and to another node's, ms (0: none yet). */
    localLatencyMs: t.uint16().default(0),
    remoteLatencyMs: t.uint16().default(0),
    /** Active pods per deployment on the node: the replica spread the scheduler's score counts. */
    replicas: t.map("uint16"),
  },
  "NodeView",
);
export type NodeView = SchemaType<typeof NodeView>;

export const PodView = schema(
  {
    name: t.string().default(""),
    deployment: t.string().default(""),
    node: t.string().default(""),
    phase: t.string().default(""),
    ready: t.boolean().default(false),
    reason: t.string().default(""),
    message: t.string().default(""),
    restartCount: t.uint16().default(0),
    ip: t.string().default(""),
    cpu: t.uint32().default(0),
    memory: t.uint32().default(0),
    createdAt: t.uint32().default(0),
    /** Game ms from which a crashed container may restart (0: not waiting). */
    restartAfter: t.uint32().default(0),
  },
  "PodView",
);
export type PodView = SchemaType<typeof PodView>;

/** A machine as it really is, which no API object says: only for those who may see it (views.ts). */
export const NodeTruth = schema(
  {
    name: t.string().default(""),
    powered: t.boolean().default(false),
    /** Each process installed on the machine and whether it runs (kubelet, etcd, …); a bare server has none. */
    processes: t.map("boolean"),
    /** The machine has joined the cluster (false: a bare server still being set up). */
    joined: t.boolean().default(false),
    /** A bare server: the process being installed ("" when none) and the game ms it is done. */
    installing: t.string().default(""),
    installUntil: t.uint32().default(0),
    /** MiB really in use (a leak shows here long before any API object says so). */
    memoryInUse: t.uint32().default(0),
  },
  "NodeTruth",
);
export type NodeTruth = SchemaType<typeof NodeTruth>;

/** Whether a pod's container really serves (the API's Ready may say otherwise): only for those who may see it. */
export const PodTruth = schema({ name: t.string().default(""), serving: t.boolean().default(false) }, "PodTruth");
export type PodTruth = SchemaType<typeof PodTruth>;

export const DeploymentView = schema(
  {
    name: t.string().default(""),
    desired: t.uint16().default(0),
    replicas: t.uint16().default(0),
    ready: t.uint16().default(0),
    /** Active pods made from the current template: fewer than `replicas` while a rollout runs. */
    updated: t.uint16().default(0),
    /** During a rollout, the old pod the controller manager may remove now (empty: none yet). */
    removable: t.string().default(""),
  },
  "DeploymentView",
);
export type DeploymentView = SchemaType<typeof DeploymentView>;

export const ServiceView = schema(
  {
    name: t.string().default(""),
    clusterIP: t.string().default(""),
    /** Ready pods behind the service, as the Endpoints object lists them. */
    endpoints: t.array("string"),
    endpointsVersion: t.uint32().default(0),
  },
  "ServiceView",
);
export type ServiceView = SchemaType<typeof ServiceView>;

export const RuleView = schema(
  {
    node: t.string().default(""),
    service: t.string().default(""),
    mode: t.string().default(""),
    /** Pods the rules forward to. */
    endpoints: t.array("string"),
    /** Those of them on this rule's own node (kube-proxy reads each endpoint's node from the EndpointSlice). */
    local: t.array("string"),
    /** The rules no longer match the service's Endpoints. */
    stale: t.boolean().default(false),
  },
  "RuleView",
);
export type RuleView = SchemaType<typeof RuleView>;

export const PlayerView = schema(
  {
    id: t.string().default(""),
    nickname: t.string().default(""),
    host: t.boolean().default(false),
    spectator: t.boolean().default(false),
    connected: t.boolean().default(false),
    seats: t.array("string"),
    /** The host lets this player apply manifests with kubectl (deployments and services). */
    mayApply: t.boolean().default(false),
  },
  "PlayerView",
);
export type PlayerView = SchemaType<typeof PlayerView>;

export const SeatView = schema({ seat: t.string().default(""), bot: t.boolean().default(false), holders: t.array("string") }, "SeatView");
export type SeatView = SchemaType<typeof SeatView>;

export const LogLine = schema(
  {
    time: t.uint32().default(0),
    user: t.string().default(""),
    actor: t.string().default(""),
    verb: t.string().default(""),
    path: t.string().default(""),
    code: t.uint16().default(0),
    message: t.string().default(""),
    /** The request type ("bind", "read" for kubectl's reads, "invalid" for one that could not be read). */
    type: t.string().default(""),
    /** The check that refused it, as shared/sim/api/stages.ts numbers them (0: none: it passed all four). */
    refused: t.uint8().default(0),
    /** The etcd revision its last write got (0: it stored nothing), and how many keys it wrote. */
    revision: t.uint32().default(0),
    writes: t.uint16().default(0),
  },
  "LogLine",
);
export type LogLine = SchemaType<typeof LogLine>;

export const EventLine = schema(
  {
    time: t.uint32().default(0),
    type: t.string().default(""),
    reason: t.string().default(""),
    object: t.string().default(""),
    message: t.string().default(""),
    source: t.string().default(""),
  },
  "EventLine",
);
export type EventLine = SchemaType<typeof EventLine>;

/** One write to etcd, as the etcd panel lists it: key and revision, never a request. */
export const EtcdWrite = schema({ revision: t.uint32().default(0), op: t.string().default(""), key: t.string().default("") }, "EtcdWrite");
export type EtcdWrite = SchemaType<typeof EtcdWrite>;

/**
 * The question on every screen (a checkpoint's or the host's): its right answer and explanation
 * stay empty (-1, "") until the host reveals them. `answered` lists who has answered, never what.
 */
export const QuestionView = schema(
  {
    id: t.string().default(""),
    text: t.string().default(""),
    options: t.array("string"),
    /** Player ids (of the players map) who have answered. */
    answered: t.array("string"),
    /** How many players answer (the host and spectators do not). */
    answerers: t.uint16().default(0),
    revealed: t.boolean().default(false),
    answer: t.int8().default(-1),
    explain: t.string().default(""),
    /** Seconds left to answer before the answer shows by itself (a workshop's; 0: no limit). */
    closesIn: t.uint16().default(0),
  },
  "QuestionView",
);
export type QuestionView = SchemaType<typeof QuestionView>;

/** How many chose each option of the open question: for the host while answers arrive, for everyone after the reveal (views.ts). */
export const TallyView = schema({ question: t.string().default(""), counts: t.array("uint16") }, "TallyView");
export type TallyView = SchemaType<typeof TallyView>;

/** The guided tour's step: who must act next and what they must do (empty: no step). */
export const GuideView = schema({ who: t.string().default(""), does: t.string().default(""), detail: t.string().default("") }, "GuideView");
export type GuideView = SchemaType<typeof GuideView>;

export const ClusterRoomState = schema(
  {
    mode: t.string().default(""),
    phase: t.string().default(""),
    pin: t.string().default(""),
    scenario: t.string().default(""),
    title: t.string().default(""),
    difficulty: t.string().default(""),
    /** The host's *no points for speed* (shared/sim/scoring/score.ts). */
    noSpeedPoints: t.boolean().default(false),
    speed: t.float32().default(0),
    locked: t.boolean().default(false),
    time: t.uint32().default(0),
    duration: t.uint32().default(0),
    revision: t.uint32().default(0),
    availability: t.float32().default(0),
    availabilityTotal: t.float32().default(0),
    score: t.int32().default(0),
    served: t.uint32().default(0),
    dropped: t.uint32().default(0),
    timedOut: t.uint32().default(0),
    /** A workshop's host has been gone too long: the game is paused until they are back (every screen says so). */
    waitingForHost: t.boolean().default(false),
    nodes: t.map(NodeView),
    pods: t.map(PodView).view(),
    nodeTruth: t.map(NodeTruth).view(),
    podTruth: t.map(PodTruth).view(),
    deployments: t.map(DeploymentView),
    services: t.map(ServiceView),
    rules: t.map(RuleView).view(),
    players: t.map(PlayerView),
    seats: t.map(SeatView),
    apiLog: t.array(LogLine),
    events: t.array(EventLine),
    etcd: t.array(EtcdWrite),
    /** The open question (id empty: none), the answers' counts (host until the reveal) and the guided step. */
    question: t.ref(QuestionView),
    tally: t.map(TallyView).view(),
    guide: t.ref(GuideView),
    /**
     * etcd's members, one per control-plane node, and whether each runs: what the API server's
     * etcd health check sees (the etcd panel derives quorum from it: shared/sim/world/quorum.ts).
     */
    etcdMembers: t.map("boolean"),
    /**
     * The traffic drawn since the last patch, compact: "entry>pod" for a request sent from an
     * entry node to a pod, "pod!s" served, "pod!t" timed out, "entry!d:cause" dropped; ";" between
     * (encoded and decoded by shared/protocol/trafficSample.ts).
     */
    traffic: t.string().default(""),
  },
  "ClusterRoomState",
);
export type ClusterRoomState = SchemaType<typeof ClusterRoomState>;
