import { expect } from "chai";
import "../../server/polyfill.ts";
import { createClient } from "redis";
import { RedisServer } from "../support/redisServer.ts";
import { ServerProcess } from "../support/serverProcess.ts";
import { until } from "../support/gameServer.ts";
import { createClass, joinClass, tell, type ClassMember } from "../support/classClient.ts";

/** Which server process holds each room, as Colyseus' Redis driver lists them. */
async function processOfRooms(redisUrl: string): Promise<Map<string, string>> {
  const redis = createClient({ url: redisUrl });
  await redis.connect();
  try {
    const all = await redis.hGetAll("roomcaches");
    return new Map(Object.entries(all).map(([roomId, json]) => [roomId, (JSON.parse(json) as { processId: string }).processId]));
  } finally {
    await redis.quit();
  }
}

describe("a class across server processes on Redis", function () {
  this.timeout(120_000);
  let redis: RedisServer;
  let a: ServerProcess;
  let b: ServerProcess;
  before(async () => {
    redis = await RedisServer.start();
    a = await ServerProcess.start({ REDIS_URL: redis.url });
    b = await ServerProcess.start({ REDIS_URL: redis.url });
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.destroy();
  });

  it("spreads its team rooms over both processes; the class sees every team's summary, and the host's pause reaches all", async () => {
    const host = await createClass(a.ws, { scenario: "node-down", teams: 4 });
    const state = host.room.state as any;
    await until(() => state.teams?.length === 4, 10_000, "four teams");
    const teamRooms = [...state.teams].map((t: any) => t.roomId as string);
    const where = await processOfRooms(redis.url);
    const processes = new Set(teamRooms.map((id) => where.get(id)));
    expect(processes.size, "team rooms on both processes").to.equal(2);

    // Students join the class through the other process; each follows its ticket to its team, wherever it runs.
    const kids: ClassMember[] = [];
    for (const [i, team] of ["t1", "t2", "t3", "t4"].entries()) {
      const k = await joinClass(b.url, b.ws, host.welcome.pin, { nickname: `Kid${i}` });
      expect((await tell(k, "team.choose", { team })).code).to.equal(200);
      await until(() => k.team !== undefined, 15_000, `Kid${i} in ${team}`);
      kids.push(k);
    }
    // Every team's summary reaches the class (pushed across processes once a second).
    await until(() => [...state.teams].every((t: any) => t.players === 1 && t.nodes.length > 0), 15_000, "every team's summary");

    await tell(host, "host.start");
    await tell(host, "host.start");
    await until(() => [...state.teams].every((t: any) => t.phase === "running"), 15_000, "every team running");
    expect((await tell(host, "host.pause")).message).to.match(/every team/);
    await until(() => state.phase === "paused" && [...state.teams].every((t: any) => t.phase === "paused"), 15_000, "every team paused");
    // Each student's own team room says so too.
    await until(
      () => kids.every((k) => (k.team!.room.state as any).phase === "paused"),
      15_000,
      `every team room paused (${kids.map((k) => `${k.team?.room.roomId}:${(k.team?.room.state as any)?.phase}`)} vs ${teamRooms})`,
    );
    const times = [...state.teams].map((t: any) => t.gameNow);
    await new Promise((r) => setTimeout(r, 1500));
    expect(
      [...state.teams].map((t: any) => t.gameNow),
      "paused clocks stand still",
    ).to.deep.equal(times);

    // Chaos at one game time in every team, on both processes.
    await tell(host, "host.resume");
    const chaos = await tell(host, "host.chaos", { failure: { type: "crashNode", node: "node-1" }, label: "cross-process chaos" });
    expect(chaos.code, chaos.message).to.equal(200);
    await until(() => [...state.teams].every((t: any) => t.incidents === 1), 20_000, "every team met the failure");
    for (const k of kids) {
      await k.team?.room.leave().catch(() => undefined);
      await k.room.leave().catch(() => undefined);
    }
    await host.room.leave();
  });
});
