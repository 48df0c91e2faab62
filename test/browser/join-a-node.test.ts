/**
 * A moment of join-a-node in a real browser: solo offers the bare server's kubelet seat, its panel
 * is the checklist — an out-of-order step is refused in words — and the player clicks the install
 * steps and the join until the map draws node-3 Ready; screenshots of the panel and the map.
 */
import { expect } from "chai";
import { mkdirSync } from "node:fs";
import type { Page } from "playwright-core";
import { closeBrowser, closePages, hostWorkshop, mapBox, openPage } from "../support/browser.ts";

const PANEL = '[data-panel="kubelet:node-3"]';
const SHOTS = "test-results/join-a-node";

/** The map's tooltip over an empty corner of a node's box: what the map says of the node. */
async function nodeTooltip(page: Page, node: string): Promise<string> {
  const b = await mapBox(page, node);
  await page.mouse.move(b.x + b.width - 5, b.y + b.height - 5);
  const handle = await page.waitForFunction(() => (window as unknown as { clusterMap: { tooltipText(): string } }).clusterMap.tooltipText() || false);
  const text = (await handle.jsonValue()) as string;
  await page.mouse.move(0, 0);
  return text;
}

describe("join a node in a real browser", function () {
  this.timeout(120_000);
  afterEach(async function () {
    await closePages(this);
  });
  after(closeBrowser);

  it("the player clicks the install steps and the join, and sees node-3 become Ready on the map", async () => {
    mkdirSync(SHOTS, { recursive: true });
    const page = await openPage();
    await page.selectOption("#solo select[name=scenario]", "join-a-node");
    expect(await page.inputValue("#solo select[name=seat]"), "the bare server's kubelet is picked").to.equal("kubelet:node-3");
    await page.setChecked("#solo input[name=questions]", false);
    await page.click("#solo button[type=submit]");
    await page.click("text=Start the game");
    await page.waitForSelector("#phase:has-text('running')");
    await page.click('[data-action="host.speed"][data-speed="4"]');

    await page.waitForSelector(`${PANEL} .setup`);
    expect(await page.textContent(PANEL)).to.contain("bare server: not in the cluster yet");
    expect(await page.textContent(PANEL)).to.contain("containerd, or Docker's engine which uses containerd");
    expect(await nodeTooltip(page, "node-3")).to.contain("a bare server, not in the cluster yet");
    await page.screenshot({ path: `${SHOTS}/bare-server-1280.png` });

    // Out of order: refused under the panel's title, in words.
    await page.click(`${PANEL} [data-action="joinCluster"]`);
    await page.waitForSelector(`[data-answer="kubelet:node-3"].bad:has-text("needs all three processes")`);

    for (const step of ["installRuntime", "installKubelet", "installKubeProxy"]) {
      await page.click(`${PANEL} [data-action="${step}"].primary`);
      await page.waitForSelector(`${PANEL} [data-step="${step}"].running`);
      if (step === "installKubelet") await page.screenshot({ path: `${SHOTS}/installing-1280.png` });
      await page.waitForSelector(`${PANEL} [data-step="${step}"].done`, { timeout: 30_000 });
    }
    // cp-2 is down from 0:14 to 0:34: the join goes through the API server, so it waits for it.
    await page.click(`${PANEL} [data-action="joinCluster"].primary`);
    const answer = '[data-answer="kubelet:node-3"]';
    await page.waitForSelector(`${answer}.ok:has-text("joined the cluster"), ${answer}.bad:has-text("could not join")`);
    if ((await page.getAttribute(answer, "class"))?.includes("bad")) {
      expect(await page.textContent(answer)).to.match(/503 ServiceUnavailable: node-3 could not join: etcd has lost quorum/);
      await page.screenshot({ path: `${SHOTS}/join-refused-1280.png` });
      await page.waitForFunction(
        () => {
          const [m, sec] = (document.querySelector("#clock")?.textContent ?? "0:00").split(" ")[0].split(":").map(Number);
          return m * 60 + sec >= 36;
        },
        undefined,
        { timeout: 30_000 },
      );
      await page.click(`${PANEL} [data-action="joinCluster"].primary`);
    }
    await page.waitForSelector(`${answer}.ok:has-text("joined the cluster")`);
    // The map draws it Ready once its kubelet reports so (NotReady for a moment after the join).
    const end = Date.now() + 30_000;
    let said = "";
    while (!/^Ready/m.test(said) && Date.now() < end) said = await nodeTooltip(page, "node-3");
    expect(said).to.match(/^Ready/m);
    // Ready, the node takes the pods that waited: its kubelet (this player) is asked to start them.
    await page.waitForSelector(`${PANEL} [data-action="admit"]`, { timeout: 30_000 });
    await page.screenshot({ path: `${SHOTS}/joined-1280.png` });
  });

  it("the host adds a bare server from the chaos panel: the map shows it not in the cluster until its kubelet's bot joins it", async () => {
    const { host } = await hostWorkshop("free-play");
    await host.click('.overlay [data-action="host.start"]');
    await host.click('.overlay [data-action="host.start"]');
    await host.waitForSelector("#phase:has-text('running')");
    await host.selectOption('[data-field="failure"]', "addBareServer");
    await host.click('[data-action="host.chaos"]');
    await host.waitForSelector('[data-answer="host.chaos"].ok:has-text("node-4 is a bare server")');
    expect(await nodeTooltip(host, "node-4")).to.contain("a bare server, not in the cluster yet");
    // Its kubelet's bot installs the three processes and joins it (about 20 s of game time).
    await host.click('[data-action="host.speed"][data-speed="4"]');
    const end = Date.now() + 40_000;
    let said = "";
    while (!/^Ready/m.test(said) && Date.now() < end) said = await nodeTooltip(host, "node-4");
    expect(said).to.match(/^Ready/m);
  });
});
