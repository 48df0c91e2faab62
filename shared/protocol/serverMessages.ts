/**
 * What the room sends its clients, declared once for both sides: the room sends through
 * `ServerMessages` and the client listens through it, so a message one side changes and the
 * other does not read is a compile error. (What clients send is in messages.ts.)
 */
import type { ApiResult } from "../sim/api/status.ts";
import type { PlayerVsBot } from "../sim/counterfactual/versusBot.ts";
import type { Scenario } from "../sim/scenarios/schema.ts";
import type { Team } from "./teams.ts";

/** Once, on joining: who the player is in this game, and the scenario's texts. */
export interface Welcome {
  playerId: string;
  /** The player's secret identity in this game: kept by the client per PIN and sent back (playerKey) to come back. */
  playerKey: string;
  nickname: string;
  host: boolean;
  /** The host's token (host controls, the cluster admin's kubectl), sent to the host only. */
  hostToken?: string;
  /** The player's bearer token for the room's Kubernetes API (kubectl); the host uses the host token. */
  apiToken?: string;
  pin: string;
  scenario: Pick<Scenario, "id" | "title" | "summary" | "intro" | "debrief" | "hints" | "win">;
  /** The host's question banks by scenario (without the answers), to ask the class one at any moment. */
  questions?: Record<string, AskedQuestion[]>;
  /** Team mode: this room is a team of a class (its name and colour, and the class's PIN). */
  team?: TeamInfo;
}

/** A class's team, as its team room's welcome names it (shared/protocol/teams.ts). */
export type TeamInfo = Team & { classPin: string };

/** The answer to every message a client sends, in the order they were sent. */
export interface ResultMessage {
  /** The `id` of the message answered, when it carried one (api messages do). */
  id?: number;
  /** The type of the message answered. */
  type: string;
  result: ApiResult;
}

/** The server is going down: the game is saved and comes back under the same PIN. */
export interface ShutdownMessage {
  message: string;
}

/**
 * GET /api/join-url (HTTP, not a room message): where students join, for the host's projector —
 * PUBLIC_URL when set, else the server machine's LAN addresses — and an SVG QR code of the first.
 */
export interface JoinAddress {
  urls: string[];
  qr: string;
}

/**
 * "You against the bot": once the game is over the room replays it with the normal bot in each
 * player's seats and sends the comparison — first "running", then "done" (or "refused", with the
 * reason). A player receives their own result; the host receives everyone's.
 */
export interface VsBotMessage {
  status: "running" | "done" | "refused";
  /** Why there is no result ("refused"), in words. */
  message?: string;
  players: PlayerVsBot[];
}

/** A question as players see it before the reveal: never its answer. */
export interface AskedQuestion {
  id: string;
  text: string;
  options: string[];
}

/**
 * The exit check, at the debrief, to each player who answers questions: the scenario's 3–5
 * questions, the player's answers so far, and — once they have answered them all — the right
 * answers with their explanations.
 */
export interface ExitCheckMessage {
  questions: AskedQuestion[];
  /** The option each question was answered with, by question id. */
  answered: Record<string, number>;
  /** After the last answer: per question, the right option and why. */
  review?: Record<string, { answer: number; explain: string }>;
}

/** Every message type the room sends, with its payload. */
export interface ServerMessages {
  welcome: Welcome;
  result: ResultMessage;
  shutdown: ShutdownMessage;
  vsBot: VsBotMessage;
  exitCheck: ExitCheckMessage;
}
export type ServerMessageType = keyof ServerMessages;
