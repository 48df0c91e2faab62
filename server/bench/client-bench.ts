/**
 * Map benchmark: frame times of the cluster map in Debian's headless Chromium, printed.
 *
 *   npm run bench:client [-- --seconds 10]
 *
 * Builds the client, serves it from a game server on a free loopback port, opens the benchmark
 * page (20 nodes, 200 pods, ~300 requests in flight) at 1280×720 and 1920×1080, and prints the
 * median, p95 and max frame time after a warm-up. Then the phone run: a real solo game of the
 * standard cluster (node-down: 2 control-plane nodes, 3 workers, traffic) in play on a 390×844
 * touch screen at 3 device px per CSS px, with Chromium's CPU slowed PHONE_CPU_SLOWDOWN times
 * through the DevTools protocol (Emulation.setCPUThrottlingRate); its median fps is the figure
 * (target ≥ 50).
 */
import "../polyfill.ts";
import { execFileSync } from "node:child_process";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";
import { startServer } from "../app.ts";
import { CHROMIUM, CHROMIUM_ARGS, freePort, pct } from "./support.ts";

const { values } = parseArgs({ options: { seconds: { type: "string", default: "10" } } });

/** How many times slower than this machine the phone run's CPU is (Chromium's throttling). */
const PHONE_CPU_SLOWDOWN = 4;
/** The phone run's target: median frames per second. */
const PHONE_TARGET_FPS = 50;

const port = await freePort();
execFileSync("npm", ["run", "--silent", "build:client"], { stdio: ["ignore", "ignore", "inherit"] });
const server = await startServer({ port, apiPort: 0, log: () => {} });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
console.log(`map frame times in headless Chromium (${browser.version()}), 20 nodes, 200 pods, ~300 requests in flight`);
for (const [width, height] of [
  [1280, 720],
  [1920, 1080],
]) {
  const page = await browser.newPage({ viewport: { width, height } });
  await page.goto(`http://127.0.0.1:${port}/bench/index.html`);
  await page.waitForTimeout(3000);
  await page.evaluate(() => (window as unknown as { __map: { frameTimes(): number[] } }).__map.frameTimes().length);
  await page.waitForTimeout(Number(values.seconds) * 1000);
  const times = (await page.evaluate(() => (window as unknown as { __map: { frameTimes(): number[] } }).__map.frameTimes())).sort((a, b) => a - b);
  const fps = 1000 / pct(times, 0.5);
  console.log(
    `  ${width}×${height}: median ${pct(times, 0.5).toFixed(1)} ms (${fps.toFixed(0)} fps), p95 ${pct(times, 0.95).toFixed(1)} ms, max ${times.at(-1)?.toFixed(1)} ms over ${times.length} frames`,
  );
  await page.close();
}
await phoneRun();
await browser.close();
await server.close();
process.exit(0);

/** A solo game of the standard cluster running on a 390×844 phone with its CPU slowed down; prints the map's frame times. */
async function phoneRun(): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.selectOption("#solo select[name=scenario]", "node-down");
  await page.setChecked("#solo input[name=questions]", false);
  await page.click("#solo button[type=submit]");
  await page.click("text=Start the game");
  await page.waitForSelector("#phase:has-text('running')");
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: PHONE_CPU_SLOWDOWN });
  await page.waitForTimeout(3000);
  await page.waitForTimeout(Number(values.seconds) * 1000);
  const frames = await page.evaluate(() => (window as unknown as { clusterMap: { frameTimes(): number[] } }).clusterMap.frameTimes());
  const times = frames.sort((a, b) => a - b);
  const fps = 1000 / pct(times, 0.5);
  console.log(
    `  phone 390×844 (×3 px, CPU ${PHONE_CPU_SLOWDOWN}× slower), node-down in play: median ${pct(times, 0.5).toFixed(1)} ms (${fps.toFixed(0)} fps, target ≥ ${PHONE_TARGET_FPS}), p95 ${pct(times, 0.95).toFixed(1)} ms, max ${times.at(-1)?.toFixed(1)} ms over ${times.length} frames`,
  );
  await context.close();
}
