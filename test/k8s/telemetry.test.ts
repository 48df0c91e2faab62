/**
 * What kubectl top and kubectl logs are made of: the usage report and the pod log built from a
 * simulation (deterministic, bounded), the served-request tally they read, and their HTTP
 * routes (discovery of metrics.k8s.io, NodeMetrics and PodMetrics, pods/log as text, the
 * refusals worded as a real API server's).
 */
import { expect } from "chai";
import { Simulation } from "../../shared/sim/Simulation.ts";
import { countServed, SERVED_INTERVAL_MS, SERVED_INTERVALS_KEPT, type Container } from "../../shared/sim/world/Machine.ts";
import { IDLE_CPU_SHARE, usageReport } from "../../server/k8s/usage.ts";
import { logLines, podLog } from "../../server/k8s/podLogs.ts";
import { gameServer, runningWorkshop, type Joined } from "../support/gameServer.ts";

type Any = Record<string, any>;

const sim = (seconds: number) => {
  const s = new Simulation({ scenario: "free-play", seed: 7 });
  s.run(seconds * 10);
  return s;
};
const running = (s: Simulation) => [...s.state.pods.values()].filter((p) => p.status.ready);
const containerOf = (s: Simulation, pod: string) => {
  const p = s.state.pods.get(pod)!;
  return s.world.machine(p.spec.nodeName)!.containers.get(pod)!;
};

describe("kubectl top and logs: what the room builds", () => {
  it("the usage report: every node and running pod, memory as the simulation has it, CPU by load; the same game gives the same report", () => {
    const a = sim(30);
    const r = usageReport(a.state, a.world, a.now);
    expect(r.nodes.map((n) => n.name)).to.deep.equal([...a.state.nodes.keys()].sort());
    expect(r.pods.map((p) => p.name).sort()).to.deep.equal(
      running(a)
        .map((p) => p.metadata.name)
        .sort(),
    );
    for (const p of r.pods) {
      const pod = a.state.pods.get(p.name)!;
      expect(p.memory).to.equal(Math.round(containerOf(a, p.name).memoryUsage));
      expect(p.cpu).to.be.within(Math.round(pod.spec.requests.cpu * IDLE_CPU_SHARE), pod.spec.requests.cpu);
    }
    // Serving pods use more than their idle share: traffic is what their CPU is made of.
    expect(r.pods.some((p) => p.cpu > a.state.pods.get(p.name)!.spec.requests.cpu * IDLE_CPU_SHARE + 1)).to.equal(true);
    const b = sim(30);
    expect(usageReport(b.state, b.world, b.now)).to.deep.equal(r);
  });

  it("a node whose kubelet is stopped is not reported, nor its pods (metrics-server cannot scrape it)", () => {
    const s = sim(10);
    const node = s.world.workers()[0].name;
    expect(s.inject({ type: "stopProcess", node, process: "kubelet" }).ok).to.equal(true);
    const r = usageReport(s.state, s.world, s.now);
    expect(r.nodes.map((n) => n.name)).to.not.include(node);
    expect(r.pods.filter((p) => s.state.pods.get(p.name)!.spec.nodeName === node)).to.deep.equal([]);
  });

  it("the served tally keeps SERVED_INTERVALS_KEPT intervals and sums the rest, and starts again with a new run", () => {
    const c = { since: 5_000 } as Container;
    for (let i = 0; i < 100; i++) countServed(c, 5_000 + i * SERVED_INTERVAL_MS);
    expect(c.served!.counts).to.have.length(SERVED_INTERVALS_KEPT);
    expect(c.served!.earlier + c.served!.counts.reduce((x, y) => x + y, 0)).to.equal(100);
    c.since = 2_000_000;
    countServed(c, 2_000_001);
    expect(c.served).to.deep.equal({ run: 2_000_000, first: 0, counts: [1], earlier: 0 });
  });

  it("the log: start-up, one access line per whole 10 s served, the same for the same game; bounded however long the pod runs", () => {
    const s = sim(35);
    const pod = running(s)[0];
    const lines = logLines(pod, containerOf(s, pod.metadata.name), s.now);
    expect(lines[0].text).to.match(/starting; start-up takes/);
    expect(lines.filter((l) => /"GET \/ HTTP\/1.1" 200/.test(l.text)).length).to.equal(
      Math.floor((s.now - containerOf(s, pod.metadata.name).since) / SERVED_INTERVAL_MS),
    );
    const served = lines.at(-1)!.text.match(/(\d+) since start/)![1];
    expect(Number(served)).to.be.above(0);
    const again = sim(35);
    expect(logLines(again.state.pods.get(pod.metadata.name)!, containerOf(again, pod.metadata.name), again.now)).to.deep.equal(lines);
    // Ten hours on: the kept intervals and a line for what came before them.
    const long = logLines(pod, containerOf(s, pod.metadata.name), s.now + 36_000_000);
    expect(long.length).to.be.at.most(SERVED_INTERVALS_KEPT + 5);
    expect(long.some((l) => /requests served before this point/.test(l.text))).to.equal(true);
  });

  it("the log after an OOM kill ends with the kill and its memory figure; refusals as the API server words them", () => {
    const s = sim(10);
    const pod = running(s)[0].metadata.name;
    expect(s.inject({ type: "oomPod", pod }).ok).to.equal(true);
    const log = podLog(s.state, s.world, s.now, "default", pod);
    expect(log.ok && log.lines.at(-1)!.text).to.match(/OOMKilled\) using \d+ MiB of memory \(limit \d+ MiB\); exit code 137/);
    expect(podLog(s.state, s.world, s.now, "default", "nope")).to.include({ code: 404, message: 'pods "nope" not found' });
    expect(podLog(s.state, s.world, s.now, "kube-system", pod)).to.include({ code: 404 });
    expect(podLog(s.state, s.world, s.now, "default", pod, { previous: true })).to.include({ code: 400 });
    expect(podLog(s.state, s.world, s.now, "default", pod, { container: "other" })).to.include({ code: 400 });
    // A pod not started yet: waiting to start.
    expect(s.inject({ type: "scaleDeployment", deployment: "web", replicas: 12 }).ok).to.equal(true);
    const waiting = () => [...s.state.pods.values()].find((p) => p.status.startedAt < 0 && p.spec.nodeName);
    for (let i = 0; i < 100 && !waiting(); i++) s.step();
    const w = podLog(s.state, s.world, s.now, "default", waiting()!.metadata.name);
    expect(w).to.include({ code: 400 });
    expect(!w.ok && w.message).to.match(new RegExp(`^container "web" in pod "${waiting()!.metadata.name}" is waiting to start: `));
    const unbound = [...s.state.pods.values()].find((p) => !p.spec.nodeName);
    if (unbound)
      expect(podLog(s.state, s.world, s.now, "default", unbound.metadata.name)).to.include({
        code: 400,
        message: `pod ${unbound.metadata.name} does not have a host assigned`,
      });
  });
});

describe("kubectl top and logs over HTTP", function () {
  this.timeout(60_000);
  let host: Joined;
  let student: Joined;
  const get = async (path: string, token?: string) => {
    const { port } = await gameServer();
    const res = await fetch(`http://127.0.0.1:${port}/k8s/${host.welcome.pin}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    return { status: res.status, type: res.headers.get("content-type") ?? "", text: await res.text() };
  };
  const token = () => (student.welcome as { apiToken?: string }).apiToken!;

  before(async () => ({ host, student } = await runningWorkshop("free-play")));
  after(async () => {
    await student.room.leave();
    await host.room.leave();
  });

  it("discovery serves metrics.k8s.io/v1beta1 with nodes and pods, and pods/log", async () => {
    const groups = JSON.parse((await get("/apis")).text) as Any;
    expect(groups.groups.map((g: Any) => g.preferredVersion.groupVersion)).to.include("metrics.k8s.io/v1beta1");
    const list = JSON.parse((await get("/apis/metrics.k8s.io/v1beta1")).text) as Any;
    expect(list.resources.map((r: Any) => `${r.name}:${r.kind}:${r.namespaced}`)).to.deep.equal(["nodes:NodeMetrics:false", "pods:PodMetrics:true"]);
    const core = JSON.parse((await get("/api/v1")).text) as Any;
    expect(core.resources.find((r: Any) => r.name === "pods/log")?.verbs).to.deep.equal(["get"]);
  });

  it("NodeMetrics and PodMetrics, list and get, for any player; a stranger is refused", async () => {
    const nodes = JSON.parse((await get("/apis/metrics.k8s.io/v1beta1/nodes", token())).text) as Any;
    expect(nodes.kind).to.equal("NodeMetricsList");
    expect(nodes.items[0]).to.include.keys("metadata", "timestamp", "window", "usage");
    expect(nodes.items[0].usage.cpu).to.match(/^\d+m$/);
    for (let i = 0; i < 40 && JSON.parse((await get("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods", token())).text).items.length === 0; i++)
      await new Promise((r) => setTimeout(r, 500));
    const pods = JSON.parse((await get("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods", token())).text) as Any;
    const name = pods.items[0].metadata.name;
    const one = JSON.parse((await get(`/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/${name}`, token())).text) as Any;
    expect(one.kind).to.equal("PodMetrics");
    expect(one.containers[0].usage.memory).to.match(/^\d+Mi$/);
    const none = await get("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/nope", token());
    expect(none.status).to.equal(404);
    expect(JSON.parse(none.text).message).to.equal('podmetrics.metrics.k8s.io "nope" not found');
    expect((await get("/apis/metrics.k8s.io/v1beta1/nodes")).status).to.equal(401);
    expect((await get("/apis/metrics.k8s.io/v1beta1/namespaces/nowhere/pods", token())).status).to.equal(404);
  });

  it("metrics by label and field selector (kubectl top -l), the labels on each metric; an unknown field is a 400", async () => {
    const list = async (query: string) => JSON.parse((await get(`/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?${query}`, token())).text) as Any;
    for (let i = 0; i < 40 && (await list("labelSelector=app%3Dapi")).items.length === 0; i++) await new Promise((r) => setTimeout(r, 500));
    const all = (await list("")).items as Any[];
    const api = (await list("labelSelector=app%3Dapi")).items as Any[];
    expect(api.length).to.be.greaterThan(0);
    expect(api.map((m) => m.metadata.name)).to.deep.equal(all.filter((m) => m.metadata.labels?.app === "api").map((m) => m.metadata.name));
    for (const m of api) expect(m.metadata.labels).to.include({ app: "api" });
    expect(all.some((m) => m.metadata.labels?.app === "web")).to.equal(true);
    const notApi = (await list("labelSelector=app%21%3Dapi")).items as Any[];
    expect(notApi.length + api.length).to.equal(all.length);
    const one = (await list(`fieldSelector=metadata.name%3D${api[0].metadata.name}`)).items as Any[];
    expect(one.map((m) => m.metadata.name)).to.deep.equal([api[0].metadata.name]);
    const bad = await get("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?fieldSelector=spec.nodeName%3Dnode-1", token());
    expect(bad.status).to.equal(400);
    expect(JSON.parse(bad.text).message).to.match(/"spec.nodeName" is not a known field selector/);
    const nodes = JSON.parse((await get("/apis/metrics.k8s.io/v1beta1/nodes", token())).text).items as Any[];
    const host = nodes[0].metadata.labels["kubernetes.io/hostname"];
    expect(host, "a node's labels on its metrics").to.be.a("string");
    const byHost = JSON.parse((await get(`/apis/metrics.k8s.io/v1beta1/nodes?labelSelector=kubernetes.io%2Fhostname%3D${host}`, token())).text).items as Any[];
    expect(byHost.map((m) => m.metadata.name)).to.deep.equal([nodes[0].metadata.name]);
  });

  it("pods/log: the log as text, tailLines honoured, bad numbers and unknown pods refused as Status", async () => {
    const pods = JSON.parse((await get("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods", token())).text) as Any;
    const name = pods.items[0].metadata.name;
    const log = await get(`/api/v1/namespaces/default/pods/${name}/log`, token());
    expect(log.status).to.equal(200);
    expect(log.type).to.match(/^text\/plain/);
    expect(log.text).to.match(/\[notice\] 1#1: listening on/);
    const tail = await get(`/api/v1/namespaces/default/pods/${name}/log?tailLines=1`, token());
    expect(tail.text.split("\n").filter(Boolean)).to.have.length(1);
    expect((await get(`/api/v1/namespaces/default/pods/${name}/log?tailLines=x`, token())).status).to.equal(400);
    const missing = await get("/api/v1/namespaces/default/pods/nope/log", token());
    expect(missing.status).to.equal(404);
    expect(JSON.parse(missing.text)).to.include({ kind: "Status", reason: "NotFound", message: 'pods "nope" not found' });
  });
});
