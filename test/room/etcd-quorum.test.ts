/**
 * etcd quorum over real sockets: with one of the two etcd members stopped, every client's state
 * shows the member down, a player's write is refused with 503 and changes nothing, a read still
 * works, and the application's requests go on being served.
 */
import { expect } from "chai";
import { api, ask, runningWorkshop, serverRoom, until } from "../support/gameServer.ts";

describe("etcd quorum in a room", function () {
  this.timeout(60_000);

  it("without quorum a write answers 503 and stores nothing, a read is served, and traffic is still served", async () => {
    const { host, student } = await runningWorkshop("etcd-quorum", ["controller-manager", "kube-proxy:node-1"]);
    const st = () => student.room.state as any;
    await until(() => st().etcdMembers?.size === 2 && st().etcdMembers.get("cp-2") === true, 10_000, "both etcd members up in the state");
    const chaos = await ask(host, "host.chaos", { failure: { type: "stopProcess", node: "cp-2", process: "etcd" } });
    expect(chaos.code, chaos.message).to.equal(200);
    await until(() => st().etcdMembers.get("cp-2") === false, 10_000, "cp-2's etcd member down in the student's state");
    expect(st().etcdMembers.get("cp-1")).to.equal(true);

    const room = await serverRoom(host.room.roomId);
    const revision = room.session.sim.state.revision;
    const write = await api(student, "controller-manager", { type: "createPod", deployment: "web" });
    expect(write.code, write.message).to.equal(503);
    expect(write.message).to.match(/etcd has lost quorum \(1 of 2 members up\)/);
    expect(room.session.sim.state.revision).to.equal(revision);
    const read = await api(student, "kube-proxy:node-1", { type: "syncRules", node: "node-1", service: "web", mode: "local-first" });
    expect(read.code, read.message).to.equal(200);

    // The users' requests do not go through etcd: they keep being served.
    const served = st().served;
    await until(() => st().served > served + 50, 20_000, "requests served while etcd has no quorum");
    expect(room.session.sim.world.etcd().quorum).to.equal(false);
    expect(room.session.sim.state.revision).to.equal(revision);

    await student.room.leave();
    await host.room.leave();
  });
});
