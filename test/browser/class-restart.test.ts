/**
 * A class in real browsers through a server restart on Redis: the host's class lobby says
 * "reconnecting…" and comes back by itself with the same PIN and teams; the student's page, in
 * their team's game, is sent back into that team's (restored) game by the class, paused, without
 * a "lost" banner; the projector's wall comes back by itself; the host who was in a team's game
 * (not the lobby) is back in that team's game.
 * Runs against real server processes serving the built client (npm run build:client).
 */
import { expect } from "chai";
import { mkdirSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS } from "../../server/bench/support.ts";
import { chooseTeam, createClassOn, enterClass, startEveryTeam } from "../support/browser.ts";
import { freePort, RedisServer } from "../support/redisServer.ts";
import { ServerProcess } from "../support/serverProcess.ts";

const SHOTS = "test-results/class-restart";

describe("a class in the browser through a server restart (Redis)", function () {
  this.timeout(180_000);
  const stores: RedisServer[] = [];
  let browser: Browser;
  const servers: ServerProcess[] = [];
  before(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    for (const s of servers) await s.stop("SIGKILL");
    for (const r of stores) await r.destroy();
  });

  /**
   * A server on a port and a Redis of its own (the only process: no other takes its rooms over; the
   * same address before and after a restart: the pages stay where they are), and a class of two teams on it.
   */
  async function classOnServer() {
    const redis = await RedisServer.start();
    stores.push(redis);
    const port = await freePort();
    const env = { REDIS_URL: redis.url, PORT: String(port), PUBLIC_ADDRESS: `127.0.0.1:${port}` };
    servers.push(await ServerProcess.start(env));
    const page = async () => {
      const p = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
      p.setDefaultTimeout(30_000);
      await p.goto(`http://127.0.0.1:${port}/`);
      return p;
    };
    const host = await page();
    const pin = await createClassOn(host, 2);
    const server = servers[servers.length - 1];
    const restart = async () => {
      await server.stop("SIGTERM");
      servers.push(await ServerProcess.start(env));
    };
    return { host, pin, page, server, restart };
  }

  it("the host's lobby and the student's team game come back by themselves", async () => {
    const { host, pin, page, server, restart } = await classOnServer();

    const ada = await enterClass(await page(), pin, "Ada");
    await chooseTeam(ada, "t1");
    await startEveryTeam(host);
    await ada.waitForSelector("#phase:has-text('running')");
    // The wall's projector, opened from the lobby's link.
    const wall = await page();
    await wall.goto(new URL((await host.getAttribute(".projector-link", "href"))!, wall.url()).href);
    await wall.waitForSelector('.wall-team[data-team="t1"] .team-phase:has-text("playing")');

    await server.stop("SIGTERM");
    await host.waitForSelector(".class-lobby .banner:has-text('reconnecting')");
    await host.screenshot({ path: `${SHOTS}/host-reconnecting.png` });
    await restart();

    await host.waitForSelector(".class-lobby .team-card");
    await host.waitForFunction(() => !document.querySelector(".class-lobby .banner"));
    expect((await host.textContent(".class-lobby header .pin"))!.trim()).to.equal(pin);
    // The restored teams report paused; the host resumes every team from the same lobby.
    await host.waitForSelector('.team-card[data-drop-team="t1"]:has-text("paused")');
    // The wall follows the restored class (it showed "playing" when its server went away).
    await wall.waitForSelector('.wall-team[data-team="t1"] .team-phase:has-text("paused")');
    await host.screenshot({ path: `${SHOTS}/host-back.png` });
    await ada.waitForSelector("#phase:has-text('paused')");
    expect((await ada.textContent("#goal .team-badge"))!.trim()).to.equal("Orange");
    await host.click('[data-action="host.resume"]');
    await ada.waitForSelector("#phase:has-text('running')");
    expect(await ada.$$eval("#banner .banner", (b) => b.map((x) => x.textContent)), "no banner left on the student's game").to.deep.equal([]);
    await ada.screenshot({ path: `${SHOTS}/student-back.png` });
    // And goes on with it: the same class and PIN, both teams, nothing said of a loss.
    await wall.waitForSelector('.wall-team[data-team="t1"] .team-phase:has-text("playing")');
    expect(await wall.textContent(".pj-title")).to.include(`PIN ${pin}`);
    expect(await wall.$$eval(".wall-team", (cards) => cards.length)).to.equal(2);
    expect((await wall.textContent(".pj-answer"))?.trim()).to.equal("");
    await wall.screenshot({ path: `${SHOTS}/projector-back.png` });
  });

  it("the host who was in a team's game is back in that team's game, and back to the class from there", async () => {
    const { host, pin, page, restart } = await classOnServer();
    const bo = await enterClass(await page(), pin, "Bo");
    await chooseTeam(bo, "t2");
    await startEveryTeam(host);
    await host.click('[data-action="host.openTeam"][data-team="t2"]');
    await host.waitForSelector("#goal .team-badge:has-text('Sky')");
    await host.waitForSelector("#phase:has-text('running')");

    await restart();
    // Paused as every restored game is, in the same team's game, no banner left; the host resumes it from there.
    await host.waitForSelector("#phase:has-text('paused')", { timeout: 60_000 });
    await host.waitForFunction(() => document.querySelector("#banner")?.textContent?.trim() === "", undefined, { timeout: 30_000 });
    expect((await host.textContent("#goal .team-badge"))!.trim()).to.equal("Sky");
    await host.screenshot({ path: `${SHOTS}/host-team-back.png` });
    await host.click('[data-panel="host"] [data-action="host.resume"]');
    await bo.waitForSelector("#phase:has-text('running')");
    await host.click("#leave:has-text('Back to the class')");
    await host.waitForSelector('.team-card[data-drop-team="t2"]:has-text("Bo")');
  });
});
