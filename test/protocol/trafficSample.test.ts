/**
 * The traffic sample (shared/protocol/trafficSample.ts): what the room encodes, the client's map
 * decodes — item for item, whatever the names — and junk decodes to nothing rather than to a
 * wrong dot. The room's own sample of a real game decodes to every item it sampled.
 */
import { expect } from "chai";
import fc from "fast-check";
import {
  decodeTraffic,
  encodeTraffic,
  encodeTrafficItem,
  joinTrafficItems,
  LOAD_BALANCER,
  TrafficKind,
  type TrafficItem,
} from "../../shared/protocol/trafficSample.ts";
import { GameSession } from "../../server/game/GameSession.ts";
import { sampleTraffic } from "../../server/room/projection.ts";
import { params } from "../sim/properties/settings.ts";

/** Names as the game makes them (node-2, web-x7k2p, lb, no-endpoints) and any others the sample can carry. */
const name = fc.oneof(fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?$/), fc.constant(LOAD_BALANCER), fc.stringMatching(/^[^;>!\s]{1,12}$/));

const item: fc.Arbitrary<TrafficItem> = fc.oneof(
  fc.record({ kind: fc.constant(TrafficKind.Send), a: name, b: name }),
  fc.record({ kind: fc.constantFrom(TrafficKind.Served, TrafficKind.TimedOut), a: name, b: fc.constant("") }),
  fc.record({ kind: fc.constant(TrafficKind.Dropped), a: name, b: fc.oneof(fc.constant(""), name) }),
);

const KINDS: readonly number[] = Object.values(TrafficKind);

describe("the traffic sample", () => {
  it("decodes to exactly the items that were encoded, in order", () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 20 }), (items) => {
        expect(decodeTraffic(encodeTraffic(items))).to.deep.equal(items);
      }),
      params<[TrafficItem[]]>(500),
    );
  });

  it("reads the format the protocol documents", () => {
    expect(decodeTraffic("node-1>web-a;web-a!s;web-b!t;node-2!d:node-down;lb!d:no-node")).to.deep.equal([
      { kind: TrafficKind.Send, a: "node-1", b: "web-a" },
      { kind: TrafficKind.Served, a: "web-a", b: "" },
      { kind: TrafficKind.TimedOut, a: "web-b", b: "" },
      { kind: TrafficKind.Dropped, a: "node-2", b: "node-down" },
      { kind: TrafficKind.Dropped, a: LOAD_BALANCER, b: "no-node" },
    ]);
  });

  it("leaves out an item whose names it cannot carry, and keeps its neighbours", () => {
    const good: TrafficItem = { kind: TrafficKind.Served, a: "web-a", b: "" };
    for (const bad of [
      { kind: TrafficKind.Send, a: "node-1", b: "web;a" },
      { kind: TrafficKind.Send, a: "", b: "web-a" },
      { kind: TrafficKind.Served, a: "web>a", b: "" },
      { kind: TrafficKind.Dropped, a: "node 1", b: "no-rule" },
      { kind: TrafficKind.Dropped, a: "node-1", b: "no!rule" },
    ] as TrafficItem[]) {
      expect(encodeTrafficItem(bad), JSON.stringify(bad)).to.equal("");
      expect(decodeTraffic(encodeTraffic([good, bad, good])), JSON.stringify(bad)).to.deep.equal([good, good]);
    }
  });

  it("decodes anything without throwing, to well-formed items only, and to what it decodes again", () => {
    const junk = fc.oneof(fc.string({ unit: fc.constantFrom(";", ">", "!", "d", ":", "s", "t", " ", "a", "b") }), fc.string(), fc.anything());
    fc.assert(
      fc.property(junk, (raw) => {
        const items = decodeTraffic(raw);
        for (const it of items) {
          expect(KINDS).to.include(it.kind);
          expect(it.a).to.be.a("string").that.is.not.empty;
          expect(it.b).to.be.a("string");
        }
        expect(decodeTraffic(encodeTraffic(items))).to.deep.equal(items);
      }),
      params<[unknown]>(1000),
    );
  });

  it("reuses the caller's array, cleared first", () => {
    const out = decodeTraffic("a!s;b!s");
    expect(decodeTraffic("c!t", out)).to.equal(out);
    expect(out).to.deep.equal([{ kind: TrafficKind.TimedOut, a: "c", b: "" }]);
  });

  it("carries every item the room samples from a real game: sent, served, timed out and dropped", () => {
    const session = new GameSession({ mode: "solo", scenario: "traffic-spike", difficulty: "normal", seed: 7 });
    const sim = session.sim;
    // A spike the cluster cannot take (requests time out), then every worker down (requests drop).
    expect(sim.inject({ type: "trafficSpike", service: "web", factor: 20, durationSec: 30 }).ok).to.equal(true);
    const seen = new Set<number>();
    for (let t = 0; t < 100; t++) {
      if (t === 50) for (const node of ["node-1", "node-2", "node-3"]) expect(sim.inject({ type: "crashNode", node }).ok).to.equal(true);
      const report = sim.step();
      const buffer: string[] = [];
      sampleTraffic(buffer, session, report.finished);
      const items = decodeTraffic(joinTrafficItems(buffer));
      expect(items, `tick ${t}: ${buffer.join(";")}`).to.have.length(buffer.length);
      for (const it of items) {
        seen.add(it.kind);
        const names = it.kind === TrafficKind.Send ? [it.a, it.b] : [it.a];
        for (const n of names)
          expect(
            n === LOAD_BALANCER || sim.world.machines.has(n) || sim.state.pods.has(n) || report.finished.some((f) => f.pod === n),
            `tick ${t}: unknown name ${n}`,
          ).to.equal(true);
      }
    }
    expect([...seen].sort()).to.deep.equal([...KINDS].sort());
  });
});
