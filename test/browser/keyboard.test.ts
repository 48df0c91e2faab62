/**
 * Keyboard-only play: from the start screen to a bound pod without a mouse — Tab to a control
 * (its focus visibly outlined), Enter or Space to use it — for the scheduler and the controller
 * manager, and the two drags replaced by the keyboard's paths: the scheduler picks the pod and
 * presses Bind; the host presses Enter on a player, then on a seat.
 */
import { expect } from "chai";
import type { Page } from "playwright-core";
import { closeBrowser, closePages, hostWorkshop, joinWorkshop, openPage } from "../support/browser.ts";
import { tabTo } from "../support/a11y.ts";

/** A solo game of `scenario` in `seat` started from the keyboard alone, without the checkpoints' stops. */
async function keyboardSolo(seat: string, scenario = "first-pod"): Promise<Page> {
  const page = await openPage();
  await page.waitForSelector("#solo select[name=seat]");
  await tabTo(page, "#solo select[name=seat]");
  // A select takes the keys of its options' first letters.
  await page.keyboard.press(seat === "scheduler" ? "s" : "c");
  expect(await page.inputValue("#solo select[name=seat]")).to.equal(seat);
  await tabTo(page, "#solo select[name=scenario]");
  // Arrow keys walk the options until the scenario is chosen.
  for (let i = 0; i < 20 && (await page.inputValue("#solo select[name=scenario]")) !== scenario; i++) await page.keyboard.press("ArrowDown");
  expect(await page.inputValue("#solo select[name=scenario]")).to.equal(scenario);
  await tabTo(page, "#solo input[name=questions]");
  await page.keyboard.press("Space");
  await tabTo(page, "#solo button[type=submit]");
  await page.keyboard.press("Enter");
  await page.waitForSelector('.overlay [data-action="host.start"]');
  await tabTo(page, '.overlay [data-action="host.start"]');
  await page.keyboard.press("Enter");
  await page.waitForSelector("#phase:has-text('running')");
  return page;
}

describe("keyboard-only play", function () {
  this.timeout(120_000);
  afterEach(async function () {
    await closePages(this);
  });
  after(closeBrowser);

  it("the scheduler picks a pending pod and binds it with Tab and Enter, then B binds the next", async () => {
    const page = await keyboardSolo("scheduler");
    await page.waitForSelector('[data-panel="scheduler"] [data-action="select"]', { timeout: 30_000 });
    // The pod chips are buttons: the last one picked with Space becomes the one the table places.
    const chips = await page.$$eval('[data-panel="scheduler"] [data-action="select"]', (els) => els.map((e) => (e as HTMLElement).dataset.pod!));
    const pod = chips[chips.length - 1];
    await tabTo(page, `[data-action="select"][data-pod="${pod}"]`);
    await page.keyboard.press("Space");
    await page.waitForSelector(`[data-action="select"][data-pod="${pod}"][aria-pressed="true"]`);
    await page.waitForSelector(`[data-panel="scheduler"] p:has-text("Place ${pod}")`);
    await tabTo(page, `[data-action="bind"][data-pod="${pod}"].primary`);
    await page.keyboard.press("Enter");
    await page.waitForSelector(`[data-answer="scheduler"].ok:has-text("${pod} bound to")`);
    // The shortcut binds whichever pod waits next.
    await page.waitForSelector('[data-panel="scheduler"] [data-action="select"]', { timeout: 30_000 });
    const next = (await page.getAttribute('[data-panel="scheduler"] [data-action="select"][aria-pressed="true"]', "data-pod"))!;
    await page.keyboard.press("b");
    await page.waitForSelector(`[data-answer="scheduler"].ok:has-text("${next} bound to")`);
    // A screen reader hears the answer, and reads the map as text: the pod on its node.
    await page.waitForFunction((p) => document.querySelector("#say")?.textContent?.includes(`${p} bound to`), next);
    await page.waitForFunction(
      (p) =>
        /node-\d, worker, Ready; [^<]*pods: [^<]*/.test(document.querySelector("#map-text")?.innerHTML ?? "") &&
        document.querySelector("#map-text")!.textContent!.includes(p),
      pod,
    );
    // B with no pod waiting: the refusal is said at once (the assertive region).
    for (let i = 0; i < 20 && (await page.$('[data-panel="scheduler"] [data-action="select"]')); i++) {
      await page.keyboard.press("b");
      await page.waitForTimeout(600);
    }
    await page.keyboard.press("b");
    await page.waitForFunction(() => document.querySelector("#say-now")?.textContent?.includes("no pod is waiting"));
  });

  it("the controller manager marks a silent node NotReady from the keyboard, and a screen reader hears the incident", async () => {
    const page = await keyboardSolo("controller-manager", "node-down");
    await tabTo(page, '[data-action="host.speed"][data-speed="4"]');
    await page.keyboard.press("Enter");
    // node-2 loses power at 0:45; ten seconds without its heartbeat, the panel offers the node controller's first step.
    await page.waitForSelector('[data-action="markNodeNotReady"][data-node="node-2"]', { timeout: 60_000 });
    await tabTo(page, '[data-action="markNodeNotReady"][data-node="node-2"]');
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => /Incident: NodeNotReady \S*node-2/.test(document.querySelector("#say")?.textContent ?? ""), undefined, {
      timeout: 30_000,
    });
  });

  it("the host gives a student a seat without dragging: Enter on the player, then Enter on the seat", async () => {
    const { host, pin } = await hostWorkshop("first-pod", 1280, 720);
    const ada = await joinWorkshop(pin, "Ada");
    await tabTo(host, '.overlay [data-action="intro.ok"]');
    await host.keyboard.press("Enter");
    await host.waitForSelector('[data-drag-player]:has-text("Ada")');
    await tabTo(host, "[data-drag-player]");
    await host.keyboard.press("Enter");
    await host.waitForSelector('[data-drag-player][aria-pressed="true"]');
    await tabTo(host, '[data-drop-seat="controller-manager"]');
    await host.keyboard.press("Enter");
    await ada.waitForSelector('[data-panel="controller-manager"]');
  });

  it("the controller manager creates a missing pod with Tab and Enter, and another with C", async () => {
    const page = await keyboardSolo("controller-manager");
    await page.waitForSelector('[data-action="createPod"]', { timeout: 30_000 });
    await tabTo(page, '[data-action="createPod"]');
    await page.keyboard.press("Enter");
    await page.waitForSelector('[data-answer="controller-manager"].ok');
    const first = await page.textContent('[data-answer="controller-manager"]');
    await page.waitForSelector('[data-action="createPod"]', { timeout: 30_000 });
    // The shortcut creates the next missing one.
    await page.keyboard.press("c");
    await page.waitForFunction((t) => {
      const a = document.querySelector('[data-answer="controller-manager"]');
      return !!a && a.classList.contains("ok") && a.textContent !== t;
    }, first);
  });
});
