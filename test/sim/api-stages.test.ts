/**
 * The API server's four checks, as the API log records them: each request says which check
 * refused it (identity 401, permission 403, validation 4xx, stored 503) or, having passed all
 * four, the etcd revision its write got — and the words each check's verdict is shown with.
 */
import { expect } from "chai";
import { checkVerdicts, refusedAtOf, refusedCode, CHECKS } from "../../shared/sim/api/stages.ts";
import type { AuditEntry } from "../../shared/sim/api/ApiServer.ts";
import type { Simulation } from "../../shared/sim/Simulation.ts";
import { newSim, podsOn, sitDown } from "./support.ts";

const last = (sim: Simulation): AuditEntry => sim.api.recentAudit(1)[0];
const verdicts = (e: AuditEntry) => checkVerdicts(e).map((v) => v.verdict);

describe("the API server's four checks in the API log", () => {
  it("an unknown token stops at identity: 401, nothing checked after, nothing stored", () => {
    const sim = newSim();
    const before = sim.state.revision;
    sim.request("not-a-token", { type: "bind", pod: "x", node: "node-1" });
    const e = last(sim);
    expect(e).to.include({ code: 401, refusedAt: "identity", revision: 0, writes: 0, user: "anonymous" });
    expect(verdicts(e)).to.deep.equal(["refused", "skipped", "skipped", "skipped"]);
    expect(checkVerdicts(e)[0].text).to.match(/^401 unauthenticated: unknown or expired credentials/);
    expect(checkVerdicts(e)[3].text).to.equal("nothing stored");
    expect(sim.state.revision).to.equal(before);
  });

  it("a kubelet touching another node's pod is authenticated, then stops at permission: 403", () => {
    const sim = newSim();
    const token = sitDown(sim, "kubelet:node-1");
    const other = podsOn(sim, "node-2")[0].metadata.name;
    sim.request(token, { type: "restart", pod: other });
    const e = last(sim);
    expect(e).to.include({ code: 403, refusedAt: "permission", user: "kubelet/node-1", writes: 0 });
    const v = checkVerdicts(e);
    expect(v.map((x) => x.verdict)).to.deep.equal(["passed", "refused", "skipped", "skipped"]);
    expect(v[0].text).to.equal("authenticated as kubelet/node-1");
    expect(v[1].text).to.match(/^403 forbidden: kubelet\/node-1 may only act on its own node node-1, not on pod/);
  });

  it("an impossible request passes identity and permission, then stops at validation: 422", () => {
    const sim = newSim();
    const token = sitDown(sim, "controller-manager");
    const p = podsOn(sim, "node-1")[0].metadata.name;
    const before = sim.state.revision;
    const r = sim.request(token, { type: "deletePod", pod: p });
    expect(r.code).to.equal(422);
    const e = last(sim);
    expect(e).to.include({ refusedAt: "validation", writes: 0, revision: 0 });
    const v = checkVerdicts(e);
    expect(v.map((x) => x.verdict)).to.deep.equal(["passed", "passed", "refused", "skipped"]);
    expect(v[1].text).to.equal("system:kube-controller-manager may delete pods");
    expect(v[2].text).to.match(/^422 invalid: deleting .* would leave web below its 6 desired replicas/);
    expect(sim.state.revision).to.equal(before);
  });

  it("a request that is not even a request stops at validation: 400", () => {
    const sim = newSim();
    sim.request(sim.tokenFor("scheduler"), { type: "bind", pod: "NOT A NAME", node: "node-1" });
    const e = last(sim);
    expect(e).to.include({ code: 400, refusedAt: "validation", type: "invalid" });
    expect(checkVerdicts(e)[1].text).to.equal("nothing to authorise: the request could not be read");
  });

  it("a write that passes all four checks records the etcd revision it got", () => {
    const sim = newSim();
    const before = sim.state.revision;
    sim.request(sim.tokenFor("admin"), { type: "scale", deployment: "web", replicas: 7 });
    const e = last(sim);
    expect(e).to.include({ code: 200, refusedAt: "", revision: sim.state.revision, writes: sim.state.revision - before });
    expect(sim.state.deployments.get("web")!.metadata.resourceVersion).to.be.within(before + 1, e.revision);
    const v = checkVerdicts(e);
    expect(v.map((x) => x.verdict)).to.deep.equal(["passed", "passed", "passed", "passed"]);
    expect(v[3].text).to.match(e.writes === 1 ? /^written to etcd at revision \d+$/ : /keys written to etcd, revisions \d+–\d+$/);
    expect(v[3].text).to.contain(String(e.revision));
  });

  it("a write refused because etcd lost quorum stops at stored: 503, nothing stored", () => {
    const sim = newSim();
    const token = sitDown(sim, "controller-manager");
    for (const m of sim.world.controlPlane()) m.processes.etcd = false;
    const p = podsOn(sim, "node-1")[0].metadata.name;
    sim.request(token, { type: "deletePod", pod: p });
    const e = last(sim);
    expect(e).to.include({ code: 503, refusedAt: "stored", writes: 0 });
    expect(verdicts(e)).to.deep.equal(["passed", "passed", "passed", "refused"]);
    expect(checkVerdicts(e)[3].text).to.match(/^503 unavailable, nothing stored: etcd has lost quorum/);
  });

  it("a read (kube-proxy's sync) passes all four and stores nothing", () => {
    const sim = newSim();
    const token = sitDown(sim, "kube-proxy:node-1");
    sim.request(token, { type: "syncRules", node: "node-1", service: "web", mode: "spread" });
    const e = last(sim);
    expect(e).to.include({ refusedAt: "", writes: 0, revision: 0 });
    expect(checkVerdicts(e)[3].text).to.equal("read only: nothing stored");
  });

  it("kubectl's calls the room answers itself: a read passes all four; a write it could not read stops at validation", () => {
    const sim = newSim();
    const host = { user: "admin", role: "admin" } as const;
    sim.api.recordRead(host, "GET", "/api/v1/nodes", 200, "listed 5 nodes", "host (kubectl)");
    expect(checkVerdicts(last(sim)).map((v) => v.text)).to.deep.equal([
      "authenticated as admin",
      "admin may read: everyone in the game may read the cluster",
      "valid: the request makes sense against the cluster as it is",
      "read only: nothing stored",
    ]);
    sim.api.recordRead(host, "GET", "/api/v1/nodes/nope", 404, "node nope not found", "host (kubectl)");
    expect(last(sim)).to.include({ type: "read", refusedAt: "validation" });
    sim.api.recordRead(host, "POST", "/api/v1/namespaces/default/pods", 400, "dry runs are not supported", "host (kubectl)");
    expect(last(sim)).to.include({ type: "invalid", refusedAt: "validation" });
    expect(checkVerdicts(last(sim))[1].text).to.equal("nothing to authorise: the request could not be read");
  });

  it("the wire code of the refusing check goes there and back", () => {
    for (const c of ["", ...CHECKS] as const) expect(refusedAtOf(refusedCode(c))).to.equal(c);
    expect(refusedAtOf(99)).to.equal("");
  });
});
