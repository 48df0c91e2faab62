/**
 * Team mode on a phone and from the keyboard (#12 "Phones and touch", "Everyone included"): a
 * student on a 390×844 touch screen joins a class by PIN, picks a team with a tap and lands in the
 * team's game, and reads "How the teams did" at the end, every screen within the phone's width;
 * a host on a phone moves a student with the name's drop-down (no drag); and keyboard only — a
 * student chooses a team, the host starts, pauses, resumes, injects chaos and moves a student with
 * Tab, Enter and the arrow keys, the focus always visible — while the page's live region tells a
 * screen reader of the class's incidents and of the move ("You moved to team Orange").
 * Screenshots go to test-results/class-phone/ for a person to look at.
 */
import { mkdirSync } from "node:fs";
import { expect } from "chai";
import type { Page } from "playwright-core";
import { closeBrowser, closePages, hostClass, openPage, PHONE, startEveryTeam } from "../support/browser.ts";
import { tabTo } from "../support/a11y.ts";
import { joinClass, tell } from "../support/classClient.ts";
import { gameServer } from "../support/gameServer.ts";

const OUT = "test-results/class-phone";

/** The page's width against the window's, and the class debrief dialog's own (none open: 0). */
const widths = (page: Page) =>
  page.evaluate(() => {
    const d = document.querySelector("dialog[open]");
    return { page: document.documentElement.scrollWidth, screen: window.innerWidth, dialog: d ? d.scrollWidth - d.clientWidth : 0 };
  });

async function expectFits(page: Page, what: string): Promise<void> {
  const w = await widths(page);
  expect(w.page, `${what}: the page's width`).to.be.at.most(w.screen);
  expect(w.dialog, `${what}: the dialog scrolls sideways by`).to.equal(0);
}

/** What the page's live region (access.ts's pageSay) says now. */
const said = (page: Page, text: string) =>
  page.waitForFunction((t) => document.querySelector("#page-say")?.textContent?.includes(t), text, { timeout: 30_000 });

describe("team mode on a phone and from the keyboard", function () {
  this.timeout(180_000);
  afterEach(async function () {
    await closePages(this);
  });
  after(closeBrowser);
  before(() => mkdirSync(OUT, { recursive: true }));

  it("a student on a phone joins by PIN, taps a team, plays in it, and reads the class debrief, all within the width", async () => {
    const { host, pin } = await hostClass(2);
    const ada = await openPage(390, 844, PHONE);
    await ada.tap("#join input[name=pin]");
    await ada.keyboard.type(pin);
    await ada.tap("#join input[name=nickname]");
    await ada.keyboard.type("Ada");
    await ada.tap("#join button[type=submit]");
    await ada.waitForSelector('.class-lobby [data-action="team.choose"][data-team="t2"]');
    await expectFits(ada, "the class lobby");
    await ada.screenshot({ path: `${OUT}/student-lobby.png`, fullPage: true });
    await ada.tap('[data-action="team.choose"][data-team="t2"]');
    await ada.waitForSelector("#goal .team-badge:has-text('Sky')");
    await said(ada, "Joining team Sky");
    await startEveryTeam(host);
    await ada.waitForSelector("#phase:has-text('running')");
    await expectFits(ada, "the team's game");
    await ada.screenshot({ path: `${OUT}/student-game.png` });
    await ada.waitForTimeout(6000);
    await host.click('[data-action="host.end"]');
    await ada.tap("#class-debrief-open", { timeout: 30_000 });
    await ada.waitForSelector("dialog.class-debrief-dialog[open] .timeline-chart");
    await expectFits(ada, "the class debrief");
    await ada.screenshot({ path: `${OUT}/student-class-debrief.png` });
  });

  it("a host on a phone moves a student to another team with the name's drop-down, by touch", async () => {
    const { host, pin } = await hostClass(2, "first-pod", 390, 844, PHONE);
    await expectFits(host, "the host's class lobby");
    const ada = await openPage();
    await ada.fill("#join input[name=pin]", pin);
    await ada.fill("#join input[name=nickname]", "Ada");
    await ada.click("#join button[type=submit]");
    await ada.click('[data-action="team.choose"][data-team="t1"]');
    await ada.waitForSelector("#goal .team-badge:has-text('Orange')");
    const move = '.team-card[data-drop-team="t1"] .student:has-text("Ada") select';
    await host.waitForSelector(move);
    await expectFits(host, "the host's class lobby with a student");
    await host.screenshot({ path: `${OUT}/host-lobby.png`, fullPage: true });
    await host.tap(move);
    await host.selectOption(move, "t2");
    await said(host, "moves to team Sky");
    await ada.waitForFunction(() => document.querySelector("#goal .team-badge")?.textContent?.trim() === "Sky", undefined, { timeout: 30_000 });
    await said(ada, "You moved to team Sky");
  });

  it("keyboard only: a student chooses a team; the host starts, pauses, resumes, injects chaos and moves the student; a screen reader hears the incident and the move", async () => {
    const { host, pin } = await hostClass(2);
    const ada = await openPage();
    await tabTo(ada, "#join input[name=pin]");
    await ada.keyboard.type(pin);
    await tabTo(ada, "#join input[name=nickname]");
    await ada.keyboard.type("Ada");
    await ada.keyboard.press("Enter");
    await ada.waitForSelector(".class-lobby .team-card");
    await tabTo(ada, '[data-action="team.choose"][data-team="t2"]');
    // Bo picks Orange meanwhile: Ada's lobby redraws, and her focus stays on "Join Sky".
    const { port } = await gameServer();
    const bo = await joinClass(`http://127.0.0.1:${port}`, `ws://127.0.0.1:${port}`, pin, { nickname: "Bo" });
    expect((await tell(bo, "team.choose", { team: "t1" })).code).to.equal(200);
    await ada.waitForSelector('.team-card[data-drop-team="t1"] .members li:not(.muted)');
    expect(await ada.evaluate(() => (document.activeElement as HTMLElement).dataset.team)).to.equal("t2");
    await ada.keyboard.press("Enter");
    await ada.waitForSelector("#goal .team-badge:has-text('Sky')");

    await host.waitForSelector('.team-card[data-drop-team="t2"] .student:has-text("Ada")');
    await tabTo(host, '[data-action="host.start"]');
    await host.keyboard.press("Enter");
    await host.waitForSelector('.class-lobby .answer.ok:has-text("every team")');
    // The lobby redraws as the teams move on; the focus stays on the same button.
    expect(await host.evaluate(() => (document.activeElement as HTMLElement).dataset.action)).to.equal("host.start");
    await host.keyboard.press("Enter");
    await ada.waitForSelector("#phase:has-text('running')");
    await tabTo(host, '[data-action="host.pause"]');
    await host.keyboard.press("Enter");
    await ada.waitForSelector("#phase:has-text('paused')");
    await tabTo(host, '[data-action="host.resume"]');
    await host.keyboard.press("Enter");
    await ada.waitForSelector("#phase:has-text('running')");

    // Chaos: the failure and the node picked with the arrow keys and a letter, then Inject.
    await tabTo(host, 'select[name="class-failure"]');
    expect(await host.inputValue('select[name="class-failure"]')).to.equal("crashNode");
    await tabTo(host, 'select[name="class-node"]');
    for (let i = 0; i < 10 && (await host.inputValue('select[name="class-node"]')) !== "node-1"; i++) await host.keyboard.press("ArrowDown");
    expect(await host.inputValue('select[name="class-node"]')).to.equal("node-1");
    await tabTo(host, '[data-action="host.chaos"]');
    await host.keyboard.press("Enter");
    await host.waitForSelector('.class-lobby .answer.ok:has-text("strikes at game time")');
    await said(host, "Incident: team");

    // The move: Ada's drop-down in team Sky, ArrowDown to Orange.
    const move = '.team-card[data-drop-team="t2"] select[aria-label="Move Ada to another team"]';
    await tabTo(host, move);
    await host.keyboard.press("ArrowDown");
    await said(host, "moves to team Orange");
    await ada.waitForFunction(() => document.querySelector("#goal .team-badge")?.textContent?.trim() === "Orange", undefined, { timeout: 30_000 });
    await said(ada, "You moved to team Orange");
    await host.screenshot({ path: `${OUT}/host-keyboard.png` });
    for (const r of [bo.team?.room, bo.room]) await r?.leave().catch(() => undefined);
  });
});
