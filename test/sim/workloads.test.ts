/**
 * Workloads written during a game (what kubectl apply -f asks for): a new Deployment and Service
 * travel through the controller manager, scheduler, kubelets, endpoints and kube-proxy and serve
 * their own traffic; a changed template rolls out; deletion removes them; invalid ones get a 422
 * naming each field; and all of it replays and resumes exactly.
 */
import { expect } from "chai";
import type { ApiFailure } from "../../shared/sim/api/status.ts";
import type { DeploymentSpec } from "../../shared/sim/api/requests.ts";
import { isCurrentPod } from "../../shared/sim/objects/rollout.ts";
import { isActivePod } from "../../shared/sim/objects/types.ts";
import { replay } from "../../shared/sim/replay.ts";
import { Simulation } from "../../shared/sim/Simulation.ts";
import type { Finished } from "../../shared/sim/traffic/Traffic.ts";
import { stepUntil } from "./support.ts";

const shop: DeploymentSpec = {
  name: "shop",
  replicas: 2,
  selector: { app: "shop" },
  templateLabels: { app: "shop", tier: "front" },
  image: "shop:v1",
  requests: { cpu: 300, memory: 200 },
  memoryLimit: 256,
  startupMs: 1500,
  capacityRps: 20,
};
const shopService = { name: "shop", selector: { app: "shop" }, port: 80, rps: 15 };
const opts = { scenario: "first-pod", seed: 7 };

function started(): { sim: Simulation; admin: string; served: () => number } {
  const sim = new Simulation(opts);
  const admin = sim.tokenFor("admin");
  let served = 0;
  const step = sim.step.bind(sim);
  sim.step = () => {
    const r = step();
    served += r.finished.filter((f: Finished) => f.service === "shop" && f.outcome === "served").length;
    return r;
  };
  return { sim, admin, served: () => served };
}

const shopPods = (sim: Simulation) => sim.state.podsOf("shop").filter(isActivePod);
const readyShop = (sim: Simulation) => shopPods(sim).filter((p) => p.status.ready).length;

describe("workloads written during the game", () => {
  it("a new deployment and service get pods placed, started, behind endpoints and kube-proxy rules, and serve their own traffic", () => {
    const { sim, admin, served } = started();
    sim.run(20);
    expect(sim.request(admin, { type: "createDeployment", deployment: shop }, "host").code).to.equal(201);
    expect(sim.request(admin, { type: "createService", service: shopService }, "host").code).to.equal(201);
    stepUntil(sim, () => readyShop(sim) === 2, 400, "two shop pods ready");
    for (const p of shopPods(sim)) {
      expect(p.spec.nodeName).to.match(/^node-/);
      expect(p.spec.image).to.equal("shop:v1");
      expect(p.spec.requests).to.deep.equal({ cpu: 300, memory: 200 });
      expect(p.metadata.labels).to.deep.equal({ app: "shop", tier: "front" });
      expect(p.status.readyAt - p.status.startedAt).to.be.at.least(0);
    }
    stepUntil(sim, () => sim.state.endpoints.get("shop")?.addresses.length === 2, 100, "endpoints list both pods");
    stepUntil(sim, () => sim.world.workers().every((m) => m.proxyRules.get("shop")?.endpoints.length === 2), 100, "kube-proxy rules on every worker");
    const before = served();
    sim.run(100); // 10 s at 15 requests per second
    expect(served() - before).to.be.within(120, 160);
    expect(sim.state.services.get("shop")!.spec.clusterIP).to.match(/^10\.96\.0\.\d+$/);
    // The scenario's own service is untouched.
    expect(sim.state.endpoints.get("web")!.addresses.every((a) => a.pod.startsWith("web-"))).to.equal(true);
  });

  it("a service selects the pods that carry every label of its selector", () => {
    const { sim, admin } = started();
    sim.request(admin, { type: "createDeployment", deployment: shop });
    sim.request(admin, { type: "createService", service: { ...shopService, name: "front", selector: { app: "shop", tier: "front" } } });
    sim.request(admin, { type: "createService", service: { ...shopService, name: "back", selector: { app: "shop", tier: "back" } } });
    stepUntil(sim, () => sim.state.endpoints.get("front")?.addresses.length === 2, 400, "front lists both shop pods");
    expect(sim.state.endpoints.get("back")?.addresses ?? []).to.deep.equal([]);
  });

  it("a changed image rolls out: new pods replace old ones, never fewer than the desired number ready", () => {
    const { sim, admin } = started();
    sim.request(admin, { type: "createDeployment", deployment: { ...shop, replicas: 3 } });
    sim.request(admin, { type: "createService", service: shopService });
    stepUntil(sim, () => readyShop(sim) === 3, 400, "three shop pods ready");
    const old = new Set(shopPods(sim).map((p) => p.metadata.name));
    const result = sim.request(admin, { type: "updateDeployment", deployment: { ...shop, replicas: 3, image: "shop:v2" } });
    expect(result.code, result.message).to.equal(200);
    // Until the deployment controller has acted on the new spec, its status describes the old one.
    const changed = sim.state.deployments.get("shop")!;
    expect(changed.metadata.generation).to.equal(2);
    expect(changed.status.observedGeneration ?? 1, "observed before the controller ran").to.equal(1);
    sim.step();
    expect(sim.state.deployments.get("shop")!.status.updatedReplicas, "updated replicas as the rollout starts").to.be.below(3);
    expect(sim.state.deployments.get("shop")!.status.observedGeneration, "observed once it ran").to.equal(2);
    let lowest = 3;
    let most = 0;
    stepUntil(
      sim,
      () => {
        lowest = Math.min(lowest, readyShop(sim));
        most = Math.max(most, shopPods(sim).length);
        const pods = shopPods(sim);
        return pods.length === 3 && pods.every((p) => p.spec.image === "shop:v2" && p.status.ready);
      },
      1200,
      "every pod runs shop:v2",
    );
    expect(lowest, "ready pods during the rollout").to.equal(3);
    expect(most, "pods at once during the rollout").to.equal(4);
    for (const p of shopPods(sim)) expect(old.has(p.metadata.name)).to.equal(false);
    stepUntil(sim, () => sim.state.deployments.get("shop")!.status.updatedReplicas === 3, 50, "status: three updated replicas");
    const d = sim.state.deployments.get("shop")!;
    expect(shopPods(sim).every((p) => isCurrentPod(p, d))).to.equal(true);
  });

  it("re-applying with more replicas or larger requests changes the deployment", () => {
    const { sim, admin } = started();
    sim.request(admin, { type: "createDeployment", deployment: shop });
    stepUntil(sim, () => readyShop(sim) === 2, 400, "two pods");
    sim.request(admin, { type: "updateDeployment", deployment: { ...shop, replicas: 4 } });
    expect(sim.state.deployments.get("shop")!.metadata.generation, "a changed spec is a new generation").to.equal(2);
    sim.request(admin, { type: "updateDeployment", deployment: { ...shop, replicas: 4 } });
    expect(sim.state.deployments.get("shop")!.metadata.generation, "re-applying the same spec is not").to.equal(2);
    stepUntil(sim, () => readyShop(sim) === 4, 400, "four pods");
    sim.request(admin, { type: "updateDeployment", deployment: { ...shop, replicas: 4, requests: { cpu: 500, memory: 200 } } });
    stepUntil(sim, () => shopPods(sim).length === 4 && shopPods(sim).every((p) => p.spec.requests.cpu === 500 && p.status.ready), 1500, "pods with 500m");
  });

  it("deleting them removes the pods, the service, its endpoints, its rules and its traffic", () => {
    const { sim, admin, served } = started();
    sim.request(admin, { type: "createDeployment", deployment: shop });
    sim.request(admin, { type: "createService", service: shopService });
    stepUntil(sim, () => readyShop(sim) === 2 && sim.state.endpoints.get("shop")?.addresses.length === 2, 400, "serving");
    expect(sim.request(admin, { type: "deleteDeployment", deployment: "shop" }).code).to.equal(200);
    expect(sim.request(admin, { type: "deleteService", service: "shop" }).code).to.equal(200);
    expect(sim.state.deployments.has("shop")).to.equal(false);
    expect(sim.state.services.has("shop")).to.equal(false);
    expect(sim.state.endpoints.has("shop")).to.equal(false);
    stepUntil(sim, () => sim.state.podsOf("shop").length === 0, 200, "shop pods gone");
    const after = served();
    sim.run(50);
    expect(served()).to.equal(after);
    expect(sim.world.workers().some((m) => m.proxyRules.has("shop"))).to.equal(false);
    expect(sim.request(admin, { type: "deleteService", service: "shop" }).code).to.equal(404);
    expect(sim.request(admin, { type: "deleteDeployment", deployment: "shop" }).code).to.equal(404);
  });

  describe("refusals", () => {
    const causes = (r: unknown) => ((r as ApiFailure).causes ?? []).map((c) => c.field);

    it("a missing selector, a selector not matching the template's labels, requests larger than any node: 422 naming each field", () => {
      const { sim, admin } = started();
      let r = sim.request(admin, { type: "createDeployment", deployment: { ...shop, selector: {} } });
      expect(r.code).to.equal(422);
      expect(causes(r)).to.deep.equal(["spec.selector"]);
      r = sim.request(admin, {
        type: "createDeployment",
        deployment: { ...shop, selector: { app: "other" }, requests: { cpu: 64_000, memory: 99_999 }, memoryLimit: 99_999 },
      });
      expect(r.code).to.equal(422);
      expect(causes(r)).to.deep.equal([
        "spec.template.metadata.labels",
        "spec.template.spec.containers[0].resources.requests[cpu]",
        "spec.template.spec.containers[0].resources.requests[memory]",
      ]);
      expect(r.message).to.match(/does not match template `labels`/);
      expect(r.message).to.match(/larger than any node/);
      r = sim.request(admin, { type: "createDeployment", deployment: { ...shop, memoryLimit: 100 } });
      expect(causes(r)).to.deep.equal(["spec.template.spec.containers[0].resources.requests[memory]"]);
      r = sim.request(admin, { type: "createService", service: { ...shopService, selector: {} } });
      expect(r.code).to.equal(422);
      expect(causes(r)).to.deep.equal(["spec.selector"]);
      expect(sim.state.deployments.has("shop") || sim.state.services.has("shop")).to.equal(false);
    });

    it("creating what exists is 409, changing what does not is 404, a selector cannot change, and only the admin may", () => {
      const { sim, admin } = started();
      expect(
        sim.request(admin, { type: "createDeployment", deployment: { ...shop, name: "web", selector: { app: "web" }, templateLabels: { app: "web" } } }).code,
      ).to.equal(409);
      expect(sim.request(admin, { type: "createService", service: { ...shopService, name: "web" } }).code).to.equal(409);
      expect(sim.request(admin, { type: "updateDeployment", deployment: shop }).code).to.equal(404);
      expect(sim.request(admin, { type: "updateService", service: shopService }).code).to.equal(404);
      sim.request(admin, { type: "createDeployment", deployment: shop });
      const r = sim.request(admin, { type: "updateDeployment", deployment: { ...shop, selector: { tier: "front" } } });
      expect(causes(r)).to.deep.equal(["spec.selector"]);
      expect(r.message).to.match(/immutable/);
      const cm = sim.tokenFor("controller-manager");
      expect(sim.request(cm, { type: "createDeployment", deployment: { ...shop, name: "other" } }).code).to.equal(403);
      expect(sim.request(cm, { type: "deleteService", service: "web" }).code).to.equal(403);
      // The game's quota: no manifest can swamp the room.
      const many = sim.request(admin, { type: "updateDeployment", deployment: { ...shop, replicas: 1000 } });
      expect(many.code).to.equal(403);
      expect(many.message).to.match(/exceeded quota/);
      for (let i = 0; i < 30; i++) sim.request(admin, { type: "createDeployment", deployment: { ...shop, name: `app-${i}`, replicas: 0 } });
      expect(sim.state.deployments.size).to.equal(20);
    });
  });

  it("replays from its input log and resumes from a snapshot exactly", () => {
    const { sim, admin } = started();
    sim.run(10);
    sim.request(admin, { type: "createDeployment", deployment: shop }, "host");
    sim.request(admin, { type: "createService", service: shopService }, "host");
    sim.run(150);
    const saved = JSON.parse(JSON.stringify(sim.snapshot()));
    sim.request(admin, { type: "updateDeployment", deployment: { ...shop, image: "shop:v2" } }, "host");
    sim.run(200);
    const again = replay(opts, sim.inputLog, sim.tick);
    expect(JSON.stringify(again.state.allObjects())).to.equal(JSON.stringify(sim.state.allObjects()));
    expect(JSON.stringify(again.outcome())).to.equal(JSON.stringify(sim.outcome()));
    const resumed = Simulation.restore(saved);
    resumed.request(resumed.tokenFor("admin"), { type: "updateDeployment", deployment: { ...shop, image: "shop:v2" } }, "host");
    resumed.run(200);
    expect(JSON.stringify(resumed.state.allObjects())).to.equal(JSON.stringify(sim.state.allObjects()));
  });
});
