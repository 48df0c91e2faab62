/**
 * Real Chromium (Debian's, never a downloaded one) driven by playwright-core against the shared
 * game server, with a screenshot saved under test-results/ when a test fails.
 */
import { mkdirSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { gameServer } from "./gameServer.ts";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

let browser: Browser | undefined;
const pages: Page[] = [];

export async function openPage(width = 1280, height = 720): Promise<Page> {
  browser ??= await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  pages.push(page);
  const { port } = await gameServer();
  await page.goto(`http://127.0.0.1:${port}/`);
  return page;
}

/** Saves a screenshot of every open page when the test failed, then closes them. */
export async function closePages(test: Mocha.Context): Promise<void> {
  const failed = test.currentTest?.state === "failed";
  if (failed) mkdirSync("test-results", { recursive: true });
  for (const [i, page] of pages.entries()) {
    if (failed) await page.screenshot({ path: `test-results/${test.currentTest!.title.replace(/\W+/g, "-")}-${i}.png` }).catch(() => undefined);
    await page.context().close().catch(() => undefined);
  }
  pages.length = 0;
}

export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = undefined;
}
