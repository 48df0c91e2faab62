import { expect } from "chai";
import type { Page } from "playwright-core";
import { closePages, hostWorkshop, joinWorkshop, openPage } from "../support/browser.ts";
import { parseCsv } from "../support/csv.ts";

const SHOTS = "test-results/screens";

/** Every student answers the open question (the first option of `pick`, else the first), the host reveals and resumes. */
async function throughQuestion(host: Page, students: Page[], shoot = false): Promise<void> {
  await host.waitForSelector("#question-box h2");
  for (const [i, s] of students.entries()) {
    await s.waitForSelector('#question-box [data-action="answer"]');
    await s.click(`#question-box [data-action="answer"][data-choice="${i % 2}"]`);
    await s.waitForSelector("#question-box :text('Your answer is in')");
  }
  await host.waitForSelector(`#question-box .answered:has-text("${students.length} of ${students.length} answered")`);
  if (shoot) {
    await students[0].screenshot({ path: `${SHOTS}/checkpoint-student-1280.png` });
    await host.screenshot({ path: `${SHOTS}/checkpoint-host-1280.png` });
    // The host sees the counts; a student does not, before the reveal.
    expect(await host.$$eval("#question-box .count", (els) => els.map((e) => Number(e.textContent)).reduce((a, b) => a + b, 0))).to.equal(students.length);
    expect(await students[0].$$("#question-box .count")).to.have.length(0);
  }
  await host.click('#question-box [data-action="host.reveal"]');
  for (const s of students) await s.waitForSelector("#question-box .option.right");
  if (shoot) await students[1].screenshot({ path: `${SHOTS}/checkpoint-revealed-1280.png` });
  await host.click('#question-box [data-action="host.resume"]');
}

describe("checkpoints and the exit check in the browser", () => {
  afterEach(async function () {
    await closePages(this);
  });

  it("a workshop: two students answer each checkpoint of the first-pod tour, the host reveals, then both take the exit check", async function () {
    this.timeout(180_000);
    const host = await openPage(1280, 720);
    await host.fill("#host input[name=nickname]", "Ms Lee");
    await host.selectOption("#host select[name=scenario]", "first-pod");
    await host.check("#host input[name=questions]");
    await host.click("#host button[type=submit]");
    const pin = (await host.textContent(".overlay .pin"))!.trim();
    const students = [await joinWorkshop(pin, "Ada"), await joinWorkshop(pin, "Bob")];
    await host.click('.overlay [data-action="host.start"]');
    await host.click('.overlay [data-action="host.start"]');
    // The tour's four hand-offs, each a question for the class.
    for (let i = 0; i < 4; i++) await throughQuestion(host, students, i === 0);
    await host.waitForSelector("#phase:has-text('running')");
    await host.click('[data-action="host.endAsk"]');
    await host.click('[data-action="host.end"]');
    let exitCount = 0;
    for (const s of students) {
      await s.waitForSelector("#exit-check .exit-question");
      const count = Number((await s.textContent("#exit-check"))!.match(/Question 1 of (\d)/)![1]);
      exitCount = count;
      expect(count).to.be.within(3, 5);
      if (s === students[0]) await s.screenshot({ path: `${SHOTS}/exit-check-open-1280.png` });
      // One question at a time: each answer brings the next, the last one the review.
      for (let q = 0; q < count; q++) {
        await s.click("#exit-check .exit-question button.option >> nth=1");
        await s.waitForSelector(q + 1 < count ? `#exit-check :text("Question ${q + 2} of ${count}")` : "#exit-check .explain");
      }
      await s.waitForSelector("#exit-check .explain");
      expect(await s.$$("#exit-check .explain")).to.have.length(count);
      expect(await s.textContent("#exit-check")).to.match(/\d of \d right/);
    }
    await students[0].$eval("#exit-check", (e) => e.scrollIntoView());
    await students[0].screenshot({ path: `${SHOTS}/exit-check-1280.png` });
    // The host's exit check is everyone's answers in the report, not questions of their own.
    expect(await host.$$("#exit-check .exit-question")).to.have.length(0);

    // The student report, downloaded as each reads it: a student's own row, the host's every student's,
    // with the four checkpoints and the exit check answered (Ada picked the scheduler first: right).
    const csvOf = async (p: Page) => {
      await p.waitForSelector('#report a[href*="report.csv"]');
      const rows = parseCsv(await p.$eval('#report a[href*="report.csv"]', async (a) => (await fetch((a as HTMLAnchorElement).href)).text()));
      return rows.slice(1).map((r) => Object.fromEntries(rows[0].map((h, i) => [h, r[i]])));
    };
    const [ada] = await csvOf(students[0]);
    expect(ada.nickname).to.equal("Ada");
    expect([Number(ada.checkpoint_total), Number(ada.exit_total)]).to.deep.equal([4, exitCount]);
    expect(Number(ada.checkpoint_right)).to.be.within(1, 4);
    expect(Number(ada.concepts_count)).to.be.greaterThan(0);
    const everyone = await csvOf(host);
    expect(everyone.map((r) => r.nickname).sort()).to.deep.equal(["Ada", "Bob"]);
    expect(everyone.every((r) => Number(r.checkpoint_total) === 4 && Number(r.exit_total) === exitCount)).to.equal(true);
    // The report on the page is fetched again once the exit check is answered whole: its answers are there.
    await students[0].waitForSelector('#report :text("exit check")');
    await students[0].$eval("#report", (e) => e.scrollIntoView());
    await students[0].screenshot({ path: `${SHOTS}/report-answers-1280.png` });
  });

  it("solo: one step of the guided tour — the question, the reveal on answering, and the step panel naming who acts", async () => {
    const page = await openPage(1280, 720);
    await page.selectOption("#solo select[name=seat]", "scheduler");
    await page.selectOption("#solo select[name=scenario]", "first-pod");
    await page.check("#solo input[name=questions]");
    await page.click("#solo button[type=submit]");
    await page.click("text=Start the game");
    await page.waitForSelector("#question-box h2:has-text('Who acts next?')");
    await page.click('#question-box [data-action="answer"][data-choice="0"]');
    await page.waitForSelector("#question-box .option.right:has-text('the scheduler')");
    expect(await page.textContent("#question-box .explain")).to.match(/^Right\./);
    await page.screenshot({ path: `${SHOTS}/tour-solo-1280.png` });
    await page.click('#question-box [data-action="host.resume"]');
    await page.waitForSelector("#guide:has-text('the scheduler')");
    expect(await page.$("#question-box")).to.equal(null);
    await page.screenshot({ path: `${SHOTS}/tour-step-1280.png` });
  });

  it("the host asks a question of the bank mid-game; a student answers it, a spectator reads it without answering", async function () {
    this.timeout(120_000);
    const { host, pin } = await hostWorkshop("node-down", 1280, 720);
    const ada = await joinWorkshop(pin, "Ada");
    const vi = await openPage();
    await vi.fill("#join input[name=pin]", pin);
    await vi.fill("#join input[name=nickname]", "Vi");
    await vi.check("#join input[name=spectate]");
    await vi.click("#join button[type=submit]");
    await host.click('.overlay [data-action="host.start"]');
    await host.click('.overlay [data-action="host.start"]');
    await host.waitForSelector("#phase:has-text('running')");
    await host.selectOption('[data-panel="host"] [data-field="question"]', "nd-heartbeat");
    await host.screenshot({ path: `${SHOTS}/host-ask-1280.png` });
    await host.click('[data-panel="host"] [data-action="host.ask"]');
    await host.waitForSelector("#phase:has-text('paused')");
    await ada.waitForSelector('#question-box h2:has-text("alive")');
    await vi.waitForSelector('#question-box h2:has-text("alive")');
    await vi.waitForSelector("#question-box :text('Spectators see the question')");
    expect(await vi.$$('#question-box [data-action="answer"]')).to.have.length(0);
    await ada.click('#question-box [data-action="answer"][data-choice="0"]');
    await host.waitForSelector('#question-box .answered:has-text("1 of 1 answered: Ada")');
    await host.click('#question-box [data-action="host.reveal"]');
    await vi.waitForSelector("#question-box .option.right");
    await vi.screenshot({ path: `${SHOTS}/spectator-revealed-1280.png` });
    await host.click('#question-box [data-action="host.resume"]');
    await host.waitForSelector("#phase:has-text('running')");
    await ada.waitForSelector("#question-box", { state: "detached" });
  });
});
