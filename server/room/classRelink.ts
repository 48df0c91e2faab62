/**
 * A class and its team rooms finding each other again after a restart or a failover (team mode on
 * Redis): every restored room is a new room, so nothing links by room id alone. The class
 * announces the room it runs in under its PIN (teamLink.ts: announceClass), where a team whose
 * summaries go unanswered looks it up; and the class knows each team by the team game's PIN, by
 * which it finds the team's room in the room directory — at its restore, and when a command finds
 * the team's old room gone.
 */
import { matchMaker } from "@colyseus/core";
import { ROOM_NAME } from "../../shared/protocol/messages.ts";
import type { ClassCommand, ClassCommandAnswer } from "../game/classCommands.ts";
import type { ClassSession } from "../game/ClassSession.ts";
import { listRooms } from "../matchmaking/directory.ts";
import { announceClass, type TeamMeta } from "./teamLink.ts";

/** The room that runs the class team with this game PIN now (newest first: a taken-over room may briefly be listed twice). */
export async function teamRoomByPin(pin: string): Promise<string | undefined> {
  const rooms = (await listRooms()).filter(
    (r) => r.name === ROOM_NAME && (r.metadata as { pin?: string } | undefined)?.pin === pin && (r.metadata as TeamMeta).classOf,
  );
  return rooms.sort((a, b) => +(b.createdAt ?? 0) - +(a.createdAt ?? 0))[0]?.roomId;
}

/** A restored class: announced under its PIN, and each team found in the room it runs in now (a team not back yet is found when it reports). */
export async function relinkTeams(s: ClassSession, classRoomId: string): Promise<void> {
  await announceClass(s.pin, classRoomId);
  for (const t of s.teams) {
    const now = t.pin ? await teamRoomByPin(t.pin).catch(() => undefined) : undefined;
    if (now) t.roomId = now;
  }
}

/**
 * A command to a team room wherever it runs; when the room does not answer, the team is looked up
 * by its PIN and, found in another room, asked there. (A ticket names its room: it is not resent,
 * the next one goes to the new room.)
 */
export async function teamCommand(s: ClassSession, roomId: string, c: ClassCommand): Promise<ClassCommandAnswer> {
  const call = (id: string) => matchMaker.remoteRoomCall(id, "classCommand", [c]) as Promise<ClassCommandAnswer>;
  try {
    return await call(roomId);
  } catch (err) {
    const t = s.teams.find((x) => x.roomId === roomId);
    const now = t?.pin ? await teamRoomByPin(t.pin).catch(() => undefined) : undefined;
    if (!t || !now || now === roomId) throw err;
    t.roomId = now;
    if (c.type === "ticket") throw err;
    return call(now);
  }
}
