/**
 * A moment of etcd-quorum in a real browser: the etcd panel shows both members, then 1 of 2 and
 * "no quorum" with what that means; the controller manager's write is refused with 503. The
 * glossary shows a term's meaning on hover, tap and keyboard focus, and a player's nickname stays
 * text. A role's hint stays folded in its panel for the whole game; watch mode shows every hint.
 */
import { expect } from "chai";
import { closeBrowser, closePages, joinWorkshop, openPage, soloGame } from "../support/browser.ts";
import { ask, create } from "../support/gameServer.ts";

describe("etcd quorum, the glossary and the hints in a real browser", function () {
  this.timeout(120_000);
  afterEach(async function () {
    await closePages(this);
  });
  after(closeBrowser);

  it("etcd-quorum: the etcd panel shows 1 of 2 members and no quorum, and a write is refused with 503", async () => {
    const page = await soloGame("controller-manager", "etcd-quorum");
    await page.waitForSelector('#etcd [data-quorum="yes"]');
    expect(await page.textContent("#etcd"))
      .to.contain("quorum: 2 of 2 members up · needs a majority: 2")
      .and.contain("only the API server talks to etcd");
    expect(await page.textContent("#etcd")).to.match(/\/registry\//);
    // The hint is in the panel, folded, from the start.
    const fold = '[data-panel="controller-manager"] [data-fold="hint.controller-manager"]';
    expect(await page.getAttribute(fold, "aria-expanded")).to.equal("false");
    expect(await page.locator('[data-panel="controller-manager"] .hint').count()).to.equal(0);

    // Four times as fast until etcd on cp-2 stops at 0:40, then real time.
    await page.click('[data-action="host.speed"][data-speed="4"]');
    await page.waitForSelector('#etcd [data-quorum="no"]', { timeout: 60_000 });
    await page.click('[data-action="host.speed"][data-speed="1"]');
    const etcd = (await page.textContent("#etcd"))!;
    expect(etcd).to.contain("no quorum: 1 of 2 members up · needs a majority: 2").and.contain("cp-2 down").and.contain("cp-1 up");
    expect(etcd)
      .to.match(/Every write is refused \(503\)/)
      .and.match(/Reads are still served from the API server's cache/);

    // No heartbeat can be stored either: every node looks silent, and marking one NotReady is a write.
    const mark = '[data-panel="controller-manager"] [data-action="markNodeNotReady"][data-node="node-1"]';
    await page.click(mark, { timeout: 40_000 });
    await page.waitForSelector('[data-answer="controller-manager"].bad:has-text("503")');
    expect(await page.textContent('[data-answer="controller-manager"]')).to.match(/etcd has lost quorum \(1 of 2 members up\)/);
    expect(await page.textContent("#avail")).to.match(/\d/);

    // The hint is still one click away, with the scenario's words.
    await page.click(fold);
    expect(await page.textContent('[data-panel="controller-manager"] .hint')).to.match(/Without quorum you cannot even mark a dead node NotReady/);
  });

  it("the glossary: a seed term shows its meaning on hover, tap and keyboard focus; Escape closes it", async () => {
    const page = await soloGame("kubelet:node-1", "etcd-quorum");
    const brain = '#etcd .term[data-term="brain"]';
    await page.waitForSelector(brain);
    await page.hover(brain);
    const tip = page.locator("#glossary-tip");
    await tip.waitFor({ state: "visible" });
    expect(await tip.getAttribute("role")).to.equal("tooltip");
    expect(await tip.textContent()).to.contain("the cluster's brain");
    expect(await page.getAttribute(brain, "aria-describedby")).to.equal("glossary-tip");
    await page.mouse.move(5, 5);
    await tip.waitFor({ state: "hidden" });

    // A tap (a click) shows it too, and a click elsewhere closes it.
    await page.click('#etcd .term[data-term="key-value store"]');
    await tip.waitFor({ state: "visible" });
    expect(await tip.textContent()).to.match(/^key-value store: /);
    await page.mouse.click(5, 5);
    await tip.waitFor({ state: "hidden" });

    // Keyboard focus shows it; Escape closes it.
    await page.focus('#etcd .term[data-term="etcd"]');
    await tip.waitFor({ state: "visible" });
    expect(await tip.textContent()).to.contain("Application data is NOT stored in etcd");
    await page.keyboard.press("Escape");
    await tip.waitFor({ state: "hidden" });
    // The kubelet's hint and panel texts are marked too, never inside a button.
    expect(await page.locator("button .term").count()).to.equal(0);
  });

  it("text from outside (a chaos label with markup) stays text, the terms in it marked", async () => {
    const host = await create({ mode: "workshop", scenario: "etcd-quorum", nickname: "Teacher" });
    const ada = await joinWorkshop(host.welcome.pin, "Ada's pod");
    await ask(host, "host.start");
    await ask(host, "host.start");
    const label = '<img src=x onerror="window.pwned=1"> etcd & <b>pods</b>';
    expect((await ask(host, "host.chaos", { failure: { type: "killPod", deployment: "web" }, label })).code).to.equal(200);
    await ada.waitForFunction((l) => document.querySelector("#events")?.textContent?.includes(l), label);
    expect(await ada.locator("#events img").count()).to.equal(0);
    expect(await ada.locator("#events b", { hasText: "pods" }).count()).to.equal(0);
    expect(await ada.locator("#events .term").count()).to.be.greaterThan(0);
    expect(await ada.evaluate(() => (window as unknown as { pwned?: number }).pwned)).to.equal(undefined);
    await host.room.leave();
  });

  it("watch mode shows every role's hint, and keeps them as the game runs", async () => {
    const page = await openPage();
    await page.selectOption("#watch select[name=scenario]", "etcd-quorum");
    await page.click("#watch button[type=submit]");
    await page.click(".overlay >> text=Start the game").catch(() => undefined);
    const side = '[data-panel="spectator"]';
    await page.waitForSelector(`${side} .hints p`);
    expect(await page.locator(`${side} .hints p`).count()).to.equal(4);
    const text = (await page.textContent(`${side} .hints`))!;
    expect(text).to.contain("While etcd has no quorum every bind answers 503");
    await page.waitForFunction(() => Number(document.querySelector("#clock")?.textContent?.split(":")[1]?.slice(0, 2)) >= 3, undefined, { timeout: 30_000 });
    expect(await page.locator(`${side} .hints p`).count()).to.equal(4);
  });
});
