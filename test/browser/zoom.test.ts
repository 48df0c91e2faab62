/**
 * Browser zoom at 200 % on a 1280×720 screen: the page is then 640×360 CSS px drawn at 2 device
 * px each (what Chromium's zoom does to the layout). No panel overlaps another, nothing runs off
 * the page's width, and the page scrolls rather than cuts text off.
 */
import { expect } from "chai";
import type { Page } from "playwright-core";
import { closeBrowser, closePages, hostWorkshop, joinWorkshop, soloGame } from "../support/browser.ts";

/** 1280×720 device px at 200 % zoom. */
const ZOOMED = { viewport: { width: 640, height: 360 }, deviceScaleFactor: 2 };

/** What is wrong with the layout now: overlapping boxes and content past the right edge, one line each. */
async function layoutFaults(page: Page): Promise<string[]> {
  // tsx names the inner functions with a helper the page lacks.
  await page.evaluate("window.__name = (f) => f");
  return page.evaluate(() => {
    const faults: string[] = [];
    const width = window.innerWidth;
    if (document.documentElement.scrollWidth > width) faults.push(`the page is ${document.documentElement.scrollWidth} px wide in a ${width} px window`);
    const boxes = [...document.querySelectorAll<HTMLElement>(".game > .top, #map, #side > .panel, .bottom > .log")].filter((el) => el.offsetParent);
    const name = (el: HTMLElement) => el.id || el.dataset.panel || el.className;
    for (const [i, a] of boxes.entries())
      for (const b of boxes.slice(i + 1)) {
        const [r, s] = [a.getBoundingClientRect(), b.getBoundingClientRect()];
        const overlap = Math.max(0, Math.min(r.right, s.right) - Math.max(r.left, s.left)) * Math.max(0, Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top));
        if (overlap > 1) faults.push(`${name(a)} overlaps ${name(b)}`);
      }
    // Content past the right edge, unless a box that scrolls sideways holds it.
    const scrolls = (el: Element | null): boolean => {
      for (let e = el?.parentElement; e; e = e.parentElement) if (/(auto|scroll)/.test(getComputedStyle(e).overflowX)) return true;
      return false;
    };
    for (const el of document.querySelectorAll<HTMLElement>(".game *, .overlay *")) {
      const r = el.getBoundingClientRect();
      if (r.width && r.right > width + 1 && !scrolls(el))
        faults.push(`${el.tagName.toLowerCase()}.${el.className} "${(el.textContent ?? "").slice(0, 30)}" ends at ${Math.round(r.right)} px`);
    }
    return faults.slice(0, 20);
  });
}

describe("browser zoom at 200 % (1280×720)", function () {
  this.timeout(120_000);
  afterEach(async function () {
    await closePages(this);
  });
  after(closeBrowser);

  for (const seat of ["scheduler", "controller-manager", "kubelet:node-1", "kube-proxy:node-1"]) {
    it(`the game from the ${seat} seat: no overlap, nothing cut off`, async () => {
      const page = await soloGame(seat, "node-down", false, ZOOMED);
      await page.waitForTimeout(1500);
      expect(await layoutFaults(page)).to.deep.equal([]);
    });
  }

  it("the host's lobby and a student's", async () => {
    const { host, pin } = await hostWorkshop("node-down", 640, 360, false, { deviceScaleFactor: 2 });
    const ada = await joinWorkshop(pin, "Ada", ZOOMED);
    await host.click('.overlay [data-action="intro.ok"]');
    await host.waitForSelector('[data-drag-player]:has-text("Ada")');
    expect(await layoutFaults(host)).to.deep.equal([]);
    expect(await layoutFaults(ada)).to.deep.equal([]);
  });
});
