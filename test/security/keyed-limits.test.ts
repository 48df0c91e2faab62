import { expect } from "chai";
import { KeyedLimits } from "../../server/limits/KeyedLimits.ts";

describe("keyed rate limits", () => {
  it("lets a key make its burst, then refuses with the seconds to wait", () => {
    const l = new KeyedLimits({ burst: 3, perMinute: 6 });
    for (let i = 0; i < 3; i++) expect(l.take("10.0.0.1", 0).ok).to.equal(true);
    const v = l.take("10.0.0.1", 0);
    expect(v.ok).to.equal(false);
    expect(v.ok === false && v.retryAfterSec).to.equal(10);
  });

  it("refills at the sustained rate", () => {
    const l = new KeyedLimits({ burst: 1, perMinute: 60 });
    expect(l.take("a", 0).ok).to.equal(true);
    expect(l.take("a", 500).ok).to.equal(false);
    expect(l.take("a", 1_600).ok).to.equal(true);
  });

  it("keeps keys apart", () => {
    const l = new KeyedLimits({ burst: 1, perMinute: 1 });
    expect(l.take("a", 0).ok).to.equal(true);
    expect(l.take("b", 0).ok).to.equal(true);
    expect(l.take("a", 0).ok).to.equal(false);
  });

  it("holds at most maxKeys keys, forgetting the one idle longest", () => {
    const l = new KeyedLimits({ burst: 1, perMinute: 1, maxKeys: 100 });
    l.take("busy", 0);
    for (let i = 0; i < 1_000; i++) {
      l.take(`made-up-${i}`, i);
      if (i % 50 === 0) l.take("busy", i);
    }
    expect(l.size).to.equal(100);
    // The key seen recently is still remembered (and still out of requests).
    expect(l.peek("busy", 1_000)).to.equal(false);
  });

  it("peek does not count a request", () => {
    const l = new KeyedLimits({ burst: 1, perMinute: 1 });
    expect(l.peek("a", 0)).to.equal(true);
    expect(l.peek("a", 0)).to.equal(true);
    expect(l.take("a", 0).ok).to.equal(true);
    expect(l.peek("a", 0)).to.equal(false);
  });
});
