/**
 * The API log names who acted: a bot as the component it plays ("system:kube-scheduler (bot)"),
 * the room's own controllers each as its service account — pods are garbage-collected by the
 * pod garbage collector, not by the endpoints controller.
 */
import { expect } from "chai";
import { isBotActor } from "../../shared/sim/api/ApiServer.ts";
import { newSim } from "./support.ts";

describe("API log names", () => {
  it("a bot's requests name the component it plays, on every tick", () => {
    const sim = newSim("node-down");
    sim.run(900);
    const entries = sim.api.recentAudit();
    const bots = entries.filter((e) => isBotActor(e.actor));
    expect(bots.length).to.be.greaterThan(10);
    for (const e of bots) expect(e.actor).to.equal(`${e.user} (bot)`);
    expect(entries.filter((e) => e.actor === "bot")).to.deep.equal([]);
    const users = new Set(bots.map((e) => e.user));
    expect([...users]).to.include.members(["system:kube-scheduler", "system:kube-controller-manager"]);
    expect([...users].some((u) => u.startsWith("kubelet/"))).to.equal(true);
  });

  it("the pod garbage collector deletes finished pods; the endpoints controller only writes endpoints", () => {
    const sim = newSim("node-down");
    sim.inject({ type: "oomPod", deployment: "web" });
    sim.inject({ type: "crashNode", node: "node-2" });
    sim.run(900);
    const entries = sim.api.recentAudit();
    const gc = entries.filter((e) => e.type === "gcPod");
    expect(gc.length, "garbage-collected pods").to.be.greaterThan(0);
    for (const e of gc) expect(e.user).to.equal("system:serviceaccount:kube-system:pod-garbage-collector");
    for (const e of entries.filter((x) => x.user === "system:serviceaccount:kube-system:endpoint-controller")) expect(e.type).to.equal("updateEndpoints");
    for (const e of entries.filter((x) => x.type === "updateDeploymentStatus"))
      expect(e.user).to.equal("system:serviceaccount:kube-system:deployment-controller");
  });
});
