/**
 * Failover in a real browser: a student's page (served by one of three game processes on one
 * Redis, as behind a load balancer) is in a workshop whose room runs on another process, in the
 * scheduler's seat. That process is killed with SIGKILL: the page says "reconnecting…", then is
 * back in the same game and seat by itself, the PIN never typed again. Screenshots of both.
 */
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import "../../server/polyfill.ts";
import { Client, type Room } from "@colyseus/sdk";
import { chromium, type Browser } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS } from "../../server/bench/support.ts";
import { followGame } from "../../client/src/net/rejoin.ts";
import { onPath } from "../../server/cli/gameProcesses.ts";
import { RedisServer } from "../support/redisServer.ts";
import { ServerProcess } from "../support/serverProcess.ts";
import { until } from "../support/gameServer.ts";
import { enter, roomIdOf } from "../support/processClient.ts";

/** The public address of the process running the game with this PIN (Colyseus' directory in Redis). */
function processOf(redis: RedisServer, pin: string): string | undefined {
  const raw = execFileSync("redis-cli", ["-p", String(redis.port), "--raw", "hvals", "roomcaches"], { encoding: "utf8" });
  for (const line of raw.split("\n").filter(Boolean)) {
    const room = JSON.parse(line) as { metadata?: { pin?: string }; publicAddress?: string };
    if (room.metadata?.pin === pin) return room.publicAddress;
  }
  return undefined;
}

describe("failover in a real browser", function () {
  this.timeout(180_000);
  let redis: RedisServer | undefined;
  const servers: ServerProcess[] = [];
  let browser: Browser | undefined;

  before(async function () {
    if (!onPath("redis-server")) this.skip();
    redis = await RedisServer.start();
    servers.push(...(await Promise.all([0, 1, 2].map(() => ServerProcess.start({ REDIS_URL: redis!.url })))));
  });
  after(async () => {
    await browser?.close();
    for (const s of servers) await s.stop("SIGKILL");
    await redis?.destroy();
  });

  it("shows reconnecting… when the game's process dies, then puts the student back in the same game and seat by itself", async () => {
    // The host (the Node SDK, following the game as the browser does) opens a workshop on one process.
    const host = await new Client(servers[0].ws).create("cluster", { mode: "workshop", scenario: "first-pod", nickname: "Ms Lee" });
    const hw = (await enter(host)) as Awaited<ReturnType<typeof enter>> & { playerKey: string };
    let hostRoom: Room = host;
    const follow = (room: Room) => {
      hostRoom = room;
      followGame(room, {
        pin: hw.pin,
        lookup: async (pin) => {
          const res = await fetch(`${origin.url}/api/pin/${pin}`);
          return res.ok ? ((await res.json()) as { roomId: string }).roomId : undefined;
        },
        join: async (roomId) => {
          const r = await new Client(origin.ws).joinById(roomId, { pin: hw.pin, playerKey: hw.playerKey });
          await enter(r);
          return r;
        },
        moved: follow,
        status: () => {},
      });
    };
    follow(host);
    const running = processOf(redis!, hw.pin)!;
    const victim = servers.find((s) => running.endsWith(`:${s.port}`))!;
    // The page comes from another process, as a load balancer in front of them would send it.
    const origin = servers.find((s) => s !== victim)!;

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(origin.url);
    await page.fill("#join input[name=pin]", hw.pin);
    await page.fill("#join input[name=nickname]", "Ada");
    await page.click("#join button[type=submit]");
    await page.click("text=Look at the cluster");
    await until(() => [...((hostRoom.state as any).players?.values() ?? [])].some((p: any) => p.nickname === "Ada"), 10_000, "Ada in the game");
    const ada = [...(hostRoom.state as any).players.entries()].find(([, p]: [string, any]) => p.nickname === "Ada")![0] as string;
    hostRoom.send("host.assign", { player: ada, seat: "scheduler" });
    hostRoom.send("host.start", {});
    hostRoom.send("host.start", {});
    await page.waitForSelector('[data-panel="scheduler"]');
    await page.waitForSelector("#phase:has-text('running')");
    expect(await roomIdOf(origin, hw.pin)).to.be.a("string");

    victim.child.kill("SIGKILL");
    await page.waitForSelector("#banner .banner:has-text('reconnecting')", { timeout: 10_000 });
    mkdirSync("test-results/screens", { recursive: true });
    await page.screenshot({ path: "test-results/screens/failover-reconnecting-1280.png" });

    // Back by itself: the banner gone, the same PIN's game (now on another process), Ada in the scheduler's seat.
    await page.waitForFunction(() => document.querySelector("#banner")?.textContent?.trim() === "", undefined, { timeout: 20_000 });
    const now = processOf(redis!, hw.pin);
    expect(now, "the game runs on another process").to.not.equal(running);
    await page.waitForSelector('[data-panel="scheduler"]');
    await page.waitForSelector("#phase:has-text('paused')");
    await page.screenshot({ path: "test-results/screens/failover-back-1280.png" });
    // The host's own connection (following the game by itself) sees her there too, once its next patch comes in.
    const adaSeats = () => {
      const players = [...((hostRoom.state as any).players?.values() ?? [])] as { nickname: string; seats: string[] }[];
      return [...(players.find((p) => p.nickname === "Ada")?.seats ?? [])];
    };
    await until(() => adaSeats().includes("scheduler"), 10_000, "the host sees Ada in the scheduler's seat").catch(() => undefined);
    expect(adaSeats()).to.include("scheduler");
  });
});
