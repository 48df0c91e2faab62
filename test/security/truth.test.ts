/**
 * The truth behind the API server, tried as a curious student would on real sockets: a player
 * who asks for it (host.truth), malformed or not, is refused and receives nothing of it; a
 * player cannot end the host's absence or resume the paused game; the join address cannot be
 * steered by a request.
 */
import { expect } from "chai";
import { ask, gameServer, type join, runningWorkshop, serverRoom, until } from "../support/gameServer.ts";

type Joined = Awaited<ReturnType<typeof join>>;
const st = (j: Joined) => j.room.state as { nodeTruth?: Map<string, unknown>; podTruth?: Map<string, unknown>; phase: string; waitingForHost: boolean };

describe("the truth and the host's absence under attack", () => {
  it("a player asking for the truth is refused, malformed or not, and receives none of it", async () => {
    const { host, student } = await runningWorkshop("free-play", ["scheduler"]);
    expect(await ask(student, "host.truth", { shown: true })).to.include({ code: 403 });
    expect((await ask(student, "host.truth", { shown: "yes" })).message).to.match(/malformed host.truth message: shown/);
    expect((await ask(student, "host.truth", { shown: true, player: host.welcome.playerId })).code).to.equal(403);
    const room = await serverRoom(host.room.roomId);
    const t = room.session.sim.now;
    await until(() => room.session.sim.now > t + 1000, 10_000, "a second of game time");
    expect(st(student).nodeTruth?.size ?? 0).to.equal(0);
    expect(st(student).podTruth?.size ?? 0).to.equal(0);
    await student.room.leave();
    await host.room.leave();
  });

  it("while the host is away, a player can neither resume nor end the game", async () => {
    const { host, student } = await runningWorkshop("free-play");
    (await serverRoom(host.room.roomId)).hostPresence.awayMs = 200;
    await host.room.leave();
    await until(() => st(student).waitingForHost, 10_000, "the wait for the host");
    for (const move of ["host.resume", "host.end", "host.start"]) expect((await ask(student, move)).code, move).to.equal(403);
    expect(st(student).phase).to.equal("paused");
    expect(st(student).waitingForHost).to.equal(true);
    await student.room.leave();
  });

  it("the join address ignores what a request says about the host", async () => {
    const { port } = await gameServer();
    const res = await fetch(`http://127.0.0.1:${port}/api/join-url?url=http://evil.example`, {
      headers: { "X-Forwarded-Host": "evil.example", "X-Forwarded-For": "203.0.113.9" },
    });
    const body = (await res.json()) as { urls: string[]; qr: string };
    expect(body.urls.join(" ")).to.not.contain("evil");
  });
});
