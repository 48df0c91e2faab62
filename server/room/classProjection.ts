/**
 * The class's state as its clients see it (shared/protocol/classState.ts), projected from the
 * ClassSession: every team's last summary and mini map, the students and their teams and seats,
 * the class's phase and clock, and the cooperative total. Only changed fields are written, so a
 * quiet class costs its clients nothing.
 */
import { ClassStudent, RoleStanding, TeamNode, TeamSummary, type ClassState } from "../../shared/protocol/classState.ts";
import type { RoleStandingData } from "../../shared/protocol/classViews.ts";
import { classRoles, classTotalOf } from "../game/classEnd.ts";
import type { ClassSession } from "../game/ClassSession.ts";
import type { TeamReportNode } from "../game/teamReport.ts";

function set<T extends object, K extends keyof T>(target: T, key: K, value: T[K]): void {
  if (target[key] !== value) target[key] = value;
}

function projectNodes(summary: TeamSummary, nodes: readonly TeamReportNode[]): void {
  while (summary.nodes.length > nodes.length) summary.nodes.pop();
  nodes.forEach((n, i) => {
    if (!summary.nodes[i]) summary.nodes.push(new TeamNode());
    const view = summary.nodes[i];
    set(view, "name", n.name);
    set(view, "role", n.role);
    set(view, "ready", n.ready);
    set(view, "pods", n.pods);
    set(view, "podsReady", n.podsReady);
  });
}

export function projectClass(state: ClassState, session: ClassSession): void {
  set(state, "phase", session.phase);
  set(state, "gameNow", session.gameNow);
  set(state, "board", session.board);
  set(state, "noSpeedPoints", session.noSpeedPoints);
  session.teams.forEach((t, i) => {
    if (!state.teams[i]) state.teams.push(new TeamSummary({ id: t.team.id, name: t.team.name, colour: t.team.colour, roomId: t.roomId }));
    const view = state.teams[i];
    // A team's game restored in a new room (a restart, a failover) is found there when it reports.
    set(view, "roomId", t.roomId);
    const r = t.report;
    if (!r) return;
    set(view, "phase", r.phase);
    set(view, "gameNow", r.gameNow);
    set(view, "availability", r.availability);
    set(view, "availabilityTotal", r.availabilityTotal);
    set(view, "score", r.score);
    set(view, "players", r.players);
    set(view, "seatsFree", r.seatsFree);
    set(view, "incidents", r.incidents);
    projectNodes(view, r.nodes);
  });
  for (const id of [...state.students.keys()]) if (!session.students.has(id)) state.students.delete(id);
  for (const s of session.students.values()) {
    if (!state.students.has(s.id)) state.students.set(s.id, new ClassStudent());
    const view = state.students.get(s.id)!;
    set(view, "nickname", s.nickname);
    set(view, "team", s.team);
    set(view, "seat", session.seatOf(s));
    set(view, "connected", s.connected);
  }
  projectRoles(state, classRoles(session));
  const total = classTotalOf(session);
  set(state.total, "availability", total.availability);
  set(state.total, "score", total.score);
  set(state.total, "podsServed", total.podsServed);
}

/** The role leaderboard (classEnd.ts), written in place. */
function projectRoles(state: ClassState, rows: readonly RoleStandingData[]): void {
  while (state.roles.length > rows.length) state.roles.pop();
  rows.forEach((r, i) => {
    if (!state.roles[i]) state.roles.push(new RoleStanding());
    const view = state.roles[i];
    for (const k of ["role", "team", "nickname", "metric", "label", "value", "unit", "rank"] as const) set(view, k, r[k]);
  });
}
