/**
 * The real kubectl against a running game: a learner's commands travel the game's API server to
 * the store and out to the components their classmates (and the bots) play.
 */
import { expect } from "chai";
import { api, gameServer, until, type Joined } from "../support/gameServer.ts";
import { KUBECTLS, kubectlFor, type Kubectl, rows } from "../support/kubectl.ts";
import { kubectlWorkshop, leaveWorkshop } from "../support/kubectlWorkshop.ts";
import type { ClusterRoom } from "../../server/room/ClusterRoom.ts";
import { isActivePod } from "../../shared/sim/objects/types.ts";

for (const binary of KUBECTLS)
  describe(`the real kubectl (${binary.version})`, function () {
    this.timeout(60_000);
    let host: Joined;
    let student: Joined;
    let room: ClusterRoom;
    let admin: Kubectl;
    let scheduler: Kubectl;

    before(async () => {
      // The student plays the scheduler: pending pods wait for them, as in a workshop.
      ({ host, student, room, admin, player: scheduler } = await kubectlWorkshop(binary, "free-play", ["scheduler"]));
    });
    after(() => leaveWorkshop({ host, student }));

    const sim = () => room.session.sim;
    const activeWeb = () => [...sim().state.podsOf("web")].filter(isActivePod);

    it("get nodes: every machine, its role and Ready status", async () => {
      const { code, stdout, stderr } = await admin.run("get", "nodes");
      expect(code, stderr).to.equal(0);
      const table = rows(stdout);
      expect(table.map((r) => r[0])).to.deep.equal([...sim().state.nodes.keys()].sort());
      const worker = table.find((r) => r[0] === "node-1")!;
      expect(worker.slice(1, 3)).to.deep.equal(["Ready", "worker"]);
      expect(table.find((r) => r[0] === "cp-1")![2]).to.equal("control-plane");
    });

    it("get pods -o wide: each pod with its IP and node, as the game has them", async () => {
      const { code, stdout, stderr } = await admin.run("get", "pods", "-o", "wide");
      expect(code, stderr).to.equal(0);
      expect(stdout.split("\n")[0]).to.match(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE/);
      const table = rows(stdout);
      expect(table.length).to.equal(sim().state.pods.size);
      for (const r of table) {
        const pod = sim().state.pods.get(r[0])!;
        expect(pod, r[0]).to.not.equal(undefined);
        if (pod.status.phase === "Running") {
          expect(r[2]).to.equal("Running");
          expect(r[5]).to.equal(pod.status.podIP);
          expect(r[6]).to.equal(pod.spec.nodeName);
        }
      }
    });

    it("get deployments: desired and ready replicas", async () => {
      const { code, stdout } = await admin.run("get", "deployments");
      expect(code).to.equal(0);
      const web = rows(stdout).find((r) => r[0] === "web")!;
      const d = sim().state.deployments.get("web")!;
      expect(web[1]).to.equal(`${d.status.readyReplicas}/${d.spec.replicas}`);
    });

    it("describe pod: its node, owner, container, conditions and events", async () => {
      const pod = activeWeb().find((p) => p.status.phase === "Running")!;
      const { code, stdout, stderr } = await admin.run("describe", "pod", pod.metadata.name);
      expect(code, stderr).to.equal(0);
      expect(stdout).to.match(new RegExp(`^Name:\\s+${pod.metadata.name}$`, "m"));
      expect(stdout).to.match(new RegExp(`^Node:\\s+${pod.spec.nodeName}/10\\.0\\.0\\.\\d+$`, "m"));
      expect(stdout).to.match(/^Controlled By:\s+Deployment\/web$/m);
      expect(stdout).to.match(/^\s+Image:\s+\S+/m);
      expect(stdout).to.match(/^\s+Ready\s+True\s*$/m);
      expect(stdout).to.match(/Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default\//);
    });

    it("cordon and uncordon: the scheduler sees the node as unschedulable, then back", async () => {
      let r = await admin.run("cordon", "node-2");
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/node\/node-2 cordoned/);
      expect(sim().state.nodes.get("node-2")!.spec.unschedulable).to.equal(true);
      r = await admin.run("get", "nodes", "node-2");
      expect(rows(r.stdout)[0][1]).to.equal("Ready,SchedulingDisabled");
      r = await admin.run("uncordon", "node-2");
      expect(r.stdout).to.match(/node\/node-2 uncordoned/);
      expect(sim().state.nodes.get("node-2")!.spec.unschedulable).to.equal(false);
    });

    it("scale deployment: the game's deployment wants more, and the API log shows who asked", async () => {
      const r = await admin.run("scale", "deployment", "web", "--replicas=6");
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/deployment.apps\/web scaled/);
      expect(sim().state.deployments.get("web")!.spec.replicas).to.equal(6);
      const entry = sim()
        .api.recentAudit()
        .findLast((a) => a.type === "scale")!;
      expect(entry).to.include({ verb: "PATCH", code: 200, user: "admin", actor: "host (kubectl)" });
      // The controller manager's bot creates the missing pods; they wait for the student-scheduler.
      await until(() => activeWeb().length === 6, 15_000, "six web pods");
    });

    it("delete pod: it terminates, and the controller manager's bot replaces it", async () => {
      const victim = activeWeb().find((p) => p.status.phase === "Running")!.metadata.name;
      const r = await admin.run("delete", "pod", victim);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.match(new RegExp(`pod "${victim}" deleted`));
      // kubectl waits for the deletion: by now the pod is gone for good.
      expect(sim().state.pods.has(victim)).to.equal(false);
      await until(() => activeWeb().length === 6, 15_000, "a replacement pod");
      const after = await admin.run("get", "pods", "-l", "app=web");
      const names = rows(after.stdout).map((row) => row[0]);
      expect(names).to.not.include(victim);
      expect(names.length).to.equal(sim().state.podsOf("web").length);
    });

    it("get pods --watch: a bind the student-scheduler makes in the game shows up live", async () => {
      const pending = () => [...sim().state.pods.values()].find((p) => p.status.phase === "Pending" && !p.spec.nodeName && isActivePod(p));
      await until(() => pending() !== undefined, 15_000, "a pending pod");
      const pod = pending()!.metadata.name;
      const watch = admin.start("get", "pods", "--watch");
      try {
        await until(() => new RegExp(`${pod}\\s+0/1\\s+Pending`).test(watch.output()), 20_000, "the pending pod in the watch");
        const bound = await api(student, "scheduler", { type: "bind", pod, node: "node-3" });
        expect(bound.code, bound.message).to.equal(201);
        await until(() => new RegExp(`${pod}\\s+\\d/1\\s+(ContainerCreating|Running)`).test(watch.output()), 20_000, "the pod starting in the watch");
      } finally {
        watch.stop();
      }
    });

    it("a forbidden call reads as a real API server's refusal, then the game's reason: the scheduler may not scale", async () => {
      const r = await scheduler.run("scale", "deployment", "web", "--replicas=1");
      expect(r.code).to.not.equal(0);
      expect(r.stderr).to.include(
        'Error from server (Forbidden): deployments.apps "web" is forbidden: User "system:kube-scheduler" cannot patch resource "deployments/scale" in API group "apps" in the namespace "default": system:kube-scheduler may not scale deployments: only the cluster admin (the host) scales deployments',
      );
      expect(sim().state.deployments.get("web")!.spec.replicas).to.equal(6);
    });

    it("a forbidden cordon says forbidden, whatever kubectl's exit code (1.20's is 0)", async () => {
      const node = [...sim().state.nodes.keys()].find((n) => n.startsWith("node-"))!;
      const r = await scheduler.run("cordon", node);
      expect(r.stdout + r.stderr).to.match(
        new RegExp(`nodes "${node}" is forbidden: User "system:kube-scheduler" cannot patch resource "nodes" in API group "" at the cluster scope: `),
      );
      expect(sim().state.nodes.get(node)!.spec.unschedulable).to.not.equal(true);
    });

    it("auth can-i: the API server says what each seat may do, and why not", async () => {
      expect((await scheduler.run("auth", "can-i", "list", "pods")).stdout.trim()).to.equal("yes");
      expect((await scheduler.run("auth", "can-i", "create", "pods", "--subresource=binding")).stdout.trim()).to.equal("yes");
      const scale = await scheduler.run("auth", "can-i", "patch", "deployments", "--subresource=scale");
      expect(scale.stdout.trim()).to.equal("no - system:kube-scheduler may not scale deployments: only the cluster admin (the host) scales deployments");
      expect((await admin.run("auth", "can-i", "patch", "deployments", "--subresource=scale")).stdout.trim()).to.equal("yes");
    });

    it("run: a pod must belong to a deployment, and only while the deployment lacks one", async () => {
      let r = await admin.run("run", "stray", "--image=nginx");
      expect(r.code).to.not.equal(0);
      expect(r.stderr).to.match(/The Pod "stray" is invalid: metadata.labels.app: in this game every pod belongs to a deployment/);
      await until(() => activeWeb().length === 6, 15_000, "web at its replicas");
      r = await admin.run("run", "extra", "--image=nginx", "--labels=app=web");
      expect(r.stderr).to.match(/already has 6 of 6 desired replicas: a new pod would be one too many/);
    });

    it("drain: cordons the node and deletes its pods, which the controller manager replaces elsewhere", async () => {
      const r = await admin.run("drain", "node-3", "--ignore-daemonsets", "--timeout=40s");
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/node\/node-3 cordoned/);
      expect(sim().state.nodes.get("node-3")!.spec.unschedulable).to.equal(true);
      expect(sim().state.podsOnNode("node-3").filter(isActivePod)).to.deep.equal([]);
      await until(() => activeWeb().length === 6, 15_000, "the drained pods replaced");
    });

    it("an unknown token is told to log in", async () => {
      const { apiUrl } = await gameServer();
      const r = await kubectlFor(apiUrl, host.welcome.pin, "made-up-token", "player", binary.path).run("get", "pods");
      expect(r.code).to.not.equal(0);
      expect(r.stderr).to.match(/You must be logged in to the server \(this token is not valid in this game/);
    });
  });
