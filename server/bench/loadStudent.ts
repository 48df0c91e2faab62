/**
 * A student of the class load (`npm run load -- --shape class|conference`), as the browser joins:
 * the PIN looked up, the class room joined, a team chosen (`auto`), the team room entered with the
 * ticket, the seat seen in its state — each step timed. Shared by the class workers
 * (loadClassWorker.ts), who play whole classes, and the join probe (loadClassProbe.ts), whose few
 * students join every class from a process of their own, as from their own device.
 */
import { Client, type Room } from "@colyseus/sdk";
import type { TeamJoin } from "../../shared/protocol/classMessages.ts";
import type { ClusterRoomState } from "../../shared/protocol/state.ts";
import { count, type Player } from "./loadPlayer.ts";

/**
 * A join's steps: the PIN look-up; the class room's seat reservation (an HTTP request) and its
 * welcome (the socket opened, the full state and the welcome received); its team.join; the team
 * room's seat reservation and welcome; the seat in its state.
 */
export const JOIN_STEPS = ["lookup", "classSeat", "classWelcome", "teamJoin", "teamSeat", "teamWelcome", "seated"] as const;
export type JoinStep = (typeof JOIN_STEPS)[number];

/** A seated student: their class-room connection and their team room (the Player who acts), and how their join went. */
export interface Student {
  cls: Room;
  classBytes: { bytes: number };
  team: Player;
  /** PIN look-up to seated, ms, and in its steps. */
  joinMs: number;
  steps: Record<JoinStep, number>;
  /** Bytes received from each room by its welcome (its full state and the welcome message). */
  welcomeBytes: { cls: number; team: number };
}

let ids = 1;

/** Every message the load does not read is received (and counted) all the same. */
export const quiet = (room: Room) => room.onMessage("*", () => {});
export const first = <T>(room: Room, type: string) => new Promise<T>((resolve) => room.onMessage(type, resolve));

/** Joins room `roomId` as the SDK's joinById does, in its two halves: the seat reservation (HTTP), then the socket, timing each. */
async function joinTimed(client: Client, roomId: string, options: object, seat: () => void): Promise<Room> {
  const res = await client.http.post(`/matchmake/joinById/${roomId}`, {
    headers: { Accept: "application/json", "Content-Type": "application/json" },
    body: options,
  } as never);
  seat();
  return client.consumeSeatReservation(res.data as never);
}

/** A student from the PIN look-up on `url` to seated in their team room; `answered` counts the requests the server answers them. */
export async function joinStudent(url: string, pin: string, nickname: string, answered: () => void): Promise<Student> {
  const t0 = performance.now();
  let last = t0;
  const steps = {} as Record<JoinStep, number>;
  const step = (k: JoinStep) => {
    const now = performance.now();
    steps[k] = now - last;
    last = now;
  };
  const res = await fetch(`${url}/api/pin/${pin}`);
  const body = (await res.json()) as { roomId?: string; message?: string };
  if (!res.ok || !body.roomId) throw new Error(`PIN look-up ${res.status}: ${body.message}`);
  step("lookup");
  const client = new Client(url.replace(/^http/, "ws"));
  const cls = await joinTimed(client, body.roomId, { pin, nickname }, () => step("classSeat"));
  const classBytes = { bytes: 0 };
  count(cls, classBytes);
  quiet(cls);
  const teamJoin = first<TeamJoin>(cls, "team.join");
  await first(cls, "welcome");
  step("classWelcome");
  const welcomeBytes = { cls: classBytes.bytes, team: 0 };
  cls.send("team.choose", { team: "auto" });
  const j = await teamJoin;
  step("teamJoin");
  const room = await joinTimed(client, j.roomId, { ticket: j.ticket }, () => step("teamSeat"));
  const team: Player = { room, seats: [], bytes: 0, id: ids++ };
  count(room, team);
  quiet(room);
  room.onMessage("result", answered);
  const { playerId } = await first<{ playerId: string }>(room, "welcome");
  step("teamWelcome");
  welcomeBytes.team = team.bytes;
  const seats = () => (room.state as ClusterRoomState).players?.get(playerId)?.seats ?? [];
  await new Promise<void>((resolve) => {
    const check = () => seats().length > 0 && resolve();
    room.onStateChange(check);
    check();
  });
  step("seated");
  team.seats = [...seats()];
  return { cls, classBytes, team, joinMs: performance.now() - t0, steps, welcomeBytes };
}

/** Why a join failed, in one line (with the network error's code when there is one). */
export function failureOf(err: Error): string {
  const code = (err.cause as { code?: string } | undefined)?.code;
  return `${err.message}${code ? ` (${code})` : ""}`;
}
