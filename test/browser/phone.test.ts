/**
 * A phone: 390×844, touch only. The scheduler binds a pod by dragging it with a finger (real touch
 * events through the DevTools protocol), two fingers pinch the map to zoom and one pans it, and the
 * host's lobby gives seats with taps (tap a player, tap a seat).
 */
import { expect } from "chai";
import type { CDPSession, Page } from "playwright-core";
import { centre, closeBrowser, closePages, hostWorkshop, joinWorkshop, mapBox, PHONE, soloGame } from "../support/browser.ts";
import { touch } from "../support/a11y.ts";

/** A finger from (x0, y0) to (x1, y1) in `steps` moves, lifted at the end unless `hold`. */
async function swipe(cdp: CDPSession, from: [number, number], to: [number, number], steps = 10): Promise<void> {
  await touch(cdp, "touchStart", [{ x: from[0], y: from[1] }]);
  for (let i = 1; i <= steps; i++) {
    await touch(cdp, "touchMove", [{ x: from[0] + ((to[0] - from[0]) * i) / steps, y: from[1] + ((to[1] - from[1]) * i) / steps }]);
  }
}

const mapCall = <T>(page: Page, method: string) =>
  page.evaluate((m) => (window as unknown as Record<string, Record<string, () => unknown>>).clusterMap[m](), method) as Promise<T>;

describe("on a phone (390×844, touch)", function () {
  this.timeout(120_000);
  afterEach(async function () {
    await closePages(this);
  });
  after(closeBrowser);

  it("the page fits the screen's width, with the map on top and the panels below it", async () => {
    const page = await soloGame("scheduler", "first-pod", false, PHONE);
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
    expect(widths.page).to.be.at.most(widths.screen);
    const map = (await page.locator("#map").boundingBox())!;
    const side = (await page.locator("#side").boundingBox())!;
    expect(map.width).to.be.greaterThan(350);
    expect(map.height).to.be.greaterThan(250);
    expect(side.y).to.be.at.least(map.y + map.height - 1);
  });

  it("a student binds a pending pod by dragging it onto a worker with a finger", async () => {
    const page = await soloGame("scheduler", "first-pod", false, PHONE);
    await page.waitForSelector('[data-panel="scheduler"] [data-action="select"]');
    const pod = (await page.getAttribute('[data-panel="scheduler"] [data-action="select"]', "data-pod"))!;
    const cdp = await page.context().newCDPSession(page);
    const from = centre(await mapBox(page, pod));
    const to = centre(await mapBox(page, "node-2"));
    await swipe(cdp, from, to, 12);
    await page.waitForFunction(
      ([p, n]) => {
        const d = (window as unknown as { clusterMap: { dragState(): { pod: string; over: string | null } | null } }).clusterMap.dragState();
        return d?.pod === p && d.over === n;
      },
      [pod, "node-2"],
    );
    await touch(cdp, "touchEnd", []);
    await page.waitForSelector(`[data-answer="scheduler"].ok:has-text("${pod} bound to node-2")`);
    await page.waitForSelector(`#events :text("Container of ${pod} is ready")`, { timeout: 30_000 });
  });

  it("two fingers pinch the map to zoom, one pans it, and the button shows the whole cluster again", async () => {
    const page = await soloGame("controller-manager", "first-pod", false, PHONE);
    await mapBox(page, "node-1");
    const cdp = await page.context().newCDPSession(page);
    const m = (await page.locator("#map").boundingBox())!;
    const [cx, cy] = [m.x + m.width / 2, m.y + m.height / 2];
    await touch(cdp, "touchStart", [
      { x: cx - 30, y: cy },
      { x: cx + 30, y: cy },
    ]);
    for (let i = 1; i <= 10; i++)
      await touch(cdp, "touchMove", [
        { x: cx - 30 - i * 8, y: cy },
        { x: cx + 30 + i * 8, y: cy },
      ]);
    await touch(cdp, "touchEnd", []);
    const zoom = await mapCall<number>(page, "zoomLevel");
    expect(zoom).to.be.greaterThan(2);
    // Zoomed in, a node is drawn bigger, and a finger on the background moves it.
    const before = await mapBox(page, "node-1");
    await swipe(cdp, [cx, m.y + m.height - 20], [cx + 60, m.y + m.height - 20 - 40], 8);
    await touch(cdp, "touchEnd", []);
    const after = await mapBox(page, "node-1");
    expect(after.width).to.be.closeTo(before.width, 0.5);
    expect(Math.hypot(after.x - before.x, after.y - before.y)).to.be.greaterThan(20);
    await page.tap('.map-zoom button[aria-label="the whole cluster"]');
    expect(await mapCall<number>(page, "zoomLevel")).to.equal(1);
  });

  it("a student on a phone takes a seat with a tap; the host on a phone gives another with two taps: the player, then the seat", async () => {
    const { host: phone, pin } = await hostWorkshop("first-pod", 390, 844, false, PHONE);
    const ada = await joinWorkshop(pin, "Ada", PHONE);
    // The student, on a phone too, takes a seat with a tap.
    await ada.tap('[data-panel="seats"] [data-action="seat.take"][data-seat="kubelet:node-1"]');
    await ada.waitForSelector('[data-panel="kubelet:node-1"]');
    await phone.tap('.overlay [data-action="intro.ok"]');
    await phone.tap('[data-drag-player]:has-text("Ada")');
    await phone.waitForSelector('[data-drag-player][aria-pressed="true"]');
    await phone.tap('[data-drop-seat="scheduler"]');
    await ada.waitForSelector('[data-panel="scheduler"]');
    await phone.waitForSelector('[data-drop-seat="scheduler"]:has-text("Ada")');
  });
});
