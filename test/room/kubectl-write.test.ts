/**
 * A write from kubectl (ClusterRoom.apiWrite) is in the store — so in every `kubectl --watch` —
 * when it is answered, without waiting for the room's next projection; the players' state follows
 * at the next tick, as after a click, and the etcd panel still lists the write (docs/PERFORMANCE.md,
 * bench:k8s).
 */
import { expect } from "chai";
import { storeKeyOf } from "../../server/room/ClusterRoom.ts";
import { gameServer, runningWorkshop, serverRoom, until } from "../support/gameServer.ts";

interface EtcdWrite {
  revision: number;
  op: string;
  key: string;
}

const WEB = "/registry/deployments/default/web";

describe("a write from kubectl", () => {
  it("is stored when answered, and reaches the players' state and etcd panel at the next tick", async () => {
    const { host, student } = await runningWorkshop("node-down");
    const room = await serverRoom(host.room.roomId);
    const { store } = await gameServer();
    const replicas = [...room.session.sim.state.deployments.values()].find((d) => d.metadata.name === "web")!.spec.replicas + 2;

    const { result, revision } = await room.apiWrite(host.welcome.hostToken!, { type: "scale", deployment: "web", replicas });
    expect(result.ok, result.message).to.equal(true);
    const stored = await store.get(storeKeyOf(host.welcome.pin), WEB);
    if (!stored) throw new Error("the deployment is not in the store");
    expect((stored.value as { spec: { replicas: number } }).spec.replicas).to.equal(replicas);
    expect(await store.revision(storeKeyOf(host.welcome.pin))).to.equal(revision);

    const etcd = () => [...((host.room.state as { etcd?: Iterable<EtcdWrite> }).etcd ?? [])];
    await until(() => etcd().some((w) => w.key.endsWith(WEB) && w.revision === stored.modRevision), 5000, "the scale's write in the etcd panel");
    expect(etcd().find((w) => w.revision === stored.modRevision)?.op).to.equal("PUT");
    await student.room.leave();
    await host.room.leave();
  });
});
