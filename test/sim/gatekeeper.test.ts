/**
 * The gatekeeper scenario and its outsiders: each outsider's request is turned away at its own
 * check of the API server (401 identity, 403 permission, 422 validation) and changes nothing,
 * while the crew's own requests grow the cluster; the game is the same every time it is played.
 */
import { expect } from "chai";
import type { AuditEntry } from "../../shared/sim/api/ApiServer.ts";
import { OUTSIDER_ACTOR } from "../../shared/sim/failures/outsider.ts";
import { isActivePod } from "../../shared/sim/objects/types.ts";
import { Simulation } from "../../shared/sim/Simulation.ts";
import { newSim, stepUntil } from "./support.ts";

const outsiders = (sim: Simulation): AuditEntry[] => sim.api.recentAudit().filter((e) => e.actor === OUTSIDER_ACTOR);

describe("the gatekeeper scenario", () => {
  it("turns each outsider away at its own check, at the scripted moment, and stores nothing for it", () => {
    const sim = new Simulation({ scenario: "gatekeeper", seed: 1 });
    const seen: AuditEntry[] = [];
    const pods = () => [...sim.state.pods.keys()].sort().join(",");
    for (const atSec of [35, 60, 105]) {
      stepUntil(sim, () => sim.now >= atSec * 1000 - 100, 2000, `t=${atSec - 0.1} s`);
      const before = { pods: pods(), web: sim.state.deployments.get("web")!.spec.replicas };
      sim.step();
      const fresh = outsiders(sim).filter((e) => e.time === sim.now);
      expect(fresh, `an outsider at ${atSec} s`).to.have.length(1);
      seen.push(fresh[0]);
      // The outsider changed nothing (a bot may have acted in the same tick, but only as it would have anyway).
      expect(sim.state.deployments.get("web")!.spec.replicas).to.equal(before.web);
      if (atSec === 105) expect(sim.state.podsOf("api").filter(isActivePod)).to.have.length(2);
      expect(pods().split(",").length).to.be.at.least(before.pods.split(",").length);
    }
    expect(seen.map((e) => [e.code, e.refusedAt, e.user, e.writes])).to.deep.equal([
      [401, "identity", "anonymous", 0],
      [403, "permission", "system:node:node-1", 0],
      [422, "validation", "admin", 0],
    ]);
    expect(seen[0]).to.include({ type: "scale" });
    expect(seen[1].message).to.match(/may only act on its own node node-1, not on pod .*bound to node-[23]/);
    expect(seen[2].message).to.match(/already has 2 of 2 desired replicas/);
  });

  it("puts each outsider on the timeline and in the event log", () => {
    const sim = new Simulation({ scenario: "gatekeeper", seed: 2 });
    sim.run(1100);
    const labels = sim.score.incidents.map((i) => i.label);
    expect(labels).to.include.members([
      "a caller with no credentials tries to scale web to 0 (401)",
      "node-1's kubelet reaches for a pod on another node (403)",
      "an impossible request: one api pod more than api wants (422)",
    ]);
    const events = [...sim.state.events.values()].filter((e) => e.reason === "Failure").map((e) => e.message);
    expect(events.some((m) => m.includes("(403)"))).to.equal(true);
  });

  it("is the same game every time for the same seed", () => {
    const play = () => {
      const sim = new Simulation({ scenario: "gatekeeper", seed: 7 });
      sim.run();
      return { outcome: sim.outcome(), audit: sim.api.recentAudit(50) };
    };
    expect(play()).to.deep.equal(play());
  });

  describe("an outsider's request from the chaos panel", () => {
    it("is refused without calling when nothing would refuse it (an impossible request needs a full deployment)", () => {
      const sim = newSim("first-pod");
      const before = sim.api.requestCount;
      const r = sim.inject({ type: "outsiderRequest", kind: "impossible" });
      expect(r.code).to.equal(422);
      expect(r.message).to.match(/still lacks pods/);
      expect(sim.api.requestCount).to.equal(before);
    });

    it("is sent, turned away and answered with the API server's words", () => {
      const sim = newSim("node-down");
      const r = sim.inject({ type: "outsiderRequest", kind: "wrong-node", node: "node-2" });
      expect(r.ok).to.equal(true);
      expect(r.message).to.match(/^the API server turned it away: 403 system:node:node-2 may only act on its own node/);
      expect(outsiders(sim).at(-1)).to.include({ code: 403, refusedAt: "permission" });
    });
  });
});
