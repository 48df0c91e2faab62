/**
 * A node's state in the map's tooltip (client/src/map/nodeStatus.ts): what the API server knows
 * for a seat that does not see the machine, and where the truth is shown and disagrees, why.
 */
import { expect } from "chai";
import type { MapNode } from "../../client/src/map/ClusterMap.ts";
import { nodeStatusLines, ONLY_KNOWS } from "../../client/src/map/nodeStatus.ts";
import type { State } from "../../client/src/ui/panels/common.ts";
import { machineOf } from "../../client/src/ui/truth.ts";
import type { NodeView } from "../../shared/protocol/state.ts";

const node = (o: Partial<MapNode>): MapNode => ({
  name: "node-2",
  role: "worker",
  ready: "True",
  powered: true,
  processes: {},
  cpuAllocatable: 4000,
  cpuRequested: 0,
  memoryAllocatable: 8192,
  memoryInUse: 0,
  unschedulable: false,
  ...o,
});

describe("a node's state in the map's tooltip", () => {
  const cases: [string, Partial<MapNode>, RegExp[]][] = [
    [
      "unobserved and Ready: as last reported, with the lesson",
      { observed: false, leaseAgeMs: 1000 },
      [/^Ready, as last reported$/, new RegExp(`^${ONLY_KNOWS}`)],
    ],
    ["unobserved, Ready, heartbeat late: says how late", { observed: false, leaseAgeMs: 25_000 }, [/no heartbeat for 25 s/, new RegExp(ONLY_KNOWS)]],
    [
      "marked by the node controller: NotReady and why",
      { observed: false, ready: "Unknown", readyReason: "NodeStatusUnknown", leaseAgeMs: 40_000 },
      [/^NotReady: no heartbeat for 40 s$/],
    ],
    [
      "a bare server, unobserved: not in the cluster yet, and why no pod goes there",
      { observed: false, joined: false, ready: "Unknown", readyReason: "NotRegistered" },
      [/^a bare server, not in the cluster yet: the API server has no Node for it/],
    ],
    [
      "a bare server its kubelet watches: what is installed, or installing",
      { observed: true, joined: false, ready: "Unknown", processes: { "container-runtime": true }, installing: "kubelet" },
      [/not in the cluster yet/, /^installing kubelet$/],
    ],
    ["the kubelet reports a problem: its reason", { observed: false, ready: "False", readyReason: "KubeletNotReady" }, [/^NotReady: KubeletNotReady$/]],
    [
      "the kubelet reports its container runtime down: in words, naming containerd and Docker",
      { observed: false, ready: "False", readyReason: "ContainerRuntimeDown" },
      [/^NotReady: its kubelet reports the container runtime \(containerd or Docker\) down$/],
    ],
    [
      "observed down while the API says Ready: the disagreement, explained",
      { observed: true, powered: false, leaseAgeMs: 12_000 },
      [/really down/, new RegExp(`still says Ready \\(${ONLY_KNOWS}; no heartbeat for 12 s\\)`)],
    ],
    ["observed and up: Ready", { observed: true }, [/^Ready$/]],
  ];
  for (const [what, o, want] of cases)
    it(what, () => {
      const lines = nodeStatusLines(node(o));
      expect(lines.length).to.equal(want.length);
      for (const [i, re] of want.entries()) expect(lines[i]).to.match(re);
    });

  it("never says powered off to a seat that does not see the machine", () => {
    expect(nodeStatusLines(node({ observed: false, powered: false })).join(" ")).to.not.match(/power/);
  });
});

describe("a node's processes as a seat that does not see the machine knows them", () => {
  const view = (readyReason: string) =>
    machineOf({ nodeTruth: new Map() } as unknown as State, { name: "node-1", role: "worker", readyReason } as unknown as NodeView).processes;

  it("a runtime its kubelet reported down is drawn stopped; a silent kubelet or a stopped kube-proxy is not known", () => {
    expect(view("ContainerRuntimeDown")).to.deep.equal({ "container-runtime": false, kubelet: true, "kube-proxy": true });
    expect(view("NodeStatusUnknown")).to.deep.equal({ "container-runtime": true, kubelet: true, "kube-proxy": true });
    expect(view("KubeletReady")).to.deep.equal({ "container-runtime": true, kubelet: true, "kube-proxy": true });
  });
});
