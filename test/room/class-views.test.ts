/**
 * The class views' server side over real sockets (team mode, #12): the class room ranks the
 * teams' players by role (ClassState.roles) and totals the class (ClassState.total) from what
 * the team rooms report; the projector chooses what the wall shows (`host.board`); and when every
 * team's game is over, everyone in the class room gets `class.debrief` — the host's report links
 * read every student's report, a student's only with their own token.
 */
import { expect } from "chai";
import { matchMaker } from "@colyseus/core";
import { Client } from "@colyseus/sdk";
import type { ClassDebrief } from "../../shared/protocol/classMessages.ts";
import type { ClassRoom } from "../../server/room/ClassRoom.ts";
import { gameServer, serverRoom, until } from "../support/gameServer.ts";
import { createClass, joinClass, tell, type ClassMember } from "../support/classClient.ts";

async function addresses() {
  const { port } = await gameServer();
  return { http: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port}` };
}

/** Everything `m` is sent as `class.debrief`. */
function debriefs(m: ClassMember): ClassDebrief[] {
  const got: ClassDebrief[] = [];
  m.room.onMessage("class.debrief", (d: ClassDebrief) => got.push(d));
  return got;
}

/** Puts the student in their team's scheduler seat and binds one pending pod from it, over their team room's socket. */
async function bindOne(m: ClassMember): Promise<void> {
  const team = await serverRoom(m.team!.room.roomId);
  const id = m.team!.welcome.playerId;
  const held = team.session.players.get(id)!.seats[0];
  if (held !== "scheduler") expect(team.session.swapSeat(id, held, "scheduler").ok).to.equal(true);
  await until(() => [...team.session.sim.state.pods.values()].some((p) => !p.spec.nodeName), 20_000, "a pending pod");
  const pod = [...team.session.sim.state.pods.values()].find((p) => !p.spec.nodeName)!;
  const answers: { result: { ok: boolean } }[] = [];
  m.team!.room.onMessage("result", (r: { result: { ok: boolean } }) => answers.push(r));
  m.team!.room.send("api", { id: 1, seat: "scheduler", request: { type: "bind", pod: pod.metadata.name, node: "node-1" } });
  await until(() => answers.length > 0, 10_000, "the binding's answer");
  expect(answers[0].result.ok).to.equal(true);
}

describe("class views: role leaderboard, class total, board and class debrief", () => {
  it("ranks the teams' schedulers, totals the class, lets the projector pick the board, and sends the debrief at the end", async () => {
    const { http, ws } = await addresses();
    const host = await createClass(ws, { scenario: "first-pod", teams: 2, seed: 11 });
    const hostDebriefs = debriefs(host);
    const classRoom = matchMaker.getLocalRoomById(host.room.roomId) as unknown as ClassRoom;
    const ada = await joinClass(http, ws, host.welcome.pin, { nickname: "Ada" });
    const bo = await joinClass(http, ws, host.welcome.pin, { nickname: "Bo" });
    const adaDebriefs = debriefs(ada);
    for (const [m, team] of [
      [ada, "t1"],
      [bo, "t2"],
    ] as const) {
      expect((await tell(m, "team.choose", { team })).code).to.equal(200);
      await until(() => m.team !== undefined, 10_000, `${m.welcome.nickname} in a team room`);
    }
    // The lobby, then the intro, then the game.
    expect((await tell(host, "host.start")).ok).to.equal(true);
    expect((await tell(host, "host.start")).ok).to.equal(true);
    await until(() => classRoom.session.phase === "playing", 10_000, "the class playing");
    await bindOne(ada);
    await bindOne(bo);
    const state = host.room.state as any;
    await until(() => state.roles.length === 2, 10_000, "both schedulers on the role board");
    const board = [...state.roles].map((r: any) => ({ role: r.role, team: r.team, nickname: r.nickname, rank: r.rank, metric: r.metric }));
    expect(board.map((r) => r.role)).to.deep.equal(["scheduler", "scheduler"]);
    expect(board.map((r) => r.nickname).sort()).to.deep.equal(["Ada", "Bo"]);
    expect(board[0]).to.include({ rank: 1, metric: "bindWaitSec" });
    expect([...state.roles].map((r: any) => r.value)).to.satisfy((v: number[]) => v[0] <= v[1]);
    await until(() => state.total.podsServed > 0 || state.total.score > 0, 10_000, "the class total");
    const reports = classRoom.session.teams.map((t) => t.report!);
    expect(state.total.score).to.equal(reports[0].score + reports[1].score);

    // The projector (host token) picks the board; a student may not.
    const projector = await new Client(ws).joinById(host.room.roomId, { pin: host.welcome.pin, projector: true, hostToken: host.welcome.hostToken });
    const said: { result: { ok: boolean; code: number } }[] = [];
    projector.onMessage("result", (m: { result: { ok: boolean; code: number } }) => said.push(m));
    for (const t of ["welcome", "class.debrief"]) projector.onMessage(t, () => {});
    projector.send("host.board", { board: "total" });
    await until(() => said.length > 0, 10_000, "the projector's answer");
    expect(said[0].result.ok).to.equal(true);
    await until(() => state.board === "total", 5000, "the board switched to the class total");
    expect((await tell(ada, "host.board", { board: "ranked" })).code).to.equal(403);

    // The end: every team's game over, the debrief comparing them.
    await until(() => state.gameNow >= 6000, 20_000, "6 s of game time (a timeline point every 5 s)");
    expect((await tell(host, "host.end")).ok).to.equal(true);
    await until(() => hostDebriefs.length > 0 && adaDebriefs.length > 0, 15_000, "class.debrief");
    const d = hostDebriefs[0];
    expect(d.teams.map((t) => t.name)).to.deep.equal(["Orange", "Sky"]);
    expect(d.teams[0].timeline.length).to.be.greaterThan(0);
    expect(d.roles.map((r) => r.nickname).sort()).to.deep.equal(["Ada", "Bo"]);
    expect(d.students.map((s) => `${s.nickname}:${s.team}`)).to.deep.equal(["Ada:t1", "Bo:t2"]);
    // The host's links read each student's report in their team room.
    const adaHost = await fetch(`${http}${d.students[0].reportUrl}`);
    expect(adaHost.status).to.equal(200);
    expect(((await adaHost.json()) as { students: { nickname: string }[] }).students.map((s) => s.nickname)).to.deep.equal(["Ada"]);
    // A student's links carry no token: their own token reads their own, and nobody else's.
    const mine = adaDebriefs[0].students.find((s) => s.nickname === "Ada")!.reportUrl;
    const theirs = adaDebriefs[0].students.find((s) => s.nickname === "Bo")!.reportUrl;
    expect(mine).not.to.include("token=");
    expect((await fetch(`${http}${mine}`)).status).to.equal(401);
    const token = (ada.team!.welcome as { apiToken?: string }).apiToken!;
    expect((await fetch(`${http}${mine}&token=${token}`)).status).to.equal(200);
    expect((await fetch(`${http}${theirs}&token=${token}`)).status).to.be.oneOf([401, 403]);
    // Anyone joining afterwards is sent it too.
    const late = await new Client(ws).joinById(host.room.roomId, { pin: host.welcome.pin, projector: true, hostToken: host.welcome.hostToken });
    const lateGot: ClassDebrief[] = [];
    late.onMessage("welcome", () => {});
    late.onMessage("class.debrief", (x: ClassDebrief) => lateGot.push(x));
    await until(() => lateGot.length > 0, 10_000, "the debrief for a late projector");
    expect(lateGot[0].students[0].reportUrl).to.include("token=");
    for (const r of [late, projector, ada.team!.room, bo.team!.room, ada.room, bo.room, host.room]) await r.leave().catch(() => undefined);
  });
});
