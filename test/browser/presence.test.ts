/**
 * The host's presence as players see it, in a real browser: the join address a projector can
 * show (a URL students can reach, not localhost, with a QR code), and "waiting for the host" on
 * every screen when the host has been gone too long, until the host is back.
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
    // The host's tab leaves the game (the browser keeps the host's key for this PIN).
    await host.goto("about:blank");
    await ada.waitForSelector("#hostaway:has-text('Waiting for the host')", { timeout: 30_000 });
    await ada.waitForSelector("#phase:has-text('paused')");

    // The host comes back from the same browser: host again, the wait ends, and they resume.
    await host.goto(`http://127.0.0.1:${port}/`);
    // The page takes the host back by itself (its kept connection); failing that, the join form does.
    await host.waitForSelector('[data-panel="host"], #join input[name=pin]');
    if (await host.isVisible("#join input[name=pin]")) {
      await host.fill("#join input[name=pin]", pin);
      await host.click("#join button[type=submit]");
    }
    await host.waitForSelector('[data-panel="host"]');
    await ada.waitForSelector("#hostaway", { state: "detached" });
    await host.click('[data-panel="host"] [data-action="host.resume"]');
    await ada.waitForSelector("#phase:has-text('running')");
  });
});
