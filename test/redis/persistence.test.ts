import { expect } from "chai";
import { spawn, spawnSync } from "node:child_process";
import { Persistence, simSource } from "../../server/game/Persistence.ts";
import { RedisStore } from "../../server/store/RedisStore.ts";
import { objectKey } from "../../shared/sim/objects/keys.ts";
import { Simulation } from "../../shared/sim/Simulation.ts";
import { RedisServer } from "../support/redisServer.ts";
import { ReplyCutter } from "../support/replyCutter.ts";

const SIM = ["--import", "tsx", "server/cli/sim.ts"];

/** The registry of a room as { key: object }, and its revision. */
async function registry(store: RedisStore, room: string) {
  const { items, revision } = await store.list(room, "/registry/");
  return { objects: Object.fromEntries(items.map((i) => [i.key, i.value])), revision };
}

describe("write-through to Redis and restore", () => {
  let server: RedisServer;
  let store: RedisStore;
  before(async () => {
    server = await RedisServer.start({ durable: true });
    store = await RedisStore.connect({ url: server.url });
  });
  after(async () => {
    await store.close();
    await server.destroy();
  });

  it("writes every tick's changes in one batch: the store's revision equals the simulation's, and no request is stored", async () => {
    const sim = new Simulation({ scenario: "node-down", seed: 1 });
    const p = new Persistence(store, "wt", simSource(sim));
    p.capture();
    for (let i = 0; i < 200; i++) {
      sim.step();
      p.capture();
      await p.flush();
      expect(await store.revision("wt")).to.equal(sim.state.revision);
    }
    const { objects } = await registry(store, "wt");
    expect(Object.keys(objects).length).to.equal(sim.state.allObjects().length);
    for (const key of Object.keys(objects)) expect(key).to.match(/^\/registry\/(minions|leases|deployments|pods|services|events)\//);
    expect(await store.loadGame("wt")).to.not.match(/"arriveAt"|"deadline"/);
  });

  it("resumes a game killed with SIGKILL from the store alone, ending exactly like the uninterrupted game", async function () {
    this.timeout(90_000);
    const args = ["--scenario", "node-down", "--seed", "5", "--store", server.url];
    const whole = spawnSync(process.execPath, [...SIM, ...args, "--room", "whole", "--json"], { encoding: "utf8" });
    expect(whole.status, whole.stderr).to.equal(0);

    const child = spawn(process.execPath, [...SIM, ...args, "--room", "cut", "--speed", "15", "--json"], { stdio: "ignore" });
    // At 15× the game's last 140 s take over 9 s of wall time: room to kill it before its end on a
    // busy machine.
    // Let it play past the node crash (45 s of game time) and the recovery, then kill it without
    // warning. Requests in flight are lost by a restart (by design), so a cut during the incident
    // could move its recovery time; waiting on the saved clock, not the wall clock, keeps this
    // independent of how loaded the machine is.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const saved = await store.loadGame("cut");
      if (saved && JSON.parse(saved).tick >= 1_000) break;
      if (Date.now() > deadline) throw new Error("the game to be killed never reached 100 s of game time");
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    const cut = await store.revision("cut");
    expect(cut).to.be.greaterThan(0);
    const savedTick = JSON.parse((await store.loadGame("cut"))!).tick;
    expect(savedTick).to.be.within(1, 2399);

    const resumed = spawnSync(process.execPath, [...SIM, "--store", server.url, "--room", "cut", "--resume", "--json"], { encoding: "utf8" });
    expect(resumed.status, resumed.stderr).to.equal(0);
    const a = JSON.parse(whole.stdout);
    const b = JSON.parse(resumed.stdout);
    expect(b.ticks).to.equal(a.ticks);
    expect(b.revision).to.equal(a.revision);
    expect(b.won).to.equal(a.won);
    expect(b.incidents).to.deep.equal(a.incidents);
    const [ra, rb] = [await registry(store, "whole"), await registry(store, "cut")];
    expect(rb.revision).to.equal(ra.revision);
    expect(JSON.stringify(rb.objects)).to.equal(JSON.stringify(ra.objects));
  });

  it("appends the input log to the store instead of rewriting it: the saved state carries none of it, a resumed game has all of it, once", async function () {
    this.timeout(60_000);
    const sim = new Simulation({ scenario: "node-down", seed: 2 });
    sim.setBot("controller-manager", false);
    const cm = sim.tokenFor("controller-manager");
    const p = new Persistence(store, "log", simSource(sim));
    p.capture();
    await p.flush();
    const play = async (game: Simulation, persistence: Persistence, ticks: number) => {
      for (let i = 0; i < ticks; i++) {
        game.step();
        if (i % 7 === 0) game.request(cm, { type: "markNodeNotReady", node: "node-9" }, "Ada");
        persistence.capture();
        await persistence.flush();
      }
    };
    await play(sim, p, 100);
    await server.stop();
    await play(sim, p, 30); // queued while Redis is down: each record still lands once
    await server.resume();
    expect(await p.drain(30_000)).to.equal(true);
    const stored = (await store.loadInputs("log")).map((line) => JSON.parse(line));
    expect(stored).to.deep.equal(JSON.parse(JSON.stringify(sim.inputLog)));
    expect(stored.filter((r) => r.kind === "request")).to.have.length(20);
    expect(JSON.parse((await store.loadGame("log"))!).inputLog).to.deep.equal([]);
    const resumed = await Persistence.resume(store, "log");
    expect(JSON.stringify(resumed.inputLog)).to.equal(JSON.stringify(sim.inputLog));
    // Played on, the resumed game appends after what is stored.
    const again = new Persistence(store, "log", simSource(resumed), () => {}, resumed.state.revision, resumed.inputLog.length);
    resumed.request(resumed.tokenFor("controller-manager"), { type: "markNodeNotReady", node: "node-9" }, "Ada");
    resumed.step();
    again.capture();
    await again.flush();
    expect(await store.loadInputs("log")).to.have.length(stored.length + 1);
    await store.dropRoom("log");
  });

  it("keeps playing while Redis is down, retries, and catches up when it returns, losing nothing", async function () {
    this.timeout(60_000);
    const sim = new Simulation({ scenario: "node-down", seed: 2 });
    const lines: string[] = [];
    const p = new Persistence(store, "outage", simSource(sim), (l) => lines.push(l));
    p.capture();
    await p.flush();
    for (let i = 0; i < 100; i++) {
      sim.step();
      p.capture();
      await p.flush();
    }
    await server.stop();
    for (let i = 0; i < 300; i++) {
      sim.step();
      p.capture();
      await p.flush();
    }
    expect(sim.tick).to.equal(400);
    expect(p.state.queued).to.be.greaterThan(250);
    expect(lines.join("\n")).to.match(/cannot write room outage .* the game goes on from memory/);
    await server.resume();
    expect(await p.drain(30_000)).to.equal(true);
    expect(lines.at(-1)).to.match(/back after \d+ failed attempts; wrote \d+ queued ticks/);
    const stored = await registry(store, "outage");
    expect(stored.revision).to.equal(sim.state.revision);
    const live = Object.fromEntries(sim.state.allObjects().map((o) => [objectKey(o), o]));
    expect(Object.keys(stored.objects).sort()).to.deep.equal(Object.keys(live).sort());
    for (const [key, value] of Object.entries(stored.objects)) expect(value).to.deep.equal(JSON.parse(JSON.stringify(live[key])));
  });

  it("writes a tick once whose answer was lost (the connection dropped after Redis applied it): the next write finds it landed and goes on", async function () {
    this.timeout(30_000);
    const cutter = await ReplyCutter.start(server.port);
    const lossy = await RedisStore.connect({ url: cutter.url });
    try {
      const sim = new Simulation({ scenario: "node-down", seed: 3 });
      sim.setBot("controller-manager", false);
      const cm = sim.tokenFor("controller-manager");
      const lines: string[] = [];
      const p = new Persistence(lossy, "lost-answer", simSource(sim), (l) => lines.push(l));
      p.capture();
      await p.flush();
      // Each tick writes objects (the bots' work) and an input record (a request).
      const tick = () => {
        sim.step();
        sim.request(cm, { type: "markNodeNotReady", node: "node-9" }, "Ada");
        p.capture();
      };
      for (let i = 0; i < 5; i++) {
        tick();
        await p.flush();
      }
      tick();
      cutter.cutNextScriptReply();
      await p.flush();
      // As far as the game knows the write failed; Redis has it.
      expect(p.state.failures, "the write seen to fail").to.equal(1);
      expect(p.state.queued).to.equal(1);
      expect(await store.revision("lost-answer"), "what Redis holds").to.equal(sim.state.revision);
      for (let i = 0; i < 5; i++) tick();
      expect(await p.drain(20_000), "everything written").to.equal(true);
      expect(lines.join("\n")).to.match(/write of 1 tick had landed though its answer was lost/);
      expect(p.state).to.include({ failures: 0, queued: 0, storedRevision: sim.state.revision });
      expect(await store.revision("lost-answer")).to.equal(sim.state.revision);
      // Every input record once, in order: the resumed game is the game.
      const stored = (await store.loadInputs("lost-answer")).map((line) => JSON.parse(line));
      expect(stored).to.deep.equal(JSON.parse(JSON.stringify(sim.inputLog)));
      const resumed = await Persistence.resume(store, "lost-answer");
      expect(resumed.state.revision).to.equal(sim.state.revision);
      expect(JSON.stringify(resumed.inputLog)).to.equal(JSON.stringify(sim.inputLog));
    } finally {
      await lossy.close();
      await cutter.close();
      await store.dropRoom("lost-answer");
    }
  });
});
