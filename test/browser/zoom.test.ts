/**
 * Browser zoom at 200 % on a 1280×720 screen: the page is then 640×360 CSS px drawn at 2 device
 * px each (what Chromium's zoom does to the layout). No panel overlaps another, nothing runs off
 * the page's width, and the page scrolls rather than cuts text off.
 */
import { expect } from "chai";
import { closeBrowser, closePages, hostWorkshop, joinWorkshop, soloGame } from "../support/browser.ts";
import { layoutFaults, ZOOMED } from "../support/a11y.ts";

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
