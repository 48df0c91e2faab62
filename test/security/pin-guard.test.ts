import { expect } from "chai";
import { PIN_GUESS_BURST_MINUTES, PIN_GUESS_BURST_PER_ADDRESS, PinGuard, guessesPerMinuteFrom } from "../../server/admission/PinGuard.ts";
import { KeyedLimits } from "../../server/limits/KeyedLimits.ts";

const LIVE = "123456";
const find = async (pin: string) => (pin === LIVE ? { roomId: "r1" } : undefined);
const wrong = (i: number) => String(200_000 + i);

describe("the PIN guard", () => {
  it("counts wrong PINs per address and then refuses every PIN, the live one too", async () => {
    const g = new PinGuard();
    for (let i = 0; i < PIN_GUESS_BURST_PER_ADDRESS; i++) expect(await g.lookUp("10.0.0.1", wrong(i), find, undefined, 0)).to.deep.equal({ missing: true });
    const refused = await g.lookUp("10.0.0.1", LIVE, find, undefined, 0);
    expect(refused).to.have.property("refused");
    expect((refused as { refused: { retryAfterSec: number } }).refused.retryAfterSec).to.be.at.least(1);
    expect(await g.lookUp("10.0.0.2", LIVE, find, undefined, 0), "another address").to.deep.equal({ found: { roomId: "r1" } });
  });

  it("a live PIN costs nothing: honest look-ups never run out", async () => {
    const g = new PinGuard();
    for (let i = 0; i < 1_000; i++) expect(await g.lookUp("10.0.0.1", LIVE, find, undefined, 0)).to.have.property("found");
  });

  it("counts a guess before its answer, so concurrent look-ups cannot slip past", async () => {
    const g = new PinGuard();
    const slow = (pin: string) => new Promise<{ roomId: string } | undefined>((r) => setTimeout(() => r(pin === LIVE ? { roomId: "r1" } : undefined), 10));
    const all = await Promise.all(Array.from({ length: 100 }, (_, i) => g.lookUp("10.0.0.1", wrong(i), slow, undefined, 0)));
    expect(all.filter((r) => "missing" in r)).to.have.length(PIN_GUESS_BURST_PER_ADDRESS);
  });

  it("caps the whole process however many addresses guess, and lets vouched callers through", async () => {
    const g = new PinGuard(10);
    const burst = 10 * PIN_GUESS_BURST_MINUTES;
    for (let i = 0; i < burst; i++) expect(await g.lookUp(`10.1.0.${i}`, wrong(i), find, undefined, 0)).to.deep.equal({ missing: true });
    const r = await g.lookUp("10.2.0.1", LIVE, find, undefined, 0);
    expect(r).to.have.property("refused");
    expect((r as { refused: { message: string } }).refused.message).to.match(/too many wrong PINs right now/);
    expect(await g.lookUp("10.2.0.1", LIVE, find, async () => true, 0), "a token of that game").to.deep.equal({ found: { roomId: "r1" } });
    expect(await g.lookUp("10.2.0.1", LIVE, find, async () => false, 0)).to.have.property("refused");
    expect(await g.lookUp("10.2.0.1", wrong(99), find, async () => true, 0), "no game to vouch for").to.have.property("refused");
    expect(await g.lookUp("10.2.0.1", wrong(99), find, undefined, 6_000), "refilled after a guess's worth of time").to.deep.equal({ missing: true });
  });

  it("reads PIN_GUESSES_PER_MINUTE, refusing nonsense", () => {
    expect(guessesPerMinuteFrom(undefined)).to.equal(60);
    expect(guessesPerMinuteFrom("120")).to.equal(120);
    expect(() => guessesPerMinuteFrom("lots")).to.throw(/whole number/);
  });
});

describe("keyed limits: refund", () => {
  it("gives back one counted request, never above the burst", () => {
    const l = new KeyedLimits({ burst: 2, perMinute: 1 });
    expect(l.take("a", 0).ok).to.equal(true);
    expect(l.take("a", 0).ok).to.equal(true);
    expect(l.take("a", 0).ok).to.equal(false);
    l.refund("a");
    expect(l.take("a", 0).ok).to.equal(true);
    l.refund("a");
    l.refund("a");
    l.refund("a");
    expect([l.take("a", 0).ok, l.take("a", 0).ok, l.take("a", 0).ok]).to.deep.equal([true, true, false]);
  });
});
