/**
 * Drives a class (team mode) over real sockets: the host creates it, students join it by PIN,
 * pick a team and follow the class's `team.join` into their team room — as the browser does.
 * Works against any server (the in-process test server, or a process on Redis) by its address.
 */
import { Client, type Room } from "@colyseus/sdk";
import type { ClassWelcome, TeamJoin } from "../../shared/protocol/classMessages.ts";
import type { Result } from "./gameServer.ts";
import { until } from "./gameServer.ts";

export interface ClassMember {
  client: Client;
  room: Room;
  welcome: ClassWelcome;
  results: Result[];
  joins: TeamJoin[];
  /** The team room this member is in now (it follows team.join when `follow` is on). */
  team?: { room: Room; welcome: { playerId: string; playerKey: string; nickname: string; host: boolean; team?: { id: string; name: string } } };
}

async function wire(client: Client, room: Room, follow: boolean): Promise<ClassMember> {
  const results: Result[] = [];
  const joins: TeamJoin[] = [];
  room.onMessage("result", (m: Result) => results.push(m));
  room.onMessage("shutdown", () => {});
  room.onMessage("class.debrief", () => {});
  // Registered before the welcome arrives: a returning student's team.join follows it at once.
  const member = { client, room, results, joins } as ClassMember;
  room.onMessage("team.join", (j: TeamJoin) => {
    joins.push(j);
    if (follow) void enterTeam(member, j);
  });
  member.welcome = await new Promise<ClassWelcome>((resolve) => room.onMessage("welcome", resolve));
  return member;
}

/** Goes into the team room a team.join names (leaving the team room the member was in). */
export async function enterTeam(member: ClassMember, j: TeamJoin): Promise<void> {
  const old = member.team?.room;
  member.team = undefined;
  await old?.leave().catch(() => undefined);
  const room = await member.client.joinById(j.roomId, { ticket: j.ticket });
  room.onMessage("result", () => {});
  room.onMessage("vsBot", () => {});
  room.onMessage("exitCheck", () => {});
  room.onMessage("shutdown", () => {});
  const welcome = await new Promise<NonNullable<ClassMember["team"]>["welcome"]>((resolve) => room.onMessage("welcome", resolve));
  member.team = { room, welcome };
}

export async function createClass(ws: string, options: Record<string, unknown>, follow = false): Promise<ClassMember> {
  const client = new Client(ws);
  return wire(client, await client.create("class", { mode: "workshop", nickname: "Teacher", ...options }), follow);
}

export async function joinClass(http: string, ws: string, pin: string, options: Record<string, unknown>, follow = true): Promise<ClassMember> {
  const res = await fetch(`${http}/api/pin/${pin}`);
  const body = (await res.json()) as { roomId: string; kind?: string; message?: string };
  if (!res.ok) throw new Error(body.message);
  const client = new Client(ws);
  return wire(client, await client.joinById(body.roomId, { pin, ...options }), follow);
}

/** Sends a class message and waits for its answer. */
export async function tell(m: ClassMember, type: string, message: Record<string, unknown> = {}): Promise<Result["result"]> {
  const before = m.results.length;
  m.room.send(type, message);
  await until(() => m.results.length > before, 10_000, `an answer to ${type}`);
  return m.results[before].result;
}
