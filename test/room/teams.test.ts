import { expect } from "chai";
import { Client } from "@colyseus/sdk";
import { matchMaker } from "@colyseus/core";
import { gameServer, serverRoom, until } from "../support/gameServer.ts";
import { createClass, enterTeam, joinClass, tell, type ClassMember } from "../support/classClient.ts";
import { CLASS_PROJECT_MS, type ClassRoom } from "../../server/room/ClassRoom.ts";
import { PATCH_MS } from "../../server/room/roomOptions.ts";
import { TEAMS } from "../../shared/protocol/teams.ts";

/** The in-process server's addresses. */
async function addresses() {
  const { port } = await gameServer();
  return { http: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port}` };
}

async function newClass(options: Record<string, unknown> = {}) {
  const { http, ws } = await addresses();
  const host = await createClass(ws, { scenario: "node-down", teams: 2, seed: 7, ...options });
  const classRoom = matchMaker.getLocalRoomById(host.room.roomId) as unknown as ClassRoom;
  const student = (nickname: string, follow = true) => joinClass(http, ws, host.welcome.pin, { nickname }, follow);
  return { host, classRoom, student, http, ws };
}

/** A student picks a team and waits to be in its room. */
async function pick(s: ClassMember, team: string): Promise<void> {
  expect((await tell(s, "team.choose", { team })).code).to.equal(200);
  await until(() => s.team !== undefined, 10_000, `${s.welcome.nickname} in a team room`);
}

const leaveAll = async (...members: ClassMember[]) => {
  for (const m of members) {
    await m.team?.room.leave().catch(() => undefined);
    await m.room.leave().catch(() => undefined);
  }
};

describe("team mode: the class room and its team rooms", () => {
  it("opens one team room per team, each with the class's scenario, seed and difficulty, and one PIN for the class", async () => {
    const { host, classRoom, http } = await newClass({ teams: 3, difficulty: "hard" });
    const state = host.room.state as any;
    await until(() => state.teams?.length === 3, 5000, "three teams in ClassState");
    expect([...state.teams].map((t: any) => t.name)).to.deep.equal(["Orange", "Sky", "Green"]);
    const pins = new Set<string>();
    for (const t of classRoom.session.teams) {
      const team = await serverRoom(t.roomId);
      expect(team.session.options).to.include({ mode: "workshop", scenario: "node-down", seed: 7, difficulty: "hard" });
      pins.add(team.session.pin);
      // A team room is never found by its own PIN: only the class opens it.
      expect((await fetch(`${http}/api/pin/${team.session.pin}`)).status, "a team's own PIN").to.equal(404);
    }
    expect(pins.size, "each team its own game, state and store prefix").to.equal(3);
    // The class patches its members at the pace it projects its teams (its 60 members get fewer, fuller patches); a team's game at a game's pace.
    expect(classRoom.patchRate, "the class room's patch rate").to.equal(CLASS_PROJECT_MS);
    for (const t of classRoom.session.teams) expect((await serverRoom(t.roomId)).patchRate, "a team room's patch rate").to.equal(PATCH_MS);
    const lookup = (await (await fetch(`${http}/api/pin/${host.welcome.pin}`)).json()) as { roomId: string; kind: string };
    expect(lookup).to.include({ roomId: host.room.roomId, kind: "class" });
    expect(state.joinUrl, "the address students open, with the PIN").to.match(new RegExp(`^http://.+/\\?pin=${host.welcome.pin}$`));
    await leaveAll(host);
  });

  it("refuses teams outside a workshop, fewer than 2 or more than 12, and a cluster room asked for teams", async () => {
    const { ws } = await addresses();
    const client = new Client(ws);
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => "created",
        (e: Error) => e.message,
      );
    expect(await refusal(client.create("cluster", { mode: "workshop", teams: 4 }))).to.match(/create it as room type "class"/);
    expect(await refusal(client.create("class", { mode: "solo", teams: 2 }))).to.match(/teams are for workshops/);
    expect(await refusal(client.create("class", { mode: "workshop", teams: 1 }))).to.match(/at least 2 teams/);
    expect(await refusal(client.create("class", { mode: "workshop", teams: 13 }))).to.match(/at most 12 teams/);
    expect(await refusal(client.create("class", { mode: "workshop" }))).to.match(/teams/);
  });

  it("lets a student pick a team by name, seats them in a free seat, and shows the team in their welcome and the class", async () => {
    const { host, classRoom, student } = await newClass();
    const ada = await student("Ada");
    await pick(ada, "t2");
    expect(ada.joins[0]).to.include({ team: "t2", reason: "chosen" });
    expect(ada.team!.welcome.team).to.include({ id: "t2", name: "Sky" });
    const teamRoom = await serverRoom(classRoom.session.teams[1].roomId);
    await until(() => teamRoom.session.players.get(ada.team!.welcome.playerId)?.seats.length === 1, 5000, "Ada seated");
    const seat = teamRoom.session.players.get(ada.team!.welcome.playerId)!.seats[0];
    expect(teamRoom.session.sim.isBot(seat), "the seat is Ada's, not its bot's").to.equal(false);
    const st = host.room.state as any;
    await until(() => st.students.get(ada.welcome.studentId)?.seat === seat, 5000, "the class sees Ada's team and seat");
    expect(st.students.get(ada.welcome.studentId).team).to.equal("t2");
    await until(() => st.teams[1].players === 1 && st.teams[1].seatsFree === 7, 5000, "Sky's summary: one person, seven free seats");
    await leaveAll(ada, host);
  });

  it("balances 'auto' students to the team with the most free seats", async () => {
    const { host, classRoom, student } = await newClass();
    await until(() => classRoom.session.teams.every((t) => t.report), 5000, "first summaries");
    const kids = [await student("A1"), await student("A2"), await student("A3"), await student("A4")];
    for (const k of kids) await pick(k, "auto");
    const counts = TEAMS.slice(0, 2).map((t) => kids.filter((k) => k.joins[0].team === t.id).length);
    expect(counts).to.deep.equal([2, 2]);
    await leaveAll(...kids, host);
  });

  it("admits no one to a team room without a live ticket: none, forged, or used once already", async () => {
    const { host, classRoom, student, ws } = await newClass();
    const ada = await student("Ada", false);
    expect((await tell(ada, "team.choose", { team: "t1" })).code).to.equal(200);
    await until(() => ada.joins.length === 1);
    const j = ada.joins[0];
    const teamRoomId = classRoom.session.teams[0].roomId;
    const pin = (await serverRoom(teamRoomId)).session.pin;
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => "joined",
        (e: Error) => e.message,
      );
    const other = new Client(ws);
    expect(await refusal(other.joinById(teamRoomId, { pin, nickname: "Eve" })), "its own PIN").to.match(/no game with PIN/);
    expect(await refusal(other.joinById(teamRoomId, { nickname: "Eve", ticket: `${teamRoomId}.00000000-0000-4000-8000-000000000000` })), "forged").to.match(
      /class with PIN/,
    );
    await enterTeam(ada, j);
    expect(ada.team!.welcome.nickname).to.equal("Ada");
    expect(await refusal(other.joinById(teamRoomId, { ticket: j.ticket })), "used").to.match(/class with PIN/);
    await leaveAll(ada, host);
  });

  it("host controls act on every team at once, or on the one named", async () => {
    const { host, classRoom } = await newClass();
    const teams = await Promise.all(classRoom.session.teams.map((t) => serverRoom(t.roomId)));
    expect((await tell(host, "host.start")).message).to.match(/every team/);
    expect(teams.map((t) => t.session.phase)).to.deep.equal(["intro", "intro"]);
    await tell(host, "host.start");
    expect(teams.map((t) => t.session.phase)).to.deep.equal(["running", "running"]);
    await until(() => (host.room.state as any).phase === "playing", 5000, "the class playing");
    expect((await tell(host, "host.pause", { team: "t2" })).message).to.match(/team Sky/);
    expect(teams.map((t) => t.session.phase)).to.deep.equal(["running", "paused"]);
    await tell(host, "host.pause");
    expect(teams.map((t) => t.session.phase)).to.deep.equal(["paused", "paused"]);
    await until(() => (host.room.state as any).phase === "paused", 5000, "the class paused");
    // What each team's players see (the team room's synchronised state), not only its session.
    await until(() => teams.every((t) => t.state.phase === "paused"), 5000, "every team room's state paused");
    const r = await tell(host, "host.pause");
    expect(r.code, "pausing a paused class says why, per team").to.equal(409);
    expect(r.message).to.match(/Orange: .*Sky: /);
    // The host's team view cannot give one team another scenario.
    expect(teams[0].session.chooseScenario("class", "first-pod").code).to.equal(409);
    await tell(host, "host.speed", { speed: 2 });
    expect(teams.map((t) => t.session.speed)).to.deep.equal([2, 2]);
    await tell(host, "host.resume");
    await tell(host, "host.end");
    expect(teams.map((t) => t.session.phase)).to.deep.equal(["debrief", "debrief"]);
    await until(() => (host.room.state as any).phase === "debrief", 5000, "the class at its debrief");
    await leaveAll(host);
  });

  it("answers host controls from a student with 403 and malformed ones with 400", async () => {
    const { host, student } = await newClass();
    const ada = await student("Ada", false);
    for (const type of ["host.start", "host.pause", "host.end", "host.balance"]) expect((await tell(ada, type)).code, type).to.equal(403);
    expect((await tell(ada, "host.moveStudent", { student: ada.welcome.studentId, team: "t2" })).code).to.equal(403);
    expect((await tell(host, "host.chaos", { failure: { type: "crashNode", node: "node-1" }, team: "t13" })).code).to.equal(400);
    expect((await tell(host, "team.choose", { team: "purple" })).code).to.equal(400);
    expect((await tell(ada, "no.such")).code).to.equal(400);
    await leaveAll(ada, host);
  });

  it("injects chaos into every team at the same game time, even when one team's clock is behind", async () => {
    const { host, classRoom } = await newClass();
    const teams = await Promise.all(classRoom.session.teams.map((t) => serverRoom(t.roomId)));
    await tell(host, "host.start");
    await tell(host, "host.start");
    // Sky falls behind: paused while Orange plays on.
    await tell(host, "host.pause", { team: "t2" });
    await until(() => teams[0].session.sim.now >= 2_000, 10_000, "Orange ahead");
    const r = await tell(host, "host.chaos", { failure: { type: "crashNode", node: "node-1" }, label: "class chaos" });
    expect(r.code, r.message).to.equal(200);
    await until(() => teams[0].session.sim.score.incidents.length === 1, 10_000, "Orange meets the failure");
    expect(teams[1].session.sim.score.incidents.length, "Sky is paused before the failure's time").to.equal(0);
    await tell(host, "host.resume", { team: "t2" });
    await until(() => teams[1].session.sim.score.incidents.length === 1, 15_000, "Sky meets it later, at its own clock");
    const [a, b] = teams.map((t) => t.session.sim.score.incidents[0]);
    expect(a.label).to.equal("class chaos");
    expect(a.at, "the same game time in both teams").to.equal(b.at);
    // The failure's event (what kubectl get events and the event log show) has the same game time too.
    const failureTimes = teams.map((t) => [...t.session.sim.state.events.values()].find((e) => e.reason === "Failure" && e.message === "class chaos")?.time);
    expect(failureTimes[0]).to.be.a("number");
    expect(failureTimes[0]).to.equal(failureTimes[1]);
    expect(failureTimes[0]).to.equal(a.at);
    await leaveAll(host);
  });

  it("moves a student to another team when the host says so: they are told, move, and take a seat there", async () => {
    const { host, classRoom, student } = await newClass();
    const ada = await student("Ada");
    await pick(ada, "t1");
    const [orange, sky] = await Promise.all(classRoom.session.teams.map((t) => serverRoom(t.roomId)));
    await until(() => orange.session.players.size === 1, 5000, "Ada in Orange");
    expect((await tell(host, "host.moveStudent", { student: ada.welcome.studentId, team: "t2" })).code).to.equal(200);
    await until(() => ada.joins.length === 2 && ada.team?.welcome.team?.id === "t2", 10_000, "Ada in Sky");
    expect(ada.joins[1].reason).to.equal("moved");
    await until(() => orange.session.players.size === 0 && sky.session.players.size === 1, 5000, "Orange empty, Sky has Ada");
    const st = host.room.state as any;
    await until(() => st.students.get(ada.welcome.studentId)?.team === "t2", 5000, "the class sees the move");
    await leaveAll(ada, host);
  });

  it("brings a student who comes back (a reload) to the same team and seat", async () => {
    const { host, classRoom, student, http, ws } = await newClass();
    const ada = await student("Ada");
    await pick(ada, "t2");
    const sky = await serverRoom(classRoom.session.teams[1].roomId);
    await until(() => sky.session.players.get(ada.team!.welcome.playerId)?.seats.length === 1, 5000, "Ada seated");
    const seat = sky.session.players.get(ada.team!.welcome.playerId)!.seats[0];
    const { playerKey } = ada.welcome;
    await leaveAll(ada);
    await until(() => sky.session.players.size === 0, 5000, "Ada gone from Sky");
    const back = await joinClass(http, ws, host.welcome.pin, { playerKey });
    expect(back.welcome.studentId).to.equal(ada.welcome.studentId);
    await until(() => back.team !== undefined, 10_000, "Ada back in a team room");
    expect(back.joins[0]).to.include({ team: "t2", reason: "returning" });
    expect(sky.session.players.get(back.team!.welcome.playerId)!.seats).to.deep.equal([seat]);
    await leaveAll(back, host);
  });

  it("seats a late student in a free seat, and once every seat is held, shares one", async () => {
    const { host, classRoom, student } = await newClass({ scenario: "scale-out" });
    await tell(host, "host.start");
    await tell(host, "host.start");
    const sky = await serverRoom(classRoom.session.teams[1].roomId);
    const seats = sky.session.sim.seats().length;
    const kids: ClassMember[] = [];
    for (let i = 0; i <= seats; i++) {
      const k = await student(`Late${i}`);
      await pick(k, "t2");
      kids.push(k);
    }
    await until(() => sky.session.players.size === seats + 1, 10_000, "everyone in Sky");
    const held = sky.session.sim.seats().map((s) => sky.session.holders(s).length);
    expect(
      held.every((n) => n >= 1),
      "every seat held by a person",
    ).to.equal(true);
    expect(
      held.reduce((a, b) => a + b, 0),
      "one seat shared",
    ).to.equal(seats + 1);
    await leaveAll(...kids, host);
  });

  it("pauses every team while the class's host is gone too long, and every team's screen says it waits for the host", async () => {
    const { host, classRoom, student, http, ws } = await newClass();
    const ada = await student("Ada");
    await pick(ada, "t1");
    const teams = await Promise.all(classRoom.session.teams.map((t) => serverRoom(t.roomId)));
    await tell(host, "host.start");
    await tell(host, "host.start");
    const hostToken = host.welcome.hostToken!;
    await host.room.leave();
    await until(() => classRoom.clients.length === 1, 5000, "the class sees the host gone");
    // HOST_AWAY_SECONDS later (the wall clock handed in, rather than waited for):
    await classRoom.session.watchHost(Date.now(), 30_000);
    expect(await classRoom.session.watchHost(Date.now() + 60_000, 30_000)).to.equal(true);
    await until(() => teams.every((t) => t.session.phase === "paused" && t.state.waitingForHost), 5000, "every team paused, waiting for the host");
    await until(() => (ada.team!.room.state as any).waitingForHost === true, 5000, "Ada's screen says so");
    const back = await joinClass(http, ws, host.welcome.pin, { hostToken }, false);
    expect(back.welcome.host).to.equal(true);
    await until(() => teams.every((t) => !t.state.waitingForHost), 5000, "the host is back");
    await tell(back, "host.resume");
    expect(teams.map((t) => t.session.phase)).to.deep.equal(["running", "running"]);
    await leaveAll(ada, back);
  });

  it("closes its team rooms when the class closes", async () => {
    const { host, classRoom } = await newClass();
    const ids = classRoom.session.teams.map((t) => t.roomId);
    await host.room.leave();
    await until(() => ids.every((id) => !matchMaker.getLocalRoomById(id)), 10_000, "team rooms closed");
  });
});
