import { expect } from "chai";
import { CLIENT_MESSAGES } from "../../shared/protocol/messages.ts";
import { api, ask, join, runningWorkshop, serverRoom, until, type Joined } from "../support/gameServer.ts";
import { FLOOD_LIMIT } from "../../server/limits/RateLimiter.ts";
import { Rng } from "../../shared/sim/random.ts";

const state = (j: Joined) => j.room.state as any;

describe("room resilience", () => {
  it("a player whose socket dies gets the same seats back; its bot covers meanwhile", async () => {
    const { host, student } = await runningWorkshop("node-down", ["scheduler"]);
    const room = await serverRoom(host.room.roomId);
    expect(room.session.sim.isBot("scheduler")).to.equal(false);
    (student.room as any).reconnection.minUptime = 0;
    const dropped = new Promise((r) => student.room.onDrop(r));
    const back = new Promise((r) => student.room.onReconnect(() => r(undefined)));
    (student.room.connection.transport as any).ws.terminate();
    await dropped;
    await until(() => room.session.sim.isBot("scheduler"), 3000, "the bot to cover");
    await back;
    await until(() => !room.session.sim.isBot("scheduler"), 3000, "the seat back");
    expect(room.session.players.get(student.welcome.playerId)!.seats).to.deep.equal(["scheduler"]);
    expect((await api(student, "scheduler", { type: "bind", pod: "nope", node: "node-1" })).code).to.equal(404);
    await student.room.leave();
    await host.room.leave();
  });

  it("cuts off a client that floods messages while the room plays on", async () => {
    const { host, student } = await runningWorkshop("first-pod", ["scheduler"]);
    const gone = new Promise<number>((r) => student.room.onLeave((code) => r(code)));
    for (let i = 0; i <= FLOOD_LIMIT + 10; i++) student.room.send("seat.take", { seat: "scheduler" });
    expect(await gone).to.equal(4002);
    const t = state(host).time;
    await until(() => state(host).time > t + 300, 3000, "the game to go on");
    const room = await serverRoom(host.room.roomId);
    await until(() => room.session.sim.isBot("scheduler"), 3000, "the flooder's seat back to its bot");
    expect((await ask(host, "host.pause")).code).to.equal(200);
    await host.room.leave();
  });

  it("answers 10,000 random and malformed messages from several clients, stays alive and keeps its invariants", async function () {
    this.timeout(120_000);
    const { host, student } = await runningWorkshop("node-down", ["scheduler", "kubelet:node-1"]);
    const others = [student];
    for (let i = 2; i <= 10; i++) others.push(await join(host.welcome.pin, { nickname: `Fuzz${i}` }));
    const rng = new Rng(7);
    const junk = (): unknown => {
      const pick = rng.int(9);
      if (pick === 0) return null;
      if (pick === 1) return rng.int(1e6);
      if (pick === 2) return "x".repeat(rng.int(2000));
      if (pick === 3) return [1, 2, { type: "bind" }];
      if (pick === 4) return { id: rng.int(100), seat: "scheduler", request: { type: "bind", pod: `p${rng.int(9)}`, node: `node-${rng.int(5)}` } };
      if (pick === 5) return { id: -1, seat: "kubelet:node-1", request: { type: ["admit", "reject", "restart", "evict"][rng.int(4)], pod: "web-x" } };
      if (pick === 6) return { failure: { type: "crashNode", node: `node-${rng.int(4)}` } };
      if (pick === 7) return { seat: ["scheduler", "kubelet:node-1", "bogus", "kube-proxy:node-9"][rng.int(4)] };
      return { speed: rng.next() * 10, locked: rng.int(2) === 1, player: "nobody", scenario: "nope" };
    };
    const types = [...CLIENT_MESSAGES, "bogus", "api.x", ""];
    const PER_CLIENT = 1000;
    let sent = 0;
    for (let i = 0; i < PER_CLIENT; i++) {
      for (const c of others) {
        if (!c.room.connection.isOpen) continue;
        c.room.send(types[rng.int(types.length)] || "empty", junk() as never);
        sent++;
      }
      // Stay under the flood cut-off: 30 messages a second per client, ten clients.
      if (i % 3 === 2) await new Promise((r) => setTimeout(r, 100));
    }
    expect(sent).to.be.at.least(10_000);
    await until(() => others.reduce((n, c) => n + c.results.length, 0) >= sent, 60_000, "an answer to every message");
    for (const c of others) for (const r of c.results) expect(r.result.message).to.be.a("string").and.not.equal("");
    const room = await serverRoom(host.room.roomId);
    const sim = room.session.sim;
    // Invariants: resources within allocatable, one revision, the game still advancing.
    for (const node of sim.state.nodes.values()) {
      let cpu = 0;
      for (const p of sim.state.podsOnNode(node.metadata.name))
        if (p.status.phase === "Running" || p.status.phase === "ContainerCreating") cpu += p.spec.requests.cpu;
      expect(cpu).to.be.at.most(node.status.allocatable.cpu);
    }
    for (const o of sim.state.allObjects()) expect(o.metadata.resourceVersion).to.be.at.most(sim.state.revision);
    const t = state(host).time;
    await until(() => state(host).time > t, 3000, "the clock");
    for (const c of others) await c.room.leave();
    await host.room.leave();
  });
});
