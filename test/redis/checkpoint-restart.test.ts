import { expect } from "chai";
import "../../server/polyfill.ts";
import { Client, type Room } from "@colyseus/sdk";
import { RedisServer } from "../support/redisServer.ts";
import { ServerProcess } from "../support/serverProcess.ts";
import { until } from "../support/gameServer.ts";

interface Welcome {
  pin: string;
  playerKey: string;
  hostToken?: string;
}
type Result = { type: string; result: { code: number; message: string } };

/** Joined: the welcome, and every answer the room sends. */
async function enter(room: Room): Promise<{ welcome: Welcome; results: Result[] }> {
  const results: Result[] = [];
  room.onMessage("result", (m: Result) => results.push(m));
  room.onMessage("shutdown", () => {});
  room.onMessage("exitCheck", () => {});
  const welcome = await new Promise<Welcome>((r) => room.onMessage("welcome", r));
  return { welcome, results };
}

async function roomIdOf(server: ServerProcess, pin: string): Promise<string> {
  const res = await fetch(`${server.url}/api/pin/${pin}`);
  return ((await res.json()) as { roomId: string }).roomId;
}

/** Sends a message and waits for its answer. */
async function ask(room: Room, results: Result[], type: string, msg: Record<string, unknown> = {}): Promise<Result["result"]> {
  const n = results.length;
  room.send(type, msg);
  await until(() => results.length > n, 5000, `an answer to ${type}`);
  return results[n].result;
}

describe("a checkpoint across a server restart", function () {
  this.timeout(90_000);
  let redis: RedisServer;
  before(async () => {
    redis = await RedisServer.start({ durable: true });
  });
  after(async () => {
    await redis.destroy();
  });

  it("after kill -9 the game comes back paused on the same question, with the answers given, and goes on from there", async () => {
    const a = await ServerProcess.start({ REDIS_URL: redis.url });
    const host = await new Client(a.ws).create("cluster", { mode: "workshop", scenario: "first-pod", nickname: "Teacher", questions: true });
    const h = await enter(host);
    const pin = h.welcome.pin;
    const ada = await new Client(a.ws).joinById(await roomIdOf(a, pin), { pin, nickname: "Ada" });
    const ad = await enter(ada);
    await ask(host, h.results, "host.start");
    await ask(host, h.results, "host.start");
    await until(() => (ada.state as any).question?.id === "fp-after-create", 20_000, "the tour's first question");
    expect((await ask(ada, ad.results, "answer", { question: "fp-after-create", choice: 0 })).code).to.equal(200);
    await new Promise((r) => setTimeout(r, 500)); // the save lands
    await a.stop("SIGKILL");

    const b = await ServerProcess.start({ REDIS_URL: redis.url });
    const roomId = await roomIdOf(b, pin);
    const back = await new Client(b.ws).joinById(roomId, { pin, hostToken: h.welcome.hostToken });
    const hb = await enter(back);
    const ada2 = await new Client(b.ws).joinById(roomId, { pin, playerKey: ad.welcome.playerKey });
    const ab = await enter(ada2);
    await until(() => (back.state as any).question?.id === "fp-after-create", 5000, "the open question, restored");
    expect((back.state as any).phase).to.equal("paused");
    expect((back.state as any).question.answer).to.equal(-1);
    // Ada's answer was kept: she cannot answer twice, and the host's counts show it.
    expect((await ask(ada2, ab.results, "answer", { question: "fp-after-create", choice: 1 })).message).to.match(/already answered/);
    await until(() => (back.state as any).tally?.get("open")?.counts[0] === 1, 5000, "the host's counts after the restart");
    expect((await ask(back, hb.results, "host.resume")).code).to.equal(409);
    expect((await ask(back, hb.results, "host.reveal")).code).to.equal(200);
    expect((await ask(back, hb.results, "host.resume")).code).to.equal(200);
    await until(() => (back.state as any).phase === "running" || (back.state as any).question?.id === "fp-after-bind", 5000, "the tour going on");
    await b.stop("SIGKILL");
  });
});
