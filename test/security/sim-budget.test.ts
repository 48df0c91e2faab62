/**
 * The simulation budget that keeps honest games at real time, tried as an attacker would: a real
 * server process trusting one proxy hop (TRUST_PROXY=1, so X-Forwarded-For names the client),
 * large rooms opened and sped up from many addresses until the server refuses them, while an
 * honest workshop's clock is held against the wall clock. It measures real time, so a parallel
 * `npm test` runs this file by itself (test/run.ts, RUN_ALONE).
 */
import { expect } from "chai";
import { Client, type Room } from "@colyseus/sdk";
import { ServerProcess } from "../support/serverProcess.ts";
import { matchmake, RawPlayer } from "../support/rawPlayer.ts";
import { until } from "../support/gameServer.ts";

const state = (r: Room) => r.state as { time: number; phase: string };

describe("the simulation budget", function () {
  this.timeout(120_000);
  let server: ServerProcess;
  const players: RawPlayer[] = [];
  before(async () => {
    server = await ServerProcess.start({ TRUST_PROXY: "1", REDIS_URL: "" });
  });
  after(async () => {
    for (const p of players) p.close();
    await server.stop();
  });

  it("refuses new large rooms and speed-ups with 503 before an honest workshop's clock slows", async () => {
    const honest = await new Client(server.ws).create("cluster", { mode: "workshop", scenario: "free-play", nickname: "Teacher" });
    honest.onMessage("*", () => {});
    honest.send("host.start", {});
    honest.send("host.start", {});
    await until(() => state(honest).phase === "running", 10_000, "the honest game to run");

    // An attacker opens large clusters and runs them, until the server refuses one.
    let refusal: { status: number; body: { error?: string } } | undefined;
    for (let i = 0; i < 20 && !refusal; i++) {
      const seat = await matchmake(server.url, "create", { mode: "solo", scenario: "large-cluster" }, `10.9.0.${i}`);
      if (seat.status !== 200) {
        refusal = seat;
        break;
      }
      const p = await RawPlayer.join(server.ws, seat.body);
      players.push(p);
      expect((await p.ask("host.start")).code).to.equal(200);
    }
    expect(refusal?.status, "a large room beyond the budget is refused").to.equal(503);
    expect(refusal?.body.error).to.match(/too busy for a large-cluster game.*SIM_CPU_BUDGET/);

    // Raising the speed of the rooms it has is refused too, once over budget.
    let slowed: { code: number; message: string } | undefined;
    for (const p of players) {
      const r = await p.ask("host.speed", { speed: 4 });
      if (r.code !== 200) {
        slowed = r;
        break;
      }
    }
    expect(slowed?.code, "a speed-up beyond the budget is refused").to.equal(503);
    expect(slowed?.message).to.match(/too busy for 4× speed.*SIM_CPU_BUDGET/);

    // Meanwhile the honest game keeps real time (generously measured: patches come every 200 ms).
    const t0 = state(honest).time;
    const w0 = Date.now();
    await new Promise((r) => setTimeout(r, 8_000));
    const rate = (state(honest).time - t0) / (Date.now() - w0);
    expect(rate, "the honest game's clock against the wall clock").to.be.within(0.85, 1.1);
    await honest.leave();
  });
});
