/**
 * kube-system's mirror pods (shared/sim/world/staticPods.ts): each node's kubelet writes one per
 * static pod it runs — the control plane's api-server, etcd, scheduler and controller manager,
 * each worker's kube-proxy — Ready while the game's process runs; a stopped kubelet leaves its
 * mirror pod stale; nothing of the game's own pod logic ever counts them.
 */
import { expect } from "chai";
import { keyOf } from "../../shared/sim/objects/keys.ts";
import { SYSTEM_NAMESPACE } from "../../shared/sim/objects/types.ts";
import { Simulation } from "../../shared/sim/Simulation.ts";
import { tickFigures } from "../../shared/sim/scoring/tickFigures.ts";
import { MIRROR_ANNOTATION } from "../../shared/sim/world/staticPods.ts";
import { newSim, pendingPods, stepUntil } from "./support.ts";

const mirror = (sim: Simulation, name: string) => {
  const p = sim.state.mirrorPods.get(name);
  if (!p) throw new Error(`no mirror pod ${name}`);
  return p;
};
const isMirrorKey = (key: string) => key.startsWith(`/registry/pods/${SYSTEM_NAMESPACE}/`);
const inject = (sim: Simulation, type: "stopProcess" | "startProcess", node: string, process: string) => {
  const r = sim.inject({ type, node, process });
  expect(r.ok, r.message).to.equal(true);
};

describe("kube-system: the kubelets' mirror pods of the static pods", () => {
  it("appear at start: the control plane's four per control-plane node and a kube-proxy per worker, as kubeadm labels them", () => {
    const sim = newSim("control-plane-ha");
    const changes = sim.drainChanges();
    sim.step();
    const names = [...sim.state.mirrorPods.keys()].sort();
    const control = ["cp-1", "cp-2", "cp-3"].flatMap((n) => ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"].map((c) => `${c}-${n}`));
    expect(names).to.deep.equal([...control, "kube-proxy-node-1", "kube-proxy-node-2", "kube-proxy-node-3"].sort());
    expect(
      changes.some((c) => isMirrorKey(c.key)),
      "written by the kubelets once they run, not by the bootstrap",
    ).to.equal(false);
    const written = sim.drainChanges().filter((c) => isMirrorKey(c.key));
    expect(written.map((c) => c.key)).to.include(keyOf("Pod", "etcd-cp-1", SYSTEM_NAMESPACE));
    const etcd = mirror(sim, "etcd-cp-1");
    expect(etcd.metadata.namespace).to.equal(SYSTEM_NAMESPACE);
    expect(etcd.metadata.labels).to.deep.equal({ component: "etcd", tier: "control-plane" });
    expect(etcd.metadata.annotations?.[MIRROR_ANNOTATION]).to.match(/^[0-9a-f]{32}$/);
    expect(etcd.spec.nodeName).to.equal("cp-1");
    expect(etcd.status).to.include({ phase: "Running", ready: true, reason: "", restartCount: 0 });
    expect(mirror(sim, "kube-proxy-node-2").metadata.labels).to.deep.equal({ "k8s-app": "kube-proxy" });
    // Each is the node's kubelet's own write, through the API server.
    const entry = sim.api.recentAudit().find((a) => a.type === "createMirrorPod" && a.path.endsWith("/kube-system/pods") && a.user === "system:node:cp-2");
    expect(entry).to.include({ verb: "POST", code: 201 });
  });

  it("follow a stopped and a started process: etcd on cp-2 goes not ready (CrashLoopBackOff) and back; a stopped kube-proxy too", () => {
    const sim = newSim("control-plane-ha");
    sim.run(5);
    inject(sim, "stopProcess", "cp-2", "etcd");
    sim.step();
    expect(mirror(sim, "etcd-cp-2").status).to.include({ phase: "Running", ready: false, reason: "CrashLoopBackOff", restartCount: 1 });
    expect(mirror(sim, "etcd-cp-1").status.ready).to.equal(true);
    const patch = sim.api.recentAudit().findLast((a) => a.type === "reportMirrorPod")!;
    expect(patch).to.include({ verb: "PATCH", path: "/api/v1/namespaces/kube-system/pods/etcd-cp-2/status", user: "system:node:cp-2", code: 200 });
    inject(sim, "startProcess", "cp-2", "etcd");
    sim.step();
    expect(mirror(sim, "etcd-cp-2").status).to.include({ ready: true, reason: "", restartCount: 1 });
    expect(mirror(sim, "etcd-cp-2").status.startedAt).to.equal(sim.now);

    inject(sim, "stopProcess", "node-1", "kube-proxy");
    sim.step();
    expect(mirror(sim, "kube-proxy-node-1").status).to.include({ ready: false, reason: "CrashLoopBackOff" });
    inject(sim, "stopProcess", "cp-1", "api-server");
    sim.step();
    expect(mirror(sim, "kube-apiserver-cp-1").status.ready, "written through another api-server").to.equal(false);
  });

  it("stay stale while the node's kubelet is stopped, and catch up when it runs again", () => {
    const sim = newSim("control-plane-ha");
    sim.run(5);
    inject(sim, "stopProcess", "node-2", "kubelet");
    inject(sim, "stopProcess", "node-2", "kube-proxy");
    sim.run(50);
    expect(mirror(sim, "kube-proxy-node-2").status.ready, "nobody reports it").to.equal(true);
    inject(sim, "startProcess", "node-2", "kubelet");
    sim.step();
    expect(mirror(sim, "kube-proxy-node-2").status.ready).to.equal(false);
  });

  it("are written only when something changes, and a refusal is retried once a second, not every tick", () => {
    const sim = newSim("etcd-quorum");
    sim.run(10);
    sim.drainChanges();
    sim.run(300);
    expect(sim.drainChanges().filter((c) => isMirrorKey(c.key))).to.have.length(0);
    // Two members: etcd on cp-2 stopping takes the quorum with it, so nothing can be written.
    inject(sim, "stopProcess", "cp-2", "etcd");
    const from = sim.now;
    sim.run(50);
    expect(mirror(sim, "etcd-cp-2").status.ready, "stale: etcd cannot store the change").to.equal(true);
    const refused = sim.api.recentAudit().filter((a) => a.type === "reportMirrorPod" && a.time > from);
    expect(refused.length).to.be.within(1, 6);
    for (const a of refused) expect(a.code).to.equal(503);
    inject(sim, "startProcess", "cp-2", "etcd");
    sim.run(20);
    expect(mirror(sim, "etcd-cp-2").status).to.include({ ready: true, restartCount: 0 });
  });

  it("never enter the game's own pod logic: pods, nodes' pod lists, deployments, endpoints, the pending list, the score's figures", () => {
    const sim = newSim("node-down");
    sim.run(20);
    inject(sim, "stopProcess", "node-1", "kube-proxy");
    sim.run(20);
    expect(sim.state.mirrorPods.size).to.equal(2 * 4 + 3);
    for (const p of sim.state.pods.values()) expect(p.metadata.namespace).to.not.equal(SYSTEM_NAMESPACE);
    for (const n of sim.state.nodes.keys()) for (const p of sim.state.podsOnNode(n)) expect(p.metadata.namespace, n).to.not.equal(SYSTEM_NAMESPACE);
    for (const d of sim.state.deployments.values()) expect(d.status.replicas).to.equal(sim.state.podsOf(d.metadata.name).length);
    for (const ep of sim.state.endpoints.values()) for (const a of ep.addresses) expect(sim.state.mirrorPods.has(a.pod)).to.equal(false);
    expect(pendingPods(sim)).to.have.length(0);
    expect(tickFigures(sim.state, (pod, node) => sim.isServing(pod, node)).pending).to.equal(0);
    // The scheduler may not bind them, nor anyone touch them as the game's pods.
    const bind = sim.request(sim.tokenFor("scheduler"), { type: "bind", pod: "etcd-cp-1", node: "node-1" });
    expect(bind.code).to.equal(404);
  });

  it("a bare server has none until it joins; a removed control-plane node's are garbage-collected", () => {
    const sim = newSim("join-a-node");
    sim.run(5);
    expect(sim.state.mirrorPods.has("kube-proxy-node-3")).to.equal(false);
    stepUntil(sim, () => sim.state.mirrorPods.has("kube-proxy-node-3"), 3000, "node-3 joined and its kube-proxy reported");

    const ha = newSim("control-plane-ha");
    ha.run(5);
    const r = ha.inject({ type: "removeControlPlane", node: "cp-3" });
    expect(r.ok, r.message).to.equal(true);
    stepUntil(ha, () => ![...ha.state.mirrorPods.values()].some((p) => p.spec.nodeName === "cp-3"), 100, "cp-3's mirror pods collected");
    expect(ha.api.recentAudit().some((a) => a.type === "gcPod" && a.path === "/api/v1/namespaces/kube-system/pods/etcd-cp-3" && a.code === 200)).to.equal(true);
  });

  it("survive a save and a resume, in their own place", () => {
    const sim = newSim("control-plane-ha");
    sim.run(5);
    inject(sim, "stopProcess", "cp-1", "scheduler");
    sim.run(5);
    const resumed = Simulation.restore(JSON.parse(JSON.stringify(sim.snapshot())));
    expect([...resumed.state.mirrorPods.keys()]).to.deep.equal([...sim.state.mirrorPods.keys()]);
    expect(resumed.state.pods.size).to.equal(sim.state.pods.size);
    expect(resumed.state.mirrorPods.get("kube-scheduler-cp-1")!.status.ready).to.equal(false);
  });
});
