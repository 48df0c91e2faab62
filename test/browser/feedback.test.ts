import { expect } from "chai";
import type { Page } from "playwright-core";
import { closeBrowser, closePages, hostWorkshop, joinWorkshop, openPage } from "../support/browser.ts";

/** The element is inside the viewport and the side column's visible part, and nothing covers it. */
function readable(page: Page, selector: string): Promise<boolean> {
  return page.$eval(selector, (el) => {
    const r = el.getBoundingClientRect();
    const side = document.querySelector("#side")!.getBoundingClientRect();
    const top = document.elementFromPoint(r.left + Math.min(20, r.width / 2), r.top + r.height / 2);
    return r.height > 0 && r.top >= Math.max(0, side.top) && r.bottom <= Math.min(innerHeight, side.bottom) && !!top && el.contains(top);
  });
}

/** How many lines a table cell's text takes on screen (runs in the page). */
function textLines(el: Element): number {
  const range = document.createRange();
  range.selectNodeContents(el);
  return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
}

/** How many lines of its own text a block is tall (runs in the page). */
function blockLines(el: Element): number {
  const cs = getComputedStyle(el);
  const line = parseFloat(cs.lineHeight) || parseFloat(cs.fontSize) * 1.2;
  return Math.round(el.getBoundingClientRect().height / line);
}

/** A solo game in `seat` at 1280×720, started (the size a classroom laptop shows). */
async function solo(seat: string, scenario: string): Promise<Page> {
  const page = await openPage(1280, 720);
  await page.selectOption("#solo select[name=seat]", seat);
  await page.selectOption("#solo select[name=scenario]", scenario);
  await page.setChecked("#solo input[name=questions]", false);
  await page.click("#solo button[type=submit]");
  await page.click("text=Start the game");
  await page.waitForSelector("#phase:has-text('running')");
  return page;
}

/** The host injects a failure from the chaos panel and waits for its answer. */
async function inject(host: Page, failure: string, fields: Record<string, string> = {}): Promise<void> {
  await host.selectOption('[data-field="failure"]', failure);
  for (const [field, value] of Object.entries(fields)) await host.selectOption(`[data-field="${field}"]`, value);
  const before = await host.textContent('[data-answer="host.chaos"]');
  await host.click('[data-action="host.chaos"]');
  await host.waitForFunction((b) => document.querySelector('[data-answer="host.chaos"].ok')?.textContent !== b, before);
}

describe("feedback where the player looks, in a real browser", function () {
  this.timeout(120_000);
  afterEach(async function () {
    await closePages(this);
  });
  after(closeBrowser);

  it("a kubelet's refusal is readable in its panel at 1280×720 without scrolling, even from the last of many pods", async () => {
    // scale-out grows web to 10 replicas at 0:30: the bots bind several to node-1, where they wait for this player.
    const page = await solo("kubelet:node-1", "scale-out");
    await page.click('[data-panel="host"] [data-action="host.speed"][data-speed="4"]');
    const reject = '[data-panel="kubelet:node-1"] [data-action="reject"][data-reason="OutOfcpu"]';
    await page.waitForFunction((sel) => document.querySelectorAll(sel).length >= 2, reject, { timeout: 40_000 });
    await page.locator(reject).last().click();
    await page.waitForSelector('[data-answer="kubelet:node-1"].bad:has-text("422")');
    expect(await readable(page, '[data-answer="kubelet:node-1"]')).to.equal(true);
    // At 1280 wide the header's goal keeps to two lines (title, goal), and no pod name breaks across lines.
    expect(await page.$eval("#goal", blockLines)).to.be.at.most(2);
    const names = page.locator('[data-panel="kubelet:node-1"] tr td:first-child');
    const lines = await Promise.all((await names.all()).map((td) => td.evaluate(textLines)));
    expect(lines.length).to.be.greaterThan(1);
    expect(Math.max(...lines)).to.equal(1);
  });

  it("an API log line cut with an ellipsis opens whole on a click", async () => {
    const page = await solo("kubelet:node-1", "free-play");
    await page.waitForFunction(() => document.querySelectorAll("#apilog div.line").length > 5);
    await page.click('[data-panel="host"] [data-action="host.pause"]');
    await page.waitForSelector("#phase:has-text('paused')");
    const cut = await page.$$eval("#apilog div.line", (els) => els.findIndex((e) => e.scrollWidth > e.clientWidth + 1));
    expect(cut).to.be.greaterThan(-1);
    const line = page.locator("#apilog div.line").nth(cut);
    const key = (await line.getAttribute("data-line"))!;
    await line.click();
    await page.waitForFunction((k) => {
      const el = [...document.querySelectorAll<HTMLElement>("#apilog div.line")].find((e) => e.dataset.line === k);
      return !!el && el.scrollWidth <= el.clientWidth + 1 && getComputedStyle(el).whiteSpace !== "nowrap";
    }, key);
  });

  it("Y syncs every stale service of the kube-proxy, not only the first", async () => {
    const { host, pin } = await hostWorkshop("free-play");
    const ada = await joinWorkshop(pin, "Ada");
    await ada.click('[data-panel="seats"] [data-action="seat.take"][data-seat="kube-proxy:node-1"]');
    const row = (svc: string) => `[data-panel="kube-proxy:node-1"] tr:has(td:text-is("${svc}"))`;
    await ada.waitForSelector(`${row("api")} .ok:has-text("in sync")`);
    const pods = await Promise.all(["web", "api"].map(async (svc) => (await ada.textContent(`${row(svc)} .chip`))!.trim()));
    await host.click('.overlay [data-action="host.start"]');
    await host.click('.overlay [data-action="host.start"]');
    await host.waitForSelector("#phase:has-text('running')");
    for (const pod of pods) await inject(host, "killPod", { pod });
    for (const svc of ["web", "api"]) await ada.waitForSelector(`${row(svc)} span.stale:not(.chip)`);

    await ada.keyboard.press("y");
    for (const svc of ["web", "api"]) await ada.waitForSelector(`${row(svc)} .ok:has-text("in sync")`, { timeout: 10_000 });
    const said = (await ada.textContent('[data-answer="kube-proxy:node-1"]'))!;
    expect(said).to.contain("rules for web").and.contain("rules for api");
  });

  it("Evict pods goes once a NotReady node's pods are evicted, instead of answering 409 on every click", async () => {
    const { host, pin } = await hostWorkshop("free-play");
    const bo = await joinWorkshop(pin, "Bo");
    await bo.click('[data-panel="seats"] [data-action="seat.take"][data-seat="controller-manager"]');
    await bo.waitForSelector('[data-panel="controller-manager"]');
    await host.click('.overlay [data-action="host.start"]');
    await host.click('.overlay [data-action="host.start"]');
    await host.waitForSelector("#phase:has-text('running')");
    await host.click('[data-panel="host"] [data-action="host.speed"][data-speed="4"]');
    await inject(host, "crashNode", { node: "node-2" });

    const cm = '[data-panel="controller-manager"]';
    await bo.click(`${cm} [data-action="markNodeNotReady"][data-node="node-2"]`, { timeout: 30_000 });
    await bo.click(`${cm} [data-action="evictNodePods"][data-node="node-2"]`, { timeout: 30_000 });
    await bo.waitForSelector(`[data-answer="controller-manager"].ok:has-text("evicted")`);
    await bo.waitForSelector(`${cm} [data-action="evictNodePods"][data-node="node-2"]`, { state: "detached" });
    expect(await bo.textContent(`${cm} tr:has(td:text-is("node-2"))`)).to.contain("pods evicted");
  });

  it("the scheduler hears of a binding its kubelet rejects, and B says why when nothing fits", async () => {
    // scale-out: two small workers; the deployment grows past their room at 0:30.
    const page = await solo("scheduler", "scale-out");
    await page.click('[data-panel="host"] [data-action="host.speed"][data-speed="2"]');
    const said = () => page.textContent('[data-answer="scheduler"]');
    // B binds each pending pod to the default pick until nothing fits.
    const deadline = Date.now() + 60_000;
    for (;;) {
      expect(Date.now()).to.be.lessThan(deadline);
      await page.waitForSelector('[data-panel="scheduler"] [data-action="bind"]', { timeout: 40_000 });
      const before = await said();
      await page.keyboard.press("b");
      await page.waitForFunction((b) => document.querySelector('[data-answer="scheduler"]')?.textContent !== b, before);
      if ((await said())!.includes("nothing fits")) break;
    }
    expect(await said()).to.match(/nothing fits \S+ .*node-1: CPU/);

    // Bound anyway to a full node: a warning, then the kubelet's rejection in the scheduler's panel.
    await page.click('[data-panel="scheduler"] [data-action="bind"][data-node="node-1"]');
    await page.waitForSelector('[data-answer="scheduler"].warn:has-text("does not fit")');
    await page.waitForSelector('[data-answer="scheduler"].bad:has-text("rejected")', { timeout: 30_000 });
    // (node-1's, or an earlier binding's: two quick Bs can fill a node before the state shows it.)
    expect(await said()).to.match(/kubelet of node-\d rejected \S+: OutOf(cpu|memory)/);
  });
});
