/**
 * A student's manifest through the real kubectl: `kubectl apply -f app.yaml` creates a Deployment
 * and a Service that travel through the game's components and serve their own traffic (seen in
 * the room state every player receives); re-applying a change rolls it out; `kubectl delete -f`
 * removes it; invalid manifests are refused with a 422 naming each field.
 *
 * kubectl validates each manifest against the API's OpenAPI documents first (no --validate=false):
 * only the manifest missing its selector is sent with it, to show the API server's own 422.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { decodeTraffic, TrafficKind } from "../../shared/protocol/trafficSample.ts";
import { isActivePod } from "../../shared/sim/objects/types.ts";
import type { ClusterRoom } from "../../server/room/ClusterRoom.ts";
import { ask, until, type Joined } from "../support/gameServer.ts";
import { KUBECTLS, type Kubectl } from "../support/kubectl.ts";
import { kubectlWorkshop, leaveWorkshop } from "../support/kubectlWorkshop.ts";

/** For the one manifest kubectl would refuse by itself (a missing selector): the API server's answer is the point. */
const NO_VALIDATE = "--validate=false";

/** The manifest a student writes: a Deployment and a Service in front of it. */
function app(o: { replicas?: number; image?: string; cpu?: string; selector?: string; labels?: string } = {}): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  replicas: ${o.replicas ?? 2}
  selector:
    matchLabels:
      app: ${o.selector ?? "shop"}
  template:
    metadata:
      labels:
        app: ${o.labels ?? "shop"}
    spec:
      containers:
        - name: shop
          image: ${o.image ?? "nginx:1.27"}
          resources:
            requests:
              cpu: ${o.cpu ?? "250m"}
              memory: 128Mi
            limits:
              memory: 256Mi
          readinessProbe:
            httpGet:
              path: /
              port: 80
            initialDelaySeconds: 2
---
apiVersion: v1
kind: Service
metadata:
  name: shop
  annotations:
    clustercrew.dev/rps: "30"
spec:
  selector:
    app: shop
  ports:
    - port: 80
`;
}

/** The game's speed while a test waits on game time (pods starting, a rollout once kubectl watches it). */
const FAST = 4;

for (const binary of KUBECTLS)
  describe(`a student's manifest through the real kubectl (${binary.version})`, function () {
    this.timeout(90_000);
    let host: Joined;
    let student: Joined;
    let room: ClusterRoom;
    let admin: Kubectl;
    let player: Kubectl;
    const dir = mkdtempSync(join(tmpdir(), "manifests-"));
    const file = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };
    /** Pods of the shop that the room's players see served requests, since the listener started. */
    const servedBy = new Set<string>();

    before(async () => {
      ({ host, student, room, admin, player } = await kubectlWorkshop(binary, "free-play"));
      host.room.onStateChange((state) => {
        for (const item of decodeTraffic(state.traffic)) if (item.kind === TrafficKind.Served && item.a.startsWith("shop-")) servedBy.add(item.a);
      });
    });
    after(() => leaveWorkshop({ host, student }));

    const sim = () => room.session.sim;
    const speed = async (x: number) => expect((await ask(host, "host.speed", { speed: x })).code).to.equal(200);
    /** Waits on game time at 4× (the host's own speed control), then puts the game back to 1×. */
    const fast = async (wait: () => Promise<void>) => {
      await speed(FAST);
      try {
        await wait();
      } finally {
        await speed(1);
      }
    };
    /**
     * kubectl rollout status, its first look at the deployment taken at 1× (so a status that
     * reports the old spec as rolled out is caught as before); once it says it waits, the rest of
     * the rollout plays at 4×.
     */
    const rolloutStatus = async (deployment: string) => {
      const status = admin.start("rollout", "status", `deployment/${deployment}`, "--timeout=60s");
      const code = new Promise<number>((resolve) => status.child.once("exit", (c) => resolve(c ?? 1)));
      let ended = false;
      void code.then(() => (ended = true));
      try {
        await until(() => ended || /Waiting for deployment/.test(status.output()), 30_000, "rollout status to look");
        if (!ended) await fast(async () => void (await code));
      } finally {
        status.stop();
      }
      return { code: await code, stdout: status.output() };
    };
    const shopPods = () => sim().state.podsOf("shop").filter(isActivePod);

    it("apply -f: the deployment's pods are created, placed by their requests, started and served traffic through the new service", async () => {
      const r = await admin.run("apply", "-f", file("app.yaml", app()));
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/deployment.apps\/shop created/);
      expect(r.stdout).to.match(/service\/shop created/);
      await fast(() => until(() => shopPods().filter((p) => p.status.ready).length === 2, 30_000, "two shop pods ready"));
      for (const p of shopPods()) {
        expect(p.spec.nodeName).to.match(/^node-/);
        expect(p.spec.requests).to.deep.equal({ cpu: 250, memory: 128 });
        expect(p.spec.image).to.equal("nginx:1.27");
        expect(p.spec.startupMs).to.equal(2000);
      }
      await fast(() => until(() => sim().state.endpoints.get("shop")?.addresses.length === 2, 15_000, "endpoints of both pods"));
      const names = new Set(shopPods().map((p) => p.metadata.name));
      await fast(() => until(() => [...servedBy].some((p) => names.has(p)), 20_000, "requests served by the shop's pods in the room state"));
      // README's last step: the new pods' use, by their label, as the student sees it serving.
      const top = await admin.run("top", "pods", "-l", "app=shop");
      expect(top.code, top.stderr).to.equal(0);
      const listed = top.stdout
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => l.trim().split(/\s+/)[0]);
      expect(new Set(listed)).to.deep.equal(names);
      expect(sim().state.services.get("shop")!.spec.rps).to.equal(30);
      const entry = sim()
        .api.recentAudit()
        .findLast((a) => a.type === "createDeployment")!;
      expect(entry).to.include({ verb: "POST", code: 201, user: "admin", actor: "host (kubectl)" });
      const got = await admin.run("get", "deployment", "shop", "-o", "wide");
      expect(got.stdout).to.match(/^shop\s+2\/2\s+/m);
    });

    it("re-apply with more replicas and another image: a rollout replaces every pod", async () => {
      const old = new Set(shopPods().map((p) => p.metadata.name));
      const r = await admin.run("apply", "-f", file("app2.yaml", app({ replicas: 3, image: "nginx:1.28" })));
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/deployment.apps\/shop configured/);
      expect(sim().state.deployments.get("shop")!.spec.replicas).to.equal(3);
      const status = await rolloutStatus("shop");
      expect(status.code, status.stdout).to.equal(0);
      expect(status.stdout).to.match(/Waiting for deployment "shop" rollout to finish/);
      expect(status.stdout).to.match(/deployment "shop" successfully rolled out/);
      await fast(() =>
        until(
          () => shopPods().length === 3 && shopPods().every((p) => p.spec.image === "nginx:1.28" && p.status.ready && !old.has(p.metadata.name)),
          60_000,
          "three new pods of nginx:1.28",
        ),
      );
      const again = await admin.run("apply", "-f", file("app2.yaml", app({ replicas: 3, image: "nginx:1.28" })));
      expect(again.stdout).to.match(/unchanged/);
    });

    it("a player without the host's role may not apply; the answer says forbidden and who may", async () => {
      const r = await player.run("apply", "-f", file("app3.yaml", app({ replicas: 1 })));
      expect(r.code).to.not.equal(0);
      expect(r.stderr, r.stderr).to.match(/\(Forbidden\)/);
      expect(r.stderr, r.stderr).to.match(/cluster admin/);
      expect(sim().state.deployments.get("shop")!.spec.replicas).to.equal(3);
    });

    it("a player the host lets apply manifests may apply — and still may not scale", async () => {
      const id = [...room.session.players.values()].find((p) => !p.host)!.id;
      expect((await ask(host, "host.grantApply", { player: id, allowed: true })).code).to.equal(200);
      await until(() => host.room.state.players.get(id)?.mayApply === true, 5000, "the host's panel shows the grant");
      const path = file("app4.yaml", app({ replicas: 4, image: "nginx:1.28" }));
      let r = await player.run("apply", "-f", path);
      expect(r.code, r.stderr).to.equal(0);
      expect(sim().state.deployments.get("shop")!.spec.replicas).to.equal(4);
      const entry = sim()
        .api.recentAudit()
        .findLast((a) => a.type === "updateDeployment")!;
      expect(entry.actor).to.match(/^S\d+ \(kubectl\)$/);
      r = await player.run("scale", "deployment", "shop", "--replicas=5");
      expect(r.stderr).to.match(/\(Forbidden\)/);
      r = await player.run("auth", "can-i", "create", "deployments");
      expect(r.stdout.trim()).to.equal("yes");
      expect((await ask(host, "host.grantApply", { player: id, allowed: false })).code).to.equal(200);
      r = await player.run("apply", "-f", file("app5.yaml", app({ replicas: 3, image: "nginx:1.28" })));
      expect(r.stderr).to.match(/\(Forbidden\)/);
      expect(sim().state.deployments.get("shop")!.spec.replicas).to.equal(4);
    });

    it("invalid manifests: 422 with one cause per field", async () => {
      let r = await admin.run("apply", "-f", file("bad1.yaml", app({ selector: "other" }).replace(/name: shop\n/g, "name: bad\n")));
      expect(r.code).to.not.equal(0);
      expect(r.stderr).to.match(/The Deployment "bad" is invalid: spec.template.metadata.labels: Invalid value: .*`selector` does not match template `labels`/);
      const bad2 = app({ cpu: "64" })
        .replace(/name: shop\n/g, "name: huge\n")
        .replace(/ {2}selector:\n {4}matchLabels:\n {6}app: shop\n/, "");
      r = await admin.run("apply", "-f", file("bad2.yaml", bad2));
      expect(r.code).to.not.equal(0);
      // kubectl checks the manifest against the API's OpenAPI documents and refuses it itself, naming the field …
      expect(r.stderr).to.match(/missing required field "selector"/);
      // … and the API server, asked all the same, names every field that is wrong.
      r = await admin.run("apply", NO_VALIDATE, "-f", file("bad2.yaml", bad2));
      expect(r.stderr).to.match(/The Deployment "huge" is invalid:/);
      expect(r.stderr).to.match(/\* spec.selector: Required value/);
      expect(r.stderr).to.match(/\* spec.template.spec.containers\[0\].resources.requests\[cpu\]: Invalid value: "64000m": larger than any node/);
      r = await admin.run("apply", "-f", file("bad3.yaml", app().replace("kind: Deployment", "kind: Deploymint")));
      expect(r.code).to.not.equal(0);
      expect(r.stderr).to.match(/no matches for kind "Deploymint"/);
      expect(sim().state.deployments.has("bad") || sim().state.deployments.has("huge")).to.equal(false);
    });

    it("create deployment, expose, set image, delete: the imperative commands take the same path (1.32 sends them as protobuf)", async () => {
      let r = await admin.run("create", "deployment", "hello", "--image=nginx:1.27", "--replicas=2");
      expect(r.code, r.stderr).to.equal(0);
      r = await admin.run("expose", "deployment", "hello", "--port=80");
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/service\/hello exposed/);
      expect(sim().state.services.get("hello")!.spec.selector).to.deep.equal({ app: "hello" });
      await fast(() => until(() => sim().state.endpoints.get("hello")?.addresses.length === 2, 30_000, "hello's two pods behind its service"));
      r = await admin.run("set", "image", "deployment/hello", "nginx=nginx:1.28");
      expect(r.code, r.stderr).to.equal(0);
      r = { ...(await rolloutStatus("hello")), stderr: "" };
      expect(r.stdout).to.match(/successfully rolled out/);
      expect(
        sim()
          .state.podsOf("hello")
          .filter(isActivePod)
          .map((p) => p.spec.image),
      ).to.deep.equal(["nginx:1.28", "nginx:1.28"]);
      r = await admin.run("delete", "deployment,service", "hello");
      expect(r.code, r.stderr).to.equal(0);
      expect(sim().state.deployments.has("hello") || sim().state.services.has("hello")).to.equal(false);
    });

    it("delete -f: the deployment, its pods, the service and its traffic are gone", async () => {
      const r = await admin.run("delete", "-f", file("app2.yaml", app({ replicas: 4, image: "nginx:1.28" })));
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/deployment.apps "shop" deleted/);
      expect(r.stdout).to.match(/service "shop" deleted/);
      expect(sim().state.services.has("shop")).to.equal(false);
      await fast(() => until(() => sim().state.podsOf("shop").length === 0, 20_000, "shop pods gone"));
      const got = await admin.run("get", "deployment", "shop");
      expect(got.stderr).to.match(/NotFound|not found/);
    });
  });
