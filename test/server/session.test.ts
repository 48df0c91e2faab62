import { grantApply } from "../../server/game/applyGrant.ts";
import { expect } from "chai";
import { GameSession, type Player } from "../../server/game/GameSession.ts";
import { FLOOD_LIMIT, FLOOD_WINDOW_MS, FloodWindow, REQUEST_BURST } from "../../server/limits/RateLimiter.ts";
import { RoomLimits } from "../../server/room/roomLimits.ts";

const workshop = () => new GameSession({ mode: "workshop", scenario: "node-down", difficulty: "normal", seed: 1 });
const join = (s: GameSession, id: string, nickname: string, host = false) => s.join(id, nickname, { host, now: 0 }) as Player;

describe("game session", () => {
  it("gives every room a 6-digit PIN and a host token", () => {
    const s = workshop();
    expect(s.pin).to.match(/^\d{6}$/);
    expect(s.hostToken.length).to.be.greaterThan(20);
    expect(s.checkHostToken(s.hostToken)).to.equal(true);
    expect(s.checkHostToken("guess")).to.equal(false);
  });

  it("opens a workshop in the lobby and a solo or watch game at the intro", () => {
    expect(workshop().phase).to.equal("lobby");
    expect(new GameSession({ mode: "solo", scenario: "first-pod", difficulty: "easy", seed: 1 }).phase).to.equal("intro");
    expect(new GameSession({ mode: "watch", scenario: "first-pod", difficulty: "easy", seed: 1 }).phase).to.equal("intro");
  });

  it("refuses a nickname already in use, and anyone new once the room is locked", () => {
    const s = workshop();
    join(s, "h", "Host", true);
    join(s, "a", "Ada");
    expect((s.join("b", "ada", { now: 0 }) as { code: number }).code).to.equal(409);
    s.lock("h", true);
    const r = s.join("c", "Cy", { now: 0 }) as { code: number; message: string };
    expect(r.code).to.equal(403);
    expect(r.message).to.match(/locked/);
  });

  it("a seat is a bot's until a connected player takes it, and the bot covers while they are away", () => {
    const s = workshop();
    join(s, "a", "Ada");
    expect(s.sim.isBot("scheduler")).to.equal(true);
    expect(s.takeSeat("a", "scheduler").ok).to.equal(true);
    expect(s.sim.isBot("scheduler")).to.equal(false);
    s.disconnect("a");
    expect(s.sim.isBot("scheduler")).to.equal(true);
    s.reconnect("a");
    expect(s.sim.isBot("scheduler")).to.equal(false);
    expect(s.takeSeat("a", "kubelet:node-9").code).to.equal(404);
  });

  it("several players may share a seat, and one player may hold several", () => {
    const s = workshop();
    join(s, "a", "Ada");
    join(s, "b", "Bo");
    s.takeSeat("a", "kubelet:node-1");
    s.takeSeat("a", "kubelet:node-2");
    s.takeSeat("b", "kubelet:node-1");
    expect(s.holders("kubelet:node-1").map((p) => p.nickname)).to.deep.equal(["Ada", "Bo"]);
    s.leaveSeat("a", "kubelet:node-1");
    expect(s.sim.isBot("kubelet:node-1")).to.equal(false);
  });

  it("a returning player gets their seats back by their key", () => {
    const s = workshop();
    const ada = join(s, "a", "Ada");
    s.takeSeat("a", "controller-manager");
    s.remove("a");
    expect(s.sim.isBot("controller-manager")).to.equal(true);
    const again = s.join("a2", "Ada", { key: ada.key, now: 0 }) as Player;
    expect(again.seats).to.deep.equal(["controller-manager"]);
    expect(s.sim.isBot("controller-manager")).to.equal(false);
  });

  it("answers API requests only from the seat's holder and only while the game runs", () => {
    const s = workshop();
    join(s, "h", "Host", true);
    join(s, "a", "Ada");
    s.takeSeat("a", "scheduler");
    const bind = { type: "bind", pod: "nope", node: "node-1" };
    expect(s.request("a", "scheduler", bind).message).to.match(/not started yet/);
    s.start("h");
    s.start("h");
    expect(s.phase).to.equal("running");
    expect(s.request("a", "kube-proxy:node-1", bind).code).to.equal(403);
    expect(s.request("a", "scheduler", bind).code).to.equal(404);
    expect(s.sim.api.recentAudit(1)[0]).to.include({ actor: "Ada", user: "system:kube-scheduler" });
    s.pause("h");
    expect(s.request("a", "scheduler", bind).message).to.match(/paused/);
  });

  describe("host controls are the host's alone", () => {
    const actions: [string, (s: GameSession, id: string) => { code: number }][] = [
      ["assign", (s, id) => s.assign(id, "a", "scheduler", false)],
      ["unassign", (s, id) => s.unassign(id, "a", "scheduler")],
      ["fill with bots", (s, id) => s.fillBots(id)],
      ["choose the scenario", (s, id) => s.chooseScenario(id, "first-pod")],
      ["start", (s, id) => s.start(id)],
      ["pause", (s, id) => s.pause(id)],
      ["resume", (s, id) => s.resume(id)],
      ["set the speed", (s, id) => s.setSpeed(id, 2)],
      ["end", (s, id) => s.end(id)],
      ["lock", (s, id) => s.lock(id, true)],
      ["kick", (s, id) => s.kick(id, "h")],
      ["inject chaos", (s, id) => s.chaos(id, { type: "crashNode", node: "node-1" })],
    ];
    for (const [what, act] of actions) {
      it(`a player may not ${what}`, () => {
        const s = workshop();
        join(s, "h", "Host", true);
        join(s, "a", "Ada");
        const r = act(s, "a");
        expect(r.code).to.equal(403);
      });
    }
  });

  it("runs lobby → intro → running ⇄ paused → debrief, at the host's speed", () => {
    const s = workshop();
    join(s, "h", "Host", true);
    expect(s.advance(1000)).to.have.length(0);
    s.start("h");
    expect(s.phase).to.equal("intro");
    s.start("h");
    expect(s.advance(1000)).to.have.length(10);
    s.setSpeed("h", 4);
    expect(s.advance(1000)).to.have.length(40);
    s.pause("h");
    expect(s.advance(1000)).to.have.length(0);
    s.resume("h");
    s.end("h");
    expect(s.phase).to.equal("debrief");
  });

  it("ends by itself when the scenario's time is up", () => {
    const s = new GameSession({ mode: "watch", scenario: "first-pod", difficulty: "normal", seed: 1 });
    join(s, "h", "Host", true);
    s.start("h");
    s.setSpeed("h", 4);
    for (let i = 0; i < 50 && s.phase === "running"; i++) s.advance(1000);
    expect(s.phase).to.equal("debrief");
    expect(s.sim.tick).to.equal(s.sim.durationTicks);
  });

  it("chaos from the host reaches the cluster, and a joining worker brings seats", () => {
    const s = workshop();
    join(s, "h", "Host", true);
    s.start("h");
    s.start("h");
    expect(s.chaos("h", { type: "joinWorker" }).ok).to.equal(true);
    s.advance(200);
    expect(s.sim.seats()).to.include("kubelet:node-4");
    expect(s.chaos("h", { type: "crashNode", node: "node-99" }).code).to.equal(404);
  });

  it("limits a client's requests in the room (the flood cut counts frames there too)", () => {
    const limits = new RoomLimits(() => undefined);
    const verdicts = Array.from({ length: REQUEST_BURST + 1 }, () => limits.request("a", 1000));
    expect(verdicts.slice(0, REQUEST_BURST).every((v) => v === "ok")).to.equal(true);
    expect(verdicts.at(-1)).to.equal("limited");
    expect(limits.request("b", 1000), "each client has its own").to.equal("ok");
    limits.forget("a");
    expect(limits.request("a", 1000), "a client that left starts afresh").to.equal("ok");
  });

  it("a flood window cuts a sender off past FLOOD_LIMIT frames, and starts afresh in the next window", () => {
    const w = new FloodWindow(0);
    for (let i = 0; i < FLOOD_LIMIT; i++) expect(w.count(1000)).to.equal(true);
    expect(w.count(1000)).to.equal(false);
    expect(w.count(FLOOD_WINDOW_MS + 1)).to.equal(true);
  });

  it("saves and restores the room: PIN, host token, seats, phase and the cluster", () => {
    const s = workshop();
    join(s, "h", "Host", true);
    const adaKey = join(s, "a", "Ada").key;
    s.takeSeat("a", "scheduler");
    expect(grantApply(s, "h", "a", true).code).to.equal(200);
    s.start("h");
    s.start("h");
    s.advance(3000);
    const saved = JSON.parse(JSON.stringify(s.snapshot()));
    saved.sim.cluster.objects = s.sim.state.allObjects();
    const back = new GameSession(saved.options, saved);
    expect(back.pin).to.equal(s.pin);
    expect(back.checkHostToken(s.hostToken)).to.equal(true);
    expect(back.phase).to.equal("paused");
    expect(back.sim.tick).to.equal(s.sim.tick);
    const ada = back.join("a2", "Ada", { key: adaKey, now: 0 }) as Player;
    expect(ada.seats).to.deep.equal(["scheduler"]);
    expect(back.applyGrants.has(adaKey), "the host's grant to apply manifests").to.equal(true);
    expect((back.join("x", "Host", { now: 0 }) as { code: number }).code, "a nickname alone grants nothing").to.equal(409);
  });
});
