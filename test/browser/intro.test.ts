import { expect } from "chai";
import type { Page } from "playwright-core";
import { closeBrowser, closePages, hostWorkshop, joinWorkshop, openPage } from "../support/browser.ts";

/** The host's game controls shown right now, by data-action. */
const controls = (host: Page) => host.$$eval('[data-panel="host"] .controls [data-action]', (els) => els.map((e) => (e as HTMLElement).dataset.action));

describe("the intro and the host's controls in a real browser", function () {
  this.timeout(90_000);
  afterEach(async function () {
    await closePages(this);
  });
  after(closeBrowser);

  it("a student who closed the lobby overlay sees the intro and the seat's hint when the host moves on; the hint stays in the panel", async () => {
    const { host, pin } = await hostWorkshop("node-down");
    const ada = await joinWorkshop(pin, "Ada"); // closed the lobby overlay
    await ada.click('[data-panel="seats"] [data-action="seat.take"][data-seat="scheduler"]');
    await ada.waitForSelector('[data-panel="scheduler"]');

    // The host closed the lobby pop-up too: the panel still offers the way on.
    await host.click('.overlay [data-action="intro.ok"]');
    expect(await controls(host))
      .to.include("host.start")
      .and.not.include("host.pause")
      .and.not.include("host.resume");
    await host.click('[data-panel="host"] [data-action="host.start"]');

    // Lobby → intro: the overlay is back for everyone, with the student's hint.
    await host.waitForSelector('.overlay [data-action="host.start"]:has-text("Start the game")');
    const hint = (await ada.textContent(".overlay .hint", { timeout: 10_000 }))!.replace("▶", "").trim();
    expect(hint).to.match(/Bind|node/i);
    await ada.click('.overlay [data-action="intro.ok"]');
    await host.click('.overlay [data-action="host.start"]');
    await host.waitForSelector("#phase:has-text('running')");

    // The hint stays one click away in the scheduler's panel for the whole game.
    await ada.click('[data-panel="scheduler"] [data-fold="hint.scheduler"]');
    expect((await ada.textContent('[data-panel="scheduler"] .hint'))!.trim()).to.equal(hint);
  });

  it("a tap on Look at the cluster still closes the overlay when the overlay is drawn again under the finger", async () => {
    const { pin } = await hostWorkshop("first-pod");
    const ada = await openPage();
    // The join address (drawn in the overlay) arrives only once the button is pressed.
    let arrive = () => {};
    const arrived = new Promise<void>((resolve) => (arrive = resolve));
    await ada.route("**/api/join-url", async (route) => {
      await arrived;
      await route.fulfill({ json: { urls: ["http://10.1.2.3:2567"], qr: "<svg xmlns='http://www.w3.org/2000/svg'/>" } });
    });
    await ada.fill("#join input[name=pin]", pin);
    await ada.fill("#join input[name=nickname]", "Ada");
    await ada.click("#join button[type=submit]");
    const ok = await ada.waitForSelector('.overlay [data-action="intro.ok"]');
    expect(await ada.textContent(".overlay .join-url")).to.not.include("10.1.2.3");
    const box = (await ok.boundingBox())!;
    await ada.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await ada.mouse.down();
    // The address comes in and the game screen redraws (every 250 ms) while the button is held.
    const answer = ada.waitForResponse("**/api/join-url");
    arrive();
    await answer;
    await ada.waitForTimeout(800);
    await ada.mouse.up();
    await ada.waitForSelector("#overlay .overlay", { state: "detached", timeout: 5_000 });
    // It stays closed in the lobby.
    await ada.waitForTimeout(600);
    expect(await ada.$("#overlay .overlay")).to.equal(null);
  });

  it("a scenario the host picks in the lobby is the one whose intro and hint the students see", async () => {
    const { host, pin } = await hostWorkshop("node-down");
    const ada = await joinWorkshop(pin, "Ada");
    await ada.click('[data-panel="seats"] [data-action="seat.take"][data-seat="scheduler"]');
    await host.click('.overlay [data-action="intro.ok"]');
    await host.selectOption('[data-panel="host"] [data-field="scenario"]', "first-pod");
    await host.click('[data-panel="host"] [data-action="host.scenario"]');
    await host.waitForSelector('#goal:has-text("First pod")');
    await host.click('[data-panel="host"] [data-action="host.start"]');
    await ada.waitForSelector('.overlay h1:text-is("First pod")');
    const texts = (await (await fetch(new URL("/api/scenarios", ada.url()))).json()) as { id: string; hints: { scheduler: string } }[];
    expect((await ada.textContent(".overlay .hint"))!.replace("▶", "").trim()).to.equal(texts.find((x) => x.id === "first-pod")!.hints.scheduler);
  });

  it("the host sees only what the phase allows, and End asks first", async () => {
    const { host, pin } = await hostWorkshop("first-pod");
    await joinWorkshop(pin, "Bo");
    await host.click('.overlay [data-action="host.start"]');
    await host.click('.overlay [data-action="host.start"]');
    await host.waitForSelector("#phase:has-text('running')");
    expect(await controls(host))
      .to.include.members(["host.pause", "host.endAsk"])
      .and.not.include.members(["host.start", "host.resume", "host.end"]);
    await host.click('[data-action="host.pause"]');
    await host.waitForSelector('[data-panel="host"] [data-action="host.resume"]');
    expect(await controls(host)).to.not.include("host.pause");

    // End asks; "Keep playing" keeps the game.
    await host.click('[data-action="host.endAsk"]');
    await host.waitForSelector('[data-panel="host"] .confirm:has-text("End the game for everyone?")');
    await host.click('[data-action="host.endCancel"]');
    await host.waitForSelector('[data-panel="host"] .confirm', { state: "detached" });
    expect(await host.textContent("#phase")).to.contain("paused");
    await host.click('[data-action="host.endAsk"]');
    await host.click('[data-action="host.end"]');
    await host.waitForSelector("#debrief h1");
    // The debrief: no game controls are left.
    expect(
      await host.$$(
        '[data-panel="host"] [data-action^="host.start"], [data-panel="host"] [data-action^="host.pause"], [data-panel="host"] [data-action^="host.end"]',
      ),
    ).to.have.length(0);
  });

  it("the chaos form shows only the chosen failure's fields, and Inject answers beside it", async () => {
    const { host, pin } = await hostWorkshop("free-play");
    await joinWorkshop(pin, "Cy");
    await host.click('.overlay [data-action="host.start"]');
    await host.click('.overlay [data-action="host.start"]');
    await host.waitForSelector("#phase:has-text('running')");
    // The fields shown once the form has settled. The panel is redrawn as the game's state
    // arrives; a pick made by script on a drop-down the redraw has just replaced is lost (a
    // person's pick is not: the panel is not redrawn while its drop-down has the focus), so a
    // pick the drop-down does not show is made again. What the page showed is in the message.
    const form = () =>
      host.evaluate(() => ({
        picked: document.querySelector<HTMLSelectElement>('[data-field="failure"]')?.value,
        shown: [...document.querySelectorAll<HTMLElement>("[data-chaos-field]")].filter((e) => e.offsetParent !== null).map((e) => e.dataset.chaosField!),
        clock: document.querySelector("#clock")?.textContent,
        labels: [...document.querySelectorAll<HTMLElement>("[data-chaos-field]")].map(
          (e) => `${e.dataset.chaosField} hidden=${e.hidden} ${getComputedStyle(e).display}`,
        ),
      }));
    const shownAfterPicking = async (failure: string, expected: string[]) => {
      const end = Date.now() + 20_000;
      let seen = await form();
      for (let pick = 0; Date.now() < end; pick++) {
        if (seen.picked !== failure && pick % 10 === 0) await host.selectOption('[data-field="failure"]', failure);
        seen = await form();
        if (seen.picked === failure && JSON.stringify(seen.shown) === JSON.stringify(expected)) break;
        await host.waitForTimeout(200);
      }
      return { shown: seen.shown, page: JSON.stringify(seen) };
    };
    for (const [failure, fields] of [
      ["stopProcess", ["node", "process"]],
      ["killPod", ["pod"]],
      ["joinWorker", []],
    ] as const) {
      const { shown, page } = await shownAfterPicking(failure, [...fields]);
      expect(shown, `${failure}: ${page}`).to.deep.equal(fields);
    }
    await host.click('[data-action="host.chaos"]');
    const answer = host.locator('[data-answer="host.chaos"]');
    await answer.filter({ hasText: /\S/ }).waitFor();
    expect(await answer.isVisible()).to.equal(true);
    // Beside the Inject button, not out of sight at the bottom of the panel.
    const gap = await host.$eval(
      '[data-answer="host.chaos"]',
      (el) => el.getBoundingClientRect().top - document.querySelector('[data-action="host.chaos"]')!.getBoundingClientRect().bottom,
    );
    expect(gap).to.be.lessThan(60);
  });

  it("a spectator's side column shows every role's hint and who plays each seat", async () => {
    const { pin } = await hostWorkshop("node-down");
    const eve = await openPage();
    await eve.fill("#join input[name=pin]", pin);
    await eve.fill("#join input[name=nickname]", "Eve");
    await eve.check("#join input[name=spectate]");
    await eve.click("#join button[type=submit]");
    await eve.click("text=Look at the cluster");
    const side = '[data-panel="spectator"]';
    await eve.waitForSelector(`${side} .seat-tile`);
    const text = (await eve.textContent(side))!;
    for (const role of ["scheduler", "controller-manager", "kubelet", "kube-proxy"]) expect(text).to.contain(role);
    expect(await eve.locator(`${side} .hints p`).count()).to.equal(4);
    expect(await eve.locator(`${side} .seat-tile`).count()).to.be.greaterThan(4);
    // Before any request has ended, availability is no figure at all (not 100%, nor 0%).
    expect((await eve.textContent("#avail"))!.trim()).to.equal("–");
    // The page has its icon.
    const icon = await eve.$eval('link[rel="icon"]', (l) => (l as HTMLLinkElement).href);
    expect((await fetch(icon)).headers.get("content-type")).to.match(/svg/);
  });
});
