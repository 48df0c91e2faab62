import { expect } from "chai";
import type { Page } from "playwright-core";
import { closeBrowser, closePages, hostWorkshop, joinWorkshop, openPage } from "../support/browser.ts";

describe("the game in a real browser", function () {
  this.timeout(90_000);
  afterEach(async function () {
    await closePages(this);
  });
  after(closeBrowser);

  it("solo as the scheduler: binds a pending pod through the UI and sees it become ready", async () => {
    const page = await openPage();
    await page.selectOption("#solo select[name=seat]", "scheduler");
    await page.selectOption("#solo select[name=scenario]", "first-pod");
    await page.setChecked("#solo input[name=questions]", false);
    await page.click("#solo button[type=submit]");
    await page.click("text=Start the game");
    await page.waitForSelector('[data-panel="scheduler"] [data-action="bind"].primary');
    const pod = await page.getAttribute('[data-panel="scheduler"] [data-action="bind"].primary', "data-pod");
    await page.click('[data-panel="scheduler"] [data-action="bind"].primary');
    await page.waitForSelector(`[data-answer="scheduler"]:has-text("bound to")`);
    await page.waitForSelector(`#events :text("Container of ${pod} is ready")`, { timeout: 30_000 });
    await page.screenshot({ path: "test-results/solo-scheduler.png" }).catch(() => undefined);
  });

  it("a workshop: players join by PIN, the host starts and crashes a node, panels react, the debrief reaches everyone", async () => {
    const host = await openPage(1600, 900);
    await host.fill("#host input[name=nickname]", "Ms Lee");
    await host.selectOption("#host select[name=scenario]", "node-down");
    await host.setChecked("#host input[name=questions]", false);
    await host.click("#host button[type=submit]");
    const pin = (await host.textContent(".overlay .pin"))!.trim();
    expect(pin).to.match(/^\d{6}$/);

    const players = [];
    for (const name of ["Ada", "Bo"]) {
      const p = await openPage();
      await p.fill("#join input[name=pin]", pin);
      await p.fill("#join input[name=nickname]", name);
      await p.click("#join button[type=submit]");
      await p.click("text=Look at the cluster");
      players.push(p);
    }
    const [ada, bo] = players;
    await ada.click('[data-panel="seats"] [data-action="seat.take"][data-seat="kubelet:node-2"]');
    await ada.waitForSelector('[data-panel="kubelet:node-2"]');
    await bo.click('[data-panel="seats"] [data-action="seat.take"][data-seat="controller-manager"]');
    await bo.waitForSelector('[data-panel="controller-manager"]');

    await host.click('.overlay [data-action="host.start"]');
    await host.click('.overlay [data-action="host.start"]');
    await host.waitForSelector("#phase:has-text('running')");
    await host.selectOption('[data-field="failure"]', "crashNode");
    await host.selectOption('[data-field="node"]', "node-2");
    await host.click('[data-action="host.chaos"]');
    await host.waitForSelector('[data-answer="host.chaos"]:has-text("node-2 lost power")');
    await ada.waitForSelector('[data-panel="kubelet:node-2"] :text("This node is down.")');

    // The host's live scoreboard shows every seat and who plays it.
    await host.waitForSelector('[data-panel="host"] h3:has-text("Scoreboard")', { timeout: 12_000 });
    expect(await host.textContent('[data-panel="host"]')).to.match(/kubelet node-2\s*Ada/);
    await host.click('[data-action="host.endAsk"]');
    await host.click('[data-action="host.end"]');
    for (const p of [host, ada, bo]) await p.waitForSelector("#debrief h1");
    expect(await bo.textContent("#debrief")).to.match(/node-2 loses power|node-2 lost power|crashes|Seats/);
    // The score is shown in its parts, as README's formula has it.
    expect(await host.textContent("#debrief .score-parts")).to.match(/= goal (0|510) \+ availability \d+ \+ recovery \d+/);

    // The download links carry each one's token: the host gets every player, a player their own row.
    const download = (p: Page) =>
      p.evaluate(async () => {
        const links = [...document.querySelectorAll<HTMLAnchorElement>('#debrief a[download][href*="/debrief."]')].map((a) => a.href);
        const [json, csv] = await Promise.all(links.map((l) => fetch(l)));
        return { json: (await json.json()) as { players: { nickname: string }[] }, csv: csv.status };
      });
    const asHost = await download(host);
    expect(asHost.json.players.map((x) => x.nickname).sort()).to.deep.equal(["Ada", "Bo", "Ms Lee"]);
    expect(asHost.csv).to.equal(200);
    const asAda = await download(ada);
    expect(asAda.json.players.map((x) => x.nickname)).to.deep.equal(["Ada"]);
    expect(asAda.csv).to.equal(200);
  });

  it("a kubelet's refused action shows the API server's reason right under its controls", async () => {
    const page = await openPage();
    await page.selectOption("#solo select[name=seat]", "kubelet:node-1");
    await page.selectOption("#solo select[name=scenario]", "first-pod");
    await page.setChecked("#solo input[name=questions]", false);
    await page.click("#solo button[type=submit]");
    await page.click("text=Start the game");
    // The bots create and bind pods; the ones bound to node-1 wait for this player.
    await page.waitForSelector('[data-panel="kubelet:node-1"] [data-action="reject"][data-reason="OutOfcpu"]', { timeout: 30_000 });
    await page.click('[data-panel="kubelet:node-1"] [data-action="reject"][data-reason="OutOfcpu"]');
    await page.waitForSelector('[data-answer="kubelet:node-1"].bad:has-text("422")');
    expect(await page.textContent('[data-answer="kubelet:node-1"]')).to.match(/fits on node-1: start it instead/);
    await page.click('[data-panel="kubelet:node-1"] [data-action="admit"]');
    await page.waitForSelector('[data-answer="kubelet:node-1"].ok:has-text("admitted")');
  });

  it("a reload mid-game puts the player back in its seat", async () => {
    const page = await openPage();
    await page.selectOption("#solo select[name=seat]", "kubelet:node-1");
    await page.setChecked("#solo input[name=questions]", false);
    await page.click("#solo button[type=submit]");
    await page.click("text=Start the game");
    await page.waitForSelector('[data-panel="kubelet:node-1"]');
    await page.reload();
    await page.waitForSelector('[data-panel="kubelet:node-1"]');
    await page.waitForSelector("#phase:has-text('running')");
  });

  it("a player who closed the tab joins by PIN again into their seat; someone else under the nickname is refused", async () => {
    const { pin } = await hostWorkshop("first-pod");
    const ada = await joinWorkshop(pin, "Ada");
    await ada.click('[data-panel="seats"] [data-action="seat.take"][data-seat="scheduler"]');
    await ada.waitForSelector('[data-panel="scheduler"]');
    // A new tab of the same browser keeps the player key (localStorage), not the reconnection (sessionStorage).
    const again = await ada.context().newPage();
    await ada.close();
    await again.goto(new URL("/", ada.url()).href);
    await again.fill("#join input[name=pin]", pin);
    await again.fill("#join input[name=nickname]", "Ada");
    await again.click("#join button[type=submit]");
    await again.click("text=Look at the cluster");
    await again.waitForSelector('[data-panel="scheduler"]');

    const eve = await openPage();
    await eve.fill("#join input[name=pin]", pin);
    await eve.fill("#join input[name=nickname]", "Аda");
    await eve.click("#join button[type=submit]");
    await eve.waitForSelector("#join .error:not(:empty)");
    expect(await eve.textContent("#join .error")).to.match(/one alphabet/);
  });
});
