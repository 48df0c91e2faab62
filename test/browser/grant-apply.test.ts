/**
 * The host's *may kubectl apply* checkbox, in a real browser: ticking it lets that player apply
 * manifests (the room state says so), unticking it takes it back.
 */
import { closeBrowser, closePages, hostWorkshop, joinWorkshop } from "../support/browser.ts";
import { gameServer, serverRoom, until } from "../support/gameServer.ts";

describe("the host lets a player apply manifests", function () {
  this.timeout(90_000);
  afterEach(async function () {
    await closePages(this);
  });
  after(closeBrowser);

  it("a checkbox per player in the host's panel grants and revokes kubectl apply", async () => {
    const { host, pin } = await hostWorkshop("free-play");
    const student = await joinWorkshop(pin, "Ada");
    await host.click('.overlay [data-action="host.start"]');
    await host.click('.overlay [data-action="host.start"]');
    await student.waitForSelector("#phase:has-text('running')");
    const box = '[data-panel="host"] input[data-action="host.grantApply"]';
    // Once the game runs the players' section is folded: open it.
    await host.click('[data-panel="host"] [data-action="fold"][data-fold="host.players"]');
    await host.waitForSelector(box);
    const { port } = await gameServer();
    const { roomId } = (await (await fetch(`http://127.0.0.1:${port}/api/pin/${pin}`)).json()) as { roomId: string };
    const room = await serverRoom(roomId);
    const ada = () => [...room.session.players.values()].find((p) => p.nickname === "Ada")!;
    await host.click(box);
    await until(() => room.session.applyGrants.has(ada().key), 10_000, "the grant");
    await host.waitForSelector(`${box}:checked`);
    await host.screenshot({ path: "test-results/grant-apply.png" });
    await host.click(`${box}:checked`);
    await until(() => !room.session.applyGrants.has(ada().key), 10_000, "the grant taken back");
    await host.waitForSelector(`${box}:not(:checked)`);
  });
});
