import { expect } from "chai";
import { freePin, PIN_ATTEMPTS, randomPin } from "../../server/game/pins.ts";

describe("a new game's PIN", () => {
  it("is six digits", () => {
    for (let i = 0; i < 200; i++) expect(randomPin()).to.match(/^\d{6}$/);
  });

  it("is never one a running or saved game holds: another is drawn", async () => {
    const draws = ["111111", "222222", "333333"];
    const taken = new Set(["111111", "222222"]);
    expect(
      await freePin(
        async (p) => taken.has(p),
        () => draws.shift()!,
      ),
    ).to.equal("333333");
  });

  it("gives up with a reason when no free PIN turns up", async () => {
    let asked = 0;
    const err = await freePin(async () => {
      asked++;
      return true;
    }).catch((e: Error) => e);
    expect(asked).to.equal(PIN_ATTEMPTS);
    expect(String(err)).to.match(/no free PIN/);
  });
});
