/**
 * The host's presence as players see it, in a real browser: the join address a projector can
 * show (a URL students can reach, not localhost, with a QR code), and "waiting for the host" on
 * every screen when the host has been gone too long.
 */
import { expect } from "chai";
import { closeBrowser, closePages, hostWorkshop, joinWorkshop } from "../support/browser.ts";
import { gameServer, serverRoom } from "../support/gameServer.ts";

describe("the host's presence in a real browser", function () {
  this.timeout(90_000);
  afterEach(async function () {
    await closePages(this);
  });
  after(closeBrowser);

  it("the host's lobby and PIN box show the address students can reach, with its QR code", async () => {
    const { host } = await hostWorkshop("first-pod");
    await host.waitForSelector(".overlay .join-qr");
    const url = (await host.textContent(".overlay .join-url"))!;
    expect(url).to.not.match(/localhost|127\.0\.0\.1/);
    expect(url).to.match(/:\d+$/);
    expect(await host.getAttribute(".overlay .join-qr", "alt")).to.contain(url);
    await host.click('.overlay [data-action="intro.ok"]');
    await host.waitForSelector('[data-panel="host"] .join-qr');
  });

  it("every player's screen says it waits for the host when the host has been gone, and the game is paused", async () => {
    const { host, pin } = await hostWorkshop("first-pod");
    const ada = await joinWorkshop(pin, "Ada");
    await host.click('.overlay [data-action="host.start"]');
    await host.click('.overlay [data-action="host.start"]');
    await ada.waitForSelector("#phase:has-text('running')");
    const { port } = await gameServer();
    const { roomId } = (await (await fetch(`http://127.0.0.1:${port}/api/pin/${pin}`)).json()) as { roomId: string };
    (await serverRoom(roomId)).hostPresence.awayMs = 300;
    await host.context().close();
    await ada.waitForSelector("#hostaway:has-text('Waiting for the host')", { timeout: 30_000 });
    await ada.waitForSelector("#phase:has-text('paused')");
  });
});
