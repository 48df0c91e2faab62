/**
 * The largest scenario over real sockets: players joining a 50-worker, 500-pod room receive an
 * intact state (a too-small schema encoder buffer once broke their seats).
 */
import { expect } from "chai";
import { ask, create, join, until } from "../support/gameServer.ts";

const intactSeats = (state: any) => [...state.seats.values()].filter((s: any) => s?.seat && typeof s.holders?.[Symbol.iterator] === "function").length;

describe("a large cluster over the socket", function () {
  this.timeout(60_000);

  it("every player who joins a 50-worker room decodes all 102 seats and 500 pods", async () => {
    const host = await create({ mode: "workshop", scenario: "large-cluster", nickname: "T" });
    await until(() => (host.room.state as any).seats?.size === 102, 10_000, "the host's seats");
    const players = [];
    for (const nickname of ["Ada", "Bo", "Cy"]) players.push(await join(host.welcome.pin, { nickname }));
    for (const p of players) {
      await until(() => (p.room.state as any).seats?.size === 102 && (p.room.state as any).pods?.size === 500, 10_000, "the player's state");
      expect(intactSeats(p.room.state)).to.equal(102);
    }
    expect((await ask(players[0], "seat.take", { seat: "kubelet:node-7" })).code).to.equal(200);
    await until(() => [...(host.room.state as any).seats.get("kubelet:node-7").holders].length === 1, 5000, "the seat taken");
    for (const p of players) expect(intactSeats(p.room.state)).to.equal(102);
    for (const p of players) await p.room.leave();
    await host.room.leave();
  });
});
