/**
 * What one client may take from a server, tried as an attacker would: real server processes,
 * real sockets, clients posing as several network addresses (the server trusts one proxy hop,
 * TRUST_PROXY=1, so X-Forwarded-For names the client). Rooms per address and in total, watches on
 * the Kubernetes API, tokens nobody issued, and bodies over the size limits. (The simulation
 * budget, which measures the game clock, is in sim-budget.test.ts.)
 */
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { Client, type Room } from "@colyseus/sdk";
import { kubeApi } from "../../server/k8s/api.ts";
import { MAX_WATCHES_PER_ROOM, MAX_WATCHES_PER_TOKEN, STRANGER_BURST } from "../../server/k8s/limits.ts";
import { MemoryStore } from "../../server/store/MemoryStore.ts";
import { RedisServer } from "../support/redisServer.ts";
import { ServerProcess } from "../support/serverProcess.ts";
import { matchmake } from "../support/rawPlayer.ts";

/** Rooms the server holds, from its health check. */
const rooms_ = async (s: ServerProcess) => ((await (await fetch(`${s.url}/healthz`)).json()) as { rooms: number }).rooms;

/** Reads a watch stream until one of its events matches `what`. */
async function readUntil(stream: ReadableStream<Uint8Array>, what: RegExp, ms = 15_000): Promise<void> {
  const reader = stream.getReader();
  const timer = setTimeout(() => void reader.cancel(), ms);
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the watch ended before an event matching ${what}`);
      buffer += new TextDecoder().decode(value);
      const lines = buffer.split("\n");
      buffer = lines.pop()!;
      if (lines.some((l) => what.test(l))) return;
    }
  } finally {
    clearTimeout(timer);
    reader.releaseLock();
  }
}

async function waitFor(pred: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("caps on what one client may use", function () {
  this.timeout(120_000);

  describe("rooms per client address and in total", () => {
    let server: ServerProcess;
    before(async () => {
      server = await ServerProcess.start({ TRUST_PROXY: "1", MAX_ROOMS_PER_ADDRESS: "3", MAX_ROOMS: "6", REDIS_URL: "" });
    });
    after(async () => {
      await server.stop();
    });

    it("lets one address hold MAX_ROOMS_PER_ADDRESS rooms; the SDK shows the 429's reason for the next, and another address is not affected", async () => {
      const mine = new Client(server.ws, { headers: { "x-forwarded-for": "10.1.0.1" } });
      const rooms: Room[] = [];
      for (let i = 0; i < 3; i++) rooms.push(await mine.create("cluster", { mode: "solo" }));
      const refused = await mine.create("cluster", { mode: "solo" }).then(
        () => undefined,
        (e: Error & { code?: number }) => e,
      );
      expect(refused?.code).to.equal(429);
      expect(refused?.message).to.match(/3 games are already open from your network address.*MAX_ROOMS_PER_ADDRESS/);
      const other = await new Client(server.ws, { headers: { "x-forwarded-for": "10.1.0.2" } }).create("cluster", { mode: "solo" });
      // Leaving frees a place, but the address has used its new rooms for this minute.
      await rooms[0].leave();
      await waitFor(async () => (await rooms_(server)) === 3, "the room left to close");
      const again = await matchmake(server.url, "create", { mode: "solo" }, "10.1.0.1");
      expect(again.status).to.equal(429);
      expect(again.body.error).to.match(/too many new games from your network address: at most 3 a minute/);
      for (const r of [...rooms.slice(1), other]) await r.leave();
    });

    it("holds a flood of creations from one address to its cap", async () => {
      const answers = await Promise.all(Array.from({ length: 200 }, () => matchmake(server.url, "create", { mode: "solo" }, "10.2.0.1")));
      expect(answers.filter((a) => a.status === 200)).to.have.length(3);
      expect(answers.filter((a) => a.status === 429)).to.have.length(197);
      expect(await rooms_(server)).to.be.at.most(6);
    });

    it("refuses a room past MAX_ROOMS with 503 and says why", async () => {
      const answers = [];
      for (let i = 0; i < 8; i++) answers.push(await matchmake(server.url, "create", { mode: "solo" }, `10.3.0.${i}`));
      const refused = answers.find((a) => a.status === 503);
      expect(refused, "a 503 once the server holds MAX_ROOMS rooms").to.not.equal(undefined);
      expect(refused!.body.error ?? refused!.body.message).to.match(/maximum of 6 games \(MAX_ROOMS\)/);
    });
  });

  describe("request bodies", () => {
    let server: ServerProcess;
    before(async () => {
      server = await ServerProcess.start({ REDIS_URL: "" });
    });
    after(async () => {
      await server.stop();
    });

    it("answers a 5 MB matchmaker body with 413 and a JSON message", async () => {
      const res = await fetch(`${server.url}/matchmake/create/cluster`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ mode: "solo", padding: "x".repeat(5_000_000) }),
      });
      expect(res.status).to.equal(413);
      expect(((await res.json()) as { message: string }).message).to.match(/larger than 4 KB/);
    });

    it("answers a chunked matchmaker body that grows past the limit with 413", async () => {
      const chunks = new ReadableStream({
        start(c) {
          for (let i = 0; i < 20; i++) c.enqueue(new TextEncoder().encode(`{"mode":"solo","p${i}":"${"x".repeat(10_000)}",`));
          c.close();
        },
      });
      const res = await fetch(`${server.url}/matchmake/create/cluster`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: chunks,
        duplex: "half",
      } as RequestInit);
      expect(res.status).to.equal(413);
    });

    it("answers a declared body over the limit on any route with 413 before reading it", async () => {
      const status = await new Promise<number>((resolve, reject) => {
        const req = http.request(
          `${server.url}/api/scenarios`,
          { method: "POST", headers: { "content-type": "application/json", "content-length": String(50_000_000) } },
          (res) => {
            res.resume();
            resolve(res.statusCode!);
          },
        );
        req.on("error", reject);
        req.setTimeout(10_000, () => req.destroy(new Error("no answer within 10 s: the server waits for the body")));
        req.write("{");
      });
      expect(status).to.equal(413);
    });
  });

  describe("the Kubernetes API", () => {
    let redis: RedisServer;
    let server: ServerProcess;
    before(async () => {
      redis = await RedisServer.start();
      server = await ServerProcess.start({ REDIS_URL: redis.url });
    });
    after(async () => {
      await server.stop();
      await redis.destroy();
    });

    it("caps watches per player and per room across many players' tokens, with a 429 Status; they share one Redis connection", async () => {
      const host = await new Client(server.ws).create("cluster", { mode: "workshop", scenario: "free-play", nickname: "Teacher" });
      host.onMessage("*", () => {});
      const pin = await new Promise<string>((r) => host.onMessage("welcome", (w: { pin: string }) => r(w.pin)));
      const { roomId } = (await (await fetch(`${server.url}/api/pin/${pin}`)).json()) as { roomId: string };
      const tokens: string[] = [];
      const players: Room[] = [];
      for (let i = 0; i < MAX_WATCHES_PER_ROOM / MAX_WATCHES_PER_TOKEN + 1; i++) {
        const p = await new Client(server.ws).joinById(roomId, { pin, nickname: `Student ${i}` });
        p.onMessage("*", () => {});
        tokens.push(await new Promise<string>((r) => p.onMessage("welcome", (w: { apiToken: string }) => r(w.apiToken))));
        players.push(p);
      }
      const redisClients = () =>
        execFileSync("redis-cli", ["-p", String(redis.port), "client", "list"], { encoding: "utf8" })
          .trim()
          .split("\n").length;
      const before = redisClients();
      const aborts: AbortController[] = [];
      const held: Response[] = [];
      // Watches from the list's revision: every event they carry comes through the store's watch.
      const list = await fetch(`${server.url}/k8s/${pin}/api/v1/namespaces/default/pods`, { headers: { Authorization: `Bearer ${tokens[0]}` } });
      const { resourceVersion } = ((await list.json()) as { metadata: { resourceVersion: string } }).metadata;
      const watch = async (token: string) => {
        const ctrl = new AbortController();
        aborts.push(ctrl);
        const res = await fetch(`${server.url}/k8s/${pin}/api/v1/namespaces/default/pods?watch=true&resourceVersion=${resourceVersion}`, {
          headers: { Authorization: `Bearer ${token}` },
          signal: ctrl.signal,
        });
        held.push(res); // an unreferenced response is collected, and its watch closed
        return { status: res.status, body: res.status === 200 ? res.body! : ((await res.json()) as { kind: string; message: string }) };
      };
      // One player: MAX_WATCHES_PER_TOKEN, then a 429 Status.
      let firstStream: ReadableStream<Uint8Array> | undefined;
      let lastStream: ReadableStream<Uint8Array> | undefined;
      for (let i = 0; i < MAX_WATCHES_PER_TOKEN; i++) {
        const w = await watch(tokens[0]);
        expect(w.status).to.equal(200);
        firstStream ??= w.body as ReadableStream<Uint8Array>;
      }
      const mine = await watch(tokens[0]);
      expect(mine.status).to.equal(429);
      expect(mine.body).to.include({ kind: "Status" });
      expect((mine.body as { message: string }).message).to.match(/at most 10 watches at once per player/);
      // More nicknames do not buy more: the room's players together hold MAX_WATCHES_PER_ROOM.
      let opened = MAX_WATCHES_PER_TOKEN;
      for (const token of tokens.slice(1)) {
        for (let i = 0; i < MAX_WATCHES_PER_TOKEN && opened < MAX_WATCHES_PER_ROOM; i++, opened++) {
          const w = await watch(token);
          expect(w.status).to.equal(200);
          lastStream = w.body as ReadableStream<Uint8Array>;
        }
      }
      const crowd = await watch(tokens.at(-1)!);
      expect(crowd.status).to.equal(429);
      expect((crowd.body as { message: string }).message).to.match(/this game's players hold 120 watches/);
      // All those watches read the store through one connection.
      expect(redisClients() - before).to.be.at.most(1);
      // The shared feed serves every watcher: a pod the host adds reaches the first and the last.
      host.send("host.start", {});
      host.send("host.start", {});
      host.send("host.chaos", { failure: { type: "scaleDeployment", deployment: "web", replicas: 5 } });
      for (const stream of [firstStream, lastStream]) await readUntil(stream!, /"type":"ADDED".*"web-/);
      // Closed watches free their places.
      for (const ctrl of aborts) ctrl.abort();
      await waitFor(async () => (await watch(tokens.at(-1)!)).status === 200, "a watch to be allowed again");
      for (const ctrl of aborts) ctrl.abort();
      for (const p of players) await p.leave();
      await host.leave();
    });

    it("does not remember tokens nobody issued, and answers a flood of them from one address with 429", async () => {
      const api = kubeApi({
        store: new MemoryStore(),
        roomOf: async () => "room",
        auth: async () => undefined,
        write: async () => ({ result: { ok: true, code: 200, message: "" }, revision: 0 }),
        log: () => {},
        usage: async () => undefined,
        podLog: async () => undefined,
      });
      const app = express();
      app.use("/k8s", api);
      const srv = app.listen(0, "127.0.0.1");
      await new Promise((r) => srv.once("listening", r));
      const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/k8s/123456/api/v1/pods`;
      const answers: { status: number; retry: string | null }[] = [];
      for (let i = 0; i < 300; i++) {
        const res = await fetch(url, { headers: { Authorization: `Bearer made-up-${i}` } });
        await res.text();
        answers.push({ status: res.status, retry: res.headers.get("retry-after") });
      }
      srv.close();
      // The burst is answered 401; after it, the address gets about one try a second (the rest 429).
      expect(answers.slice(0, STRANGER_BURST).every((a) => a.status === 401)).to.equal(true);
      expect(answers.filter((a) => a.status === 401).length).to.be.below(STRANGER_BURST + 30);
      expect(answers.filter((a) => a.status !== 401).every((a) => a.status === 429 && Number(a.retry) >= 1)).to.equal(true);
      expect(api.limits.tokenCount, "rate entries for tokens").to.equal(0);
    });
  });
});
