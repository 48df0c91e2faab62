/**
 * Every concept taught: each scenario's `teaches` declaration holds against the scenario (the
 * declared action is made by that seat's role in a bot-played game, the failure is one of its
 * events or a seat it is made for, the phrase is in the named player-facing text), the scenarios
 * together cover all 24 concepts in all three ways, and docs/CONCEPTS.md is the current table.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { isBotActor } from "../../shared/sim/api/ApiServer.ts";
import { listScenarios, type Scenario } from "../../shared/sim/scenarios/index.ts";
import { Simulation } from "../../shared/sim/Simulation.ts";
import { CONCEPT_IDS, CONCEPTS } from "../../shared/teaching/concepts.ts";
import { conceptCoverage, coverageGaps, renderConceptsDoc } from "../../shared/teaching/coverage.ts";
import { questionOf } from "../../server/teaching/questions.ts";

/** The player-facing text a `told` location names, or undefined when there is none. */
function textAt(s: Scenario, where: string): string | undefined {
  if (where === "intro") return s.intro;
  if (where === "debrief") return s.debrief;
  if (where.startsWith("hint:")) return (s.hints as Record<string, string>)[where.slice(5)];
  if (where.startsWith("question:")) {
    const q = questionOf(s.id, where.slice(9));
    return q && `${q.text}\n${q.explain}`;
  }
  return undefined;
}

/** The seat role behind an API user name (system:kube-scheduler, kubelet/node-1, …). */
function roleOfUser(user: string): string | undefined {
  if (user === "system:kube-scheduler") return "scheduler";
  if (user === "system:kube-controller-manager") return "controller-manager";
  if (user.startsWith("kubelet/")) return "kubelet";
  if (user.startsWith("kube-proxy/")) return "kube-proxy";
  return undefined;
}

/** "role:action" for every request a seat's bot made and the API server accepted (or setup step it took), until `wanted` are all seen. */
function botActions(s: Scenario, wanted: ReadonlySet<string>): Set<string> {
  const sim = new Simulation({ scenario: s.id, seed: 1 });
  const seen = new Set<string>();
  let answered = sim.api.requestCount;
  while (!sim.isOver() && [...wanted].some((w) => !seen.has(w))) {
    sim.step();
    const fresh = sim.api.requestCount - answered;
    answered = sim.api.requestCount;
    // A bare server's setup steps are seat actions too, kept in the machines' log, not the API server's.
    for (const e of [...sim.api.recentAudit(fresh), ...sim.setupLog.entries]) {
      const role = roleOfUser(e.user);
      if (role && isBotActor(e.actor) && e.code < 300) seen.add(`${role}:${e.type}`);
    }
  }
  return seen;
}

describe("every concept taught", function () {
  this.timeout(120_000);
  const scenarios = listScenarios();

  for (const s of scenarios) {
    const declared = Object.entries(s.teaches);
    if (declared.length === 0) continue;
    describe(`${s.id}'s teaches declaration`, () => {
      it("tells each concept in a phrase that is in the named text", () => {
        for (const [id, t] of declared) {
          for (const told of t?.told ?? []) {
            const text = textAt(s, told.in);
            expect(text, `${id}: ${s.id} has no text at ${told.in}`).to.be.a("string");
            expect(text?.toLowerCase(), `${id}: ${told.in} of ${s.id}`).to.include(told.says.toLowerCase());
          }
        }
      });

      it("sees each failure in one of its events, or with a seat it is made for idle", () => {
        for (const [id, t] of declared) {
          const when = t?.seesFail?.when;
          if (!when) continue;
          if (when.startsWith("idle:")) expect(s.seats, `${id}: ${when}`).to.include(when.slice(5));
          else
            expect(
              s.events.some((e) => e.label?.includes(when)),
              `${id}: no event of ${s.id} is labelled "…${when}…"`,
            ).to.equal(true);
        }
      });

      it("makes each declared action from that seat in a game played by its bots", () => {
        const wanted = new Set(declared.flatMap(([, t]) => (t?.does ?? []).map((d) => `${d.seat}:${d.action}`)));
        if (wanted.size === 0) return;
        const seen = botActions(s, wanted);
        expect(
          [...wanted].filter((w) => !seen.has(w)),
          `actions never made in ${s.id}`,
        ).to.deep.equal([]);
      });
    });
  }

  it("has 24 concepts with unique ids", () => {
    expect(CONCEPTS).to.have.length(24);
    expect(new Set(CONCEPT_IDS).size).to.equal(24);
  });

  it("covers all 24 concepts: each is done, seen failing and told in some scenario", () => {
    expect(coverageGaps(conceptCoverage(scenarios))).to.deep.equal([]);
  });

  it("docs/CONCEPTS.md is the current table (regenerate: npm run -s sim -- --concepts > docs/CONCEPTS.md)", () => {
    expect(readFileSync("docs/CONCEPTS.md", "utf8")).to.equal(renderConceptsDoc(conceptCoverage(scenarios)));
  });
});
