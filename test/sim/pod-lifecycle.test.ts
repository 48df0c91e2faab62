import { expect } from "chai";
import { IMAGE_PULL_MS, BACKOFF_BASE_MS } from "../../shared/sim/tuning.ts";
import { backoffMs } from "../../shared/sim/world/nodeAgent.ts";
import { newSim, pod, podsOn, sitDown, stepUntil } from "./support.ts";

/** A first-pod game where a human plays the controller manager, the scheduler and node-1's kubelet. */
function handPlayed() {
  const sim = newSim("first-pod");
  const cm = sitDown(sim, "controller-manager");
  const sched = sitDown(sim, "scheduler");
  const kubelet = sitDown(sim, "kubelet:node-1");
  const created = sim.request(cm, { type: "createPod", deployment: "web" });
  expect(created.code).to.equal(201);
  const name = [...sim.state.pods.keys()][0];
  return { sim, cm, sched, kubelet, name };
}

describe("pod lifecycle", () => {
  it("a new pod is Pending with no node", () => {
    const { sim, name } = handPlayed();
    expect(pod(sim, name).status.phase).to.equal("Pending");
    expect(pod(sim, name).spec.nodeName).to.equal("");
    expect(name).to.match(/^web-[a-z0-9]{5}$/);
  });

  it("binding makes it Scheduled on the node, and it waits there for the kubelet", () => {
    const { sim, sched, name } = handPlayed();
    expect(sim.request(sched, { type: "bind", pod: name, node: "node-1" }).code).to.equal(201);
    for (let i = 0; i < 50; i++) sim.step();
    expect(pod(sim, name).status.phase).to.equal("Scheduled");
    expect(pod(sim, name).spec.nodeName).to.equal("node-1");
    expect([...sim.state.events.values()].some((e) => e.reason === "Scheduled" && e.involvedObject.name === name)).to.equal(true);
  });

  it("admission starts ContainerCreating: the image is pulled, then the container starts and the pod is Running and ready", () => {
    const { sim, sched, kubelet, name } = handPlayed();
    sim.request(sched, { type: "bind", pod: name, node: "node-1" });
    expect(sim.request(kubelet, { type: "admit", pod: name }).ok).to.equal(true);
    sim.step();
    expect(pod(sim, name).status.phase).to.equal("ContainerCreating");
    expect(pod(sim, name).status.message).to.match(/Pulling image "nginx:1.27"/);
    expect(pod(sim, name).status.podIP).to.match(/^10\.244\.\d+\.\d+$/);
    const admittedAt = sim.now;
    stepUntil(sim, () => pod(sim, name).status.ready, 100, "pod ready");
    const startup = sim.scenario.deployments[0].startupSec * 1000;
    expect(sim.now - admittedAt).to.be.at.least(IMAGE_PULL_MS + startup - 200);
    expect(pod(sim, name).status.phase).to.equal("Running");
  });

  it("a second pod of the same image on the node skips the pull", () => {
    const { sim, sched, kubelet, cm, name } = handPlayed();
    sim.request(sched, { type: "bind", pod: name, node: "node-1" });
    sim.request(kubelet, { type: "admit", pod: name });
    stepUntil(sim, () => pod(sim, name).status.ready, 100);
    sim.request(cm, { type: "createPod", deployment: "web" });
    const second = [...sim.state.pods.values()].find((p) => p.status.phase === "Pending")!.metadata.name;
    sim.request(sched, { type: "bind", pod: second, node: "node-1" });
    sim.request(kubelet, { type: "admit", pod: second });
    sim.step();
    expect(pod(sim, second).status.message).to.match(/already present on machine/);
    const t0 = sim.now;
    stepUntil(sim, () => pod(sim, second).status.ready, 100);
    expect(sim.now - t0).to.be.below(IMAGE_PULL_MS + 2000);
  });

  it("a rejected pod is Failed with the reason, and the scheduler's binding counts as rejected", () => {
    const sim = newSim("scale-out", { botsOff: ["kubelet"] });
    const kubelet = sim.tokenFor("kubelet:node-1");
    sim.request(sim.tokenFor("admin"), { type: "scale", deployment: "web", replicas: 8 });
    const cm = sitDown(sim, "controller-manager");
    const sched = sitDown(sim, "scheduler");
    for (let i = 0; i < 4; i++) sim.request(cm, { type: "createPod", deployment: "web" });
    const pending = [...sim.state.pods.values()].filter((p) => p.status.phase === "Pending").map((p) => p.metadata.name);
    for (const p of pending) sim.request(sched, { type: "bind", pod: p, node: "node-1" });
    // node-1 has 2000m CPU for 500m pods: admit while they fit, then one must be rejected.
    let b = "";
    for (const p of pending) {
      if (!sim.request(kubelet, { type: "admit", pod: p }).ok) {
        b = p;
        break;
      }
    }
    expect(b, "a pod that does not fit").to.not.equal("");
    const result = sim.request(kubelet, { type: "reject", pod: b, reason: "OutOfcpu" });
    expect(result.ok, result.message).to.equal(true);
    expect(pod(sim, b).status).to.include({ phase: "Failed", reason: "OutOfcpu" });
    expect(sim.outcome().seats.scheduler.rejectedBindings).to.equal(1);
  });

  it("a crashed container waits out its back-off before the kubelet may restart it, and the wait doubles", () => {
    const sim = newSim("node-down");
    const kubelet = sitDown(sim, "kubelet:node-1");
    const name = podsOn(sim, "node-1")[0].metadata.name;
    sim.inject({ type: "crashContainer", pod: name });
    sim.step();
    expect(pod(sim, name).status).to.include({ ready: false, reason: "Error" });
    const early = sim.request(kubelet, { type: "restart", pod: name });
    expect(early.code).to.equal(422);
    expect(early.message).to.match(/back-off: .* may restart in/);
    stepUntil(sim, () => sim.now >= pod(sim, name).status.restartAfter, 50);
    expect(sim.request(kubelet, { type: "restart", pod: name }).ok).to.equal(true);
    stepUntil(sim, () => pod(sim, name).status.ready, 100, "restarted pod ready");
    expect(pod(sim, name).status.restartCount).to.equal(1);
    // Crash again straight away: the next back-off is twice as long, shown as CrashLoopBackOff.
    sim.inject({ type: "crashContainer", pod: name });
    sim.step();
    expect(pod(sim, name).status.reason).to.equal("CrashLoopBackOff");
    expect(pod(sim, name).status.restartAfter - sim.now).to.be.greaterThan(BACKOFF_BASE_MS);
  });

  it("back-off doubles from 1 s and is capped", () => {
    expect([1, 2, 3, 4, 10].map(backoffMs)).to.deep.equal([1000, 2000, 4000, 8000, 32000]);
  });

  it("a container over its memory limit is OOMKilled and counted against its node's kubelet", () => {
    const sim = newSim("node-down");
    const name = podsOn(sim, "node-2")[0].metadata.name;
    sim.inject({ type: "oomPod", pod: name });
    sim.step();
    expect(pod(sim, name).status.reason).to.equal("OOMKilled");
    expect(sim.outcome().seats.kubelets["node-2"].oomKills).to.equal(1);
    expect([...sim.state.events.values()].some((e) => e.reason === "OOMKilled")).to.equal(true);
  });

  it("the kubelet bot restarts a crashed container by itself", () => {
    const sim = newSim("node-down");
    const name = podsOn(sim, "node-1")[0].metadata.name;
    sim.inject({ type: "crashContainer", pod: name });
    sim.step();
    stepUntil(sim, () => pod(sim, name).status.ready, 100, "bot restart");
    expect(pod(sim, name).status.restartCount).to.equal(1);
  });

  it("deleting a running pod makes it Terminating until its kubelet has stopped the container", () => {
    const sim = newSim("node-down");
    const name = podsOn(sim, "node-1")[0].metadata.name;
    const result = sim.request(sim.tokenFor("admin"), { type: "deletePod", pod: name });
    expect(result.message).to.match(/is terminating/);
    expect(pod(sim, name).status.phase).to.equal("Terminating");
    expect(pod(sim, name).metadata.deletionTimestamp).to.equal(sim.now);
    stepUntil(sim, () => !sim.state.pods.has(name), 30, "pod deleted");
    expect(sim.world.machine("node-1")!.containers.has(name)).to.equal(false);
  });

  it("the controller manager bot replaces a killed pod", () => {
    const sim = newSim("node-down");
    const before = sim.state.podsOf("web").length;
    sim.inject({ type: "killPod", deployment: "web" });
    stepUntil(sim, () => sim.state.podsOf("web").filter((p) => p.status.ready && p.status.phase === "Running").length === before, 200, "replacement ready");
    expect(sim.outcome().seats.controllerManager.replacements).to.be.at.least(1);
  });

  it("evicting under memory pressure fails the pod with Evicted", () => {
    const sim = newSim("noisy-neighbour", { botsOff: ["kubelet"] });
    stepUntil(
      sim,
      () =>
        sim.outcome().oomKills === 0 &&
        sim.world.machine("node-1")!.containers.size > 0 &&
        [...sim.world.machine("node-1")!.containers.values()].reduce((a, c) => a + c.memoryUsage, 0) > 0.86 * 8192,
      1200,
      "memory pressure",
    );
    const batch = podsOn(sim, "node-1").find((p) => p.metadata.name.startsWith("batch"))!.metadata.name;
    const result = sim.request(sim.tokenFor("kubelet:node-1"), { type: "evict", pod: batch });
    expect(result.ok, result.message).to.equal(true);
    expect(pod(sim, batch).status).to.include({ phase: "Failed", reason: "Evicted" });
  });
});
