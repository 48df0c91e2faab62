/**
 * The debrief as the server serves it (`/api/rooms/<PIN>/debrief.json`) and the client shows it:
 * the outcome, the availability timeline, incidents, the event log and the players. A player's
 * debrief holds only the seats they played; the host's holds all.
 */
import type { GameOutcome } from "../sim/outcome.ts";
import type { Incident, SeatFigures, TimelinePoint } from "../sim/scoring/Scoreboard.ts";
import type { VsBotMessage } from "./serverMessages.ts";

/** Seat figures as a reader may see them: the scheduler's and controller manager's are absent unless theirs to read. */
export interface DebriefSeats {
  scheduler?: SeatFigures["scheduler"];
  controllerManager?: SeatFigures["controllerManager"];
  kubelets: SeatFigures["kubelets"];
  kubeProxies: SeatFigures["kubeProxies"];
}

export interface DebriefEvent {
  time: number;
  type: string;
  reason: string;
  object: string;
  message: string;
  source: string;
}

export interface Debrief {
  room: { pin: string; mode: string; phase: string };
  scenario: { id: string; title: string; debrief: string };
  outcome: Omit<GameOutcome, "seats"> & { seats: DebriefSeats };
  timeline: TimelinePoint[];
  incidents: Incident[];
  events: DebriefEvent[];
  players: { nickname: string; seats: string[] }[];
  /** "You against the bot" (serverMessages.ts), once the replays started: everyone's for the host, a player's own. */
  vsBot?: VsBotMessage;
}
