import { expect } from "chai";
import type { Page } from "playwright-core";
import { centre, closeBrowser, closePages, mapBox, soloGame, type MapBox } from "../support/browser.ts";

interface DragState {
  pod: string;
  over: string | null;
  targets: Record<string, "fits" | "no">;
}

const dragState = (page: Page) => page.evaluate(() => (window as unknown as { clusterMap: { dragState(): DragState | null } }).clusterMap.dragState());

/** Waits until the map's drag is over `node` (null: over no node), then returns its state. */
async function dragOver(page: Page, node: string | null): Promise<DragState> {
  await page.waitForFunction((n) => {
    const d = (window as unknown as { clusterMap: { dragState(): DragState | null } }).clusterMap.dragState();
    return !!d && d.over === n;
  }, node);
  return (await dragState(page))!;
}

/** Releases the mouse and waits until the map has ended the drag. */
async function release(page: Page): Promise<void> {
  await page.mouse.up();
  await page.waitForFunction(() => (window as unknown as { clusterMap: { dragState(): unknown } }).clusterMap.dragState() === null);
}

/** Presses on a pod of the map and moves, in steps, to (x, y) without releasing. */
async function dragTo(page: Page, pod: MapBox, x: number, y: number): Promise<void> {
  await page.mouse.move(...centre(pod));
  await page.mouse.down();
  await page.mouse.move(pod.x + 30, pod.y + 30, { steps: 4 });
  await page.mouse.move(x, y, { steps: 8 });
}

describe("the scheduler's drag on the cluster map", function () {
  this.timeout(90_000);
  afterEach(async function () {
    await closePages(this);
  });
  after(closeBrowser);

  it("a drop outside the nodes cancels, one on the control plane is refused with its reason, one on a worker binds and the pod becomes Running", async () => {
    const page = await soloGame("scheduler");
    await page.waitForSelector('[data-panel="scheduler"] [data-action="select"]');
    const pod = (await page.getAttribute('[data-panel="scheduler"] [data-action="select"]', "data-pod"))!;

    // Outside every node (below the workers): nothing is sent, the pod waits in the queue.
    const worker = await mapBox(page, "node-1");
    await dragTo(page, await mapBox(page, pod), worker.x + 10, worker.y + worker.height + 12);
    const moving = await dragOver(page, null);
    expect(moving.pod).to.equal(pod);
    // The nodes are marked with the scheduler panel's verdicts: the workers fit, the control plane does not.
    expect(moving.targets).to.deep.include({ "node-1": "fits", "node-2": "fits", "node-3": "fits", "cp-1": "no" });
    await release(page);
    expect(await page.textContent("#apilog")).not.to.contain(`/pods/${pod}/binding`);
    await page.waitForSelector(`[data-panel="scheduler"] [data-action="select"][data-pod="${pod}"]`);

    // On a control-plane node: the API server refuses, and says why in the scheduler panel.
    await dragTo(page, await mapBox(page, pod), ...centre(await mapBox(page, "cp-1")));
    await dragOver(page, "cp-1");
    await release(page);
    await page.waitForSelector('[data-answer="scheduler"].bad:has-text("422")');
    expect(await page.textContent('[data-answer="scheduler"]')).to.match(/cp-1 is a control-plane node/);

    // On a worker: bound there, started by its kubelet's bot, ready.
    await dragTo(page, await mapBox(page, pod), ...centre(await mapBox(page, "node-2")));
    expect((await dragOver(page, "node-2")).pod).to.equal(pod);
    await release(page);
    await page.waitForSelector(`[data-answer="scheduler"].ok:has-text("${pod} bound to node-2")`);
    await page.waitForSelector(`#events :text("Container of ${pod} is ready")`, { timeout: 30_000 });
  });
});
