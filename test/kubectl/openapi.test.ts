/**
 * The real kubectl reading the game's OpenAPI documents: explain prints Kubernetes' meaning of a
 * field and what the game does with it, and apply -f validates a manifest against the same
 * schemas (no --validate=false) — a typo is refused by kubectl itself, naming the field.
 */
import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ClusterRoom } from "../../server/room/ClusterRoom.ts";
import { METRICS_RESOURCES } from "../../server/k8s/metricsApi.ts";
import { RESOURCES } from "../../server/k8s/resources.ts";
import { isActivePod } from "../../shared/sim/objects/types.ts";
import { until, type Joined } from "../support/gameServer.ts";
import { KUBECTLS, type Kubectl } from "../support/kubectl.ts";
import { kubectlWorkshop, leaveWorkshop } from "../support/kubectlWorkshop.ts";

/** kubectl wraps explain's text at 80 columns: compare with whitespace folded. */
const folded = (s: string) => s.replace(/\s+/g, " ");

/** A manifest file with `text`, in a fresh folder. */
function manifest(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "manifest-")), name);
  writeFileSync(path, text);
  return path;
}

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: extra
  labels:
    app: web
spec:
  containers:
  - name: web
    image: nginx:1.27
    resources:
      requests: {cpu: 100m, memory: 64Mi}
`;

const TYPO = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: bakery
spec:
  replica: 2
  selector:
    matchLabels: {app: bakery}
  template:
    metadata:
      labels: {app: bakery}
    spec:
      containers:
      - name: bakery
        image: nginx
`;

for (const binary of KUBECTLS)
  describe(`kubectl explain and apply -f with the game's OpenAPI documents (${binary.version})`, function () {
    this.timeout(60_000);
    let host: Joined;
    let student: Joined;
    let room: ClusterRoom;
    let admin: Kubectl;

    before(async () => {
      // The student holds the controller manager seat, so no bot makes the deployment's pods: a pod applied by hand is wanted.
      ({ host, student, room, admin } = await kubectlWorkshop(binary, "free-play", ["controller-manager"]));
    });
    after(() => leaveWorkshop({ host, student }));

    const sim = () => room.session.sim;

    it("explain pods: what a pod is, and its fields", async () => {
      const r = await admin.run("explain", "pods");
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/KIND:\s+Pod/);
      expect(folded(r.stdout)).to.include("Pod is a collection of containers that run together on one node");
      expect(r.stdout).to.match(/^\s+spec\s+<\S+>/m);
    });

    it("explain deployment.spec.replicas: Kubernetes' meaning, and what the game does with it", async () => {
      const r = await admin.run("explain", "deployment.spec.replicas");
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/replicas\s+<integer>/);
      expect(folded(r.stdout)).to.include("How many pods are wanted. Default 1.");
      expect(folded(r.stdout)).to.include("In this game: the controller manager seat (or its bot) creates the missing pods");
    });

    it("explain service.spec.ports: the fields of a service's port", async () => {
      const r = await admin.run("explain", "service.spec.ports");
      expect(r.code, r.stderr).to.equal(0);
      expect(folded(r.stdout)).to.include("The ports the service exposes.");
      for (const field of ["port", "targetPort", "protocol", "nodePort", "name"]) expect(r.stdout).to.match(new RegExp(`^\\s+${field}\\s+<`, "m"));
    });

    it("explain works for every resource the game serves", async () => {
      for (const res of RESOURCES) {
        const r = await admin.run("explain", res.name);
        expect(r.code, `${res.name}: ${r.stderr}`).to.equal(0);
        expect(r.stdout).to.match(new RegExp(`KIND:\\s+${res.kind}\\n`));
      }
    });

    it("api-resources: every served resource, its short names and kind", async () => {
      const r = await admin.run("api-resources");
      expect(r.code, r.stderr).to.equal(0);
      const names = r.stdout
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => l.split(/\s+/)[0]);
      expect(names.sort()).to.deep.equal([...RESOURCES.map((x) => x.name), ...METRICS_RESOURCES.map((x) => x.name), "selfsubjectaccessreviews"].sort());
      expect(r.stdout).to.match(/^pods\s+metrics\.k8s\.io\/v1beta1\s+true\s+PodMetrics$/m);
      expect(r.stdout).to.match(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    });

    it("apply -f of a pod manifest, without --validate=false: the deployment's missing pod", async () => {
      const wanted = sim().state.deployments.get("web")!.spec.replicas + 1;
      expect((await admin.run("scale", "deployment", "web", `--replicas=${wanted}`)).code).to.equal(0);
      const before = sim().state.podsOf("web").filter(isActivePod).length;
      const r = await admin.run("apply", "-f", manifest("pod.yaml", POD));
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/^pod\/\S+ created$/m);
      await until(() => sim().state.podsOf("web").filter(isActivePod).length === before + 1, 10_000, "the applied pod in the game");
    });

    it("apply -f of a manifest with a typo: kubectl itself refuses it, naming the field, and the game never sees it", async () => {
      const r = await admin.run("apply", "-f", manifest("bakery.yaml", TYPO));
      expect(r.code).to.not.equal(0);
      expect(r.stderr).to.include('unknown field "replica" in io.k8s.api.apps.v1.DeploymentSpec');
      expect(sim().state.deployments.has("bakery")).to.equal(false);
      expect(
        sim()
          .api.recentAudit()
          .some((a) => a.path.includes("bakery") || a.message.includes("bakery")),
      ).to.equal(false);
    });
  });
