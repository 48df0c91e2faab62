/**
 * The role leaderboard across teams and the cooperative class total (roleStandings.ts), and the
 * class debrief comparing teams (classDebrief.ts): pure builders, table-like cases.
 */
import { expect } from "chai";
import { classDebrief, reportUrl, type TeamDebrief } from "../../server/game/classDebrief.ts";
import { classTotal, roleStandings } from "../../server/game/roleStandings.ts";
import { ROLE_METRICS, type RoleMetric } from "../../server/game/teamReport.ts";
import type { SeatRole } from "../../shared/sim/seats.ts";

const metric = (role: SeatRole, value: number, nickname = "x"): RoleMetric => ({ role, nickname, ...ROLE_METRICS[role], value, unit: "s", count: 1 });

describe("role standings", () => {
  it("ranks each role's teams fastest first, roles in seat order", () => {
    const board = roleStandings([
      { team: "t1", roles: [metric("scheduler", 2.5, "Ada"), metric("kube-proxy", 1)] },
      { team: "t2", roles: [metric("scheduler", 0.8, "Bo")] },
    ]);
    expect(board.map((r) => `${r.role} ${r.team} ${r.rank} ${r.nickname}`)).to.deep.equal(["scheduler t2 1 Bo", "scheduler t1 2 Ada", "kube-proxy t1 1 x"]);
    expect(board[0]).to.deep.include({ metric: "bindWaitSec", label: "binds a pending pod in", value: 0.8, unit: "s" });
  });

  it("gives equal figures the same rank and skips the places they took (1, 1, 3), in team order", () => {
    const board = roleStandings([
      { team: "t1", roles: [metric("controller-manager", 3)] },
      { team: "t2", roles: [metric("controller-manager", 1)] },
      { team: "t3", roles: [metric("controller-manager", 1)] },
    ]);
    expect(board.map((r) => `${r.team}:${r.rank}`)).to.deep.equal(["t2:1", "t3:1", "t1:3"]);
  });

  it("leaves a team off a role's board when nobody on it played that role", () => {
    const board = roleStandings([
      { team: "t1", roles: [metric("kubelet", 1)] },
      { team: "t2", roles: [] },
    ]);
    expect(board.map((r) => r.team)).to.deep.equal(["t1"]);
    expect(roleStandings([])).to.deep.equal([]);
  });

  it("pools every team's requests into the class total and sums the scores", () => {
    expect(
      classTotal([
        { score: 500, served: 90, ended: 100 },
        { score: 300, served: 10, ended: 100 },
      ]),
    ).to.deep.equal({ availability: 0.5, score: 800, podsServed: 100 });
    expect(classTotal([{ score: 0, served: 0, ended: 0 }])).to.deep.equal({ availability: 1, score: 0, podsServed: 0 });
  });
});

describe("class debrief", () => {
  const team = (id: string, pin: string, recoveredAfterMs: number | null): TeamDebrief => ({
    id,
    name: id === "t1" ? "Orange" : "Sky",
    colour: id === "t1" ? "#E69F00" : "#56B4E9",
    pin,
    score: 640,
    availabilityTotal: 0.9,
    timeline: [1, 0.8, 0.95],
    incidents: [{ label: "node-2 loses power", atMs: 3000, recoveredAfterMs }],
    hostToken: `host-of-${id}`,
  });
  const teams = [team("t1", "111111", 4500), team("t2", "222222", null)];
  const roles = [{ role: "scheduler", team: "t2", nickname: "Bo", metric: "bindWaitSec", label: "binds a pending pod in", value: 1, unit: "s", rank: 1 }];
  const students = [
    { nickname: "Cy", team: "t2", seat: "" },
    { nickname: "Ada B", team: "t1", seat: "scheduler" },
    { nickname: "Zed", team: "", seat: "" },
  ];

  it("compares the teams: their timelines, each incident with the time to recover (null: never), the role board", () => {
    const d = classDebrief(teams, roles, students, { host: false });
    expect(d.teams.map((t) => [t.id, t.name, t.score, t.availabilityTotal, t.timeline])).to.deep.equal([
      ["t1", "Orange", 640, 0.9, [1, 0.8, 0.95]],
      ["t2", "Sky", 640, 0.9, [1, 0.8, 0.95]],
    ]);
    expect(d.teams.map((t) => t.incidents[0].recoveredAfterMs)).to.deep.equal([4500, null]);
    expect(d.roles).to.deep.equal(roles);
    expect(JSON.stringify(d)).not.to.include("host-of-");
  });

  it("links every student in a team to their report in their team room: the host's links read all, a student's carry no token", () => {
    const forStudent = classDebrief(teams, roles, students, { host: false });
    expect(forStudent.students).to.deep.equal([
      { nickname: "Ada B", team: "t1", seat: "scheduler", reportUrl: "/api/rooms/111111/report.json?student=Ada%20B" },
      { nickname: "Cy", team: "t2", seat: "", reportUrl: reportUrl("222222", "Cy") },
    ]);
    const forHost = classDebrief(teams, roles, students, { host: true });
    expect(forHost.students.map((s) => s.reportUrl)).to.deep.equal([
      "/api/rooms/111111/report.json?student=Ada%20B&token=host-of-t1",
      "/api/rooms/222222/report.json?student=Cy&token=host-of-t2",
    ]);
  });
});
