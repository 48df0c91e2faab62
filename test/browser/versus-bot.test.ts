/**
 * "You against the bot" in the debrief, in a real browser at 1280×720: a solo scheduler binds a
 * pod to a node other than the default pick, ends the game, and reads the replay's comparison
 * with that binding among the moments their choice differed from the bot's.
 */
import { expect } from "chai";
import type { Page } from "playwright-core";
import { closeBrowser, closePages, hostWorkshop, joinWorkshop, soloGame } from "../support/browser.ts";

/** Binds the first pending pod in the scheduler panel to a node that fits but is not the default pick. */
async function bindOffThePick(page: Page): Promise<{ pod: string; node: string }> {
  const elsewhere = '[data-panel="scheduler"] tr:not(:has(.chip)) [data-action="bind"].primary';
  await page.waitForSelector(elsewhere);
  const pod = (await page.getAttribute(elsewhere, "data-pod"))!;
  const node = (await page.getAttribute(elsewhere, "data-node"))!;
  await page.click(elsewhere);
  await page.waitForSelector(`[data-answer="scheduler"]:has-text("bound to")`);
  return { pod, node };
}

/** Presses End… and confirms it. */
async function endGame(page: Page): Promise<void> {
  await page.click('[data-action="host.endAsk"]');
  await page.click('[data-action="host.end"]');
}

describe("you against the bot, in the debrief", function () {
  this.timeout(120_000);
  afterEach(async function () {
    await closePages(this);
  });
  after(closeBrowser);

  it("solo as the scheduler: a binding off the default pick shows as a differing moment", async () => {
    const page = await soloGame("scheduler");
    const { pod, node } = await bindOffThePick(page);
    await endGame(page);
    await page.waitForSelector("#debrief #vs-bot h3:has-text('You against the bot')");
    await page.waitForSelector("#vs-bot ul.moments li", { timeout: 60_000 });
    const first = (await page.textContent("#vs-bot ul.moments li"))!;
    expect(first).to.match(new RegExp(`^\\d+:\\d\\d you bound ${pod} to ${node}; the bot would have picked node-\\d+`));
    const section = (await page.textContent("#vs-bot"))!;
    expect(section).to.match(/With you\s*With the bot/);
    expect(section).to.match(/availability\s*\d+\.\d%\s*\d+\.\d%/);
    // Readable at 1280×720: the section starts inside the window, and its text is not clipped sideways.
    const box = (await page.locator("#vs-bot").boundingBox())!;
    expect(box.y).to.be.below(720);
    expect(box.x + box.width).to.be.at.most(1280);
    await page.screenshot({ path: "test-results/debrief-vs-bot-1280.png" }).catch(() => undefined);
  });

  it("a workshop: the player reads their own comparison, the host every player's", async () => {
    const { host, pin } = await hostWorkshop("first-pod");
    const ada = await joinWorkshop(pin, "Ada");
    await ada.click('[data-panel="seats"] [data-action="seat.take"][data-seat="scheduler"]');
    await ada.waitForSelector('[data-panel="scheduler"]');
    await host.click('.overlay [data-action="host.start"]');
    await host.click('.overlay [data-action="host.start"]');
    await host.waitForSelector("#phase:has-text('running')");
    const { pod } = await bindOffThePick(ada);
    await endGame(host);
    await ada.waitForSelector("#vs-bot ul.moments li", { timeout: 60_000 });
    expect(await ada.textContent("#vs-bot ul.moments li")).to.include(`you bound ${pod}`);
    expect(await ada.locator("#vs-bot .vs-bot-all").count()).to.equal(0);
    await host.waitForSelector("#vs-bot .vs-bot-all summary:has-text('Every player against the bot (1)')", { timeout: 60_000 });
    expect(await host.textContent("#vs-bot")).to.include("You held no seat");
    await host.click("#vs-bot .vs-bot-all summary");
    expect(await host.textContent("#vs-bot .vs-bot-all")).to.match(new RegExp(`Ada \\(scheduler\\):[\\s\\S]*you bound ${pod}`));
    await host.screenshot({ path: "test-results/debrief-vs-bot-host-1600.png" }).catch(() => undefined);
  });
});
