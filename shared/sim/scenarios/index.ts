/** The scenario catalogue: every scenario file, validated once when first asked for. */
import { ScenarioSchema, type Scenario } from "./schema.ts";
import bringYourOwnApp from "./data/bring-your-own-app.json" with { type: "json" };
import controlPlaneHa from "./data/control-plane-ha.json" with { type: "json" };
import etcdQuorum from "./data/etcd-quorum.json" with { type: "json" };
import firstPod from "./data/first-pod.json" with { type: "json" };
import freePlay from "./data/free-play.json" with { type: "json" };
import gatekeeper from "./data/gatekeeper.json" with { type: "json" };
import joinANode from "./data/join-a-node.json" with { type: "json" };
import largeCluster from "./data/large-cluster.json" with { type: "json" };
import nodeDown from "./data/node-down.json" with { type: "json" };
import noisyNeighbour from "./data/noisy-neighbour.json" with { type: "json" };
import scaleOut from "./data/scale-out.json" with { type: "json" };
import whichProcessDied from "./data/which-process-died.json" with { type: "json" };
import trafficSpike from "./data/traffic-spike.json" with { type: "json" };

/** In the order a course would play them. */
const RAW: readonly unknown[] = [
  firstPod,
  nodeDown,
  trafficSpike,
  noisyNeighbour,
  controlPlaneHa,
  scaleOut,
  freePlay,
  etcdQuorum,
  gatekeeper,
  whichProcessDied,
  joinANode,
  largeCluster,
  bringYourOwnApp,
];

let catalogue: ReadonlyMap<string, Scenario> | undefined;

function load(): ReadonlyMap<string, Scenario> {
  if (!catalogue) {
    catalogue = new Map(
      RAW.map((raw) => {
        const parsed = ScenarioSchema.safeParse(raw);
        if (!parsed.success) {
          const id = (raw as { id?: string }).id ?? "?";
          throw new Error(`scenario ${id} is invalid: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
        }
        return [parsed.data.id, parsed.data];
      }),
    );
  }
  return catalogue;
}

export function scenarioIds(): string[] {
  return [...load().keys()];
}

export function listScenarios(): Scenario[] {
  return [...load().values()];
}

export function getScenario(id: string): Scenario | undefined {
  return load().get(id);
}

export { ScenarioSchema, type Scenario } from "./schema.ts";
