import { expect } from "chai";
import { PERMISSIONS } from "../../shared/sim/api/authorize.ts";
import type { Role } from "../../shared/sim/api/identity.ts";
import type { ApiRequest, RequestType } from "../../shared/sim/api/requests.ts";
import { newSim, podsOn } from "./support.ts";

const shop = {
  name: "shop",
  replicas: 2,
  selector: { app: "shop" },
  templateLabels: { app: "shop" },
  image: "nginx:1.27",
  requests: { cpu: 100, memory: 128 },
  memoryLimit: 256,
  startupMs: 1000,
  capacityRps: 20,
};

/** One sample request of every type, aimed at node-1 and one of its pods. */
function samples(pod: string): Record<RequestType, ApiRequest> {
  return {
    bind: { type: "bind", pod, node: "node-1" },
    admit: { type: "admit", pod },
    reject: { type: "reject", pod, reason: "OutOfcpu" },
    restart: { type: "restart", pod },
    evict: { type: "evict", pod },
    createPod: { type: "createPod", deployment: "web" },
    deletePod: { type: "deletePod", pod },
    markNodeNotReady: { type: "markNodeNotReady", node: "node-1" },
    evictNodePods: { type: "evictNodePods", node: "node-1" },
    syncRules: { type: "syncRules", node: "node-1", service: "web", mode: "spread" },
    scale: { type: "scale", deployment: "web", replicas: 7 },
    cordon: { type: "cordon", node: "node-1" },
    uncordon: { type: "uncordon", node: "node-1" },
    deleteNode: { type: "deleteNode", node: "node-1" },
    registerNode: { type: "registerNode", node: "node-1", capacity: { cpu: 4000, memory: 8192 } },
    renewLease: { type: "renewLease", node: "node-1" },
    reportNodeStatus: { type: "reportNodeStatus", node: "node-1", ready: "True", reason: "KubeletReady" },
    reportPodStatus: { type: "reportPodStatus", pod, status: { message: "hello" } },
    confirmPodDeletion: { type: "confirmPodDeletion", pod },
    createMirrorPod: { type: "createMirrorPod", node: "node-1", process: "kube-proxy", running: true },
    reportMirrorPod: { type: "reportMirrorPod", node: "node-1", process: "kube-proxy", running: false },
    updateEndpoints: { type: "updateEndpoints", service: "web", addresses: [] },
    gcPod: { type: "gcPod", pod },
    createEvent: { type: "createEvent", involvedKind: "Pod", involvedName: pod, reason: "Note", message: "hello", warning: false },
    updateDeploymentStatus: { type: "updateDeploymentStatus", deployment: "web", replicas: 6, readyReplicas: 6 },
    createDeployment: { type: "createDeployment", deployment: shop },
    updateDeployment: { type: "updateDeployment", deployment: { ...shop, name: "web", selector: { app: "web" }, templateLabels: { app: "web" } } },
    deleteDeployment: { type: "deleteDeployment", deployment: "web" },
    createService: { type: "createService", service: { name: "shop", selector: { app: "shop" }, port: 80, rps: 10 } },
    updateService: { type: "updateService", service: { name: "web", selector: { app: "web" }, port: 80, rps: 10 } },
    deleteService: { type: "deleteService", service: "web" },
  };
}

const CALLERS: { component: string; role: Role }[] = [
  { component: "scheduler", role: "scheduler" },
  { component: "controller-manager", role: "controller-manager" },
  { component: "kubelet:node-1", role: "kubelet" },
  { component: "kube-proxy:node-1", role: "kube-proxy" },
  { component: "node-agent:node-1", role: "node-agent" },
  { component: "system", role: "system-controllers" },
  { component: "admin", role: "admin" },
];

describe("API authorisation", () => {
  describe("the role × request matrix", () => {
    for (const caller of CALLERS) {
      for (const type of Object.keys(samples("x")) as RequestType[]) {
        const allowed = PERMISSIONS[caller.role].includes(type);
        it(`${caller.component} ${allowed ? "may" : "may not"} ${type}`, () => {
          const sim = newSim("node-down");
          const target = podsOn(sim, "node-1")[0].metadata.name;
          const result = sim.request(sim.tokenFor(caller.component), samples(target)[type]);
          if (allowed) expect(result.code, result.message).to.not.equal(403);
          else {
            expect(result.code).to.equal(403);
            expect(result.message).to.match(/may not/);
          }
        });
      }
    }
  });

  describe("the node restriction", () => {
    const cases: { component: string; request: (pod: string) => ApiRequest }[] = [
      { component: "kubelet:node-1", request: (pod) => ({ type: "admit", pod }) },
      { component: "kubelet:node-1", request: (pod) => ({ type: "evict", pod }) },
      { component: "node-agent:node-1", request: (pod) => ({ type: "reportPodStatus", pod, status: { ready: false } }) },
      { component: "kube-proxy:node-1", request: () => ({ type: "syncRules", node: "node-2", service: "web", mode: "spread" }) },
      { component: "node-agent:node-1", request: () => ({ type: "renewLease", node: "node-2" }) },
    ];
    for (const c of cases) {
      it(`${c.component} may not ${c.request("p").type} on node-2`, () => {
        const sim = newSim("node-down");
        const foreign = podsOn(sim, "node-2")[0].metadata.name;
        const revision = sim.state.revision;
        const result = sim.request(sim.tokenFor(c.component), c.request(foreign));
        expect(result.code).to.equal(403);
        expect(result.message).to.include("only act on its own node node-1");
        expect(sim.state.revision).to.equal(revision);
      });
    }

    it("a kubelet may not touch a pod that is not bound to any node", () => {
      const sim = newSim("first-pod");
      sim.request(sim.tokenFor("controller-manager"), { type: "createPod", deployment: "web" });
      const pending = [...sim.state.pods.keys()][0];
      const result = sim.request(sim.tokenFor("kubelet:node-1"), { type: "admit", pod: pending });
      expect(result.code).to.equal(403);
      expect(result.message).to.include("not bound to any node");
    });
  });

  describe("authentication", () => {
    it("answers an unknown token with 401 and logs it", () => {
      const sim = newSim();
      const result = sim.request("not-a-token", { type: "bind", pod: "x", node: "node-1" });
      expect(result.code).to.equal(401);
      expect(sim.api.recentAudit(1)[0]).to.include({ user: "anonymous", code: 401 });
    });

    it("names the caller in the API log with its Kubernetes user name", () => {
      const sim = newSim();
      sim.request(sim.tokenFor("scheduler"), { type: "bind", pod: "nope", node: "node-1" }, "alice");
      const entry = sim.api.recentAudit(1)[0];
      expect(entry).to.include({ user: "system:kube-scheduler", actor: "alice", verb: "POST", code: 404 });
      expect(entry.path).to.equal("/api/v1/namespaces/default/pods/nope/binding");
    });
  });
});
