import { expect } from "chai";
import { ask, create, gameServer, serverRoom, until } from "../support/gameServer.ts";

describe("the host's *no points for speed* over the socket", () => {
  it("is a create option the state shows, the lobby can switch, and the debrief reports", async () => {
    const host = await create({ mode: "workshop", scenario: "first-pod", nickname: "T", noSpeedPoints: true });
    const state = () => host.room.state as unknown as { noSpeedPoints: boolean; phase: string };
    await until(() => state().noSpeedPoints === true, 3000, "the option in the state");
    const room = await serverRoom(host.room.roomId);
    expect(room.session.sim.score.noSpeedPoints).to.equal(true);

    // A scenario picked in the lobby keeps the option unless the host says otherwise.
    expect((await ask(host, "host.scenario", { scenario: "node-down" })).code).to.equal(200);
    expect(room.session.sim.score.noSpeedPoints).to.equal(true);
    expect((await ask(host, "host.scenario", { scenario: "node-down", noSpeedPoints: false })).code).to.equal(200);
    await until(() => state().noSpeedPoints === false, 3000, "the option off");
    // Bad input is refused and changes nothing.
    expect((await ask(host, "host.scenario", { scenario: "node-down", noSpeedPoints: "yes" })).code).to.equal(400);
    expect(room.session.sim.score.noSpeedPoints).to.equal(false);
    expect((await ask(host, "host.scenario", { scenario: "first-pod", noSpeedPoints: true })).code).to.equal(200);
    await until(() => state().noSpeedPoints === true, 3000, "the option on again");

    await ask(host, "host.start");
    await ask(host, "host.start");
    expect((await ask(host, "host.end")).code).to.equal(200);
    await until(() => state().phase === "debrief", 5000, "the debrief");
    const { port } = await gameServer();
    const json = await (
      await fetch(`http://127.0.0.1:${port}/api/rooms/${host.welcome.pin}/debrief.json`, { headers: { Authorization: `Bearer ${host.welcome.hostToken}` } })
    ).json();
    expect(json.outcome.noSpeedPoints).to.equal(true);
    await host.room.leave();
  });

  it("is off unless asked for, and a create with a wrong value is refused", async () => {
    const host = await create({ mode: "workshop", scenario: "first-pod", nickname: "T" });
    expect((host.room.state as unknown as { noSpeedPoints: boolean }).noSpeedPoints).to.equal(false);
    expect((await serverRoom(host.room.roomId)).session.sim.score.noSpeedPoints).to.equal(false);
    await host.room.leave();
    let err: unknown;
    try {
      await create({ mode: "workshop", scenario: "first-pod", nickname: "T", noSpeedPoints: "yes" });
    } catch (e) {
      err = e;
    }
    expect(String((err as Error)?.message)).to.match(/noSpeedPoints/);
  });
});
