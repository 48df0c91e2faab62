/**
 * Team mode's screens for everyone (#12 "Everyone included"): axe-core over the student's class
 * lobby (team choice), the host's class lobby, the projector view (the lobby with the PIN and QR
 * code, playing with the leaderboard, the class total) and the class debrief (on the wall, and the
 * host's and a student's "How the teams did" dialog) — no serious or critical violation; and the
 * class lobby and the projector at 200 % browser zoom — no overlap, nothing past the page's edge,
 * nothing cut off; on every screen, no team told by its colour alone.
 */
import { expect } from "chai";
import type { Page } from "playwright-core";
import { chooseTeam, closeBrowser, closePages, enterClass, hostClass, openPage, startEveryTeam } from "../support/browser.ts";
import { expectClean, layoutFaults, ZOOMED } from "../support/a11y.ts";
import { timelineChartSvg } from "../../client/src/ui/classViews/timelineChart.ts";
import { TEAMS } from "../../shared/protocol/teams.ts";

/**
 * Where a team shows by colour without its name in words beside it: a swatch whose row, heading
 * or badge names no team; a chart line without its name; a projector card without its heading.
 */
async function colourAlone(page: Page): Promise<string[]> {
  // tsx names the inner functions with a helper the page lacks.
  await page.evaluate("window.__name = (f) => f");
  return page.evaluate(
    (names) => {
      const named = (el: Element | null) => names.some((n) => el?.textContent?.includes(n));
      const faults: string[] = [];
      for (const sw of document.querySelectorAll(".swatch"))
        if (!named(sw.closest("li, tr, header, h2, h3, .team-badge"))) faults.push(`a swatch in ${sw.parentElement?.outerHTML.slice(0, 80)}`);
      for (const line of document.querySelectorAll(".timeline-chart .team-line")) if (!named(line.querySelector(".line-name"))) faults.push("a chart line");
      for (const card of document.querySelectorAll(".wall-team, .team-card")) if (!named(card.querySelector("h2"))) faults.push(`a card ${card.className}`);
      return faults;
    },
    TEAMS.map((t) => t.name),
  );
}

/** Axe finds nothing serious, and no team is told by colour alone. */
async function expectIncluded(page: Page, screen: string): Promise<void> {
  await expectClean(page, screen);
  expect(await colourAlone(page), `${screen}: a team by colour alone`).to.deep.equal([]);
}

/** A student's page in the class lobby, joined by PIN (no team yet). */
async function classStudent(pin: string, nickname: string, width = 1280, height = 720, options = {}): Promise<Page> {
  return enterClass(await openPage(width, height, options), pin, nickname);
}

/** The projector view the host's class lobby links to, opened in its own page. */
async function wallOf(host: Page, width = 1280, height = 720, options = {}): Promise<Page> {
  const href = (await host.getAttribute("a.projector-link", "href"))!;
  const wall = await openPage(width, height, options);
  await wall.goto(href);
  await wall.waitForSelector('.wall-team[data-team="t2"] .mini-node');
  return wall;
}

/** The boxes of the class lobby and the projector that must not overlap one another. */
const CLASS_BOXES = ".class-lobby > header, .class-host, .team-card, .pj-head, .wall-team, .pj-side, .pj-controls";
const CLASS_SCOPE = ".class-lobby *, .projector *";

describe("team mode's screens: axe-core and 200 % zoom", function () {
  this.timeout(180_000);
  afterEach(async function () {
    await closePages(this);
  });
  after(closeBrowser);

  it("axe: the class lobbies, the projector (lobby, playing, class total) and the class debrief, host and student", async () => {
    const { host, pin } = await hostClass(2);
    await expectIncluded(host, "the host's class lobby");
    const ada = await classStudent(pin, "Ada");
    await expectIncluded(ada, "a student's class lobby (team choice)");
    const wall = await wallOf(host);
    await wall.waitForSelector(".pj-join img.join-qr", { timeout: 20_000 });
    await expectIncluded(wall, "the projector's lobby (PIN and QR code)");

    await chooseTeam(ada, "t2");
    await startEveryTeam(host);
    await ada.waitForSelector("#phase:has-text('running')");
    await wall.waitForSelector(".pj-phase:text('Playing')");
    await wall.waitForSelector(".team-board li:nth-child(2)");
    await expectIncluded(wall, "the projector, playing, with the leaderboard");
    await wall.click('[data-board="total"]');
    await wall.waitForSelector(".class-total");
    await expectIncluded(wall, "the projector with the class total");
    await wall.click('[data-board="ranked"]');
    await host.waitForSelector('.team-card[data-drop-team="t2"]:has-text("running")');
    await expectIncluded(host, "the host's class lobby, playing");

    await ada.waitForTimeout(6000);
    await host.click('[data-action="host.end"]');
    await wall.waitForSelector(".class-debrief .timeline-chart", { timeout: 30_000 });
    await expectIncluded(wall, "the class debrief on the wall");
    for (const [page, who] of [
      [host, "the host"],
      [ada, "a student"],
    ] as const) {
      await page.click("#class-debrief-open", { timeout: 30_000 });
      await page.waitForSelector("dialog.class-debrief-dialog[open] .timeline-chart");
      await expectIncluded(page, `the class debrief, ${who}'s dialog`);
    }
  });

  it("the class debrief's chart with all twelve teams: each line named, a dark team's line on a light halo", async () => {
    const page = await openPage();
    const teams = TEAMS.map((t, i) => ({
      name: t.name,
      colour: t.colour,
      timeline: Array.from({ length: 24 }, (_, k) => Math.max(0, 1 - (k > 8 ? (i + 1) * 0.02 : 0))),
    }));
    const svg = timelineChartSvg(teams, [{ label: "node-3 loses power", atMs: 45_000 }]);
    // In a box of its own in place of the page's app, which would otherwise draw its screen over it on its next render.
    await page.evaluate((html) => {
      const box = document.createElement("main");
      box.innerHTML = `<section class="class-debrief" aria-label="class debrief"><div class="cd-chart">${html}</div></section>`;
      document.getElementById("app")!.replaceWith(box);
    }, svg);
    await page.screenshot({ path: "test-results/class-access/chart-12-teams.png" });
    expect(await page.locator(".timeline-chart .line-name").allTextContents()).to.deep.equal(TEAMS.map((t) => t.name));
    expect(await page.locator(".team-line:has(.halo.light)").evaluateAll((gs) => gs.map((g) => g.getAttribute("data-team")))).to.deep.equal([
      "Black",
      "Indigo",
      "Wine",
    ]);
    await expectIncluded(page, "the twelve teams' chart");
  });

  it("200 % zoom: the host's and a student's class lobby and the projector (lobby and playing): no overlap, nothing off the page", async () => {
    const { host, pin } = await hostClass(4, "first-pod", ZOOMED.viewport.width, ZOOMED.viewport.height, ZOOMED);
    const ada = await classStudent(pin, "Ada", ZOOMED.viewport.width, ZOOMED.viewport.height, ZOOMED);
    const wall = await wallOf(host, ZOOMED.viewport.width, ZOOMED.viewport.height, ZOOMED);
    await wall.waitForSelector(".pj-join img.join-qr", { timeout: 20_000 });
    await host.waitForSelector('.team-card .student:has-text("Ada")').catch(() => undefined);
    for (const [page, name] of [
      [host, "the host's class lobby"],
      [ada, "a student's class lobby"],
      [wall, "the projector's lobby"],
    ] as const) {
      await page.screenshot({ path: `test-results/class-access/zoom-${name.replace(/\W+/g, "-")}.png`, fullPage: true });
      expect(await layoutFaults(page, CLASS_BOXES, CLASS_SCOPE), name).to.deep.equal([]);
    }
    await chooseTeam(ada, "t1");
    await startEveryTeam(host);
    await wall.waitForSelector(".team-board li:nth-child(4)");
    await host.waitForSelector('.team-card[data-drop-team="t1"]:has-text("running")');
    for (const [page, name] of [
      [host, "the host's class lobby, playing"],
      [wall, "the projector, playing"],
    ] as const) {
      await page.screenshot({ path: `test-results/class-access/zoom-${name.replace(/\W+/g, "-")}.png`, fullPage: true });
      expect(await layoutFaults(page, CLASS_BOXES, CLASS_SCOPE), name).to.deep.equal([]);
    }
  });
});
