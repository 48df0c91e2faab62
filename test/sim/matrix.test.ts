/**
 * The seat matrix: in every scenario, each role it is made for decides the game — with that
 * role idle the game is lost or its availability at least 5 points lower, on every seed of the
 * scenario's seed set — and docs/MATRIX.md shows the matrix as it is.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { MATRIX_SEEDS, renderMatrix, seatMatrix, visiblyWorse, type MatrixRow } from "../../shared/sim/matrix.ts";
import { listScenarios } from "../../shared/sim/scenarios/index.ts";

describe("the seat matrix", function () {
  // Each scenario plays 3 seeds × (1 + its seats) full games: about 2 s a scenario on an idle
  // machine (15 s in all), much more on a busy one.
  this.timeout(300_000);
  let rows: MatrixRow[] = [];
  before(() => {
    rows = seatMatrix();
  });

  it("every scenario but the watch-mode one names the roles it is made for", () => {
    for (const s of listScenarios()) {
      // Watch mode, and the cluster that waits for the class's manifests (nothing runs until they apply one).
      if (s.id === "large-cluster" || s.waitsForManifests) expect(s.seats, s.id).to.deep.equal([]);
      else expect(s.seats.length, s.id).to.be.greaterThan(0);
      expect(new Set(s.seats).size, s.id).to.equal(s.seats.length);
    }
  });

  for (const s of listScenarios().filter((x) => x.seats.length > 0)) {
    it(`${s.id}: with any of ${s.seats.join(", ")} idle, the game ends visibly worse on seeds ${MATRIX_SEEDS.join(", ")}`, () => {
      for (const seat of s.seats) {
        const row = rows.find((r) => r.scenario === s.id && r.seat === seat)!;
        for (const g of row.games) {
          expect(g.bot.won, `${s.id} seed ${g.seed} with the bots`).to.equal(true);
          const why = `${s.id} seed ${g.seed} with ${seat} idle: ${g.idle.won ? "won" : "lost"} at ${g.idle.availability} against ${g.bot.availability}`;
          expect(visiblyWorse(g.bot, g.idle), why).to.equal(true);
        }
        expect(row.holds).to.equal(true);
      }
    });
  }

  it("visiblyWorse: lost, or at least 5 points lower", () => {
    const bot = { won: true, availability: 0.99, score: 900 };
    expect(visiblyWorse(bot, { won: false, availability: 0.99, score: 400 })).to.equal(true);
    expect(visiblyWorse(bot, { won: true, availability: 0.94, score: 800 })).to.equal(true);
    expect(visiblyWorse(bot, { won: true, availability: 0.95, score: 800 })).to.equal(false);
  });

  it("docs/MATRIX.md is the current matrix (regenerate: npm run -s sim -- --matrix > docs/MATRIX.md)", () => {
    expect(readFileSync("docs/MATRIX.md", "utf8")).to.equal(renderMatrix(rows));
  });
});
