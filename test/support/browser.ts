/**
 * Real Chromium (Debian's, never a downloaded one) driven by playwright-core against the shared
 * game server, with a screenshot saved under test-results/ when a test fails.
 */
import { mkdirSync } from "node:fs";
import { chromium, type Browser, type BrowserContextOptions, type Page } from "playwright-core";
import { gameServer } from "./gameServer.ts";
import { CHROMIUM, CHROMIUM_ARGS } from "../../server/bench/support.ts";

export { CHROMIUM };

/**
 * The map's frames per second in the tests' pages (client/src/map/ClusterMap.ts): enough for
 * every drag and animation a test drives, a fraction of the CPU of 60 fps in software rendering,
 * where two or three test files each drive pages at once.
 */
const MAP_FPS = 20;

let browser: Browser | undefined;
const pages: Page[] = [];

/** A phone: 390×844 CSS px, touch, a mobile viewport (as the phone checks use). */
export const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 };

export async function openPage(width = 1280, height = 720, options: BrowserContextOptions = {}): Promise<Page> {
  browser ??= await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width, height }, ...options });
  await context.addInitScript((fps) => Object.assign(window, { CLUSTER_CREW_MAP_FPS: fps }), MAP_FPS);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  pages.push(page);
  const { port } = await gameServer();
  await page.goto(`http://127.0.0.1:${port}/`);
  return page;
}

/**
 * A solo game started in a fresh page, the player in `seat`, the intro dismissed and the clock
 * running; without the checkpoints' stops unless `questions` (the start screen ticks them).
 */
export async function soloGame(seat: string, scenario = "first-pod", questions = false, options: BrowserContextOptions = {}): Promise<Page> {
  const page = await openPage(1280, 720, options);
  await page.selectOption("#solo select[name=seat]", seat);
  await page.selectOption("#solo select[name=scenario]", scenario);
  await page.setChecked("#solo input[name=questions]", questions);
  await page.click("#solo button[type=submit]");
  await page.click("text=Start the game");
  await page.waitForSelector("#phase:has-text('running')");
  return page;
}

/** A workshop created by a host page (without the checkpoints' stops unless `questions`); returns the page and the room's PIN. */
export async function hostWorkshop(
  scenario: string,
  width = 1600,
  height = 900,
  questions = false,
  options: BrowserContextOptions = {},
): Promise<{ host: Page; pin: string }> {
  const host = await openPage(width, height, options);
  await host.fill("#host input[name=nickname]", "Ms Lee");
  await host.selectOption("#host select[name=scenario]", scenario);
  await host.setChecked("#host input[name=questions]", questions);
  await host.click("#host button[type=submit]");
  const pin = (await host.textContent(".overlay .pin"))!.trim();
  return { host, pin };
}

/** A class (team mode) of `teams` teams created by a host page from the start screen, without the checkpoints' stops; returns the page and the class's PIN. */
export async function hostClass(
  teams: number,
  scenario = "first-pod",
  width = 1280,
  height = 720,
  options: BrowserContextOptions = {},
): Promise<{ host: Page; pin: string }> {
  const host = await openPage(width, height, options);
  return { host, pin: await createClassOn(host, teams, scenario) };
}

/** The host on `host` (a start screen, from any server) creates a class of `teams` teams without the checkpoints' stops; resolves with its PIN, in its lobby. */
export async function createClassOn(host: Page, teams: number, scenario = "first-pod"): Promise<string> {
  await host.fill("#host input[name=nickname]", "Ms Lee");
  await host.selectOption("#host select[name=scenario]", scenario);
  await host.setChecked("#host input[name=questions]", false);
  await host.fill("#host input[name=teams]", String(teams));
  await host.click("#host button[type=submit]");
  await host.waitForSelector(".class-lobby .team-card");
  return (await host.textContent(".class-lobby header .pin"))!.trim();
}

/** A student in the class lobby picks a team (t1, t2, …; "auto"); resolves in that team's game screen. */
export async function chooseTeam(page: Page, team: string): Promise<Page> {
  await page.click(`[data-action="team.choose"][data-team="${team}"]`);
  await page.waitForSelector("#goal .team-badge");
  return page;
}

/** A student on `page` joins the class with `pin` through the join form; resolves in its lobby. */
export async function enterClass(page: Page, pin: string, nickname: string): Promise<Page> {
  await page.fill("#join input[name=pin]", pin);
  await page.fill("#join input[name=nickname]", nickname);
  await page.click("#join button[type=submit]");
  await page.waitForSelector(".class-lobby .team-card");
  return page;
}

/** The host starts every team's game with the class's Start button: the intro, then the start. */
export async function startEveryTeam(host: Page): Promise<void> {
  await host.click('[data-action="host.start"]');
  await host.waitForSelector('.class-lobby .answer.ok:has-text("every team")');
  await host.click('[data-action="host.start"]');
}

export async function joinWorkshop(pin: string, nickname: string, options: BrowserContextOptions = {}): Promise<Page> {
  const page = await openPage(1280, 720, options);
  await page.fill("#join input[name=pin]", pin);
  await page.fill("#join input[name=nickname]", nickname);
  await page.click("#join button[type=submit]");
  await page.click("text=Look at the cluster");
  return page;
}

export interface MapBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where the cluster map draws a pod or node (viewport CSS px), waiting until it is drawn. */
export async function mapBox(page: Page, name: string): Promise<MapBox> {
  const handle = await page.waitForFunction((n) => (window as unknown as { clusterMap: { locate(n: string): unknown } }).clusterMap.locate(n) ?? false, name);
  return (await handle.jsonValue()) as MapBox;
}

export const centre = (b: MapBox): [number, number] => [b.x + b.width / 2, b.y + b.height / 2];

/** Saves a screenshot of every open page when the test failed, then closes them. */
export async function closePages(test: Mocha.Context): Promise<void> {
  const failed = test.currentTest?.state === "failed";
  if (failed) mkdirSync("test-results", { recursive: true });
  for (const [i, page] of pages.entries()) {
    if (failed) await page.screenshot({ path: `test-results/${test.currentTest!.title.replace(/\W+/g, "-")}-${i}.png` }).catch(() => undefined);
    await page
      .context()
      .close()
      .catch(() => undefined);
  }
  pages.length = 0;
}

export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = undefined;
}
