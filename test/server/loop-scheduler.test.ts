/**
 * The rooms' loop schedule (server/room/loopScheduler.ts): each loop runs at its period; loops
 * due together run only up to the turn's budget before the event loop serves everything else
 * (sockets, other timers) and the rest follow; a loop left behind is not run again and again to
 * catch up; a stopped loop stops, and an empty schedule holds no timer. No timing is asserted
 * beyond generous bounds: the ordering is what is checked.
 */
import { expect } from "chai";
import { LoopScheduler } from "../../server/room/loopScheduler.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Holds the thread for `ms` (a room's heavy tick). */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

describe("the rooms' loop schedule", () => {
  it("runs each loop about every period until it is stopped", async () => {
    const loops = new LoopScheduler();
    let runs = 0;
    const stop = loops.add(20, () => runs++);
    await sleep(300);
    stop();
    const seen = runs;
    expect(seen, "about 15 runs in 300 ms (fewer on a loaded machine, never more)").to.be.within(3, 16);
    await sleep(80);
    expect(runs, "none after stop").to.equal(seen);
    expect(loops.size).to.equal(0);
  });

  it("runs the loops due together only up to the turn's budget, letting the event loop in before the rest", async () => {
    const loops = new LoopScheduler(5);
    const order: string[] = [];
    const stops = ["a", "b", "c", "d"].map((name) =>
      loops.add(30, () => {
        order.push(name);
        // Work that arrived meanwhile (a socket read, a connection accepted) is queued for the next turn.
        if (name === "a") setImmediate(() => order.push("the event loop"));
        busy(4);
      }),
    );
    // However late the first turn comes on a loaded machine, the order within it is the schedule's.
    const ran = () => order.filter((x) => x !== "the event loop").length;
    for (const end = Date.now() + 10_000; ran() < 4 && Date.now() < end; ) await sleep(5);
    for (const stop of stops) stop();
    const first = order.slice(0, 5);
    expect(first.indexOf("the event loop"), `${first}`).to.be.within(1, 3);
    expect(
      first.filter((x) => x !== "the event loop"),
      "every due loop ran, oldest first",
    ).to.deep.equal(["a", "b", "c", "d"]);
  });

  it("runs a loop that fell behind once, not once for every period it missed", async () => {
    const loops = new LoopScheduler();
    let runs = 0;
    const stop = loops.add(10, () => runs++);
    await sleep(15);
    const before = runs;
    busy(120); // the process was held for 12 periods
    await new Promise((r) => setImmediate(r));
    await sleep(1);
    expect(runs - before, "one run after the hold, then back to its period").to.be.at.most(2);
    stop();
  });
});
