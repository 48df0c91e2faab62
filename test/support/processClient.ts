/**
 * Talking to a real game-server process (test/support/serverProcess.ts) as its clients do: a
 * room's welcome, a PIN's room id, a call to a room's Kubernetes API over plain HTTP (as curl
 * would).
 */
import "../../server/polyfill.ts";
import type { Room } from "@colyseus/sdk";
import type { ServerProcess } from "./serverProcess.ts";

export interface Welcome {
  pin: string;
  playerId: string;
  hostToken?: string;
  apiToken?: string;
  host: boolean;
}

/** Waits for the room's welcome (and swallows the other messages a test does not read). */
export function enter(room: Room): Promise<Welcome> {
  room.onMessage("result", () => {});
  room.onMessage("shutdown", () => {});
  return new Promise((r) => room.onMessage("welcome", r));
}

/** The room id of the game with this PIN on a server (GET /api/pin/<PIN>); throws when there is none. */
export async function roomIdOf(server: ServerProcess, pin: string): Promise<string> {
  const res = await fetch(`${server.url}/api/pin/${pin}`);
  if (res.status !== 200) throw new Error(`PIN ${pin}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { roomId: string }).roomId;
}

/** One call to a room's Kubernetes API; the body as parsed JSON, and its size as sent. */
export async function k8s(
  server: ServerProcess,
  pin: string,
  token: string,
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; body: any; bytes: number }> {
  const res = await fetch(`${server.url}/k8s/${pin}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${token}`, ...(init.headers as Record<string, string> | undefined) },
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text), bytes: text.length };
}
