import { expect } from "chai";
import "../../server/polyfill.ts";
import { Client, type Room } from "@colyseus/sdk";
import { RedisServer } from "../support/redisServer.ts";
import { ServerProcess } from "../support/serverProcess.ts";
import { until } from "../support/gameServer.ts";

/**
 * Waits for process `p` to say it restored the game `pin`: at start-up, before it says it runs — or,
 * when a loaded machine stretches the start-up's sweeps past their deadline, by the next sweep.
 */
const restoredBy = (p: ServerProcess, pin: string) => until(() => new RegExp(`restored room with PIN ${pin}`).test(p.output), 15_000, `game ${pin} restored`);

interface Welcome {
  pin: string;
  playerId: string;
  playerKey: string;
  hostToken?: string;
  apiToken?: string;
  host: boolean;
}

/** A call to a room's Kubernetes API on one server process (over plain HTTP, as curl would). */
async function k8s(server: ServerProcess, pin: string, token: string, path: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}/k8s/${pin}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${token}`, ...(init.headers as Record<string, string> | undefined) },
  });
  return { status: res.status, body: await res.json() };
}

async function enter(room: Room): Promise<Welcome> {
  room.onMessage("result", () => {});
  room.onMessage("shutdown", () => {});
  return new Promise((r) => room.onMessage("welcome", r));
}

async function roomIdOf(server: ServerProcess, pin: string): Promise<string> {
  const res = await fetch(`${server.url}/api/pin/${pin}`);
  if (res.status !== 200) throw new Error(`PIN ${pin}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { roomId: string }).roomId;
}

describe("game servers on Redis", function () {
  this.timeout(90_000);
  let redis: RedisServer;
  before(async () => {
    redis = await RedisServer.start({ durable: true });
  });
  after(async () => {
    await redis.destroy();
  });

  it("brings a workshop back after kill -9 of the server: PIN, cluster, clock and score, and players rejoin", async () => {
    const a = await ServerProcess.start({ REDIS_URL: redis.url });
    const host = await new Client(a.ws).create("cluster", { mode: "workshop", scenario: "node-down", nickname: "Teacher" });
    const hw = await enter(host);
    const student = await new Client(a.ws).joinById(await roomIdOf(a, hw.pin), { pin: hw.pin, nickname: "Ada" });
    const sw = await enter(student);
    expect((await k8s(a, hw.pin, sw.apiToken!, "/api/v1/nodes")).status).to.equal(200);
    student.send("seat.take", { seat: "kubelet:node-2" });
    host.send("host.start", {});
    host.send("host.start", {});
    host.send("host.speed", { speed: 4 });
    await until(() => (host.state as any).time >= 8000, 10_000, "game time");
    await new Promise((r) => setTimeout(r, 300));
    const before = { time: (host.state as any).time as number, revision: (host.state as any).revision as number };
    await a.stop("SIGKILL");

    const b = await ServerProcess.start({ REDIS_URL: redis.url });
    await restoredBy(b, hw.pin);
    const roomId = await roomIdOf(b, hw.pin);
    const back = await new Client(b.ws).joinById(roomId, { pin: hw.pin, nickname: "Teacher", hostToken: hw.hostToken });
    const bw = await enter(back);
    expect(bw.host).to.equal(true);
    await until(() => (back.state as any).time > 0, 5000, "the restored state");
    const s = back.state as any;
    const restoredAt = s.time as number;
    expect(s.pin).to.equal(hw.pin);
    expect(s.phase).to.equal("paused");
    // As saved at the kill: the host's last view trails the saved clock by up to a patch (200 ms) and
    // its own delay, which at 4× is up to a couple of seconds of game time on a loaded machine.
    expect(s.time)
      .to.be.at.least(before.time - 1000)
      .and.at.most(before.time + 2500);
    expect(s.revision).to.be.at.least(before.revision - 50);
    expect(s.served).to.be.greaterThan(0);
    // A stranger under Ada's nickname gets nothing; Ada comes back by her player key.
    const impostor = await new Client(b.ws).joinById(roomId, { pin: hw.pin, nickname: "Ada" }).then(
      () => "let in",
      (err: Error) => err.message,
    );
    expect(impostor).to.match(/already called Ada/);
    const ada = await new Client(b.ws).joinById(roomId, { pin: hw.pin, playerKey: sw.playerKey });
    await enter(ada);
    await until(
      () => [...(back.state as any).players.values()].some((p: any) => p.nickname === "Ada" && p.seats.includes("kubelet:node-2")),
      5000,
      "Ada back in her seat",
    );
    // Ada's kubeconfig from before the crash still works: API tokens are saved with the game.
    const nodes = await k8s(b, hw.pin, sw.apiToken!, "/api/v1/nodes");
    expect(nodes.status, JSON.stringify(nodes.body)).to.equal(200);
    expect(nodes.body.items.map((n: any) => n.metadata.name)).to.include("node-2");
    const answers: { type: string; result: { message: string } }[] = [];
    back.onMessage("result", (m) => answers.push(m));
    back.send("host.resume", {});
    await until(() => answers.length > 0, 3000, "an answer to resume");
    expect(answers[0].result.message, JSON.stringify(answers)).to.equal("resumed");
    await until(() => (back.state as any).phase === "running" && (back.state as any).time > restoredAt, 5000, "the game running on");
    await b.stop("SIGKILL");
  });

  it("SIGTERM saves every room and tells its clients before the process exits", async () => {
    const a = await ServerProcess.start({ REDIS_URL: redis.url });
    const host = await new Client(a.ws).create("cluster", { mode: "workshop", scenario: "first-pod", nickname: "T" });
    const hw = await enter(host);
    const told = new Promise<{ message: string }>((r) => host.onMessage("shutdown", r));
    host.send("host.start", {});
    await until(() => (host.state as any).phase === "intro", 5000);
    expect(await a.stop("SIGTERM")).to.equal(0);
    expect((await told).message).to.match(/saved/);
    const b = await ServerProcess.start({ REDIS_URL: redis.url });
    await restoredBy(b, hw.pin);
    await b.stop("SIGKILL");
  });

  it("two server processes share the rooms: join through one a room that lives on the other", async () => {
    const a = await ServerProcess.start({ REDIS_URL: redis.url });
    const b = await ServerProcess.start({ REDIS_URL: redis.url });
    const host = await new Client(a.ws).create("cluster", { mode: "workshop", scenario: "first-pod", nickname: "T" });
    const hw = await enter(host);
    const roomId = await roomIdOf(b, hw.pin);
    const viaB = await new Client(b.ws).joinById(roomId, { pin: hw.pin, nickname: "Bo" });
    await enter(viaB);
    await until(() => (host.state as any).players.size === 2, 5000, "both players in the one room");
    await until(() => (viaB.state as any).players?.size === 2, 5000, "B's client to see the room");
    // The Kubernetes API on B reads the room's objects from Redis and hands writes to the room on A.
    host.send("host.start", {});
    host.send("host.start", {});
    await until(() => (host.state as any).phase === "running", 5000, "the game running");
    const nodes = await k8s(b, hw.pin, hw.hostToken!, "/api/v1/nodes");
    expect(nodes.status).to.equal(200);
    expect(nodes.body.items.map((n: any) => n.metadata.name)).to.include.members(["cp-1", "node-1"]);
    const cordon = await k8s(b, hw.pin, hw.hostToken!, "/api/v1/nodes/node-1", {
      method: "PATCH",
      body: JSON.stringify({ spec: { unschedulable: true } }),
      headers: { "Content-Type": "application/merge-patch+json" },
    });
    expect(cordon.status, JSON.stringify(cordon.body)).to.equal(200);
    expect(cordon.body.spec.unschedulable).to.equal(true);
    await until(() => (host.state as any).nodes.get("node-1")?.unschedulable === true, 5000, "the cordon in the room on A");
    await a.stop("SIGKILL");
    await b.stop("SIGKILL");
  });

  it("refuses to start, in one line naming it, when REDIS_URL points at nothing", async () => {
    let err: unknown;
    try {
      await ServerProcess.start({ REDIS_URL: "redis://127.0.0.1:1" });
    } catch (e) {
      err = e;
    }
    expect(String(err)).to.match(/cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
  });
});
