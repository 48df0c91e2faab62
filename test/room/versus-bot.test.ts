/**
 * "You against the bot" in a room: when the game enters the debrief, the room replays it in a
 * worker thread and sends each player their own comparison (the host everyone's), first as
 * "running", then "done"; the debrief JSON carries it too, narrowed to the reader.
 */
import { expect } from "chai";
import { defaultPick } from "../../shared/sim/bots/nodeSummaries.ts";
import type { VsBotMessage } from "../../shared/protocol/serverMessages.ts";
import { api, ask, create, gameServer, join, serverRoom, until, type Joined } from "../support/gameServer.ts";

const done = (j: Joined) => j.vsBot.find((m) => m.status !== "running");

/** Binds the first pending pod to a worker that is not the default pick; returns the pod. */
async function bindElsewhere(j: Joined): Promise<string> {
  const room = await serverRoom(j.room.roomId);
  const sim = room.session.sim;
  await until(() => [...sim.state.pods.values()].some((p) => p.status.phase === "Pending" && !p.spec.nodeName), 15_000, "a pending pod");
  const pod = [...sim.state.pods.values()].find((p) => p.status.phase === "Pending" && !p.spec.nodeName)!;
  const pick = defaultPick(sim.state, pod);
  const other = sim.world
    .workers()
    .map((m) => m.name)
    .find((n) => n !== pick)!;
  const r = await api(j, "scheduler", { type: "bind", pod: pod.metadata.name, node: other });
  expect(r.ok, r.message).to.equal(true);
  return pod.metadata.name;
}

describe("you against the bot, in a room", function () {
  this.timeout(90_000);

  it("solo: after End the player gets the replay with their differing binding, and the debrief JSON has it", async () => {
    const solo = await create({ mode: "solo", scenario: "first-pod", seat: "scheduler", nickname: "Ada" });
    expect((await ask(solo, "host.start")).code).to.equal(200);
    const pod = await bindElsewhere(solo);
    expect((await ask(solo, "host.end")).code).to.equal(200);
    await until(() => done(solo) !== undefined, 60_000, "the replay's result");
    expect(solo.vsBot[0].status).to.equal("running");
    const result = done(solo)!;
    expect(result.status, result.message).to.equal("done");
    const [ada] = result.players;
    expect(ada.nickname).to.equal("Ada");
    expect(ada.seats).to.deep.equal(["scheduler"]);
    expect(ada.moments[0].text).to.match(new RegExp(`^you bound ${pod} to node-\\d+; the bot would have picked node-\\d+`));
    const { port } = await gameServer();
    const d = (await (
      await fetch(`http://127.0.0.1:${port}/api/rooms/${solo.welcome.pin}/debrief.json`, { headers: { Authorization: `Bearer ${solo.welcome.hostToken}` } })
    ).json()) as { vsBot?: VsBotMessage };
    expect(d.vsBot?.status).to.equal("done");
    expect(d.vsBot?.players.map((p) => p.nickname)).to.deep.equal(["Ada"]);
    await solo.room.leave();
  });

  it("workshop: each player receives their own result, the host everyone's (but their own: they held no seat), and a player's debrief JSON holds only theirs", async () => {
    const host = await create({ mode: "workshop", scenario: "first-pod", nickname: "Teacher" });
    const ada = await join(host.welcome.pin, { nickname: "Ada" });
    const bob = await join(host.welcome.pin, { nickname: "Bob" });
    await ask(ada, "seat.take", { seat: "scheduler" });
    await ask(bob, "seat.take", { seat: "kubelet:node-1" });
    await ask(host, "host.start");
    await ask(host, "host.start");
    await bindElsewhere(ada);
    await ask(host, "host.end");
    await until(() => [host, ada, bob].every((j) => done(j) !== undefined), 60_000, "everyone's result");
    expect(done(ada)!.players.map((p) => p.nickname)).to.deep.equal(["Ada"]);
    expect(done(bob)!.players.map((p) => p.nickname)).to.deep.equal(["Bob"]);
    expect(
      done(host)!
        .players.map((p) => p.nickname)
        .sort(),
    ).to.deep.equal(["Ada", "Bob"]);
    expect(done(bob)!.players[0].seats).to.deep.equal(["kubelet:node-1"]);
    const { port } = await gameServer();
    const d = (await (
      await fetch(`http://127.0.0.1:${port}/api/rooms/${host.welcome.pin}/debrief.json`, { headers: { Authorization: `Bearer ${ada.welcome.apiToken}` } })
    ).json()) as { vsBot?: VsBotMessage };
    expect(d.vsBot?.players.map((p) => p.nickname)).to.deep.equal(["Ada"]);
    // Someone joining during the debrief is sent what they may see at once.
    const late = await join(host.welcome.pin, { spectate: true });
    await new Promise((r) => setTimeout(r, 300));
    expect(late.vsBot).to.deep.equal([]);
    for (const j of [host, ada, bob, late]) await j.room.leave();
  });
});
