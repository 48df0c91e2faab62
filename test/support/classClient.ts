/**
 * Drives a class (team mode) over real sockets: the host creates it, students join it by PIN,
 * pick a team and follow the class's `team.join` into their team room — as the browser does.
 * Works against any server (the in-process test server, or a process on Redis) by its address.
 */
import { Client, type Room } from "@colyseus/sdk";
import type { ClassWelcome, TeamJoin } from "../../shared/protocol/classMessages.ts";
import type { Result } from "./gameServer.ts";
import { until } from "./gameServer.ts";
import { followGame } from "../../client/src/net/rejoin.ts";

export interface ClassMember {
  client: Client;
  room: Room;
  welcome: ClassWelcome;
  results: Result[];
  joins: TeamJoin[];
  /** The class debrief, once sent. */
  debrief?: unknown;
  /** The team room this member is in now (it follows team.join when `follow` is on). */
  team?: { room: Room; welcome: { playerId: string; playerKey: string; nickname: string; host: boolean; team?: { id: string; name: string } } };
}

async function wire(client: Client, room: Room, follow: boolean, into?: ClassMember): Promise<ClassMember> {
  const results: Result[] = into?.results ?? [];
  const joins: TeamJoin[] = into?.joins ?? [];
  room.onMessage("result", (m: Result) => results.push(m));
  room.onMessage("shutdown", () => {});
  // Registered before the welcome arrives: a returning student's team.join follows it at once.
  const member = into ?? ({ client, room, results, joins } as ClassMember);
  Object.assign(member, { client, room });
  room.onMessage("class.debrief", (d: unknown) => {
    member.debrief = d;
  });
  room.onMessage("team.join", (j: TeamJoin) => {
    joins.push(j);
    // A team.join into the team room the member is in already (the class came back, its team did not move) changes nothing.
    if (follow && j.roomId !== member.team?.room.roomId) void enterTeam(member, j);
  });
  member.welcome = await new Promise<ClassWelcome>((resolve) => room.onMessage("welcome", resolve));
  return member;
}

/**
 * Keeps a member in its class when the class's server process goes away, as the browser does
 * (client/src/net/rejoin.ts): the class found again by its PIN through a live server, joined with
 * the member's key (the host's is the host token); a student is sent back into their team.
 */
export function followClass(member: ClassMember, servers: () => { url: string; ws: string }[], follow = true): { moved: number } {
  const track = { moved: 0 };
  const any = () => servers()[Math.floor(Math.random() * servers().length)];
  followGame(member.room, {
    pin: member.welcome.pin,
    lookup: async (pin) => {
      const res = await fetch(`${any().url}/api/pin/${pin}`);
      return res.ok ? ((await res.json()) as { roomId: string }).roomId : undefined;
    },
    join: async (roomId) => {
      const client = new Client(any().ws);
      const room = await client.joinById(roomId, { pin: member.welcome.pin, playerKey: member.welcome.playerKey });
      await wire(client, room, follow, member);
      return room;
    },
    moved: () => track.moved++,
    status: () => {},
  });
  return track;
}

/** Goes into the team room a team.join names (leaving the team room the member was in). */
export async function enterTeam(member: ClassMember, j: TeamJoin): Promise<void> {
  const old = member.team?.room;
  member.team = undefined;
  // A team room whose process is gone may never answer a leave: not waited for past a moment.
  await Promise.race([old?.leave().catch(() => undefined), new Promise((r) => setTimeout(r, 2_000))]);
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
