import { expect } from "chai";
import { ClassSession, CHAOS_LEAD_MS, type TeamPort } from "../../server/game/ClassSession.ts";
import type { ClassCommand, ClassCommandAnswer } from "../../server/game/classCommands.ts";
import type { TeamReport } from "../../server/game/teamReport.ts";
import { teamsOf } from "../../shared/protocol/teams.ts";
import { ok } from "../../shared/sim/api/status.ts";

/** A fake of the team rooms: records every command and answers with each team's clock. */
function fakeTeams(clocks: Record<string, { now: number; phase: string }>) {
  const sent: { roomId: string; command: ClassCommand }[] = [];
  const port: TeamPort = {
    async command(roomId: string, command: ClassCommand): Promise<ClassCommandAnswer> {
      sent.push({ roomId, command });
      if (command.type === "clock") return { ...clocks[roomId], speed: 1 };
      return ok("done");
    },
  };
  return { port, sent };
}

const report = (over: Partial<TeamReport> = {}): TeamReport => ({
  phase: "lobby",
  gameNow: 0,
  availability: 1,
  availabilityTotal: 1,
  score: 0,
  players: 0,
  seatsFree: 8,
  nodes: [],
  incidents: 0,
  seats: [],
  served: 0,
  ended: 0,
  roles: [],
  pin: "000000",
  ...over,
});

function classOf(n: number, clocks: Record<string, { now: number; phase: string }> = {}) {
  const { port, sent } = fakeTeams(clocks);
  const options = { mode: "workshop" as const, scenario: "node-down", difficulty: "normal", questions: false, noSpeedPoints: false, teams: n, seed: 1 };
  const c = new ClassSession(options, "123456", port);
  for (const t of teamsOf(n)) c.addTeam(t, `room-${t.id}`);
  c.join("host", { pin: "123456" }, true);
  return { c, sent };
}

describe("ClassSession", () => {
  it("picks the chaos time from the fastest team's clock plus the lead, on a whole tick, and sends it to every playing team", async () => {
    const { c, sent } = classOf(3, {
      "room-t1": { now: 10_000, phase: "running" },
      "room-t2": { now: 12_340, phase: "paused" },
      "room-t3": { now: 0, phase: "lobby" },
    });
    const r = await c.chaos("host", { type: "crashNode", node: "node-1" });
    expect(r.ok, r.message).to.equal(true);
    const at = Math.ceil((12_340 + CHAOS_LEAD_MS) / 100) * 100;
    expect(r.at).to.equal(at);
    const chaos = sent.filter((s) => s.command.type === "chaos");
    expect(chaos.map((s) => s.roomId)).to.deep.equal(["room-t1", "room-t2"]);
    expect(chaos.every((s) => s.command.type === "chaos" && s.command.at === at)).to.equal(true);
    expect(r.message).to.match(/Green \(not playing yet\)/);
  });

  it("refuses chaos when no team plays, and every host control from a student", async () => {
    const { c } = classOf(2, { "room-t1": { now: 0, phase: "lobby" }, "room-t2": { now: 0, phase: "intro" } });
    expect((await c.chaos("host", { type: "crashNode", node: "node-1" })).code).to.equal(409);
    const joined = c.join("s1", { pin: "123456", nickname: "Ada" });
    expect("who" in joined).to.equal(true);
    expect((await c.control("s1", "start")).code).to.equal(403);
    expect((await c.chaos("s1", {})).code).to.equal(403);
    expect((await c.moveStudent("s1", "x", "t1")).result.code).to.equal(403);
  });

  it("balances 'auto' to the team with the most free seats, then the fewest students", async () => {
    const { c } = classOf(3);
    c.report("t1", "room-t1", report({ players: 3, seatsFree: 5 }));
    c.report("t2", "room-t2", report({ players: 1, seatsFree: 7 }));
    c.report("t3", "room-t3", report({ players: 1, seatsFree: 7 }));
    expect(c.balancedTeam().team.id).to.equal("t2");
    c.join("s1", { pin: "123456", nickname: "Ada" });
    const r = await c.choose("s1", "auto");
    expect(r.join?.team).to.equal("t2");
    // Ada now counts in Sky before its next summary: the next newcomer goes to Green.
    c.report("t2", "room-t2", report({ players: 2, seatsFree: 6 }));
    expect(c.balancedTeam().team.id).to.equal("t3");
  });

  it("takes summaries only from its own team rooms", () => {
    const { c } = classOf(2);
    expect(c.report("t1", "room-t1", report({ phase: "running" }))).to.equal(true);
    expect(c.report("t1", "room-elsewhere", report({ phase: "debrief" }))).to.equal(false);
    expect(c.report("t9", "room-t9", report())).to.equal(false);
    expect(c.phase).to.equal("playing");
  });

  it("follows its teams' phases: lobby, playing, paused when every team is, debrief when all have ended", () => {
    const { c } = classOf(2);
    const phases = (a: string, b: string) => {
      c.report("t1", "room-t1", report({ phase: a }));
      c.report("t2", "room-t2", report({ phase: b }));
      return c.phase;
    };
    expect(phases("lobby", "intro")).to.equal("lobby");
    expect(phases("running", "paused")).to.equal("playing");
    expect(phases("paused", "paused")).to.equal("paused");
    expect(phases("debrief", "running")).to.equal("playing");
    expect(phases("debrief", "debrief")).to.equal("debrief");
  });

  it("keeps a student's team and key: the same student comes back by key, a look-alike nickname is refused", () => {
    const { c } = classOf(2);
    const first = c.join("s1", { pin: "123456", nickname: "Ada" });
    if (!("who" in first)) throw new Error(first.message);
    expect(c.join("s2", { pin: "123456", nickname: "ADA" })).to.include({ code: 409 });
    expect(c.join("s3", { pin: "123456", playerKey: first.student!.key })).to.include({ code: 409 }, "already connected");
    c.leave("s1");
    const back = c.join("s4", { pin: "123456", playerKey: first.student!.key });
    expect("who" in back && back.student?.id).to.equal(first.student!.id);
  });

  it("a student keeps their team: another team is the host's to give", async () => {
    const { c } = classOf(2);
    c.join("s1", { pin: "123456", nickname: "Ada" });
    expect((await c.choose("s1", "t1")).result.ok).to.equal(true);
    expect((await c.choose("s1", "t2")).result.code).to.equal(409);
    const id = [...c.students.values()][0].id;
    const moved = await c.moveStudent("host", id, "t2");
    expect(moved.send?.join).to.include({ team: "t2", reason: "moved" });
    expect(moved.send?.clientId).to.equal("s1");
  });

  it("pauses every team while its host is gone too long, and says when the host is back", async () => {
    const { c, sent } = classOf(2);
    const away = () => sent.filter((s) => s.command.type === "hostAway").map((s) => (s.command as { away: boolean }).away);
    expect(await c.watchHost(1_000, 30_000)).to.equal(false);
    c.leave("host");
    expect(await c.watchHost(2_000, 30_000), "gone, not yet too long").to.equal(false);
    expect(await c.watchHost(32_000, 30_000)).to.equal(true);
    expect(away()).to.deep.equal([true, true]);
    expect(c.waitingForHost).to.equal(true);
    c.join("host2", { pin: "123456", hostToken: c.hostToken });
    expect(await c.watchHost(33_000, 30_000)).to.equal(true);
    expect(away()).to.deep.equal([true, true, false, false]);
  });
});
