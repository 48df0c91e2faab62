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
  const point = (t: number, availability: number) => ({ t, availability, served: 0, dropped: 0, timedOut: 0, pending: 0, serving: 0 });
  const team = (id: string, pin: string, recoveredAt?: number): TeamDebrief => ({
    id,
    name: id === "t1" ? "Orange" : "Sky",
    colour: id === "t1" ? "#E69F00" : "#56B4E9",
    pin,
    debrief: {
      outcome: { score: 640, availability: 0.9 } as TeamDebrief["debrief"]["outcome"],
      timeline: Array.from({ length: 12 }, (_, i) => point(i + 1, (i + 1) / 100)),
      incidents: [{ at: 3000, label: "node-2 loses power", recoveredAt }],
    },
  });

  it("compares the teams: a point every 5 s, each incident with the time to recover (null: never), a report link per student", () => {
    const d = classDebrief(
      [team("t1", "111111", 7500), team("t2", "222222")],
      [{ role: "scheduler", team: "t2", nickname: "Bo", metric: "bindWaitSec", label: "binds a pending pod in", value: 1, unit: "s", rank: 1 }],
      [
        { nickname: "Cy", team: "t2", seat: "" },
        { nickname: "Ada B", team: "t1", seat: "scheduler" },
        { nickname: "Zed", team: "", seat: "" },
      ],
    );
    expect(d.teams.map((t) => t.timeline)).to.deep.equal([
      [0.05, 0.1],
      [0.05, 0.1],
    ]);
    expect(d.teams[0]).to.deep.include({ id: "t1", name: "Orange", score: 640, availabilityTotal: 0.9 });
    expect(d.teams.map((t) => t.incidents[0])).to.deep.equal([
      { label: "node-2 loses power", atMs: 3000, recoveredAfterMs: 4500 },
      { label: "node-2 loses power", atMs: 3000, recoveredAfterMs: null },
    ]);
    expect(d.roles).to.have.length(1);
    expect(d.students).to.deep.equal([
      { nickname: "Ada B", team: "t1", seat: "scheduler", reportUrl: "/api/rooms/111111/report.json?student=Ada%20B" },
      { nickname: "Cy", team: "t2", seat: "", reportUrl: reportUrl("222222", "Cy") },
    ]);
  });
});
