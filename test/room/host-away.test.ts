/**
 * A workshop's host who leaves: after the host's connection has been gone for the host-away time
 * the game pauses and every screen is told (state.waitingForHost); the host comes back with the
 * host token and resumes. Real sockets; the host-away time is shortened on the test's room.
 */
import { expect } from "chai";
import { api, ask, join, runningWorkshop, serverRoom, until } from "../support/gameServer.ts";

const state = (j: { room: { state: unknown } }) => j.room.state as { phase: string; waitingForHost: boolean };

describe("a host who leaves a workshop", () => {
  it("pauses the game after the host-away time, tells every screen, and the host resumes on return", async () => {
    const { host, student } = await runningWorkshop("node-down", ["scheduler"]);
    const room = await serverRoom(host.room.roomId);
    room.hostPresence.awayMs = 500;
    const { pin, hostToken } = host.welcome;
    await until(() => state(student).phase === "running", 5000, "the game to run");
    await host.room.leave();
    await until(() => state(student).waitingForHost, 10_000, "the student's screen to say it waits for the host");
    expect(state(student).phase).to.equal("paused");
    expect((await api(student, "scheduler", { type: "bind", pod: "x", node: "node-1" })).message).to.match(/paused/);
    // Nobody else may resume it.
    expect((await ask(student, "host.resume")).code).to.equal(403);

    const back = await join(pin, { hostToken });
    expect(back.welcome.host).to.equal(true);
    await until(() => !state(student).waitingForHost, 5000, "the wait to end when the host is back");
    expect(state(student).phase).to.equal("paused");
    expect((await ask(back, "host.resume")).code).to.equal(200);
    await until(() => state(student).phase === "running", 5000, "the game to run again");
    await student.room.leave();
    await back.room.leave();
  });

  it("does not pause while the host is away for less than the host-away time", async () => {
    const { host, student } = await runningWorkshop("node-down");
    const room = await serverRoom(host.room.roomId);
    room.hostPresence.awayMs = 60_000;
    await host.room.leave();
    const back = await join(host.welcome.pin, { hostToken: host.welcome.hostToken });
    const t = room.session.sim.now;
    await until(() => room.session.sim.now > t + 1000, 10_000, "a second of game time");
    expect(state(student).phase).to.equal("running");
    expect(state(student).waitingForHost).to.equal(false);
    await student.room.leave();
    await back.room.leave();
  });
});
