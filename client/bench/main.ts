/**
 * The map benchmark page (npm run bench:client opens it in Chromium): feeds the ClusterMap a
 * synthetic cluster — 3 control-plane nodes, 17 workers, 200 pods in every phase, one node down,
 * one NotReady, one cordoned, a stopped kubelet — and ~300 requests in flight, five times a
 * second, and exposes the map's frame times. URL parameters change the sizes.
 */
import { encodeTraffic, LOAD_BALANCER, TrafficKind, type TrafficItem } from "../../shared/protocol/trafficSample.ts";
import { ClusterMap, type MapModel, type MapNode, type MapPod } from "../src/map/ClusterMap.ts";

const params = new URLSearchParams(location.search);
const mapEl = document.getElementById("map")!;
if (params.get("w")) Object.assign(mapEl.style, { inset: "auto", left: "0", top: "0", width: `${params.get("w")}px`, height: `${params.get("h")}px` });
const WORKERS = Number(params.get("workers") ?? 17);
const CPS = Number(params.get("cps") ?? 3);
const PODS = Number(params.get("pods") ?? 200);
const SENDS = Number(params.get("sends") ?? 200);

let seed = 12345;
const rnd = () => {
  seed |= 0;
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(a: T[]): T => a[Math.floor(rnd() * a.length)];

const nodes: MapNode[] = [];
for (let i = 1; i <= CPS; i++)
  nodes.push({
    name: `control-plane-${i}`,
    role: "control-plane",
    ready: "True",
    powered: true,
    processes: { "api-server": true, scheduler: true, "controller-manager": true, etcd: true },
    cpuAllocatable: 4000,
    cpuRequested: 0,
    memoryAllocatable: 8192,
    memoryInUse: 2400 + i * 300,
    unschedulable: false,
  });
for (let i = 1; i <= WORKERS; i++)
  nodes.push({
    name: `worker-${i}`,
    role: "worker",
    ready: "True",
    powered: true,
    processes: { "container-runtime": true, kubelet: true, "kube-proxy": true },
    cpuAllocatable: 8000,
    cpuRequested: 0,
    memoryAllocatable: 16384,
    memoryInUse: 0,
    unschedulable: false,
  });
const byName = new Map(nodes.map((n) => [n.name, n]));
const w = (i: number) => byName.get(`worker-${i}`);
if (w(5)) Object.assign(w(5)!, { powered: false, ready: "Unknown", processes: { "container-runtime": false, kubelet: false, "kube-proxy": false } });
if (w(9)) w(9)!.ready = "False";
if (w(12)) w(12)!.unschedulable = true;
if (w(3)) w(3)!.processes.kubelet = false;

const deployments: [string, number, number][] = [
  ["web", 0.3, 250],
  ["api", 0.2, 500],
  ["worker", 0.15, 300],
  ["cache", 0.1, 400],
  ["frontend", 0.1, 200],
  ["batch", 0.1, 350],
  ["db", 0.05, 1000],
];
const workerNames = nodes.filter((n) => n.role === "worker").map((n) => n.name);
const pods: (MapPod & { cpu: number; mem: number })[] = [];
let podSeq = 0;
function newPod(phase?: string): MapPod & { cpu: number; mem: number } {
  let r = rnd();
  let dep = deployments[0];
  for (const d of deployments) {
    if (r < d[1]) {
      dep = d;
      break;
    }
    r -= d[1];
  }
  const ph =
    phase ??
    (() => {
      const x = rnd();
      return x < 0.72
        ? "Running"
        : x < 0.77
          ? "Pending"
          : x < 0.81
            ? "Scheduled"
            : x < 0.86
              ? "ContainerCreating"
              : x < 0.9
                ? "Failed"
                : x < 0.95
                  ? "Terminating"
                  : x < 0.98
                    ? "Succeeded"
                    : "Running";
    })();
  const node = ph === "Pending" ? "" : pick(workerNames);
  return {
    name: `${dep[0]}-${(podSeq++).toString(36).padStart(3, "0")}${Math.floor(rnd() * 1e4).toString(36)}`,
    deployment: dep[0],
    node,
    phase: ph,
    ready: ph === "Running" && rnd() < 0.93,
    serving: false,
    reason: ph === "Failed" ? pick(["CrashLoopBackOff", "OOMKilled", "Error"]) : ph === "Pending" ? "Unschedulable" : "",
    cpu: dep[2],
    mem: dep[2] * 1.5,
  };
}
for (let i = 0; i < PODS; i++) pods.push(newPod());
// Make sure the interesting pods exist: the highlighted one, and pods on the down node.
pods[7].phase = "Running";
pods[7].ready = true;
pods[7].node = "worker-2";
if (params.get("cppods")) {
  for (let i = 20; i < 26; i++) Object.assign(pods[i], { node: `control-plane-${(i % CPS) + 1}`, phase: "Running", ready: true });
  byName.get("control-plane-2")!.processes.scheduler = false;
  byName.get("control-plane-3")!.ready = "False";
}

let time = 0;
let tick = 0;
function model(): MapModel {
  tick++;
  time += 200;
  // Churn: a few pods advance through their lifecycle; now and then one is deleted and one created.
  for (let k = 0; k < 3; k++) {
    const p = pick(pods);
    const next: Record<string, string> = {
      Pending: "Scheduled",
      Scheduled: "ContainerCreating",
      ContainerCreating: "Running",
      Running: "Running",
      Failed: "Terminating",
      Terminating: "Terminating",
      Succeeded: "Succeeded",
    };
    const ph = next[p.phase] ?? "Running";
    if (p.phase === "Pending") p.node = pick(workerNames.filter((n) => n !== "worker-5" && n !== "worker-12"));
    p.phase = ph;
    p.ready = ph === "Running";
    p.reason = "";
  }
  if (tick % 10 === 0) {
    const i = Math.floor(rnd() * pods.length);
    if (i !== 7) pods.splice(i, 1, newPod("Pending"));
  }
  for (const p of pods) p.serving = p.phase === "Running" && p.ready;
  for (const n of nodes) {
    if (n.role !== "worker") continue;
    const mine = pods.filter((p) => p.node === n.name && p.phase !== "Succeeded" && p.phase !== "Failed");
    n.cpuRequested = mine.reduce((s, p) => s + p.cpu, 0);
    n.memoryInUse = n.powered ? Math.round(mine.reduce((s, p) => s + p.mem, 0) * (0.9 + 0.2 * rnd()) + 900) : 0;
  }
  // Traffic: SENDS requests a tick, most served, a few timed out or dropped.
  const serving = pods.filter((p) => p.serving);
  const entries = workerNames.filter((n) => n !== "worker-5");
  const items: TrafficItem[] = [];
  for (let i = 0; i < SENDS && serving.length; i++) {
    const p = pick(serving);
    items.push({ kind: TrafficKind.Send, a: pick(entries), b: p.name });
    const r = rnd();
    if (r < 0.9) items.push({ kind: TrafficKind.Served, a: p.name, b: "" });
    else if (r < 0.95) items.push({ kind: TrafficKind.TimedOut, a: p.name, b: "" });
  }
  const drops: [string, string][] = [
    ["worker-5", "node-down"],
    [LOAD_BALANCER, "no-node"],
    ["worker-9", "no-endpoints"],
    ["worker-3", "no-rule"],
  ];
  for (let i = 0; i < 6; i++) {
    const [a, b] = pick(drops);
    items.push({ kind: TrafficKind.Dropped, a, b });
  }
  // Malformed items and unknown names too: the map must skip them.
  const traffic = `${encodeTraffic(items)};garbage;;nope>;!!;unknown-node>web-1;ghost!s;x!d:bad`;
  return {
    time,
    nodes: nodes.map((n) => ({ ...n, processes: { ...n.processes } })),
    pods: pods.map(({ cpu, mem, ...p }) => ({ ...p })),
    traffic,
    highlight: { pod: pods[7].name, node: params.get("hlnode") ?? "worker-14" },
  };
}

const map = new ClusterMap(mapEl, { renderer: (params.get("renderer") ?? "auto") as "auto" });
const w_ = window as unknown as Record<string, unknown>;
w_.__map = map;
const updTimes: number[] = [];
w_.__updTimes = updTimes;
setInterval(() => {
  const m = model();
  const t0 = performance.now();
  map.update(m);
  updTimes.push(performance.now() - t0);
  if (updTimes.length > 100) updTimes.shift();
}, 200);
