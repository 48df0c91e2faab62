/**
 * One real game server for the room tests (Colyseus' matchmaker is a process-wide singleton, so
 * every room test file shares it), listening on a free loopback port with the in-process store,
 * and helpers to drive it with real @colyseus/sdk clients over real sockets.
 */
import "../../server/polyfill.ts";
import { matchMaker } from "@colyseus/core";
import { Client, type Room } from "@colyseus/sdk";
import type { ClusterRoom } from "../../server/room/ClusterRoom.ts";
import { startServer, type RunningServer } from "../../server/app.ts";
import { DEFAULT_CAPS } from "../../server/limits/RoomCaps.ts";
import { freePort } from "./redisServer.ts";
import type { VsBotMessage } from "../../shared/protocol/serverMessages.ts";

let running: Promise<RunningServer & { port: number }> | undefined;

export function gameServer(): Promise<RunningServer & { port: number }> {
  running ??= (async () => {
    const port = await freePort();
    // Every test connects from 127.0.0.1: one address, many rooms. The caps are the security suite's.
    const s = await startServer({ port, apiPort: 0, log: () => {}, caps: { ...DEFAULT_CAPS, maxRoomsPerAddress: 10_000 } });
    return { ...s, port };
  })();
  return running;
}

export interface Result {
  id?: number;
  type: string;
  result: { ok: boolean; code: number; message: string; reason?: string };
}

export interface Joined {
  room: Room;
  welcome: {
    playerId: string;
    playerKey: string;
    nickname: string;
    pin: string;
    host: boolean;
    hostToken?: string;
    apiToken?: string;
    scenario: { intro: string };
  };
  results: Result[];
  /** The "you against the bot" messages received, in order. */
  vsBot: VsBotMessage[];
  client: Client;
}

async function wire(client: Client, room: Room): Promise<Joined> {
  const results: Result[] = [];
  room.onMessage("result", (m: Result) => results.push(m));
  room.onMessage("shutdown", () => {});
  const vsBot: VsBotMessage[] = [];
  room.onMessage("vsBot", (m: VsBotMessage) => vsBot.push(m));
  const welcome = await new Promise<Joined["welcome"]>((resolve) => room.onMessage("welcome", resolve));
  return { room, welcome, results, vsBot, client };
}

export async function create(options: Record<string, unknown>): Promise<Joined> {
  const { port } = await gameServer();
  const client = new Client(`ws://127.0.0.1:${port}`);
  return wire(client, await client.create("cluster", options));
}

export async function join(pin: string, options: Record<string, unknown>): Promise<Joined> {
  const { port } = await gameServer();
  const res = await fetch(`http://127.0.0.1:${port}/api/pin/${pin}`);
  const { roomId } = (await res.json()) as { roomId: string };
  const client = new Client(`ws://127.0.0.1:${port}`);
  return wire(client, await client.joinById(roomId, { pin, ...options }));
}

/** How long a message's answer may take, ms: generous, for a machine busy with other test files. */
const ANSWER_WAIT_MS = 10_000;

/** Sends a message and waits for its answer. */
export async function ask(j: Joined, type: string, message: Record<string, unknown> = {}): Promise<Result["result"]> {
  const before = j.results.length;
  j.room.send(type, message);
  await until(() => j.results.length > before, ANSWER_WAIT_MS, `an answer to ${type}`);
  return j.results[before].result;
}

let nextId = 1;
/** An API request from one of the player's seats. */
export function api(j: Joined, seat: string, request: Record<string, unknown>): Promise<Result["result"]> {
  return ask(j, "api", { id: nextId++, seat, request });
}

export async function until(pred: () => boolean, ms = 10_000, what = "condition"): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The server-side room, for assertions on the session behind it. */
export async function serverRoom(roomId: string): Promise<ClusterRoom> {
  // A static import: the app and the tests must share one matchmaker (module instance).
  return matchMaker.getLocalRoomById(roomId) as unknown as ClusterRoom;
}

/** A workshop with a started game: host, and a student holding `seats`. */
export async function runningWorkshop(scenario = "node-down", seats: string[] = []) {
  const host = await create({ mode: "workshop", scenario, nickname: "Teacher" });
  const student = await join(host.welcome.pin, { nickname: `S${nextId++}` });
  for (const seat of seats) await ask(student, "seat.take", { seat });
  await ask(host, "host.start");
  await ask(host, "host.start");
  return { host, student };
}
