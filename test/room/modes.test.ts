import { expect } from "chai";
import { ask, create, join, serverRoom, until } from "../support/gameServer.ts";

describe("room modes", () => {
  it("workshop: the host gets a PIN and a host token, players join by PIN and nickname into the lobby", async () => {
    const host = await create({ mode: "workshop", scenario: "first-pod", nickname: "Teacher" });
    expect(host.welcome.host).to.equal(true);
    expect(host.welcome.pin).to.match(/^\d{6}$/);
    expect(host.welcome.hostToken).to.be.a("string");
    const ada = await join(host.welcome.pin, { nickname: "Ada" });
    expect(ada.welcome.host).to.equal(false);
    expect(ada.welcome.hostToken).to.equal(undefined);
    await until(() => (host.room.state as any).players.size === 2);
    expect((host.room.state as any).phase).to.equal("lobby");
    expect([...(host.room.state as any).players.values()].map((p: any) => p.nickname).sort()).to.deep.equal(["Ada", "Teacher"]);
    await ada.room.leave();
    await host.room.leave();
  });

  it("workshop: a wrong PIN or a taken nickname is refused with a reason", async () => {
    const host = await create({ mode: "workshop", scenario: "first-pod", nickname: "Teacher" });
    let err: unknown;
    try {
      await join(host.welcome.pin, { nickname: "Teacher" });
    } catch (e) {
      err = e;
    }
    expect(String((err as Error).message)).to.match(/already called Teacher/);
    await host.room.leave();
  });

  it("solo: the player takes the chosen seat and every other seat is a bot", async () => {
    const solo = await create({ mode: "solo", scenario: "first-pod", seat: "kubelet:node-2", nickname: "Me" });
    await until(() => (solo.room.state as any).seats.size > 0);
    const seats = (solo.room.state as any).seats;
    expect(seats.get("kubelet:node-2").bot).to.equal(false);
    expect(seats.get("scheduler").bot).to.equal(true);
    expect((solo.room.state as any).phase).to.equal("intro");
    expect(solo.welcome.scenario.intro.length).to.be.greaterThan(50);
    expect((await ask(solo, "host.start")).code).to.equal(200);
    await until(() => (solo.room.state as any).time > 500, 5000, "the game clock");
    await solo.room.leave();
  });

  it("watch: every seat is a bot and the cluster heals itself", async () => {
    const w = await create({ mode: "watch", scenario: "first-pod" });
    await ask(w, "host.start");
    await ask(w, "host.speed", { speed: 4 });
    const room = await serverRoom(w.room.roomId);
    expect(room.session.sim.seats().every((s) => room.session.sim.isBot(s))).to.equal(true);
    await until(() => [...((w.room.state as any).pods?.values() ?? [])].filter((p: any) => p.ready).length === 3, 15000, "3 ready pods");
    await w.room.leave();
  });

  it("refuses to create a room with bad options, saying why", async () => {
    let err: unknown;
    try {
      await create({ mode: "party", scenario: "first-pod" });
    } catch (e) {
      err = e;
    }
    expect(String((err as Error).message)).to.match(/cannot create the room: mode/);
  });
});
