/**
 * OneTurnEach (server/room/oneTurnEach.ts): the class room's team rooms created each a turn of the
 * event loop after the one before, so a class's twelve games do not hold the process.
 */
import { expect } from "chai";
import { OneTurnEach } from "../../server/room/oneTurnEach.ts";

describe("one task per event-loop turn", () => {
  it("starts each task a turn after the one before: what the first lets in runs before the second", async () => {
    const turns = new OneTurnEach();
    const seen: string[] = [];
    const tasks = ["a", "b", "c"].map((name) =>
      turns.run(async () => {
        seen.push(name);
        // Work that arrives while this task runs (a socket, another room's tick) is let in before the next task.
        setImmediate(() => seen.push(`after ${name}`));
        return name.toUpperCase();
      }),
    );
    expect(await Promise.all(tasks)).to.deep.equal(["A", "B", "C"]);
    await new Promise((r) => setImmediate(r));
    expect(seen).to.deep.equal(["a", "after a", "b", "after b", "c", "after c"]);
  });

  it("does not start a task in the turn it is given", async () => {
    const turns = new OneTurnEach();
    let started = false;
    const done = turns.run(async () => {
      started = true;
    });
    await Promise.resolve();
    expect(started, "not within the same turn's microtasks").to.equal(false);
    await done;
    expect(started).to.equal(true);
  });

  it("goes on after a task that fails, and hands its failure to its own caller", async () => {
    const turns = new OneTurnEach();
    const failed = turns.run(async () => {
      throw new Error("the team did not answer");
    });
    const next = turns.run(async () => "answered");
    const err = await failed.catch((e: Error) => e.message);
    expect(err).to.equal("the team did not answer");
    expect(await next).to.equal("answered");
  });
});
