import { expect } from "chai";
import type { Page } from "playwright-core";
import { closeBrowser, closePages, hostWorkshop, joinWorkshop, soloGame } from "../support/browser.ts";

/** The cells of a deployment's row in the controller manager's panel: name, desired, actual, ready. */
async function replicas(page: Page, deployment: string): Promise<{ desired: number; actual: number; short: boolean }> {
  const row = page.locator(`[data-panel="controller-manager"] tr`, { has: page.locator(`td:text-is("${deployment}")`) });
  const cells = await row.locator("td").allTextContents();
  return { desired: Number(cells[1]), actual: Number(cells[2]), short: (await row.locator("td.warn").count()) > 0 };
}

describe("the role panels in a real browser", function () {
  this.timeout(90_000);
  afterEach(async function () {
    await closePages(this);
  });
  after(closeBrowser);

  it("the controller manager sees desired against actual replicas and creates a missing pod", async () => {
    // first-pod: the web deployment wants 3 replicas and nobody but this player creates them.
    const page = await soloGame("controller-manager");
    await page.waitForSelector('[data-panel="controller-manager"] [data-action="createPod"][data-deployment="web"]');
    expect(await replicas(page, "web")).to.deep.equal({ desired: 3, actual: 0, short: true });
    expect(await page.textContent('[data-panel="controller-manager"] h3')).to.contain("3 replicas missing");

    await page.click('[data-panel="controller-manager"] [data-action="createPod"][data-deployment="web"]');
    await page.waitForSelector('[data-answer="controller-manager"].ok:has-text("created for web")');
    await page.waitForFunction(() => document.querySelector('[data-panel="controller-manager"] h3')?.textContent?.includes("2 replicas missing"));
    expect(await replicas(page, "web")).to.deep.include({ desired: 3, actual: 1 });
    // The bots bind and start it: the API server wrote the pod, and it runs.
    const pod = (await page.textContent('[data-answer="controller-manager"]'))!.match(/pod (\S+) created/)![1];
    await page.waitForSelector(`#events :text("Container of ${pod} is ready")`, { timeout: 30_000 });
  });

  it("a panel folds and unfolds from the keyboard, and the focus stays on its header", async () => {
    const page = await soloGame("controller-manager");
    const header = '[data-panel="controller-manager"] h3.fold';
    await page.waitForSelector(`${header}[aria-expanded="true"]`);
    await page.focus(header);
    await page.keyboard.press("Enter");
    await page.waitForSelector(`[data-panel="controller-manager"].folded ${"h3.fold"}[aria-expanded="false"]`);
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.fold)).to.equal("controller-manager");
    await page.keyboard.press(" ");
    await page.waitForSelector(`${header}[aria-expanded="true"]`);
    expect(await page.isVisible('[data-panel="controller-manager"] [data-action="createPod"]')).to.equal(true);
    // Space on the header folded the panel; it did not pause the game.
    expect(await page.textContent("#phase")).to.match(/running|intro/);
  });

  it("a kube-proxy's stale rule is marked after an endpoint goes, and a sync through the panel clears it", async () => {
    const { host, pin } = await hostWorkshop("free-play");
    const ada = await joinWorkshop(pin, "Ada");
    await ada.click('[data-panel="seats"] [data-action="seat.take"][data-seat="kube-proxy:node-1"]');
    const web = '[data-panel="kube-proxy:node-1"] tr:has(td:text-is("web"))';
    await ada.waitForSelector(`${web} .ok:has-text("in sync")`);
    const pod = (await ada.textContent(`${web} .chip`))!.trim();

    await host.click('.overlay [data-action="host.start"]');
    await host.click('.overlay [data-action="host.start"]');
    await host.waitForSelector("#phase:has-text('running')");
    // The kube-proxy sees how long the requests entering its node take, to a pod there or elsewhere.
    await ada.waitForSelector('[data-panel="kube-proxy:node-1"] .latency:has-text("same node")', { timeout: 20_000 });
    expect(await ada.textContent('[data-panel="kube-proxy:node-1"] .latency')).to.match(/same node (\d+ ms|–) · other node (\d+ ms|–)/);
    await host.selectOption('[data-field="failure"]', "killPod");
    await host.selectOption('[data-field="pod"]', pod);
    await host.click('[data-action="host.chaos"]');
    await host.waitForSelector('[data-answer="host.chaos"].ok');

    // The endpoints controller drops the pod; this node's rules (played by Ada, not a bot) still send to it.
    await ada.waitForSelector(`${web} .chip.stale:text-is("${pod}")`);
    expect(await ada.textContent(`${web} span.stale:not(.chip)`)).to.match(/stale: 1 gone/);
    expect(await ada.textContent('[data-panel="kube-proxy:node-1"] h3')).to.contain("stale");

    await ada.click(`${web} [data-action="syncRules"][data-mode="local-first"]`);
    await ada.waitForSelector('[data-answer="kube-proxy:node-1"].ok');
    await ada.waitForSelector(`${web} .chip:text-is("${pod}")`, { state: "detached" });
    expect(await ada.locator(`${web} .chip.stale`).count()).to.equal(0);
  });
});
