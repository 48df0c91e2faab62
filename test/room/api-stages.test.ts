/**
 * The API log's lines reach every client with the API server's four checks: which check refused
 * a request (a kubelet touching another node's pod stops at permission) and the etcd revision a
 * write that passed them all got.
 */
import { expect } from "chai";
import { refusedAtOf } from "../../shared/sim/api/stages.ts";
import { api, ask, runningWorkshop, serverRoom, until } from "../support/gameServer.ts";

interface Line {
  user: string;
  path: string;
  code: number;
  type: string;
  refused: number;
  revision: number;
  writes: number;
}

const lines = (state: unknown): Line[] => [...((state as { apiLog: Iterable<Line> }).apiLog ?? [])];

describe("the API log's four checks over the socket", () => {
  it("a refused request carries the check that refused it, a write the revision it got", async () => {
    const { host, student } = await runningWorkshop("node-down", ["kubelet:node-1"]);
    const room = await serverRoom(host.room.roomId);
    const other = room.session.sim.state.podsOnNode("node-2")[0].metadata.name;

    const refused = await api(student, "kubelet:node-1", { type: "restart", pod: other });
    expect(refused.code).to.equal(403);
    await until(() => lines(student.room.state).some((l) => l.path.endsWith(`/pods/${other}/status`) && l.code === 403), 5000, "the 403 in the API log");
    const line = lines(student.room.state).findLast((l) => l.path.endsWith(`/pods/${other}/status`) && l.code === 403)!;
    expect(line).to.include({ user: "kubelet/node-1", type: "restart", revision: 0, writes: 0 });
    expect(refusedAtOf(line.refused)).to.equal("permission");

    expect((await ask(host, "host.chaos", { failure: { type: "scaleDeployment", deployment: "web", replicas: 7 } })).code).to.equal(200);
    await until(() => lines(host.room.state).some((l) => l.type === "scale" && l.code === 200), 5000, "the scale in the API log");
    const scale = lines(host.room.state).findLast((l) => l.type === "scale" && l.code === 200)!;
    expect(scale).to.include({ user: "admin", refused: 0 });
    expect(scale.writes).to.be.at.least(1);
    // The etcd panel lists the deployment's write at one of exactly those revisions.
    const etcd = () => [...((host.room.state as { etcd: Iterable<{ revision: number; key: string }> }).etcd ?? [])];
    const inRange = (r: number) => r > scale.revision - scale.writes && r <= scale.revision;
    await until(() => etcd().some((w) => w.key.endsWith("/deployments/default/web") && inRange(w.revision)), 5000, "the write in the etcd panel");
    await student.room.leave();
    await host.room.leave();
  });
});
