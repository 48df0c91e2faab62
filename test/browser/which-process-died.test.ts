/**
 * A moment of "Which process died?" in a real browser at 1280×720, as node-1's kubelet: its
 * container runtime stops — the panel says so and a restart answers 503 — and later node-2's
 * kube-proxy stops, which the map's tooltip shows as traffic no longer entering node-2.
 */
import { expect } from "chai";
import { mkdirSync } from "node:fs";
import { centre, closeBrowser, closePages, mapBox, openPage } from "../support/browser.ts";

describe("which process died? in a real browser", function () {
  this.timeout(180_000);
  afterEach(async function () {
    await closePages(this);
  });
  after(closeBrowser);

  it("the kubelet sees its runtime stop and its restart refused; node-2's tooltip says no traffic enters it", async () => {
    const page = await openPage(1280, 720);
    await page.selectOption("#solo select[name=seat]", "kubelet:node-1");
    await page.selectOption("#solo select[name=scenario]", "which-process-died");
    await page.setChecked("#solo input[name=questions]", false);
    await page.click("#solo button[type=submit]");
    expect(await page.textContent(".overlay")).to.contain("Docker or containerd");
    await page.click("text=Start the game");
    await page.waitForSelector("#phase:has-text('running')");
    await page.click('[data-action="host.speed"][data-speed="4"]');

    // 0:30 node-1's container runtime stops; 0:32 a web container there crashes.
    const panel = '[data-panel="kubelet:node-1"]';
    await page.waitForSelector(`${panel} .summary:has-text("runtime down")`, { timeout: 40_000 });
    expect(await page.textContent(`${panel} .procs`)).to.contain("container-runtime stopped");
    const restart = `${panel} [data-action="restart"].primary`;
    await page.waitForSelector(restart, { timeout: 30_000 });
    await page.click(restart);
    await page.waitForSelector('[data-answer="kubelet:node-1"]:has-text("container runtime on node-1 is down")');
    mkdirSync("test-results/screens", { recursive: true });
    await page.screenshot({ path: "test-results/screens/which-process-died-runtime-1280.png" });

    // 1:40 node-2's kube-proxy stops: the load balancer stops sending traffic into node-2.
    await page.waitForFunction(() => /^1:4[6-9]|^1:5/.test(document.querySelector("#clock")?.textContent ?? ""), undefined, { timeout: 60_000 });
    await page.click('[data-panel="host"] [data-action="host.speed"][data-speed="1"]');
    const node2 = await mapBox(page, "node-2");
    const [x, y] = centre(node2);
    await page.mouse.move(x, y);
    await page.waitForFunction(() =>
      /no traffic entering for \d+ s/.test((window as unknown as { clusterMap: { tooltipText(): string } }).clusterMap.tooltipText()),
    );
    const tip = await page.evaluate(() => (window as unknown as { clusterMap: { tooltipText(): string } }).clusterMap.tooltipText());
    // The API server never heard of it: node-2 is Ready, as last reported.
    expect(tip).to.match(/^node-2 \(worker\)\nReady, as last reported/);
    await page.screenshot({ path: "test-results/screens/which-process-died-map-1280.png" });
  });
});
