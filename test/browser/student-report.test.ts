/**
 * The student report in the debrief, in real browsers at 1280×720: a workshop is played to the
 * debrief; a student reads their own report (seats, requests, against the bot) and downloads its
 * CSV; the host reads the table of every student, opens one, and finds the class downloads.
 */
import { readFile } from "node:fs/promises";
import { expect } from "chai";
import type { Page } from "playwright-core";
import { parseCsv } from "../support/csv.ts";
import { closeBrowser, closePages, hostWorkshop, joinWorkshop, soloGame } from "../support/browser.ts";
import { gameServer, serverRoom } from "../support/gameServer.ts";

/** A request Ada's client could send that the API server refuses (404: no such pod), made on the server behind her page. */
async function refusedBind(pin: string, nickname: string): Promise<void> {
  const { port } = await gameServer();
  const { roomId } = (await (await fetch(`http://127.0.0.1:${port}/api/pin/${pin}`)).json()) as { roomId: string };
  const session = (await serverRoom(roomId)).session;
  const id = [...session.players.values()].find((p) => p.nickname === nickname)!.id;
  expect(session.request(id, "scheduler", { type: "bind", pod: "no-such-pod", node: "node-1" }).code).to.equal(404);
}

/** Binds the first pending pod in the scheduler panel to the node the panel suggests. */
async function bindOne(page: Page): Promise<void> {
  const button = '[data-panel="scheduler"] [data-action="bind"]';
  await page.waitForSelector(button);
  await page.click(button);
  await page.waitForSelector(`[data-answer="scheduler"]:has-text("bound to")`);
}

describe("the student report, in the debrief", function () {
  this.timeout(150_000);
  afterEach(async function () {
    await closePages(this);
  });
  after(closeBrowser);

  it("a student reads and downloads their own report; the host reads every student's", async () => {
    const { host, pin } = await hostWorkshop("first-pod", 1280, 720);
    const ada = await joinWorkshop(pin, "Ada");
    const bo = await joinWorkshop(pin, "Bo");
    await ada.click('[data-panel="seats"] [data-action="seat.take"][data-seat="scheduler"]');
    await ada.waitForSelector('[data-panel="scheduler"]');
    await bo.click('[data-panel="seats"] [data-action="seat.take"][data-seat="kubelet:node-1"]');
    await bo.waitForSelector("text=you now play kubelet:node-1");
    await host.click('.overlay [data-action="host.start"]');
    await host.click('.overlay [data-action="host.start"]');
    await host.waitForSelector("#phase:has-text('running')");
    await bindOne(ada);
    await refusedBind(pin, "Ada");
    await host.click('[data-action="host.endAsk"]');
    await host.click('[data-action="host.end"]');

    // The student's own report, with "you against the bot" filled in once the replay is done.
    await ada.waitForSelector("#report h3:has-text('Your report')", { timeout: 30_000 });
    await ada.waitForSelector("#report table.report li:has-text('a pending pod waited to be bound')", { timeout: 60_000 });
    const mine = (await ada.textContent("#report"))!;
    expect(mine).to.match(/Seats held\s*scheduler 0:00–end/);
    expect(mine).to.match(/Requests sent\s*2: bind ×2/);
    expect(mine).to.match(/Refused\s*1 in all\s*1 × NotFound \(404\): what it named was not there/);
    expect(mine).to.match(/with you, (\d+(\.\d+)? s|never) with the bot/);
    expect(mine).to.not.include("Bo");
    await ada.locator("#report").scrollIntoViewIfNeeded();
    await ada.screenshot({ path: "test-results/report-student-1280.png" }).catch(() => undefined);
    const [download] = await Promise.all([ada.waitForEvent("download"), ada.click("#report .report-links a:has-text('CSV')")]);
    const rows = parseCsv(await readFile((await download.path())!, "utf8"));
    expect(rows.map((r) => r[0])).to.deep.equal(["nickname", "Ada"]);
    expect(rows[1].slice(2, 4)).to.deep.equal(["2", "1"]); // two requests sent, one refused

    // The host's table: every student, each report a click away, and the class downloads.
    await host.waitForSelector('#report h3:has-text("Students\' reports (2)")', { timeout: 30_000 });
    const names = await host.locator("#report table.report-class tr td:first-child").allTextContents();
    expect(names).to.deep.equal(["Ada", "Bo"]);
    await host.click('#report [data-student="Bo"]');
    expect(await host.textContent("#report-student")).to.match(/Seats held\s*kubelet:node-1/);
    const classCsv = (await host.getAttribute("#report .report-links a:has-text('class CSV')", "href"))!;
    expect(classCsv).to.match(new RegExp(`^/api/rooms/${pin}/report\\.csv\\?token=`));
    await host.locator("#report").scrollIntoViewIfNeeded();
    await host.screenshot({ path: "test-results/report-host-1280.png" }).catch(() => undefined);
  });

  it("solo: the player, who hosts their own game, reads their own report rather than a class table", async () => {
    const page = await soloGame("scheduler");
    await bindOne(page);
    await page.click('[data-action="host.endAsk"]');
    await page.click('[data-action="host.end"]');
    await page.waitForSelector("#report h3:has-text('Your report')", { timeout: 30_000 });
    expect(await page.textContent("#report")).to.match(/Requests sent\s*1: bind ×1/);
    expect(await page.locator("#report table.report-class").count()).to.equal(0);
  });
});
