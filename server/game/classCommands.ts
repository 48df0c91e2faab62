/**
 * What a class room asks of its team rooms (team mode, issue #12), through
 * `matchMaker.remoteRoomCall(teamRoomId, "classCommand", [command])` — so a team may live on another
 * server process (Redis). Plain JSON both ways.
 */
import type { ApiResult } from "../../shared/sim/api/status.ts";
import type { Move } from "./phases.ts";

export type ClassCommand =
  /** A phase move (start, pause, resume, end) as the host's, answered as the host is. */
  | { type: "move"; move: Move }
  | { type: "speed"; speed: number }
  /** The failure strikes when the team's game clock reaches `at` (ms, a whole tick). */
  | { type: "chaos"; failure: unknown; label?: string; at: number }
  /** The team's clock now (the class picks the chaos time from every team's). */
  | { type: "clock" }
  /** A single-use ticket for one student (or the host) to enter: the class sends it to them next. */
  | { type: "ticket"; ticket: string; student: string; nickname: string; host: boolean }
  /** The class's host has been gone too long (or is back): a running team pauses and every screen says it waits for the host. */
  | { type: "hostAway"; away: boolean }
  /** The class is over: the team room closes. */
  | { type: "close" };

export interface TeamClock {
  now: number;
  phase: string;
  speed: number;
}

export type ClassCommandAnswer = ApiResult | TeamClock;
