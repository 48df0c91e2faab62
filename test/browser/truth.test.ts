/**
 * The screen shows what the API server knows, in a real browser: a node that lost power still
 * looks Ready to the scheduler — its tooltip says the control plane only knows what it is told —
 * while the host, behind *show the truth*, sees it down.
 */
import { expect } from "chai";
import type { Page } from "playwright-core";
import { closeBrowser, closePages, hostWorkshop, joinWorkshop, mapBox } from "../support/browser.ts";
import { gameServer, serverRoom } from "../support/gameServer.ts";

/** The map's tooltip over an empty corner of a node's box. */
async function nodeTooltip(page: Page, node: string): Promise<string> {
  const b = await mapBox(page, node);
  await page.mouse.move(b.x + b.width - 5, b.y + b.height - 5);
  const handle = await page.waitForFunction(() => (window as unknown as { clusterMap: { tooltipText(): string } }).clusterMap.tooltipText() || false);
  return (await handle.jsonValue()) as string;
}

describe("what the screen says about a node that lost power", function () {
  this.timeout(90_000);
  afterEach(async function () {
    await closePages(this);
  });
  after(closeBrowser);

  it("the scheduler sees it Ready as last reported; the host sees it down behind show the truth", async () => {
    const { host, pin } = await hostWorkshop("free-play");
    const ada = await joinWorkshop(pin, "Ada");
    await ada.click('[data-panel="seats"] [data-action="seat.take"][data-seat="scheduler"]');
    await ada.waitForSelector('[data-panel="scheduler"]');
    await host.click('.overlay [data-action="host.start"]');
    await host.click('.overlay [data-action="host.start"]');
    await ada.waitForSelector("#phase:has-text('running')");
    const { port } = await gameServer();
    const { roomId } = (await (await fetch(`http://127.0.0.1:${port}/api/pin/${pin}`)).json()) as { roomId: string };
    const room = await serverRoom(roomId);
    room.session.sim.inject({ type: "crashNode", node: "node-2" });

    const seen = await nodeTooltip(ada, "node-2");
    expect(room.session.sim.state.nodes.get("node-2")!.status.ready, "still Ready in the API").to.equal("True");
    expect(seen).to.match(/Ready, as last reported/);
    expect(seen).to.match(/the control plane only knows what it is told/);
    expect(seen).to.not.match(/powered off|really down/);

    await host.click('[data-panel="host"] [data-action="host.truth"]');
    await host.waitForSelector('[data-panel="host"] [data-action="host.truth"]:has-text("Hide the truth")');
    await host.mouse.move(0, 0);
    expect(await nodeTooltip(host, "node-2")).to.match(/powered off/);
  });
});
