/**
 * The projector view and the class debrief in a real browser (team mode, #12): the host's wall
 * (`/?projector&pin=…#host=…`) shows both teams' mini maps and the PIN with its QR code while the
 * lobby is open; the role leaderboard once players act; the host's board buttons hide the ranking
 * and switch to the class total; at the end, the debrief compares the teams (their timelines in
 * one chart, named at the lines' ends; the failure each met and how fast each recovered).
 * Students play through real sockets (test/support/classClient.ts); screenshots at 1280×720 and
 * 1920×1080 go to test-results/class-views/ for a person to look at.
 */
import { mkdirSync } from "node:fs";
import { expect } from "chai";
import type { Page } from "playwright-core";
import { chooseTeam, closeBrowser, closePages, enterClass, hostClass, openPage, startEveryTeam } from "../support/browser.ts";
import { createClass, joinClass, tell, type ClassMember } from "../support/classClient.ts";
import { gameServer, serverRoom, until } from "../support/gameServer.ts";

const OUT = "test-results/class-views";

async function shot(page: Page, name: string): Promise<void> {
  const { width } = page.viewportSize()!;
  await page.screenshot({ path: `${OUT}/${name}-${width}.png` });
}

/** A projector page on the class, at the given size. */
async function projector(pin: string, hostToken: string, width: number, height: number): Promise<Page> {
  const page = await openPage(width, height);
  await page.goto(`${new URL(page.url()).origin}/?projector&pin=${pin}#host=${encodeURIComponent(hostToken)}`);
  return page;
}

/** The student takes their team's scheduler seat and binds a pending pod from it (over their team room's socket). */
async function bindOne(m: ClassMember): Promise<void> {
  const team = await serverRoom(m.team!.room.roomId);
  const id = m.team!.welcome.playerId;
  const held = team.session.players.get(id)!.seats[0];
  if (held !== "scheduler") expect(team.session.swapSeat(id, held, "scheduler").ok).to.equal(true);
  await until(() => [...team.session.sim.state.pods.values()].some((p) => !p.spec.nodeName), 30_000, "a pending pod");
  const pod = [...team.session.sim.state.pods.values()].find((p) => !p.spec.nodeName)!;
  m.team!.room.onMessage("result", () => {});
  m.team!.room.send("api", { id: 1, seat: "scheduler", request: { type: "bind", pod: pod.metadata.name, node: "node-1" } });
}

describe("the projector view and the class debrief in a real browser", function () {
  this.timeout(180_000);
  afterEach(async function () {
    await closePages(this);
  });
  after(closeBrowser);

  it("shows both teams' maps and the PIN with its QR code, the leaderboards as the host sets them, and the debrief comparing the teams", async () => {
    mkdirSync(OUT, { recursive: true });
    const { port } = await gameServer();
    const http = `http://127.0.0.1:${port}`;
    const ws = `ws://127.0.0.1:${port}`;
    const host = await createClass(ws, { scenario: "first-pod", teams: 2, seed: 5 });
    const { pin, hostToken } = host.welcome;
    const wall = await projector(pin, hostToken!, 1280, 720);
    const big = await projector(pin, hostToken!, 1920, 1080);

    // The lobby: both teams' mini maps, the PIN and the QR code.
    for (const page of [wall, big]) {
      await page.waitForSelector('.wall-team[data-team="t1"] .mini-node');
      await page.waitForSelector('.wall-team[data-team="t2"] .mini-node');
      // The QR code opens the class's join address with its PIN filled in.
      await page.waitForSelector(`.pj-join img.join-qr[alt*="?pin=${pin}"]`, { timeout: 20_000 });
      expect(await page.textContent(".pj-pin")).to.equal(pin);
      expect(await page.locator('.wall-team[data-team="t1"] h2').textContent()).to.equal("Orange");
      expect(await page.locator('.wall-team[data-team="t2"] h2').textContent()).to.equal("Sky");
      // Every node reads its state in words, not by colour alone.
      const states = await page.locator('.wall-team[data-team="t1"] .mini-state').allTextContents();
      expect(states.length).to.equal(5);
      for (const s of states) expect(s).to.be.oneOf(["Ready", "NotReady", "Unknown"]);
    }
    const ada = await joinClass(http, ws, pin, { nickname: "Ada" });
    const bo = await joinClass(http, ws, pin, { nickname: "Bo" });
    await wall.waitForSelector(".pj-join :text('2 students here')");
    await shot(wall, "lobby");
    await shot(big, "lobby");

    // Playing: each team's scheduler binds a pod; the role leaderboard names them.
    for (const [m, team] of [
      [ada, "t1"],
      [bo, "t2"],
    ] as const) {
      expect((await tell(m, "team.choose", { team })).code).to.equal(200);
      await until(() => m.team !== undefined, 15_000, `${m.welcome.nickname} in a team room`);
    }
    await tell(host, "host.start");
    await tell(host, "host.start");
    await wall.waitForSelector(".pj-phase:text('Playing')");
    expect(await wall.locator(".pj-join").count(), "no join box once the game runs").to.equal(0);
    await bindOne(ada);
    await bindOne(bo);
    for (const page of [wall, big]) {
      await page.waitForSelector('.role-board [data-role="scheduler"] li:nth-child(2)', { timeout: 30_000 });
      const names = await page.locator('.role-board [data-role="scheduler"] .who').allTextContents();
      expect(names.join(" | ")).to.match(/Ada/).and.to.match(/Bo/);
      await page.waitForSelector(".team-board li:nth-child(2)");
    }
    const chaos = await tell(host, "host.chaos", { failure: { type: "crashNode", node: "node-3" }, label: "node-3 loses power" });
    expect(chaos.ok).to.equal(true);
    // For the screenshot only (not asserted): node-3 shows down once the node controller marks it.
    await wall.waitForSelector(".wall-team .mini-node.down, .wall-team .mini-node.unknown", { timeout: 60_000 }).catch(() => undefined);
    await shot(wall, "playing");
    await shot(big, "playing");

    // The host's buttons on the wall: the class total instead, then nothing ranked at all.
    await wall.click('[data-board="total"]');
    await wall.waitForSelector(".class-total:has-text('Our class together')");
    await big.waitForSelector(".class-total");
    expect(await wall.locator(".team-board, .role-board").count(), "no ranking beside the total").to.equal(0);
    expect(await wall.getAttribute('[data-board="total"]', "aria-pressed")).to.equal("true");
    await shot(wall, "total");
    await wall.click('[data-board="hidden"]');
    await wall.waitForSelector(".board:has-text('Leaderboard hidden')");
    expect(await wall.locator(".team-board, .role-board, .class-total").count()).to.equal(0);
    await wall.click('[data-board="ranked"]');
    await wall.waitForSelector(".team-board");

    // The end: the debrief compares the teams.
    const state = host.room.state as { gameNow: number };
    await until(() => state.gameNow >= 12_000, 60_000, "12 s of game time");
    await tell(host, "host.end");
    for (const page of [wall, big]) {
      await page.waitForSelector(".class-debrief svg.timeline-chart", { timeout: 30_000 });
      expect(await page.locator(".timeline-chart .line-name").allTextContents()).to.deep.equal(["Orange", "Sky"]);
      expect(await page.locator(".timeline-chart .team-line polyline:not(.halo)").count()).to.equal(2);
      const rows = await page.locator(".incidents-compare tbody tr").allTextContents();
      expect(rows.length).to.equal(2);
      for (const r of rows) expect(r).to.match(/recovered in \d+ s|not recovered/);
      expect(await page.locator(".incidents-compare thead").textContent()).to.include("node-3 loses power");
      expect(await page.locator('.class-debrief .role-board [data-role="scheduler"] li').count()).to.equal(2);
      const links = await page.locator(".students-compare a").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
      expect(links.length).to.equal(2);
      for (const href of links) expect((await fetch(href)).status, href).to.equal(200);
    }
    await shot(wall, "debrief");
    await shot(big, "debrief");
    for (const r of [ada.team!.room, bo.team!.room, ada.room, bo.room, host.room]) await r.leave().catch(() => undefined);
  });
  it("the host opens the projector from the class lobby; at the end host and student compare the teams, the student reading only their own report", async () => {
    const { host, pin } = await hostClass(2);
    // The host's link opens the wall.
    const href = (await host.getAttribute("a.projector-link", "href"))!;
    expect(href).to.include(`?projector&pin=${pin}#host=`);
    const wall = await openPage(1280, 720);
    await wall.goto(href);
    await wall.waitForSelector('.wall-team[data-team="t2"] .mini-node');
    expect(await wall.textContent(".pj-pin")).to.equal(pin);

    const ada = await enterClass(await openPage(1280, 720), pin, "Ada");
    await chooseTeam(ada, "t1");
    await startEveryTeam(host);
    await ada.waitForSelector("#phase:has-text('running')");
    await wall.waitForSelector(".pj-phase:text('Playing')");
    await ada.waitForTimeout(6000);
    await host.click('[data-action="host.end"]');

    // Everyone's screen offers the comparison: the wall shows it, the host and the student open it.
    await wall.waitForSelector(".class-debrief .timeline-chart", { timeout: 30_000 });
    for (const page of [host, ada]) {
      await page.click("#class-debrief-open", { timeout: 30_000 });
      await page.waitForSelector("dialog.class-debrief-dialog[open] .timeline-chart");
      expect(await page.locator("dialog .timeline-chart .line-name").allTextContents()).to.deep.equal(["Orange", "Sky"]);
    }
    await ada.screenshot({ path: `${OUT}/student-class-debrief-1280.png` });
    // The host's links open every student's report; Ada's list links only her own, with her token.
    const hostLinks = await host.locator("dialog .students-compare a").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(hostLinks.length).to.equal(1);
    expect((await fetch(hostLinks[0])).status).to.equal(200);
    const adaLinks = await ada.locator("dialog .students-compare a").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(adaLinks.length).to.equal(1);
    const report = await fetch(adaLinks[0]);
    expect(report.status).to.equal(200);
    expect(((await report.json()) as { students: { nickname: string }[] }).students.map((x) => x.nickname)).to.deep.equal(["Ada"]);
    await ada.keyboard.press("Escape");
    await ada.waitForSelector("dialog.class-debrief-dialog[open]", { state: "detached", timeout: 5000 }).catch(async () => {
      expect(await ada.locator("dialog.class-debrief-dialog").getAttribute("open")).to.equal(null);
    });
  });
});
