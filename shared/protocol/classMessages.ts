/**
 * The class room's written contract (team mode, issue #12): the options to create a class and
 * to join one, every message a student, the host or the projector sends it (zod schemas, the room
 * validates each) and what it sends back. A class is created with
 * `client.create("class", { mode: "workshop", teams: 4, scenario, … })`; its team rooms are
 * ordinary `cluster` rooms that only the class opens (a single-use ticket per entry).
 */
import { z } from "zod";
import { FailureSchema, MAX_FAILURE_LABEL } from "../sim/failures/failures.ts";
import { BOARDS, type RoleStanding } from "./classState.ts";
import { CreateOptionsSchema, EmptySchema, HostSpeedSchema, JoinOptionsSchema } from "./messages.ts";
import type { ResultMessage, ShutdownMessage } from "./serverMessages.ts";
import { MAX_TEAMS, MIN_TEAMS, TEAM_IDS } from "./teams.ts";

/** The class room's type (`client.create(CLASS_ROOM_NAME, …)`). */
export const CLASS_ROOM_NAME = "class";

const teamId = z.enum(TEAM_IDS as [string, ...string[]], { error: `a team is one of ${TEAM_IDS.join(", ")}` });
/** Without `team`, a host control acts on every team; with it, on that team only. */
const target = { team: teamId.optional() };

/** Options to create a class: a workshop's, with 2–12 teams (one team is an ordinary workshop). */
export const ClassCreateOptionsSchema = CreateOptionsSchema.omit({ seat: true, teams: true }).extend({
  mode: z.literal("workshop", { error: "teams are for workshops: create the class with mode workshop" }).default("workshop"),
  teams: z
    .number({ error: `teams is a number from ${MIN_TEAMS} to ${MAX_TEAMS}` })
    .int(`teams is a whole number from ${MIN_TEAMS} to ${MAX_TEAMS}`)
    .min(MIN_TEAMS, `a class has at least ${MIN_TEAMS} teams (one team is an ordinary workshop: create a "cluster" room)`)
    .max(MAX_TEAMS, `a class has at most ${MAX_TEAMS} teams`),
});
export type ClassCreateOptions = z.infer<typeof ClassCreateOptionsSchema>;
export type ClassCreateOptionsInput = z.input<typeof ClassCreateOptionsSchema>;

/** Options to join a class (by id, after resolving its PIN). */
export const ClassJoinOptionsSchema = JoinOptionsSchema.pick({ nickname: true, pin: true, hostToken: true, playerKey: true }).extend({
  /** The projector's screen: the host opens it with the host token; it sees ClassState only. */
  projector: z.boolean().optional(),
});
export type ClassJoinOptions = z.infer<typeof ClassJoinOptionsSchema>;
export type ClassJoinOptionsInput = z.input<typeof ClassJoinOptionsSchema>;

export const TeamChooseSchema = z.object({ team: z.union([teamId, z.literal("auto")]) });
export const ClassMoveSchema = z.object({ ...target });
export const ClassSpeedSchema = HostSpeedSchema.extend(target);
export const ClassChaosSchema = z.object({ failure: FailureSchema, label: z.string().max(MAX_FAILURE_LABEL).optional(), ...target });
export const MoveStudentSchema = z.object({ student: z.string().min(1).max(40), team: teamId });
export const BoardSchema = z.object({ board: z.enum(BOARDS) });
export const OpenTeamSchema = z.object({ team: teamId });

/** Every message a class room takes, with its schema (the room registers one handler per key). */
export const CLASS_MESSAGE_SCHEMAS = {
  /** A student picks a team (or lets the class balance them): answered with `team.join`. */
  "team.choose": TeamChooseSchema,
  "host.start": ClassMoveSchema,
  "host.pause": ClassMoveSchema,
  "host.resume": ClassMoveSchema,
  "host.end": ClassMoveSchema,
  "host.speed": ClassSpeedSchema,
  /** Every team (or one) meets the failure at the same game time. */
  "host.chaos": ClassChaosSchema,
  /** The student is told (`team.join`) and moves to the other team. */
  "host.moveStudent": MoveStudentSchema,
  "host.board": BoardSchema,
  /** Every student without a team is placed in the team with the most free seats. */
  "host.balance": EmptySchema,
  /** The host opens a team's full game view: answered with `team.join` (a host ticket). */
  "host.openTeam": OpenTeamSchema,
} as const satisfies Record<string, z.ZodType>;

export type ClassMessageType = keyof typeof CLASS_MESSAGE_SCHEMAS;
export type ClassMessage<T extends ClassMessageType> = z.input<(typeof CLASS_MESSAGE_SCHEMAS)[T]>;
export type ParsedClassMessage<T extends ClassMessageType> = z.output<(typeof CLASS_MESSAGE_SCHEMAS)[T]>;
export const CLASS_MESSAGES = Object.keys(CLASS_MESSAGE_SCHEMAS) as ClassMessageType[];

/** Once, on joining the class. */
export interface ClassWelcome {
  /** The key of this student in ClassState.students (opaque; not the player key). */
  studentId: string;
  /** The student's secret identity in this class: kept per PIN and sent back to come back to the same team and seat. */
  playerKey: string;
  nickname: string;
  host: boolean;
  projector: boolean;
  /** The host's token (host controls, the projector), to the host only. */
  hostToken?: string;
  pin: string;
  scenario: { id: string; title: string };
}

/** Go into (or move to) a team room: `client.joinById(roomId, { ticket })`. */
export interface TeamJoin {
  roomId: string;
  /** Single-use, made by the server; `<roomId>.<random>`. */
  ticket: string;
  team: string;
  /** Why: the student chose (or was balanced), the host moved them, they came back, or the host opens the team. */
  reason: "chosen" | "moved" | "returning" | "host";
}

/** The class debrief, to everyone in the class room at the end (built by server/game/classDebrief.ts). */
export interface ClassDebrief {
  teams: {
    id: string;
    name: string;
    colour: string;
    score: number;
    availabilityTotal: number;
    /** Availability per 5 s of game time. */
    timeline: number[];
    incidents: { label: string; atMs: number; recoveredAfterMs: number | null }[];
  }[];
  roles: Pick<RoleStanding, "role" | "team" | "nickname" | "metric" | "label" | "value" | "unit" | "rank">[];
  students: { nickname: string; team: string; seat: string; reportUrl: string }[];
}

/** Every message type the class room sends, with its payload. */
export interface ClassServerMessages {
  welcome: ClassWelcome;
  result: ResultMessage;
  "team.join": TeamJoin;
  "class.debrief": ClassDebrief;
  shutdown: ShutdownMessage;
}
export type ClassServerMessageType = keyof ClassServerMessages;
