/**
 * Attacks on saving and restoring, as a black box: real server processes, real sockets, a real
 * Redis. A client must not name a room to restore (it cloned, then wiped, a live workshop); no
 * oversized input may reach the saved game (a 60 KB label went into the input log and was
 * rewritten to Redis every tick); and a room with a large saved state must survive kill -9 and
 * come back in the next process (it crashed every start: the room was patched before its state
 * existed while the big state loaded).
 */
import { expect } from "chai";
import "../../server/polyfill.ts";
import { Client } from "@colyseus/sdk";
import { GameSession } from "../../server/game/GameSession.ts";
import { Persistence } from "../../server/game/Persistence.ts";
import { RedisStore } from "../../server/store/RedisStore.ts";
import { until } from "../support/gameServer.ts";
import { enter, k8s, roomIdOf } from "../support/processClient.ts";
import { RedisServer } from "../support/redisServer.ts";
import { ServerProcess } from "../support/serverProcess.ts";

const PODS = "/api/v1/namespaces/default/pods";
const post = (body: unknown) => ({ method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } });

describe("saving and restoring under attack", function () {
  this.timeout(120_000);
  let redis: RedisServer;
  let store: RedisStore;
  const servers: ServerProcess[] = [];
  const start = async () => {
    const s = await ServerProcess.start({ REDIS_URL: redis.url });
    servers.push(s);
    return s;
  };

  /** Waits until the room's saves in the store have passed `revision`. */
  const savedPast = async (key: string, revision: number) => {
    const end = Date.now() + 30_000;
    while ((await store.revision(key)) <= revision) {
      if (Date.now() > end) throw new Error(`the room's saves never passed revision ${revision}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  before(async () => {
    redis = await RedisServer.start();
    store = await RedisStore.connect({ url: redis.url });
  });
  after(async () => {
    for (const s of servers) await s.stop("SIGKILL");
    await store.close();
    await redis.destroy();
  });

  describe("a running workshop", () => {
    let server: ServerProcess;
    let pin: string;
    let hostToken: string;
    let key: string;
    let host: Awaited<ReturnType<Client["create"]>>;

    before(async () => {
      server = await start();
      host = await new Client(server.ws).create("cluster", { mode: "workshop", scenario: "node-down", nickname: "Teacher" });
      const w = await enter(host);
      [pin, hostToken, key] = [w.pin, w.hostToken!, `pin-${w.pin}`];
      host.send("seat.take", { seat: "controller-manager" });
      host.send("host.start", {});
      host.send("host.start", {});
      await until(() => (host.state as any).phase === "running" && (host.state as any).time >= 2000, 20_000, "the game running");
    });
    after(async () => {
      await host?.leave().catch(() => undefined);
    });

    it("refuses a client's restore option, whatever it names, and the live workshop is untouched", async () => {
      const roomId = await roomIdOf(server, pin);
      const pods = (await k8s(server, pin, hostToken, PODS)).body.items.length;
      expect(pods).to.be.greaterThan(0);
      const revision = await store.revision(key);
      const attempts = [
        { restore: key },
        { mode: "workshop", restore: key },
        { restore: 1 },
        { restoreTicket: key },
        { restoreTicket: "1b4e28ba-2fa1-4d3b-9a0e-8a7b5b3f0c11" },
      ];
      for (const options of attempts) {
        let refusal: Error | undefined;
        try {
          await new Client(server.ws).create("cluster", options);
        } catch (err) {
          refusal = err as Error;
        }
        expect(refusal?.message, JSON.stringify(options)).to.match(/cannot be restored on request.*join one with its PIN/);
      }
      // The workshop plays on where it was: saving goes on, its PIN and its pods are its own.
      await savedPast(key, revision + 5);
      expect(await roomIdOf(server, pin)).to.equal(roomId);
      expect((await k8s(server, pin, hostToken, PODS)).body.items.length).to.be.at.least(pods - 2);
      expect(server.child.exitCode).to.equal(null);
    });

    it("refuses kubectl writes with 60 KB labels, names or targets (422 or 404, as Kubernetes does), and none reaches the saved game or its input log", async () => {
      const big = "a".repeat(60 * 1024);
      // Game time (ticks) before the first write: no input recorded from here on.
      const from = Math.floor((host.state as any).time / 100);
      const writes: [string, RequestInit, number, RegExp][] = [
        [
          PODS,
          post({ apiVersion: "v1", kind: "Pod", metadata: { name: "extra", labels: { app: big } }, spec: { containers: [{ name: "extra", image: "nginx" }] } }),
          422,
          /must be no more than 63 characters/,
        ],
        [
          PODS,
          post({ apiVersion: "v1", kind: "Pod", metadata: { name: "extra", labels: { app: "web", [`${big}`]: "x" } } }),
          422,
          /name part must be no more than 63 characters/,
        ],
        [
          PODS,
          post({ apiVersion: "v1", kind: "Pod", metadata: { name: "extra", labels: { app: "web" }, annotations: { note: big.repeat(5) } } }),
          413,
          /larger than 64 KB/,
        ],
        [PODS, post({ apiVersion: "v1", kind: "Pod", metadata: { name: big, labels: { app: "web" } } }), 422, /must be no more than 253 characters/],
        [`${PODS}/web-1/binding`, post({ target: { kind: "Node", name: big } }), 422, /not a node's name/],
        [`${PODS}/${"p".repeat(8_000)}`, { method: "DELETE" }, 404, /not found/],
      ];
      const answers = [];
      for (const [path, init] of writes) answers.push(await k8s(server, pin, hostToken, path, init));
      // The same through the game's own socket: a malformed request is refused and not logged.
      const results: { result: { code: number } }[] = [];
      host.onMessage("result", (m) => results.push(m));
      host.send("api", { id: 1, seat: "controller-manager", request: { type: "createPod", deployment: "d".repeat(15_000) } });
      await until(() => results.length > 0, 10_000, "an answer");
      expect(results[0].result.code).to.equal(400);
      // Whatever the store holds after the next saves holds none of it.
      await savedPast(key, (await store.revision(key)) + 5);
      const saved = (await store.loadGame(key))!;
      expect(saved).to.not.include("a".repeat(64));
      expect(saved).to.not.include("d".repeat(64));
      expect(saved.length).to.be.below(300_000);
      const log = await store.loadInputs(key);
      expect(log.map((line) => JSON.parse(line).tick).filter((tick) => tick >= from)).to.deep.equal([]);
      // Each was refused as Kubernetes refuses it, quoting the value shortened, never whole.
      for (const [i, [path, , status, says]] of writes.entries()) {
        const res = answers[i];
        expect(res.status, JSON.stringify(res.body).slice(0, 300)).to.equal(status);
        expect(JSON.stringify(res.body.details?.causes ?? res.body.message)).to.match(says);
        expect(res.bytes, path.slice(0, 60)).to.be.below(3_000);
      }
      // The API log shows the refusals, cut to size.
      const apiLog = Array.from((host.state as any).apiLog ?? []) as { code: number; message: string; path: string }[];
      expect(apiLog.filter((l) => l.code === 422).length, JSON.stringify(apiLog.map((l) => l.code))).to.be.at.least(3);
      for (const line of apiLog) expect(line.path.length + line.message.length).to.be.below(600);
    });
  });

  it("a room with a large saved state (its input log at the cap) survives kill -9: the next process restores it, and the next after that", async () => {
    // A Redis of its own: no other test's rooms in it.
    const own = await RedisServer.start();
    const store = await RedisStore.connect({ url: own.url });
    try {
      // What a long game at the rate limit leaves in the store: an input log filled to its cap.
      const session = new GameSession({ mode: "workshop", scenario: "free-play", difficulty: "normal", seed: 3 });
      const key = `pin-${session.pin}`;
      const cm = session.sim.tokenFor("controller-manager");
      const probe = { type: "markNodeNotReady", node: `n-${"x".repeat(58)}` };
      // Recorded requests a role may make that change nothing; 12 MB of them without a cap.
      for (let i = 0; i < 80_000 && !(session.sim.inputsDropped > 0); i++) session.sim.request(cm, probe, "Ada");
      session.sim.run(50);
      const persistence = new Persistence(store, key, { sim: session.sim, state: () => JSON.stringify(session.snapshot({ inputLog: false })) });
      persistence.capture();
      expect(await persistence.drain(60_000)).to.equal(true);
      const logged = session.sim.inputLog.length;

      for (let round = 0; round < 2; round++) {
        const server = await ServerProcess.start({ REDIS_URL: own.url });
        servers.push(server);
        expect(server.output).to.match(new RegExp(`restored room with PIN ${session.pin}`));
        const room = await new Client(server.ws).joinById(await roomIdOf(server, session.pin), {
          pin: session.pin,
          nickname: "Teacher",
          hostToken: session.hostToken,
        });
        expect((await enter(room)).host).to.equal(true);
        await until(() => (room.state as any).time >= 5_000, 10_000, "the restored state");
        expect((room.state as any).pin).to.equal(session.pin);
        expect(server.child.exitCode).to.equal(null);
        await server.stop("SIGKILL");
      }
      // The store still holds the whole game: the log at its cap, marked incomplete; a small state.
      expect((await store.loadInputs(key)).length).to.equal(logged);
      const saved = (await store.loadGame(key))!;
      expect(JSON.parse(saved).sim.inputsDropped).to.be.greaterThan(0);
      expect(saved.length).to.be.below(300_000);
    } finally {
      for (const server of servers) await server.stop("SIGKILL");
      await store.close();
      await own.destroy();
    }
  });
});
