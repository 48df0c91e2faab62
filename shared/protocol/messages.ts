/**
 * The written contract between the browser and the game room: the options to create and join a
 * room and every message a client may send, as zod schemas with their TypeScript types. The
 * room validates every message with these; the client's `send` is typed by the same table
 * (CLIENT_MESSAGE_SCHEMAS), and what the room sends back is in serverMessages.ts.
 */
import { z } from "zod";
import { DIFFICULTIES } from "../sim/bots/Bot.ts";
import { ApiRequestSchema } from "../sim/api/requests.ts";
import { FailureSchema, MAX_FAILURE_LABEL } from "../sim/failures/failures.ts";
import { NodeSetupRequestSchema } from "../sim/world/nodeSetup.ts";

export const ROOM_NAME = "cluster";
export const MODES = ["solo", "workshop", "watch"] as const;
export type Mode = (typeof MODES)[number];

// NFKC first: full-width and composed look-alikes become the letters they look like before any check.
const nickname = z
  .string()
  .max(100, "nicknames are at most 24 characters")
  .normalize("NFKC")
  .trim()
  .min(1, "pick a nickname")
  .max(24, "nicknames are at most 24 characters")
  .regex(/^[\p{L}\p{N} _.'-]+$/u, "nicknames use letters, digits, spaces and _ . ' -");
const seat = z
  .string()
  .regex(
    /^(scheduler|controller-manager|(kubelet|kube-proxy):[a-z0-9-]{1,40})$/,
    "a seat is scheduler, controller-manager, kubelet:<node> or kube-proxy:<node>",
  );
const scenario = z.string().regex(/^[a-z0-9-]{1,40}$/);

/** Options to create a room. */
export const CreateOptionsSchema = z.object({
  mode: z.enum(MODES),
  scenario: scenario.default("first-pod"),
  difficulty: z.enum(DIFFICULTIES as [string, ...string[]]).default("normal"),
  seed: z.number().int().min(0).max(0xffffffff).optional(),
  nickname: nickname.optional(),
  /** Solo: the seat the player takes. */
  seat: seat.optional(),
  /** The game stops at the scenario's checkpoints for a question; in first-pod, a guided tour. */
  questions: z.boolean().default(false),
  /** Team mode: 1 is an ordinary workshop; 2–12 teams make a class, created as room type "class" (classMessages.ts). */
  teams: z.number().int().min(1).max(12).optional(),
  /** No points for speed: recovering from an incident scores the same however long it took (shared/sim/scoring/score.ts). */
  noSpeedPoints: z.boolean().default(false),
});
export type CreateOptions = z.infer<typeof CreateOptionsSchema>;
/** The options as a client sends them (defaults not yet filled in). */
export type CreateOptionsInput = z.input<typeof CreateOptionsSchema>;

/** Options to join a room (by id, after resolving the PIN; every join names the PIN). */
export const JoinOptionsSchema = z.object({
  nickname: nickname.optional(),
  pin: z
    .string()
    .regex(/^\d{6}$/, "the PIN has 6 digits")
    .optional(),
  spectate: z.boolean().optional(),
  /** Proves the joiner is the host (the creator receives it once). */
  hostToken: z.string().max(100).optional(),
  /** The player's identity, from an earlier welcome: returning with it brings back their seats and kubectl token. */
  playerKey: z
    .string()
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "playerKey is the key from an earlier welcome")
    .optional(),
  /** Solo: the seat the creator takes (the create options carry it to the creator's join). */
  seat: seat.optional(),
  /** Team mode: the class's single-use ticket into a team room (`<roomId>.<random>`, from `team.join`). */
  ticket: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}\.[0-9a-f-]{36}$/, "ticket is the one the class sent (team.join)")
    .optional(),
});
export type JoinOptions = z.infer<typeof JoinOptionsSchema>;
export type JoinOptionsInput = z.input<typeof JoinOptionsSchema>;

/** An API request made from one of the player's seats. `id` lets the client match the answer. */
export const ApiMessageSchema = z.object({
  id: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31),
  seat,
  request: ApiRequestSchema,
});
export type ApiMessage = z.infer<typeof ApiMessageSchema>;

/**
 * A setup step a bare server's kubelet seat takes on its own machine — install the container
 * runtime, the kubelet, kube-proxy, then join (shared/sim/world/nodeSetup.ts). Installing is not an
 * API request (it is done on the machine, like SSH and a package manager); only the join then
 * registers the Node through the API server.
 */
export const NodeSetupMessageSchema = z.object({ id: ApiMessageSchema.shape.id, seat, request: NodeSetupRequestSchema });
export type NodeSetupMessage = z.infer<typeof NodeSetupMessageSchema>;

export const SeatMessageSchema = z.object({ seat });
export const SeatSwapSchema = z.object({ from: seat, to: seat });

/** Host controls. */
export const HostAssignSchema = z.object({ player: z.string().min(1).max(40), seat, exclusive: z.boolean().default(false) });
export const HostUnassignSchema = z.object({ player: z.string().min(1).max(40), seat });
export const HostScenarioSchema = z.object({
  scenario,
  difficulty: z.enum(DIFFICULTIES as [string, ...string[]]).optional(),
  seed: z.number().int().min(0).max(0xffffffff).optional(),
  /** Switches *no points for speed* on or off (absent: unchanged). */
  noSpeedPoints: z.boolean().optional(),
});
export const HostSpeedSchema = z.object({ speed: z.number().min(0.5).max(4) });
export const HostLockSchema = z.object({ locked: z.boolean() });
export const HostKickSchema = z.object({ player: z.string().min(1).max(40) });
export const HostTruthSchema = z.object({ shown: z.boolean() });
export const HostGrantApplySchema = z.object({ player: z.string().min(1).max(40), allowed: z.boolean() });
export const HostChaosSchema = z.object({ failure: FailureSchema, label: z.string().max(MAX_FAILURE_LABEL).optional() });
export const EmptySchema = z.object({}).strict();
/** Questions (checkpoints, the host's, the exit check): a question id of the scenario's bank and the index of the option chosen. */
const question = z.string().regex(/^[a-z0-9-]{1,60}$/, "a question id uses lowercase letters, digits and -");
export const AnswerSchema = z.object({ question, choice: z.number().int().min(0, "choose one of the options").max(9, "choose one of the options") });
export const HostAskSchema = z.object({ question });

/**
 * Every message a client may send, with the schema the room validates it with. The room registers
 * one handler per key (a Record over this table: a message without a handler does not compile) and
 * the client's `send` takes a key and its payload's type, so neither side can drift from the other.
 */
export const CLIENT_MESSAGE_SCHEMAS = {
  api: ApiMessageSchema,
  "node.setup": NodeSetupMessageSchema,
  "seat.take": SeatMessageSchema,
  "seat.leave": SeatMessageSchema,
  "seat.swap": SeatSwapSchema,
  "host.assign": HostAssignSchema,
  "host.unassign": HostUnassignSchema,
  "host.fillBots": EmptySchema,
  "host.scenario": HostScenarioSchema,
  "host.start": EmptySchema,
  "host.pause": EmptySchema,
  "host.resume": EmptySchema,
  "host.speed": HostSpeedSchema,
  "host.end": EmptySchema,
  "host.lock": HostLockSchema,
  "host.kick": HostKickSchema,
  "host.chaos": HostChaosSchema,
  "host.truth": HostTruthSchema,
  answer: AnswerSchema,
  "host.ask": HostAskSchema,
  "host.reveal": EmptySchema,
  "host.extend": EmptySchema,
  "host.grantApply": HostGrantApplySchema,
} as const satisfies Record<string, z.ZodType>;

export type ClientMessageType = keyof typeof CLIENT_MESSAGE_SCHEMAS;
/** What a client sends as a message of type T (before defaults are filled in). */
export type ClientMessage<T extends ClientMessageType> = z.input<(typeof CLIENT_MESSAGE_SCHEMAS)[T]>;
/** A message of type T as the room's handler receives it (validated, defaults filled in). */
export type ParsedClientMessage<T extends ClientMessageType> = z.output<(typeof CLIENT_MESSAGE_SCHEMAS)[T]>;

/** Every message type a client may send, for documentation and the fuzz tests. */
export const CLIENT_MESSAGES = Object.keys(CLIENT_MESSAGE_SCHEMAS) as ClientMessageType[];
