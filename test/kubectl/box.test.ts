/**
 * The game's "connect with kubectl" box in real Chromium: the kubeconfig it downloads works with
 * the real kubectl, and kubectl's calls appear in the page's API log.
 */
import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { closeBrowser, closePages, openPage } from "../support/browser.ts";
import { KUBECTL } from "../support/kubectl.ts";

const run = promisify(execFile);

describe("the kubectl box in the browser", function () {
  this.timeout(90_000);
  afterEach(async function () {
    await closePages(this);
  });
  after(closeBrowser);

  it("gives the host a kubeconfig that kubectl uses as the cluster admin, and the calls show in the API log", async () => {
    const page = await openPage(1280, 720);
    await page.fill("#host input[name=nickname]", "Ms Lee");
    await page.selectOption("#host select[name=scenario]", "free-play");
    await page.click("#host button[type=submit]");
    await page.click("text=Show the intro to everyone");
    await page.click("text=Start the game");
    await page.click("#kubectl-open");
    await page.waitForSelector(".box.kubectl :text('Connect with kubectl')");
    expect(await page.textContent(".box.kubectl")).to.include("kubectl scale deployment web --replicas=5");
    const [download] = await Promise.all([page.waitForEvent("download"), page.click('[data-kubectl="download"]')]);
    const home = mkdtempSync(join(tmpdir(), "kubectl-box-"));
    const config = join(home, download.suggestedFilename());
    expect(download.suggestedFilename()).to.match(/^cluster-crew-\d{6}\.kubeconfig$/);
    await download.saveAs(config);
    await page.click('[data-kubectl="close"]');

    const env = { ...process.env, HOME: home, KUBECONFIG: config };
    const nodes = await run(KUBECTL, ["get", "nodes"], { env });
    expect(nodes.stdout).to.match(/^node-1\s+Ready\s+worker/m);
    const scaled = await run(KUBECTL, ["scale", "deployment", "web", "--replicas=6"], { env });
    expect(scaled.stdout).to.match(/deployment.apps\/web scaled/);
    await page.waitForSelector('#apilog :text("host (kubectl) PATCH /apis/apps/v1/namespaces/default/deployments/web/scale")');
  });
});
