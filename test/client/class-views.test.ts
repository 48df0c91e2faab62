/**
 * The class views' pure parts (client/src/ui/classViews/), in Node: the team ranking with shared
 * places, the names at the chart's line ends spread so none overlaps, a line per team named in
 * words, the mini map telling a node's state in words as well as colour, and the debrief's report
 * links (the host's as sent; a student's own completed with their token, nobody else's).
 */
import { expect } from "chai";
import { ranked } from "../../client/src/ui/classViews/boards.ts";
import { classDebriefHtml } from "../../client/src/ui/classViews/classDebriefView.ts";
import { miniMapHtml } from "../../client/src/ui/classViews/teamCard.ts";
import { spreadLabels, timelineChartSvg } from "../../client/src/ui/classViews/timelineChart.ts";
import type { ClassDebrief } from "../../shared/protocol/classMessages.ts";

describe("class views (client)", () => {
  it("ranks teams by score, equal scores sharing a place", () => {
    const r = ranked([
      { id: "t1", score: 300 },
      { id: "t2", score: 500 },
      { id: "t3", score: 300 },
    ]);
    expect(r.map((x) => `${x.place}:${x.team.id}`)).to.deep.equal(["1:t2", "2:t1", "2:t3"]);
  });

  it("spreads the names at the lines' ends so none overlaps, keeping their order", () => {
    const ys = spreadLabels([100, 101, 300, 99], 20);
    expect(ys[3]).to.equal(99);
    expect(ys[0]).to.equal(119);
    expect(ys[1]).to.equal(139);
    expect(ys[2]).to.equal(300);
  });

  it("draws a line per team with its name at the end, each with its own dash", () => {
    const svg = timelineChartSvg([
      { name: "Orange", colour: "#E69F00", timeline: [1, 0.5, 0.9] },
      { name: "Sky", colour: "#56B4E9", timeline: [1, 0.7, 1] },
    ]);
    expect([...svg.matchAll(/class="line-name"[^>]*>([^<]+)</g)].map((m) => m[1])).to.deep.equal(["Orange", "Sky"]);
    expect(svg).to.include('stroke-dasharray="14 6"');
    expect(svg).to.include('aria-label="availability over the game, one line per team: Orange, Sky"');
  });

  it("says each node's state in words on the mini map", () => {
    const html = miniMapHtml([
      { name: "node-1", role: "worker", ready: "True", pods: 2, podsReady: 1 },
      { name: "node-2", role: "worker", ready: "False", pods: 0, podsReady: 0 },
      { name: "node-3", role: "worker", ready: "Unknown", pods: 1, podsReady: 0 },
    ]);
    expect([...html.matchAll(/class="mini-state">(\w+)</g)].map((m) => m[1])).to.deep.equal(["Ready", "NotReady", "Unknown"]);
    expect(html).to.include("1/2 pods");
  });

  it("links the host to every report as sent, and a student to their own only, with their token", () => {
    const d: ClassDebrief = {
      teams: [{ id: "t1", name: "Orange", colour: "#E69F00", score: 1, availabilityTotal: 1, timeline: [1], incidents: [] }],
      roles: [],
      students: [
        { nickname: "Ada", team: "t1", seat: "scheduler", reportUrl: "/api/rooms/1/report.json?student=Ada" },
        { nickname: "Bo", team: "t1", seat: "", reportUrl: "/api/rooms/1/report.json?student=Bo" },
      ],
    };
    const student = classDebriefHtml(d, { ranked: true, nickname: "Ada", token: "tok" });
    expect(student.match(/href="[^"]+"/g)).to.deep.equal(['href="/api/rooms/1/report.json?student=Ada&amp;token=tok"']);
    const forHost = { ...d, students: d.students.map((s) => ({ ...s, reportUrl: `${s.reportUrl}&token=h` })) };
    expect(classDebriefHtml(forHost, { ranked: false }).match(/href=/g)).to.have.length(2);
  });
});
