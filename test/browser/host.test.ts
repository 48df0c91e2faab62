import { expect } from "chai";
import { closeBrowser, closePages, hostWorkshop, joinWorkshop } from "../support/browser.ts";

describe("the host's screen in a real browser", function () {
  this.timeout(90_000);
  afterEach(async function () {
    await closePages(this);
  });
  after(closeBrowser);

  it("the host drags a player onto a seat in the lobby and the player's page shows that seat", async () => {
    const { host, pin } = await hostWorkshop("free-play");
    const ada = await joinWorkshop(pin, "Ada");
    await host.click('.overlay [data-action="intro.ok"]');
    const chip = '[data-panel="host"] [data-drag-player]:has-text("Ada")';
    await host.waitForSelector(chip);
    await host.dragAndDrop(chip, '[data-drop-seat="kube-proxy:node-3"]');

    await host.waitForSelector('[data-answer="host"].ok');
    await host.waitForSelector('[data-drop-seat="kube-proxy:node-3"]:has-text("Ada")');
    await ada.waitForSelector('[data-panel="kube-proxy:node-3"]');
    // The click path still works beside it.
    await host.selectOption('[data-panel="host"] select[data-assign]', "kubelet:node-1");
    await host.click('[data-panel="host"] [data-action="host.assign"]');
    await ada.waitForSelector('[data-panel="kubelet:node-1"]');
    expect(await host.textContent('[data-drop-seat="kubelet:node-1"]')).to.contain("Ada");
  });
});
