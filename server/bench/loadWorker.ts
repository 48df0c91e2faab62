/**
 * One load-test process: plays a share of the rooms with @colyseus/sdk clients. Each room is a
 * workshop: a host and players who take seats and act from what their seat sees (loadPlayer.ts).
 * Reports figures on stdout.
 */
import "../polyfill.ts";
import { Client, type Room } from "@colyseus/sdk";
import { act, count, type Player } from "./loadPlayer.ts";

const [url, roomsArg, clientsArg, durationArg] = process.argv.slice(2);
const ROOMS = Number(roomsArg);
const CLIENTS = Number(clientsArg);
const DURATION_MS = Number(durationArg) * 1000;
const ws = url.replace(/^http/, "ws");
const SEATS = [
  "scheduler",
  "controller-manager",
  "kubelet:node-1",
  "kubelet:node-2",
  "kubelet:node-3",
  "kube-proxy:node-1",
  "kube-proxy:node-2",
  "kube-proxy:node-3",
];

const joinMs: number[] = [];
const players: Player[] = [];
let answers = 0;

async function enter(room: Room): Promise<{ pin: string }> {
  room.onMessage("result", () => answers++);
  room.onMessage("shutdown", () => {});
  return new Promise((r) => room.onMessage("welcome", r));
}

async function playRoom(): Promise<void> {
  const t0 = performance.now();
  const host = await new Client(ws).create("cluster", { mode: "workshop", scenario: "free-play", nickname: "Host" });
  const hostPlayer: Player = { room: host, seats: [], bytes: 0, id: 0 };
  count(host, hostPlayer);
  const { pin } = await enter(host);
  joinMs.push(performance.now() - t0);
  players.push(hostPlayer);
  const { roomId } = (await (await fetch(`${url}/api/pin/${pin}`)).json()) as { roomId: string };
  for (let i = 1; i < CLIENTS; i++) {
    const t = performance.now();
    const room = await new Client(ws).joinById(roomId, { pin, nickname: `P${i}` });
    const p: Player = { room, seats: [], bytes: 0, id: i };
    count(room, p);
    await enter(room);
    joinMs.push(performance.now() - t);
    const seat = SEATS[(i - 1) % SEATS.length];
    room.send("seat.take", { seat });
    p.seats.push(seat);
    players.push(p);
  }
  host.send("host.start", {});
  host.send("host.start", {});
}

async function main(): Promise<void> {
  for (let i = 0; i < ROOMS; i++) await playRoom();
  const timer = setInterval(() => players.forEach(act), 1000);
  // Steady state: bytes counted after a warm-up of a quarter of the run.
  await new Promise((r) => setTimeout(r, DURATION_MS / 4));
  const startBytes = players.reduce((n, p) => n + p.bytes, 0);
  const t = performance.now();
  await new Promise((r) => setTimeout(r, (DURATION_MS * 3) / 4));
  const bytes = players.reduce((n, p) => n + p.bytes, 0) - startBytes;
  const secs = (performance.now() - t) / 1000;
  clearInterval(timer);
  joinMs.sort((a, b) => a - b);
  process.stdout.write(
    `${JSON.stringify({ clients: players.length, bytesPerClientPerSec: bytes / players.length / secs, joinMs, answers, open: players.filter((p) => p.room.connection.isOpen).length })}\n`,
  );
  for (const p of players) await p.room.leave().catch(() => undefined);
  process.exit(0);
}

main().catch((err) => {
  process.stderr.write(`load worker failed: ${(err as Error).message}\n`);
  process.exit(1);
});
