/**
 * axe-core (the accessibility engine of Deque's tools) over every screen: start, the lobby (the
 * host's and a student's), the game from each role's seat, the host's running game and the debrief,
 * at 1280×720 and on a phone. A serious or critical violation fails, listed with where it is.
 */
import { closeBrowser, closePages, hostWorkshop, joinWorkshop, openPage, PHONE, soloGame } from "../support/browser.ts";
import { expectClean } from "../support/a11y.ts";

describe("accessibility (axe-core): no serious or critical violation on any screen", function () {
  this.timeout(180_000);
  afterEach(async function () {
    await closePages(this);
  });
  after(closeBrowser);

  it("the start screen, at 1280×720 and on a phone", async () => {
    const page = await openPage();
    await page.waitForSelector("#solo");
    await expectClean(page, "start");
    const phone = await openPage(390, 844, PHONE);
    await phone.waitForSelector("#solo");
    await expectClean(phone, "start on a phone");
  });

  it("the lobby: the host's (with the intro over it, then without) and a student's", async () => {
    const { host, pin } = await hostWorkshop("node-down", 1280, 720);
    await expectClean(host, "the host's lobby, intro open");
    const ada = await joinWorkshop(pin, "Ada");
    await host.click('.overlay [data-action="intro.ok"]');
    await host.waitForSelector('[data-drag-player]:has-text("Ada")');
    await expectClean(host, "the host's lobby");
    await expectClean(ada, "a student's lobby");
  });

  for (const seat of ["scheduler", "controller-manager", "kubelet:node-1", "kube-proxy:node-1"]) {
    it(`the game from the ${seat} seat`, async () => {
      const page = await soloGame(seat, "node-down");
      await page.waitForTimeout(1500);
      await expectClean(page, seat);
    });
  }

  it("the game on a phone", async () => {
    const page = await soloGame("scheduler", "node-down", false, PHONE);
    await page.waitForTimeout(1500);
    await expectClean(page, "the scheduler on a phone");
  });

  it("the host's running game and the debrief (with no points for speed, which the debrief says)", async () => {
    const host = await openPage();
    await host.selectOption("#host select[name=scenario]", "first-pod");
    await host.setChecked("#host input[name=questions]", false);
    await host.setChecked("#host input[name=noSpeedPoints]", true);
    await host.click("#host button[type=submit]");
    const pin = (await host.textContent(".overlay .pin"))!.trim();
    await joinWorkshop(pin, "Ada");
    await host.click('.overlay [data-action="intro.ok"]');
    await host.waitForSelector('[data-action="host.noSpeedPoints"][aria-pressed="true"]');
    await host.click('[data-action="host.start"]');
    await host.click('.overlay [data-action="host.start"]');
    await host.waitForSelector("#phase:has-text('running')");
    await expectClean(host, "the host's running game");
    await host.click('[data-action="host.endAsk"]');
    await host.click('[data-action="host.end"]');
    await host.waitForSelector("#debrief");
    await host.waitForSelector('#debrief :text("no points for speed")');
    await host.waitForTimeout(1000);
    await expectClean(host, "the debrief");
  });
});
