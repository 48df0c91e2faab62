/**
 * The student report downloads over real HTTP, beside the debrief and under its rules: the host's
 * token reads every student (or one, by nickname), a player's kubectl token only their own, and
 * anyone else is refused in words; the CSV has one row a student.
 */
import { expect } from "chai";
import type { ClassReport } from "../../shared/protocol/report.ts";
import { parseCsv } from "../support/csv.ts";
import { api, ask, create, gameServer, join, type Joined } from "../support/gameServer.ts";

describe("student report downloads", function () {
  this.timeout(90_000);
  let host: Joined;
  let ada: Joined;
  let bo: Joined;
  let base: string;

  /** GET the report with `token` (as a query parameter, as the download links do). */
  const get = (token: string | undefined, rest = "report.json", query = "") =>
    fetch(`${base}/${rest}?${token === undefined ? "" : `token=${encodeURIComponent(token)}`}${query}`);
  const json = async (token: string, query = "") => (await (await get(token, "report.json", query)).json()) as ClassReport;

  before(async () => {
    host = await create({ mode: "workshop", scenario: "first-pod", nickname: "Teacher" });
    ada = await join(host.welcome.pin, { nickname: "Ada" });
    bo = await join(host.welcome.pin, { nickname: "Bo" });
    await ask(ada, "seat.take", { seat: "scheduler" });
    await ask(bo, "seat.take", { seat: "kubelet:node-1" });
    await ask(host, "host.start");
    await ask(host, "host.start");
    const refused = await api(ada, "scheduler", { type: "bind", pod: "no-such-pod", node: "node-1" });
    expect(refused.code).to.equal(404);
    await ask(host, "host.end");
    base = `http://127.0.0.1:${(await gameServer()).port}/api/rooms/${host.welcome.pin}`;
  });

  after(async () => {
    for (const j of [host, ada, bo]) await j.room.leave();
  });

  it("the host's token reads every student, with seats, actions and refusals", async () => {
    const r = await json(host.welcome.hostToken!);
    expect(r.scenario.id).to.equal("first-pod");
    expect(r.students.map((s) => s.nickname)).to.deep.equal(["Ada", "Bo"]);
    const [a, b] = r.students;
    expect(a.seats.map((s) => s.seat)).to.deep.equal(["scheduler"]);
    expect(a.actions.byType).to.deep.equal({ bind: 1 });
    expect(a.refusals.byReason).to.deep.equal([{ reason: "NotFound", code: 404, count: 1 }]);
    expect(b.seats.map((s) => s.seat)).to.deep.equal(["kubelet:node-1"]);
    expect(b.refusals.total).to.equal(0);
  });

  it("the host may ask for one student, and is told when nobody wears that name", async () => {
    expect((await json(host.welcome.hostToken!, "&student=Bo")).students.map((s) => s.nickname)).to.deep.equal(["Bo"]);
    const res = await get(host.welcome.hostToken!, "report.json", "&student=Nobody");
    expect(res.status).to.equal(404);
    expect(((await res.json()) as { message: string }).message).to.match(/no student called Nobody/);
  });

  it("a player's token reads only their own report, and is refused another's with 403", async () => {
    expect((await json(ada.welcome.apiToken!)).students.map((s) => s.nickname)).to.deep.equal(["Ada"]);
    expect((await json(ada.welcome.apiToken!, "&student=Ada")).students.map((s) => s.nickname)).to.deep.equal(["Ada"]);
    const res = await get(ada.welcome.apiToken!, "report.json", "&student=Bo");
    expect(res.status).to.equal(403);
    expect(((await res.json()) as { message: string }).message).to.match(/only their own report/);
  });

  it("refuses a stranger: no token (401), a token of no one in this game (401), a bad format (400)", async () => {
    const none = await get(undefined);
    expect(none.status).to.equal(401);
    expect(((await none.json()) as { message: string }).message).to.match(/student report is for the game's host and players/);
    const bogus = await get("123456.not-a-token");
    expect(bogus.status).to.equal(401);
    expect(((await bogus.json()) as { message: string }).message).to.match(/not valid in this game/);
    expect((await get(host.welcome.hostToken!, "report.xml")).status).to.equal(400);
  });

  it("the CSV has one row a student: the host's every student, a player's their own", async () => {
    const all = await get(host.welcome.hostToken!, "report.csv");
    expect(all.headers.get("content-type")).to.match(/text\/csv/);
    expect(all.headers.get("content-disposition")).to.match(/cluster-crew-\d{6}-report\.csv/);
    const rows = parseCsv(await all.text());
    expect(rows.map((r) => r[0])).to.deep.equal(["nickname", "Ada", "Bo"]);
    expect(rows[1].slice(1, 4)).to.deep.equal(["scheduler 0:00-end", "1", "1"]);
    const own = parseCsv(await (await get(bo.welcome.apiToken!, "report.csv")).text());
    expect(own.map((r) => r[0])).to.deep.equal(["nickname", "Bo"]);
  });

  it("carries you-against-the-bot, with the seat's reaction, once the replay is done", async () => {
    const deadline = Date.now() + 60_000;
    let r = await json(ada.welcome.apiToken!);
    while (r.students[0].vsBot.status !== "done" && Date.now() < deadline) {
      expect(r.students[0].vsBot.status).to.equal("pending");
      await new Promise((done) => setTimeout(done, 250));
      r = await json(ada.welcome.apiToken!);
    }
    const a = r.students[0];
    expect(a.vsBot.status, a.vsBot.summary).to.equal("done");
    expect(a.vsBot.reactions.map((x) => x.seat)).to.deep.equal(["scheduler"]);
  });
});
