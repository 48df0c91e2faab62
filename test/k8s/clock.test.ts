import { expect } from "chai";
import { GameClock, WallAnchor } from "../../server/k8s/kubeBasics.ts";

describe("game time on the wall clock", () => {
  it("prints a past moment the same on every request while the game runs, ticks and jitter notwithstanding", () => {
    const anchor = new WallAnchor();
    const start = Date.UTC(2026, 11, 1, 20, 43, 0, 950);
    const line = 5_000;
    const printed = new Set<string>();
    // Requests 100 ms apart; the game's clock moves in ticks of 100 ms with up to 90 ms of lag.
    for (let i = 0; i < 300; i++) {
      const wall = start + i * 100;
      const game = i * 100 - ((i * 37) % 90);
      printed.add(new GameClock(game, anchor.wallNow(game, wall)).iso(line));
    }
    expect([...printed]).to.deep.equal(["2026-12-01T20:43:06Z"]);
  });

  it("moves once a pause has put the game more than a second behind, so ages stay true", () => {
    const anchor = new WallAnchor();
    const start = Date.UTC(2026, 11, 1, 20, 0, 0);
    expect(anchor.wallNow(10_000, start + 10_000)).to.equal(start + 10_000);
    // Paused for 30 s: game time stood still.
    expect(anchor.wallNow(10_000, start + 40_000)).to.equal(start + 40_000);
    expect(anchor.wallNow(11_000, start + 41_400)).to.equal(start + 41_000);
  });
});
