/**
 * A node's state in the map's tooltip (client/src/map/nodeStatus.ts): what the API server knows
 * for a seat that does not see the machine, and where the truth is shown and disagrees, why.
 */
import { expect } from "chai";
import type { MapNode } from "../../client/src/map/ClusterMap.ts";
import { nodeStatusLines, ONLY_KNOWS } from "../../client/src/map/nodeStatus.ts";

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
    ["the kubelet reports a problem: its reason", { observed: false, ready: "False", readyReason: "KubeletNotReady" }, [/^NotReady: KubeletNotReady$/]],
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
