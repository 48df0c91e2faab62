/**
 * Joining a bare server over real sockets: a player in node-3's kubelet seat sends node.setup
 * messages — install the container runtime, the kubelet, kube-proxy, then join — and watches the
 * machine's truth and the Node the API server comes to know; bad messages are answered and
 * change nothing.
 */
import { expect } from "chai";
import { revealAnswer } from "../../server/game/asking.ts";
import { GameSession } from "../../server/game/GameSession.ts";
import { ask, create, until } from "../support/gameServer.ts";

type Joined = Awaited<ReturnType<typeof create>>;
const st = (j: Joined) => j.room.state as any;
const SEAT = "kubelet:node-3";
let id = 1;
const setup = (j: Joined, type: string, node = "node-3") => ask(j, "node.setup", { id: id++, seat: SEAT, request: { type, node } });

describe("joining a bare server (room)", function () {
  this.timeout(60_000);

  it("the seats of the bare server are offered from the start, and a player in its kubelet seat installs and joins it", async () => {
    const solo = await create({ mode: "solo", scenario: "join-a-node", seat: SEAT, nickname: "Ada" });
    await until(() => st(solo).seats.size > 0, 5000, "the seats");
    expect([...st(solo).seats.keys()]).to.include.members([SEAT, "kube-proxy:node-3"]);
    expect(st(solo).seats.get(SEAT).bot).to.equal(false);
    expect((await ask(solo, "host.start")).code).to.equal(200);
    expect((await ask(solo, "host.speed", { speed: 4 })).code).to.equal(200);
    await until(() => st(solo).nodeTruth?.get("node-3") !== undefined, 5000, "node-3's truth for its kubelet");
    const truth = () => st(solo).nodeTruth.get("node-3");
    expect(truth().joined).to.equal(false);
    expect(truth().processes.size).to.equal(0);
    expect(st(solo).nodes.get("node-3").readyReason).to.equal("NotRegistered");

    // Malformed and out of order: answered, nothing changes.
    const bad = await ask(solo, "node.setup", { id: id++, seat: SEAT, request: { type: "installDocker", node: "node-3" } });
    expect(bad.code).to.equal(400);
    expect(bad.message).to.match(/malformed node\.setup message: request\.type/);
    const early = await setup(solo, "installKubeProxy");
    expect(early.code).to.equal(422);
    expect(early.message).to.match(/install container-runtime first/);
    const notMine = await ask(solo, "node.setup", { id: id++, seat: "kubelet:node-1", request: { type: "installRuntime", node: "node-3" } });
    expect(notMine.code).to.equal(403);
    expect(truth().processes.size).to.equal(0);

    for (const [type, process] of [
      ["installRuntime", "container-runtime"],
      ["installKubelet", "kubelet"],
      ["installKubeProxy", "kube-proxy"],
    ] as const) {
      const r = await setup(solo, type);
      expect(r.code, r.message).to.equal(200);
      await until(() => truth().installing === process, 5000, `${process} installing`);
      await until(() => truth().processes.get(process) === true, 20_000, `${process} installed`);
    }
    // cp-2 is down from 0:14 to 0:34: the join, which goes through the API server, waits for it.
    if (st(solo).time < 33_000) {
      const early = await setup(solo, "joinCluster");
      expect(early.code, early.message).to.equal(503);
      expect(early.message).to.match(/could not join: etcd has lost quorum/);
    }
    await until(() => st(solo).time > 35_000, 30_000, "cp-2 back");
    const joined = await setup(solo, "joinCluster");
    expect(joined.code, joined.message).to.equal(201);
    await until(() => truth().joined === true, 5000, "joined");
    await until(() => st(solo).nodes.get("node-3").ready === "True", 20_000, "node-3 Ready");
    const line = [...st(solo).apiLog].find((l: any) => l.path === "/api/v1/nodes" && l.user === "system:node:node-3");
    expect(line, "the join's registration in the API log").to.include({ verb: "POST", code: 201, actor: "Ada" });
    await solo.room.leave();
  });
});

describe("join-a-node's checkpoints (session)", () => {
  it("stop the game at 2 s (which three processes?) and when node-3 registers, NotReady (what does the scheduler do?)", () => {
    const s = new GameSession({ mode: "workshop", scenario: "join-a-node", difficulty: "normal", seed: 7, questions: true });
    s.join("h", "Host", { host: true, now: 0 });
    s.start("h");
    s.start("h");
    const stops: string[] = [];
    for (let i = 0; i < 120 && stops.length < 2; i++) {
      s.advance(1000);
      if (s.phase !== "paused") continue;
      stops.push(`${s.quiz.open?.checkpoint} ${s.sim.state.nodes.get("node-3")?.status.ready ?? "none"}`);
      expect(revealAnswer(s, "h").ok).to.equal(true);
      expect(s.resume("h").ok).to.equal(true);
    }
    expect(stops).to.deep.equal(["jn-cp-bare none", "jn-cp-registered False"]);
  });
});
