import { expect } from "chai";
import type { ExitCheckMessage } from "../../shared/protocol/serverMessages.ts";
import { ask, create, join, serverRoom, until } from "../support/gameServer.ts";

type Q = { id: string; answered: string[]; answer: number; explain: string; revealed: boolean };
const question = (j: { room: { state: unknown } }) => (j.room.state as { question: Q }).question;
const tally = (j: { room: { state: unknown } }) => (j.room.state as { tally: Map<string, { counts: number[] }> }).tally.get("open");

describe("checkpoints over the socket", () => {
  it("two players answer, the host sees the counts arrive, reveals, and play resumes; then the exit check", async () => {
    const host = await create({ mode: "workshop", scenario: "node-down", nickname: "T", seed: 5, questions: true });
    const ada = await join(host.welcome.pin, { nickname: "Ada" });
    const bob = await join(host.welcome.pin, { nickname: "Bob" });
    const exits: ExitCheckMessage[] = [];
    ada.room.onMessage("exitCheck", (m: ExitCheckMessage) => exits.push(m));
    const room = await serverRoom(host.room.roomId);
    await ask(host, "host.start");
    await ask(host, "host.start");
    await ask(host, "host.speed", { speed: 4 });
    // node-2 loses power at 0:45: the game stops for the checkpoint.
    await until(() => question(ada)?.id === "nd-who-notices", 60_000, "the checkpoint's question");
    expect((host.room.state as { phase: string }).phase).to.equal("paused");
    expect(question(ada).answer).to.equal(-1);
    expect(question(ada).explain).to.equal("");
    expect(tally(ada), "a student sees no counts before the reveal").to.equal(undefined);
    expect((await ask(ada, "answer", { question: "nd-who-notices", choice: 2 })).code).to.equal(200);
    expect((await ask(ada, "answer", { question: "nd-who-notices", choice: 1 })).message).to.match(/already answered/);
    expect((await ask(bob, "answer", { question: "nd-who-notices", choice: 7 })).code).to.equal(400);
    expect((await ask(bob, "answer", { question: "nd-who-notices", choice: 0 })).code).to.equal(200);
    await until(() => question(host).answered.length === 2 && tally(host)?.counts[2] === 1 && tally(host)?.counts[0] === 1, 5000, "the host's counts");
    expect([...question(host).answered].sort()).to.deep.equal([ada.welcome.playerId, bob.welcome.playerId].sort());
    expect((await ask(ada, "host.reveal")).code).to.equal(403);
    expect((await ask(host, "host.resume")).code).to.equal(409);
    expect((await ask(host, "host.reveal")).code).to.equal(200);
    await until(() => question(ada).revealed && question(ada).answer === 2, 5000, "the reveal on a student's screen");
    expect(question(ada).explain).to.match(/heartbeat/);
    const at = room.session.sim.now;
    expect((await ask(host, "host.resume")).code).to.equal(200);
    await until(() => room.session.sim.now > at, 5000, "the clock running again");
    expect(room.session.answers().map((a) => [a.choice, a.correct])).to.deep.equal([
      [2, true],
      [0, false],
    ]);
    // The exit check, at the debrief, to each student on their own.
    await ask(host, "host.end");
    await until(() => exits.length > 0, 5000, "the exit check");
    const ids = exits[0].questions.map((q) => q.id);
    expect(JSON.stringify(exits[0])).to.not.include("explain");
    for (const id of ids) expect((await ask(ada, "answer", { question: id, choice: 1 })).code).to.equal(200);
    await until(() => exits.at(-1)?.review !== undefined, 5000, "the review after the last answer");
    expect(Object.keys(exits.at(-1)!.review!)).to.deep.equal(ids);
    await Promise.all([ada.room.leave(), bob.room.leave(), host.room.leave()]);
  });
});
