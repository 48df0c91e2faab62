/**
 * "You against the bot" in the debrief, in a real browser at 1280×720: a solo scheduler binds a
 * pod to a node other than the default pick, ends the game, and reads the replay's comparison
 * with that binding among the moments their choice differed from the bot's.
 */
import { expect } from "chai";
import { closeBrowser, closePages, soloGame } from "../support/browser.ts";

describe("you against the bot, in the debrief", function () {
  this.timeout(120_000);
  afterEach(async function () {
    await closePages(this);
  });
  after(closeBrowser);

  it("solo as the scheduler: a binding off the default pick shows as a differing moment", async () => {
    const page = await soloGame("scheduler");
    // A pending pod's rows: bind it to a node that fits but is not the default pick.
    const elsewhere = '[data-panel="scheduler"] tr:not(:has(.chip)) [data-action="bind"].primary';
    await page.waitForSelector(elsewhere);
    const pod = await page.getAttribute(elsewhere, "data-pod");
    const node = await page.getAttribute(elsewhere, "data-node");
    await page.click(elsewhere);
    await page.waitForSelector(`[data-answer="scheduler"]:has-text("bound to")`);
    // End may ask for confirmation: say yes.
    page.on("dialog", (d) => void d.accept());
    await page.click('[data-action="host.end"]');
    const confirm = page.locator('.overlay button:has-text("End the game")');
    if (await confirm.isVisible().catch(() => false)) await confirm.click();
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
});
