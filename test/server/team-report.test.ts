/**
 * A team's report to its class room (server/game/teamReport.ts): the summary and mini map, and
 * each role's figure measured from the players' own actions (roleClock.ts through the student
 * ledger) — in a deterministic game of first-pod played tick by tick, with four students in the
 * four roles; a role nobody acted in is absent, a refused or needless request times nothing, and
 * the figures survive a save.
 */
import { expect } from "chai";
import { GameSession } from "../../server/game/GameSession.ts";
import { teamReport, type TeamReport } from "../../server/game/teamReport.ts";
import { TICK_MS } from "../../shared/sim/clock.ts";

const SEATS: [string, string, string][] = [
  ["a", "Ada", "controller-manager"],
  ["b", "Bo", "scheduler"],
  ["c", "Cy", "kubelet:node-1"],
  ["d", "Di", "kube-proxy:node-1"],
];

/** A running first-pod workshop (no pods yet: the deployment wants 3) with the four students seated. */
function game(): GameSession {
  const s = new GameSession({ mode: "workshop", scenario: "first-pod", difficulty: "normal", seed: 7 });
  s.join("h", "Host", { host: true, now: 0 });
  for (const [id, nickname, seat] of SEATS) {
    s.join(id, nickname, { now: 0 });
    expect(s.takeSeat(id, seat).ok).to.equal(true);
  }
  s.start("h");
  s.start("h");
  expect(s.phase).to.equal("running");
  return s;
}

/** Plays until `ms` of game time, calling `each` after every tick. */
function playTo(s: GameSession, ms: number, each?: () => void): void {
  while (s.sim.now < ms) {
    s.advance(TICK_MS);
    each?.();
  }
}

const role = (r: TeamReport, name: string) => r.roles.find((m) => m.role === name);

describe("team report", () => {
  it("summarises the team: phase, clock, people and free seats, a mini map of every node", () => {
    const s = game();
    playTo(s, 2000);
    const r = teamReport(s);
    expect(r).to.include({ phase: "running", gameNow: 2000, players: 4, incidents: 0 });
    expect(r.seatsFree).to.equal(s.sim.seats().length - 4);
    expect(r.nodes.map((n) => `${n.name}:${n.role}:${n.ready}:${n.pods}`)).to.deep.equal([
      "cp-1:control-plane:True:0",
      "cp-2:control-plane:True:0",
      "node-1:worker:True:0",
      "node-2:worker:True:0",
      "node-3:worker:True:0",
    ]);
    expect(r.seats).to.deep.include({ nickname: "Bo", seat: "scheduler" });
  });

  it("times each role's action from what called for it, and leaves out a role nobody acted in", () => {
    const s = game();
    playTo(s, 2000);
    // The controller manager: web has been short of replicas since the score began.
    const since = s.sim.score.missingSince("web")!;
    expect(since).to.be.a("number");
    const created = s.request("a", "controller-manager", { type: "createPod", deployment: "web" }) as { ok: boolean; name: string };
    expect(created.ok).to.equal(true);
    expect(teamReport(s).roles.map((m) => m.role)).to.deep.equal(["controller-manager"]);
    playTo(s, 3500);
    // The scheduler binds the pod 1.5 s after its creation.
    expect(s.request("b", "scheduler", { type: "bind", pod: created.name, node: "node-1" }).ok).to.equal(true);
    playTo(s, 4700);
    // The kubelet admits it 1.2 s after the binding.
    expect(s.request("c", "kubelet:node-1", { type: "admit", pod: created.name }).ok).to.equal(true);
    // The endpoints change once the pod is ready: note when, tick by tick.
    let version = s.sim.state.endpoints.get("web")?.metadata.resourceVersion;
    let changedAt = -1;
    expect(s.request("d", "kube-proxy:node-1", { type: "syncRules", node: "node-1", service: "web", mode: "local-first" }).ok).to.equal(true);
    const firstSync = role(teamReport(s), "kube-proxy")!;
    playTo(s, 30_000, () => {
      const v = s.sim.state.endpoints.get("web")?.metadata.resourceVersion;
      if (v !== version && changedAt < 0) changedAt = s.sim.now;
      version = v;
    });
    expect(changedAt, "the endpoints changed once the pod was ready").to.be.greaterThan(0);
    const syncAt = s.sim.now;
    expect(s.request("d", "kube-proxy:node-1", { type: "syncRules", node: "node-1", service: "web", mode: "local-first" }).ok).to.equal(true);
    const r = teamReport(s);
    expect(r.roles.map((m) => m.role)).to.deep.equal(["scheduler", "controller-manager", "kubelet", "kube-proxy"]);
    expect(role(r, "controller-manager")).to.deep.include({ nickname: "Ada", metric: "replaceWaitSec", value: (2000 - since) / 1000, count: 1, unit: "s" });
    expect(role(r, "scheduler")).to.deep.include({ nickname: "Bo", metric: "bindWaitSec", value: 1.5, count: 1 });
    expect(role(r, "kubelet")).to.deep.include({ nickname: "Cy", metric: "admitWaitSec", value: 1.2, count: 1 });
    const proxy = role(r, "kube-proxy")!;
    expect(proxy.count).to.equal(2);
    expect(proxy.value).to.equal(Math.round((firstSync.value * 1000 + (syncAt - changedAt)) / 2 / 10) / 100);
  });

  it("times nothing for a refused request, a rule already up to date, or a seat's bot", () => {
    const s = game();
    playTo(s, 2000);
    const created = s.request("a", "controller-manager", { type: "createPod", deployment: "web" }) as { ok: boolean; name: string };
    expect(s.request("b", "scheduler", { type: "bind", pod: created.name, node: "node-9" }).ok).to.equal(false);
    expect(s.request("d", "kube-proxy:node-1", { type: "syncRules", node: "node-1", service: "web", mode: "local-first" }).ok).to.equal(true);
    expect(s.request("d", "kube-proxy:node-1", { type: "syncRules", node: "node-1", service: "web", mode: "spread" }).ok).to.equal(true);
    // The controller manager's bot creates pods once Ada lets the seat go: no figure for it.
    s.leaveSeat("a", "controller-manager");
    playTo(s, 6000);
    expect(s.sim.state.pods.size).to.be.greaterThan(0);
    const r = teamReport(s);
    expect(r.roles.map((m) => `${m.role}:${m.count}`)).to.deep.equal(["controller-manager:1", "kube-proxy:1"]);
  });

  it("keeps the figures across a save", () => {
    const s = game();
    playTo(s, 2000);
    s.request("a", "controller-manager", { type: "createPod", deployment: "web" });
    const back = new GameSession(s.options, s.snapshot());
    expect(teamReport(back).roles).to.deep.equal(teamReport(s).roles);
    expect(teamReport(back).roles).to.have.length(1);
  });
});
