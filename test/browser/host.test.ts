import { expect } from "chai";
import type { Page } from "playwright-core";
import { closeBrowser, closePages, hostWorkshop, joinWorkshop, mapBox } from "../support/browser.ts";

/** The host injects a failure from the chaos panel and waits for the API server's yes. */
async function inject(host: Page, failure: string, fields: Record<string, string> = {}): Promise<string> {
  await host.selectOption('[data-field="failure"]', failure);
  for (const [field, value] of Object.entries(fields)) await host.selectOption(`[data-field="${field}"]`, value);
  const before = await host.textContent('[data-answer="host.chaos"]');
  await host.click('[data-action="host.chaos"]');
  await host.waitForFunction((b) => {
    const el = document.querySelector('[data-answer="host.chaos"]');
    return !!el && el.classList.contains("ok") && el.textContent !== b;
  }, before);
  return (await host.textContent('[data-answer="host.chaos"]'))!;
}

/** A deployment's desired and actual replicas in the controller manager's panel. */
async function replicas(page: Page, deployment: string): Promise<[number, number]> {
  const cells = await page
    .locator('[data-panel="controller-manager"] tr', { has: page.locator(`td:text-is("${deployment}")`) })
    .locator("td")
    .allTextContents();
  return [Number(cells[1]), Number(cells[2])];
}

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
    await host.waitForSelector('[data-drop-seat="kubelet:node-1"]:has-text("Ada")');
  });

  it("chaos beyond a node crash: a killed pod, a scaled deployment and a joining worker each show on the players' screens", async () => {
    const { host, pin } = await hostWorkshop("free-play");
    const bo = await joinWorkshop(pin, "Bo");
    await bo.click('[data-panel="seats"] [data-action="seat.take"][data-seat="controller-manager"]');
    await bo.waitForSelector('[data-panel="controller-manager"]');
    await host.click('.overlay [data-action="host.start"]');
    await host.click('.overlay [data-action="host.start"]');
    await host.waitForSelector("#phase:has-text('running')");
    expect(await replicas(bo, "web")).to.deep.equal([4, 4]);

    // Kill a pod: Bo (the controller manager, no bot behind him) sees a replica missing; the event log says Killing.
    const pod = await host.$eval('[data-field="pod"] option', (o) => (o as HTMLOptionElement).value);
    await inject(host, "killPod", { pod });
    const dep = pod.startsWith("api") ? "api" : "web";
    await bo.waitForSelector(`[data-panel="controller-manager"] [data-action="createPod"][data-deployment="${dep}"]`);
    await host.waitForSelector(`#events :text("Killing Pod/${pod}")`);

    // Scale a deployment (the panel adds two replicas): its desired count rises on Bo's screen.
    const [desired] = await replicas(bo, "api");
    expect(await inject(host, "scaleDeployment", { deployment: "api" })).to.contain("api");
    await bo.waitForFunction((want) => {
      const row = [...document.querySelectorAll('[data-panel="controller-manager"] tr')].find((r) => r.querySelector("td")?.textContent === "api");
      return row?.querySelectorAll("td")[1]?.textContent === String(want);
    }, desired + 2);

    // A worker joins: the map draws its box, and the controller manager watches its heartbeat.
    await inject(host, "joinWorker");
    await mapBox(host, "node-4");
    await bo.waitForSelector('[data-panel="controller-manager"] td:text-is("node-4")', { timeout: 20_000 });
  });
});
