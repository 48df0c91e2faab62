/**
 * Map benchmark: frame times of the cluster map in Debian's headless Chromium, printed.
 *
 *   npm run bench:client [-- --seconds 10]
 *
 * Builds the client, serves it from a game server on a free loopback port, opens the benchmark
 * page (20 nodes, 200 pods, ~300 requests in flight) at 1280×720 and 1920×1080, and prints the
 * median, p95 and max frame time after a warm-up.
 */
import "../polyfill.ts";
import { execFileSync } from "node:child_process";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";
import { startServer } from "../app.ts";
import { CHROMIUM, CHROMIUM_ARGS, freePort, pct } from "./support.ts";

const { values } = parseArgs({ options: { seconds: { type: "string", default: "10" } } });

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
await browser.close();
await server.close();
process.exit(0);
