/**
 * The written contract between the browser and the game room: the options to create and join a
 * room and every message a client may send, as zod schemas with their TypeScript types. The
 * room validates every message with these; the client builds its messages from the same types.
 */
import { z } from "zod";
import { DIFFICULTIES } from "../sim/bots/Bot.ts";
import { ApiRequestSchema } from "../sim/api/requests.ts";
import { FailureSchema, MAX_FAILURE_LABEL } from "../sim/failures/failures.ts";

export const ROOM_NAME = "cluster";
export const MODES = ["solo", "workshop", "watch"] as const;
export type Mode = (typeof MODES)[number];

const nickname = z
  .string()
  .trim()
  .min(1, "pick a nickname")
  .max(24, "nicknames are at most 24 characters")
  .regex(/^[\p{L}\p{N} _.'-]+$/u, "nicknames use letters, digits, spaces and _ . ' -");
const seat = z.string().regex(/^(scheduler|controller-manager|(kubelet|kube-proxy):[a-z0-9-]{1,40})$/, "a seat is scheduler, controller-manager, kubelet:<node> or kube-proxy:<node>");
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
});
export type CreateOptions = z.infer<typeof CreateOptionsSchema>;

/** Options to join a room (by id, after resolving the PIN). */
export const JoinOptionsSchema = z.object({
  nickname: nickname.optional(),
  pin: z.string().regex(/^\d{6}$/, "the PIN has 6 digits").optional(),
  spectate: z.boolean().optional(),
  /** Proves the joiner is the host (the creator receives it once). */
  hostToken: z.string().max(100).optional(),
});
export type JoinOptions = z.infer<typeof JoinOptionsSchema>;

/** An API request made from one of the player's seats. `id` lets the client match the answer. */
export const ApiMessageSchema = z.object({ id: z.number().int().min(0).max(2 ** 31), seat, request: ApiRequestSchema });
export type ApiMessage = z.infer<typeof ApiMessageSchema>;

export const SeatMessageSchema = z.object({ seat });
export const SeatSwapSchema = z.object({ from: seat, to: seat });

/** Host controls. */
export const HostAssignSchema = z.object({ player: z.string().min(1).max(40), seat, exclusive: z.boolean().default(false) });
export const HostUnassignSchema = z.object({ player: z.string().min(1).max(40), seat });
export const HostScenarioSchema = z.object({ scenario, difficulty: z.enum(DIFFICULTIES as [string, ...string[]]).optional(), seed: z.number().int().min(0).max(0xffffffff).optional() });
export const HostSpeedSchema = z.object({ speed: z.number().min(0.5).max(4) });
export const HostLockSchema = z.object({ locked: z.boolean() });
export const HostKickSchema = z.object({ player: z.string().min(1).max(40) });
export const HostChaosSchema = z.object({ failure: FailureSchema, label: z.string().max(MAX_FAILURE_LABEL).optional() });
export const EmptySchema = z.object({}).strict();

/** Every message type a client may send, for documentation and the fuzz tests. */
export const CLIENT_MESSAGES = [
  "api", "seat.take", "seat.leave", "seat.swap",
  "host.assign", "host.unassign", "host.fillBots", "host.scenario", "host.start", "host.pause", "host.resume",
  "host.speed", "host.end", "host.lock", "host.kick", "host.chaos",
] as const;
export type ClientMessageType = (typeof CLIENT_MESSAGES)[number];
