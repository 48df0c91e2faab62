import { expect } from "chai";
import { mkdirSync } from "node:fs";
import type { Page } from "playwright-core";
import { matchMaker } from "@colyseus/core";
import { chooseTeam, closeBrowser, closePages, enterClass, hostClass, openPage, startEveryTeam } from "../support/browser.ts";
import { serverRoom, until } from "../support/gameServer.ts";
import { describeFailure } from "../../shared/sim/failures/failures.ts";
import type { ClassRoom } from "../../server/room/ClassRoom.ts";

/** Screenshots of team mode's screens, for a person to look at. */
const SHOTS = "test-results/teams";

/** A student joins the class by PIN, picks a team (a name, or "auto") and waits for their team's game screen. */
async function student(pin: string, nickname: string, team: string): Promise<Page> {
  const page = await enterClass(await openPage(1280, 720), pin, nickname);
  if (nickname === "Ada") await page.screenshot({ path: `${SHOTS}/student-lobby.png` });
  return chooseTeam(page, team);
}

/** The team name a student's game screen shows. */
const teamOf = async (page: Page) => (await page.textContent("#goal .team-badge"))!.trim();

describe("team mode in a real browser", function () {
  this.timeout(180_000);
  afterEach(async function () {
    await closePages(this);
  });
  after(closeBrowser);

  it("a host and four students in two teams: join by PIN, team choice, start, chaos reaching both teams at the same game time", async () => {
    mkdirSync(SHOTS, { recursive: true });
    const { host, pin } = await hostClass(2, "node-down");
    const classRoom = (await matchMaker.query({ name: "class" })).find((r) => r.metadata?.pin === pin)!;
    const session = (matchMaker.getLocalRoomById(classRoom.roomId) as unknown as ClassRoom).session;

    const ada = await student(pin, "Ada", "t1");
    await ada.screenshot({ path: `${SHOTS}/student-game.png` });
    const bo = await student(pin, "Bo", "t2");
    const cy = await student(pin, "Cy", "t1");
    // Orange has two, Sky one: "auto" balances Dee into Sky.
    const dee = await student(pin, "Dee", "auto");
    expect([await teamOf(ada), await teamOf(bo), await teamOf(cy), await teamOf(dee)]).to.deep.equal(["Orange", "Sky", "Orange", "Sky"]);

    // The host sees every student under their team, with the seat each plays.
    for (const [name, team] of [
      ["Ada", "t1"],
      ["Bo", "t2"],
      ["Cy", "t1"],
      ["Dee", "t2"],
    ])
      await host.waitForSelector(`.team-card[data-drop-team="${team}"] .student:has-text("${name}") .muted`);
    await host.screenshot({ path: `${SHOTS}/host-lobby.png` });

    await startEveryTeam(host);
    for (const p of [ada, bo, cy, dee]) await p.waitForSelector("#phase:has-text('running')");
    await host.waitForSelector('.team-card[data-drop-team="t2"]:has-text("running")');

    const teams = await Promise.all(session.teams.map((t) => serverRoom(t.roomId)));
    const label = describeFailure({ type: "crashNode", node: "node-1" });
    const chaosIn = (t: (typeof teams)[number]) => t.session.sim.score.incidents.find((i) => i.label === label);
    await host.selectOption('select[name="class-failure"]', "crashNode");
    await host.selectOption('select[name="class-node"]', "node-1");
    await host.click('[data-action="host.chaos"]');
    await host.waitForSelector('.class-lobby .answer.ok:has-text("strikes at game time")');
    // Both teams meet it, at the same game time…
    await until(() => teams.every(chaosIn), 30_000, "both teams meet the failure");
    const at = teams.map((t) => chaosIn(t)!.at);
    expect(at[0], "the same game time in both teams").to.equal(at[1]);
    // …and every student's event log shows it (their own team's cluster).
    for (const p of [ada, bo, cy, dee]) await p.waitForSelector(`#events:has-text("${label}")`, { timeout: 30_000 });
    await host.waitForSelector('.team-card[data-drop-team="t1"]:has-text("running")');
    await host.screenshot({ path: `${SHOTS}/host-playing.png` });
    await bo.screenshot({ path: `${SHOTS}/student-chaos.png` });
  });

  it("the host moves a student to the other team by keyboard (the name's list) and the student's page follows", async () => {
    const { host, pin } = await hostClass(2, "node-down");
    const ada = await student(pin, "Ada", "t1");
    expect(await teamOf(ada)).to.equal("Orange");
    const chip = '.team-card[data-drop-team="t1"] .student:has-text("Ada")';
    await host.waitForSelector(chip);
    await host.selectOption(`${chip} select`, "t2");
    await host.waitForSelector('.class-lobby .answer.ok:has-text("moves to team Sky")');
    await ada.waitForFunction(() => document.querySelector("#goal .team-badge")?.textContent?.trim() === "Sky", undefined, { timeout: 30_000 });
    await host.waitForSelector('.team-card[data-drop-team="t2"] .student:has-text("Ada")');
    // A reload brings Ada back through the class: the same team, in the game.
    await ada.reload();
    await ada.waitForFunction(() => document.querySelector("#goal .team-badge")?.textContent?.trim() === "Sky", undefined, { timeout: 30_000 });
  });

  it("the host drags a student onto another team, and opens a team's full game view and comes back", async () => {
    const { host, pin } = await hostClass(2, "node-down");
    const bo = await student(pin, "Bo", "t2");
    const chip = '.team-card[data-drop-team="t2"] .student:has-text("Bo")';
    await host.waitForSelector(chip);
    await host.dragAndDrop(`${chip} [data-drag-student]`, '.team-card[data-drop-team="t1"]');
    await host.waitForSelector('.class-lobby .answer.ok:has-text("moves to team Orange")');
    await bo.waitForFunction(() => document.querySelector("#goal .team-badge")?.textContent?.trim() === "Orange", undefined, { timeout: 30_000 });
    await host.click('[data-action="host.openTeam"][data-team="t1"]');
    await host.waitForSelector("#goal .team-badge:has-text('Orange')");
    await host.waitForSelector('[data-panel="host"]');
    // The host sees the team's own lobby (its intro, with the class's PIN) and its host panel.
    expect(await host.textContent(".overlay .pin")).to.equal(pin);
    // One click closes it, even one that lands as the overlay is redrawn (its join address arriving).
    await host.click('.overlay [data-action="intro.ok"]');
    await host.waitForSelector(".overlay .pin", { state: "detached", timeout: 5_000 });
    await host.screenshot({ path: `${SHOTS}/host-team-view.png` });
    await host.click("#leave:has-text('Back to the class')");
    await host.waitForSelector(".class-lobby .team-card");
  });
});
