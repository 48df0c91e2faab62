/**
 * What the class room synchronises (team mode, issue #12): the class's PIN and phase, a summary
 * and mini map of every team (pushed by the team rooms about once a second), the students and
 * their teams, the role leaderboard across teams and the cooperative class total. No team's full
 * state is here: a team's own game is its team room's ClusterRoomState.
 */
import { schema, t, type SchemaType } from "@colyseus/schema";

/** A node on a team's mini map. */
export const TeamNode = schema(
  {
    name: t.string().default(""),
    /** "control-plane" or "worker". */
    role: t.string().default(""),
    /** "True", "False" or "Unknown", as the team's API server believes. */
    ready: t.string().default(""),
    pods: t.uint16().default(0),
    podsReady: t.uint16().default(0),
  },
  "TeamNode",
);
export type TeamNode = SchemaType<typeof TeamNode>;

/** One team as the class sees it. */
export const TeamSummary = schema(
  {
    /** "t1" … "t12" (shared/protocol/teams.ts). */
    id: t.string().default(""),
    name: t.string().default(""),
    colour: t.string().default(""),
    /** The team room's id (the host opens a team's full game view with a ticket for it). */
    roomId: t.string().default(""),
    /** The team room's own phase: "lobby", "intro", "running", "paused" or "debrief". */
    phase: t.string().default(""),
    /** The team's game time, ms. */
    gameNow: t.uint32().default(0),
    /** Requests served over the last minute, 0..1. */
    availability: t.float32().default(0),
    /** Requests served over the whole game, 0..1. */
    availabilityTotal: t.float32().default(0),
    score: t.int32().default(0),
    /** Seats held by people (connected players with a seat). */
    players: t.uint8().default(0),
    /** Seats a newcomer can take without sharing (played by a bot). */
    seatsFree: t.uint8().default(0),
    /** The mini map. */
    nodes: t.array(TeamNode),
    /** Failures met so far. */
    incidents: t.uint16().default(0),
  },
  "TeamSummary",
);
export type TeamSummary = SchemaType<typeof TeamSummary>;

/** A student of the class (keyed by an opaque id, never their player key). */
export const ClassStudent = schema(
  {
    nickname: t.string().default(""),
    /** The team id, or "" before they chose one. */
    team: t.string().default(""),
    /** The seat they play in their team ("scheduler", "kubelet:node-1", …), or "". */
    seat: t.string().default(""),
    connected: t.boolean().default(false),
  },
  "ClassStudent",
);
export type ClassStudent = SchemaType<typeof ClassStudent>;

/** One place on the role leaderboard across teams (filled by server/game/teamReport.ts's role metrics). */
export const RoleStanding = schema(
  {
    /** "scheduler", "controller-manager", "kubelet" or "kube-proxy". */
    role: t.string().default(""),
    team: t.string().default(""),
    nickname: t.string().default(""),
    /** Machine id of what is compared, e.g. "bindLatencyMs". */
    metric: t.string().default(""),
    /** The same in words: "binds a pending pod in". */
    label: t.string().default(""),
    value: t.float32().default(0),
    unit: t.string().default(""),
    rank: t.uint8().default(0),
  },
  "RoleStanding",
);
export type RoleStanding = SchemaType<typeof RoleStanding>;

/** The cooperative class total (for classes that do not want a ranking on the wall). */
export const ClassTotal = schema(
  {
    availability: t.float32().default(0),
    score: t.int32().default(0),
    podsServed: t.uint32().default(0),
  },
  "ClassTotal",
);
export type ClassTotal = SchemaType<typeof ClassTotal>;

/** The class phases: "lobby" until every team runs (a team's intro counts as lobby), then the class follows its teams. */
export const CLASS_PHASES = ["lobby", "playing", "paused", "debrief"] as const;
export type ClassPhase = (typeof CLASS_PHASES)[number];

/** What the projector shows of the ranking, as the host decides. */
export const BOARDS = ["ranked", "hidden", "total"] as const;
export type Board = (typeof BOARDS)[number];

export const ClassState = schema(
  {
    pin: t.string().default(""),
    scenario: t.string().default(""),
    difficulty: t.string().default(""),
    /** ClassPhase. */
    phase: t.string().default("lobby"),
    /** The slowest team's game time, ms. */
    gameNow: t.uint32().default(0),
    /** Board. */
    board: t.string().default("ranked"),
    /** The host option "no points for speed". */
    noSpeedPoints: t.boolean().default(false),
    /** The address + PIN students open (the projector shows it with a QR code). */
    joinUrl: t.string().default(""),
    teams: t.array(TeamSummary),
    /** Key: an opaque student id (not the player key). */
    students: t.map(ClassStudent),
    roles: t.array(RoleStanding),
    total: t.ref(ClassTotal),
  },
  "ClassState",
);
export type ClassState = SchemaType<typeof ClassState>;
