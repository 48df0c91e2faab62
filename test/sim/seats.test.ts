import { expect } from "chai";
import { parseSeat, seatId, seatRole } from "../../shared/sim/seats.ts";

describe("seat ids", () => {
  const good: [string, ReturnType<typeof parseSeat>][] = [
    ["scheduler", { role: "scheduler" }],
    ["controller-manager", { role: "controller-manager" }],
    ["kubelet:node-2", { role: "kubelet", node: "node-2" }],
    ["kube-proxy:node-10", { role: "kube-proxy", node: "node-10" }],
  ];
  for (const [id, seat] of good) {
    it(`reads ${id} and writes it back the same`, () => {
      expect(parseSeat(id)).to.deep.equal(seat);
      const s = parseSeat(id)!;
      expect(seatId(s.role, s.node)).to.equal(id);
      expect(seatRole(id)).to.equal(s.role);
    });
  }

  for (const bad of ["", "kubelet", "kubelet:", "kube-proxy:a:b", "scheduler:node-1", "admin", "node-agent:node-1", "Kubelet:node-1", ":node-1"]) {
    it(`is not fooled by "${bad}"`, () => {
      expect(parseSeat(bad)).to.equal(undefined);
      expect(seatRole(bad)).to.equal(undefined);
    });
  }
});
