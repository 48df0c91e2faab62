/**
 * One scheduler: the scheduler panel's table and "default pick" (what B binds) and the scheduler
 * bot decide with the same function (shared/sim/bots/scheduling.ts), the panel from the
 * synchronised state and the bot from the simulation. On random games — the property tests'
 * plans (test/sim/properties/), the scheduler bot off so that pods wait while the cluster
 * changes — the room's projection is what the panel reads, and for every pending pod the panel
 * must show the bot's verdicts and default-pick the bot's node.
 * Replay a failure: FC_SEED=<seed> FC_PATH=<path> npm test -- test/client/scheduler-pick.test.ts
 */
import { expect } from "chai";
import fc from "fast-check";
import { defaultPick as panelPick, verdicts } from "../../client/src/ui/panels/scheduler.ts";
import { GameSession } from "../../server/game/GameSession.ts";
import { projectCluster, type LogCursor } from "../../server/room/projection.ts";
import { ClusterRoomState, type PodView } from "../../shared/protocol/state.ts";
import { defaultPick as botPick, nodeSummaries } from "../../shared/sim/bots/nodeSummaries.ts";
import { compareNodeNames, evaluateNodes, pickNode, type NodeSummary, type NodeVerdict } from "../../shared/sim/bots/scheduling.ts";
import type { Simulation } from "../../shared/sim/Simulation.ts";
import { planArb } from "../sim/properties/generators.ts";
import { at, ensure } from "../sim/properties/invariants.ts";
import { play } from "../sim/properties/player.ts";
import { params } from "../sim/properties/settings.ts";

/** The room's projection of a simulation, kept up to date as the room does once per tick. */
class Projected {
  readonly state = new ClusterRoomState();
  private readonly session: GameSession;
  private readonly cursor: LogCursor = { requests: 0, eventRevision: 0 };

  constructor(sim: Simulation) {
    this.session = new GameSession({ mode: "solo", scenario: sim.scenario.id, difficulty: sim.difficulty, seed: sim.seed });
    this.session.sim = sim;
  }

  /** What the scheduler's seat receives: every node, and only the pending pods. */
  seenByScheduler(): { nodes: ClusterRoomState["nodes"]; pods: Map<string, PodView> } {
    projectCluster(this.state, this.session, this.cursor);
    const pending = [...this.state.pods.entries()].filter(([, p]) => p.phase === "Pending");
    return { nodes: this.state.nodes, pods: new Map(pending) };
  }
}

const line = (v: NodeVerdict) => `${v.node}:${v.fits ? v.score : v.reasons.join("/")}`;

/**
 * Compares the panel and the bot on every pod the bot would place now: the same pick, and the
 * same verdict on every node the bot knows (a node the API server does not know yet — a machine
 * still booting — shows in the panel as one that does not fit).
 */
function compare(sim: Simulation, projected: Projected, what: string): number {
  const seen = projected.seenByScheduler();
  let compared = 0;
  for (const pod of sim.state.pods.values()) {
    if (pod.status.phase !== "Pending" || pod.spec.nodeName || pod.metadata.deletionTimestamp !== undefined) continue;
    const view = seen.pods.get(pod.metadata.name);
    ensure(view !== undefined, () => `${at(sim, what)} pending pod ${pod.metadata.name} is not in the scheduler's view`);
    const bot = evaluateNodes(nodeSummaries(sim.state, pod), pod.spec.requests);
    const panel = verdicts(seen, view);
    const tables = () => `\n  panel: ${panel.map(line).join(" ")}\n  bot:   ${bot.map(line).join(" ")}`;
    const pick = panelPick(seen, view);
    ensure(
      pick === botPick(sim.state, pod),
      () => `${at(sim, what)} ${pod.metadata.name}: the panel picks ${pick}, the bot ${botPick(sim.state, pod)}${tables()}`,
    );
    const botSays = new Map(bot.map((v) => [v.node, v]));
    for (const v of panel) {
      const b = botSays.get(v.node);
      const same = b ? line(b) === line(v) && b.siblings === v.siblings : !v.fits;
      ensure(same, () => `${at(sim, what)} ${pod.metadata.name} on ${v.node}: the panel and the bot disagree${tables()}`);
    }
    compared++;
  }
  return compared;
}

/**
 * Any cluster a pod may meet: ready or not, cordoned or not, full or empty, crowded with its
 * siblings or not. Sizes and requests come in steps, as in the scenarios, so scores often tie.
 */
const mostly = fc.constantFrom(true, true, true, false);
const nodeSummary: fc.Arbitrary<NodeSummary> = fc.record({
  name: fc.integer({ min: 1, max: 30 }).map((i) => `node-${i}`),
  ready: mostly,
  schedulable: mostly,
  allocatable: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom({ cpu: 2000, memory: 4096 }, { cpu: 4000, memory: 8192 }) },
    { weight: 1, arbitrary: fc.record({ cpu: fc.integer({ min: 1, max: 8000 }), memory: fc.integer({ min: 1, max: 16_384 }) }) },
  ),
  requested: fc.integer({ min: 0, max: 6 }).map((n) => ({ cpu: n * 500, memory: n * 1024 })),
  siblings: fc.nat(2),
});
const cluster = fc.uniqueArray(nodeSummary, { selector: (n) => n.name, maxLength: 12 });
const podRequests = fc.record({ cpu: fc.integer({ min: 1, max: 2000 }), memory: fc.integer({ min: 1, max: 4096 }) });

describe("one scheduler (the panel's default pick and the scheduler bot)", function () {
  this.timeout(120_000);

  it("picks the same node as the bot for every pending pod of random games", () => {
    let compared = 0;
    fc.assert(
      fc.property(planArb({ minTicks: 60, maxTicks: 300, maxInputs: 30 }), (plan) => {
        let projected: Projected | undefined;
        play(
          { ...plan, botsOff: [...plan.botsOff, "scheduler"] },
          {
            start: (sim) => {
              projected = new Projected(sim);
              compared += compare(sim, projected, "start");
            },
            input: (sim, what) => void (compared += compare(sim, projected!, what)),
            tick: (sim) => void (compared += compare(sim, projected!, "the tick")),
          },
        );
      }),
      params(25),
    );
    expect(compared, "no pending pod was compared: the property tested nothing").to.be.greaterThan(1000);
  });

  it("picks the best-scoring node that fits, whatever order the nodes are listed in", () => {
    fc.assert(
      fc.property(cluster, podRequests, fc.nat(), (nodes, pod, rotation) => {
        const v = evaluateNodes(nodes, pod);
        const pick = pickNode(v);
        const fitting = v.filter((x) => x.fits);
        if (fitting.length === 0) {
          expect(pick).to.equal(undefined);
          return;
        }
        const best = Math.max(...fitting.map((x) => x.score));
        const first = fitting.filter((x) => x.score === best).sort((a, b) => compareNodeNames(a.node, b.node))[0];
        expect(pick).to.equal(first.node);
        const k = rotation % nodes.length;
        expect(pickNode(evaluateNodes([...nodes.slice(k), ...nodes.slice(0, k)].reverse(), pod))).to.equal(pick);
      }),
      params<[NodeSummary[], { cpu: number; memory: number }, number]>(300),
    );
  });

  it("filters out nodes that are NotReady, cordoned or too full, and says why", () => {
    const node = (over: Partial<NodeSummary>): NodeSummary => ({
      name: "node-1",
      ready: true,
      schedulable: true,
      allocatable: { cpu: 1000, memory: 1024 },
      requested: { cpu: 0, memory: 0 },
      siblings: 0,
      ...over,
    });
    const pod = { cpu: 250, memory: 256 };
    const cases: [Partial<NodeSummary>, string[]][] = [
      [{}, []],
      [{ ready: false }, ["NotReady"]],
      [{ schedulable: false }, ["cordoned"]],
      [{ requested: { cpu: 900, memory: 0 } }, ["CPU: needs 250m, 100m free"]],
      [{ requested: { cpu: 0, memory: 1000 } }, ["memory: needs 256Mi, 24Mi free"]],
    ];
    for (const [over, reasons] of cases) {
      const [v] = evaluateNodes([node(over)], pod);
      expect(v.reasons, JSON.stringify(over)).to.deep.equal(reasons);
      expect(v.fits).to.equal(reasons.length === 0);
    }
  });

  it("scores room left and replica spread equally: a roomier node loses to one without a replica yet", () => {
    const node = (name: string, cpu: number, siblings: number): NodeSummary => ({
      name,
      ready: true,
      schedulable: true,
      allocatable: { cpu: 1000, memory: 1000 },
      requested: { cpu, memory: cpu },
      siblings,
    });
    // node-1: 80% left after placing, one replica already (spread 50) → 65; node-2: 50% left, none yet (spread 100) → 75.
    const v = evaluateNodes([node("node-1", 100, 1), node("node-2", 400, 0)], { cpu: 100, memory: 100 });
    expect(v.map((x) => [x.node, Math.round(x.leastAllocated), x.spread, x.score])).to.deep.equal([
      ["node-1", 80, 50, 65],
      ["node-2", 50, 100, 75],
    ]);
    expect(pickNode(v)).to.equal("node-2");
  });
});
