/**
 * What of a class outlives its process (team mode on Redis): its PIN and host token, its options
 * (scenario, seed, difficulty, no points for speed, teams…), which team game is which (by the
 * team game's PIN: a restored team runs in a new room), every student's team and the key they
 * come back with, and the leaderboard mode. The teams' summaries are not kept: each restored team
 * reports again within a second (server/room/teamLink.ts), and the class's phase follows from them.
 * Saved by server/room/classStore.ts under the class's own store key; read back here.
 */
import type { Board, ClassPhase } from "../../shared/protocol/classState.ts";
import { teamById } from "../../shared/protocol/teams.ts";
import { ClassSession, type TeamPort } from "./ClassSession.ts";

/** The marker a saved class carries (a saved game has none): the server restores a class room for it. */
export const CLASS_KIND = "class";

export interface ClassSnapshot {
  kind: typeof CLASS_KIND;
  pin: string;
  hostToken: string;
  options: ClassSession["options"];
  board: Board;
  /** The phase when saved (for logs; the restored class takes its phase from its teams' summaries). */
  phase: ClassPhase;
  teams: { id: string; roomId: string; pin?: string }[];
  students: { id: string; key: string; nickname: string; team: string }[];
}

export function classSnapshot(s: ClassSession): ClassSnapshot {
  return {
    kind: CLASS_KIND,
    pin: s.pin,
    hostToken: s.hostToken,
    options: s.options,
    board: s.board,
    phase: s.phase,
    teams: s.teams.map((t) => ({ id: t.team.id, roomId: t.roomId, ...(t.pin ? { pin: t.pin } : {}) })),
    students: [...s.students.values()].map(({ id, key, nickname, team }) => ({ id, key, nickname, team })),
  };
}

/** Whether a saved state (as JSON text) is a class's rather than a game's. */
export function isSavedClass(json: string | undefined): boolean {
  if (json === undefined) return false;
  try {
    return (JSON.parse(json) as { kind?: unknown }).kind === CLASS_KIND;
  } catch {
    return false;
  }
}

/** The class as saved: every student away until they come back with their key. */
export function restoreClass(saved: ClassSnapshot, port: TeamPort): ClassSession {
  const s = new ClassSession(saved.options, saved.pin, port, saved.hostToken);
  s.board = saved.board;
  for (const t of saved.teams) {
    const team = teamById(t.id);
    if (!team) throw new Error(`the saved class ${saved.pin} has an unknown team ${t.id}`);
    s.addTeam(team, t.roomId, t.pin);
  }
  for (const st of saved.students) s.students.set(st.id, { ...st, connected: false });
  return s;
}

/** The connected students of one team (a team game restored in a new room: they are sent back into it). */
export function connectedIn(s: ClassSession, team: string) {
  return [...s.students.values()].filter((st) => st.team === team && st.connected && st.clientId);
}
