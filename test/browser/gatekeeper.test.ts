/**
 * A moment of the gatekeeper scenario in a real browser at 1280×720: the player's own binding
 * goes through, an outsider with no credentials is turned away, and each API log line opens
 * (Enter, or a click) to identity → permission → validation → stored at revision N.
 */
import { expect } from "chai";
import { mkdirSync } from "node:fs";
import type { Page } from "playwright-core";
import { closeBrowser, closePages, openPage } from "../support/browser.ts";

/** The API log line whose key (data-line) matches, as a locator. */
const lineWhere = (page: Page, test: string) => page.locator(`#apilog div.line[data-line*="${test}"]`).first();

describe("gatekeeper in a real browser", function () {
  this.timeout(120_000);
  afterEach(async function () {
    await closePages(this);
  });
  after(closeBrowser);

  it("an API log line opens to the API server's four checks: a 401 stops at identity, the player's binding is stored at a revision", async () => {
    const page = await openPage(1280, 720);
    await page.selectOption("#solo select[name=seat]", "scheduler");
    await page.selectOption("#solo select[name=scenario]", "gatekeeper");
    await page.setChecked("#solo input[name=questions]", false);
    await page.click("#solo button[type=submit]");
    expect(await page.textContent(".overlay")).to.contain("gatekeeper for authentication");
    await page.click("text=Start the game");
    await page.waitForSelector("#phase:has-text('running')");

    await page.click('[data-action="host.speed"][data-speed="4"]');
    // At 0:20 the cluster admin scales web to 6: the controller manager's bot creates the pods, this player binds one.
    const bind = '[data-panel="scheduler"] [data-action="bind"].primary';
    await page.waitForSelector(bind, { timeout: 30_000 });
    const pod = (await page.getAttribute(bind, "data-pod"))!;
    await page.click(bind);
    await page.waitForSelector(`[data-answer="scheduler"]:has-text("${pod} bound")`);
    await page.click('[data-panel="host"] [data-action="host.pause"]');
    await page.waitForSelector("#phase:has-text('paused')");

    // The player's own binding, opened from the keyboard: all four checks passed, stored at revision N.
    const mine = lineWhere(page, `/pods/${pod}/binding|`);
    expect(await mine.locator(".gauge").textContent()).to.equal("✓✓✓✓");
    await mine.focus();
    await page.keyboard.press("Enter");
    const checks = page.locator(`#apilog div.line.open[data-line*="/pods/${pod}/binding|"] .checks li`);
    await checks.first().waitFor();
    const read = await checks.allTextContents();
    expect(read[0]).to.equal("✓ identity authenticated as system:kube-scheduler");
    expect(read[1]).to.equal("✓ permission system:kube-scheduler may bind pods");
    expect(read[2]).to.match(/^✓ validation valid/);
    expect(read[3]).to.match(/^✓ stored .*written to etcd/);
    const revision = Number(/(\d+)$/.exec(read[3])?.[1]);
    const now = Number(/revision (\d+)/.exec((await page.textContent("#etcd"))!)?.[1]);
    expect(revision).to.be.greaterThan(0).and.at.most(now);

    // At 0:35 a caller with no credentials tries to scale web to 0: four marks, the first a refusal.
    await page.click('[data-panel="host"] [data-action="host.resume"]');
    const refused = lineWhere(page, "|outsider|PATCH|");
    await refused.waitFor({ timeout: 30_000 });
    await page.click('[data-panel="host"] [data-action="host.pause"]');
    await page.waitForSelector("#phase:has-text('paused')");
    expect(await refused.locator(".gauge").textContent()).to.equal("✗···");
    await refused.click();
    const outsider = page.locator('#apilog div.line.open[data-line*="|outsider|PATCH|"] .checks li');
    await outsider.first().waitFor();
    const said = await outsider.allTextContents();
    expect(said[0]).to.match(/^✗ identity 401 unauthenticated: unknown or expired credentials/);
    expect(said[1]).to.equal("· permission not reached");
    expect(said[3]).to.equal("· stored nothing stored");

    mkdirSync("test-results/screens", { recursive: true });
    await page.screenshot({ path: "test-results/screens/gatekeeper-api-log-1280.png" });
  });
});
