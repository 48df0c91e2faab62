/**
 * The debrief of a game: the availability timeline with failure markers, incidents, the event
 * log, the outcome and every seat's figures — as JSON, and the timeline as CSV.
 */
import type { Debrief, DebriefEvent } from "../../shared/protocol/debrief.ts";
import type { EventObject } from "../../shared/sim/objects/types.ts";
import type { GameSession } from "./GameSession.ts";
import { csvFile } from "./csv.ts";

export type { Debrief };

export function debriefOf(session: GameSession): Debrief {
  const sim = session.sim;
  return {
    room: { pin: session.pin, mode: session.options.mode, phase: session.phase },
    scenario: { id: sim.scenario.id, title: sim.scenario.title, debrief: sim.scenario.debrief },
    outcome: sim.outcome(),
    timeline: [...sim.score.timeline],
    incidents: sim.score.incidents.map((i) => ({ ...i })),
    events: [...sim.state.events.values()].map(eventSummary),
    players: [...session.players.values()].filter((p) => !p.spectator).map((p) => ({ nickname: p.nickname, seats: [...p.seats] })),
  };
}

/** The timeline, one row a second, with the failures that struck in that second (labels are the host's text: see csv.ts). */
export function timelineCsv(d: Debrief): string {
  const rows = d.timeline.map((p) => {
    const failures = d.incidents
      .filter((i) => Math.floor(i.at / 1000) === p.t - 1)
      .map((i) => i.label)
      .join("; ");
    return [p.t, p.availability, p.served, p.dropped, p.timedOut, p.pending, p.serving, failures];
  });
  return csvFile(["second", "availability", "served", "dropped", "timed_out", "pending_pods", "serving_pods", "failure"], rows);
}

/** An event as the debrief and the event log show it: its object named kind/name. */
export function eventSummary(e: EventObject): DebriefEvent {
  return { time: e.time, type: e.type, reason: e.reason, object: `${e.involvedObject.kind}/${e.involvedObject.name}`, message: e.message, source: e.source };
}
