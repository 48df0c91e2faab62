/**
 * `node --import tsx test/support/screenshots.ts [out-dir]`: screenshots of the solo, host,
 * student and debrief screens at 1280×720 and 1920×1080 (built client: npm run build:client),
 * for a person to look at after a change to the layout. Not a test: it asserts nothing.
 */
import type { Page } from "playwright-core";
import { closeBrowser, openPage } from "./browser.ts";

const OUT = process.argv[2] ?? "test-results/screens";
const SIZES: [number, number][] = [
  [1280, 720],
  [1920, 1080],
];

async function shot(page: Page, name: string): Promise<void> {
  const { width } = page.viewportSize()!;
  await page.screenshot({ path: `${OUT}/${name}-${width}.png` });
}

async function screens(width: number, height: number): Promise<void> {
  // Solo as a kubelet, a few seconds into the game.
  const solo = await openPage(width, height);
  await solo.selectOption("#solo select[name=seat]", "kubelet:node-1");
  await solo.selectOption("#solo select[name=scenario]", "free-play");
  await solo.click("#solo button[type=submit]");
  await shot(solo, "solo-intro");
  await solo.click(".overlay >> text=Start the game");
  await solo.waitForSelector("#phase:has-text('running')");
  await solo.waitForTimeout(6000);
  await shot(solo, "solo-kubelet");

  // A workshop: the host's lobby, a student with two seats, the game, the debrief.
  const host = await openPage(width, height);
  await host.fill("#host input[name=nickname]", "Ms Lee");
  await host.selectOption("#host select[name=scenario]", "node-down");
  await host.click("#host button[type=submit]");
  const pin = (await host.textContent(".overlay .pin"))!.trim();
  await shot(host, "host-lobby-popup");
  const student = await openPage(width, height);
  await student.fill("#join input[name=pin]", pin);
  await student.fill("#join input[name=nickname]", "Ada");
  await student.click("#join button[type=submit]");
  await student.click("text=Look at the cluster");
  for (const seat of ["scheduler", "kube-proxy:node-1"]) {
    await student.click(`[data-panel="seats"] [data-action="seat.take"][data-seat="${seat}"]`);
    await student.waitForSelector(`[data-panel="${seat}"]`);
  }
  await host.click('.overlay [data-action="intro.ok"]');
  await shot(host, "host-lobby");
  await host.click('[data-panel="host"] [data-action="host.start"]');
  await student.waitForSelector(".overlay");
  await shot(student, "student-intro");
  await host.click('.overlay [data-action="host.start"]');
  await host.waitForSelector("#phase:has-text('running')");
  await host.waitForTimeout(8000);
  await shot(host, "host-running");
  await shot(student, "student-running");
  await host.click('[data-action="host.endAsk"]');
  await host.click('[data-action="host.end"]');
  await student.waitForSelector("#debrief h1");
  await host.waitForSelector("#debrief h1");
  await host.waitForTimeout(1500);
  await shot(host, "host-debrief");
  await shot(student, "student-debrief");

  // A spectator (watch mode).
  const watch = await openPage(width, height);
  if (await watch.$("#watch button[type=submit]")) {
    await watch.click("#watch button[type=submit]");
    await watch.waitForSelector("#phase");
    await watch.waitForTimeout(4000);
    await shot(watch, "watch");
  }
  for (const p of [solo, host, student, watch]) await p.context().close();
}

for (const [w, h] of SIZES) await screens(w, h);
await closeBrowser();
process.exit(0);
