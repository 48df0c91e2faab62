/**
 * kube-system through the real kubectl: the control plane's static pods (their kubelets' mirror
 * pods) and each worker's kube-proxy, Ready or not as the game's processes are — with a
 * three-member control plane, so that etcd stopping on cp-2 leaves a quorum to store it.
 */
import { expect } from "chai";
import { ask, type Joined } from "../support/gameServer.ts";
import { KUBECTLS, type Kubectl, rows } from "../support/kubectl.ts";
import { kubectlWorkshop, leaveWorkshop } from "../support/kubectlWorkshop.ts";
import type { ClusterRoom } from "../../server/room/ClusterRoom.ts";

const CONTROL_PLANE = ["cp-1", "cp-2", "cp-3"].flatMap((n) => ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"].map((c) => `${c}-${n}`));
const KUBE_SYSTEM = [...CONTROL_PLANE, "kube-proxy-node-1", "kube-proxy-node-2", "kube-proxy-node-3"].sort();

for (const binary of KUBECTLS)
  describe(`kube-system's static pods through the real kubectl (${binary.version})`, function () {
    this.timeout(60_000);
    let host: Joined;
    let student: Joined;
    let room: ClusterRoom;
    let admin: Kubectl;

    before(async () => {
      ({ host, student, room, admin } = await kubectlWorkshop(binary, "control-plane-ha"));
    });
    after(() => leaveWorkshop({ host, student }));

    /** The row of `kubectl get pods -n kube-system <name>` once `ok` holds for it (the room plays on in real time). */
    async function podRow(name: string, ok: (row: string[]) => boolean, what: string): Promise<string[]> {
      const deadline = Date.now() + 20_000;
      let last: string[] = [];
      while (Date.now() < deadline) {
        const r = await admin.run("get", "pods", "-n", "kube-system", name);
        expect(r.code, r.stderr).to.equal(0);
        last = rows(r.stdout)[0];
        if (ok(last)) return last;
        await new Promise((res) => setTimeout(res, 200));
      }
      throw new Error(`${what}: kubectl still shows ${last.join(" ")}`);
    }

    const chaos = async (type: string, node: string, process: string) => {
      const r = await ask(host, "host.chaos", { failure: { type, node, process } });
      expect(r.code, r.message).to.equal(200);
    };

    it("get pods -n kube-system: the control plane's four per node and a kube-proxy per worker, each 1/1 Running", async () => {
      const { code, stdout, stderr } = await admin.run("get", "pods", "-n", "kube-system");
      expect(code, stderr).to.equal(0);
      expect(stdout.split("\n")[0]).to.match(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE/);
      const table = rows(stdout);
      expect(table.map((r) => r[0])).to.deep.equal(KUBE_SYSTEM);
      for (const r of table) expect(r.slice(1, 4), r[0]).to.deep.equal(["1/1", "Running", "0"]);
      // -o wide: each on its own node, at the node's address (static pods use the host's network).
      const wide = rows((await admin.run("get", "pods", "-n", "kube-system", "-o", "wide", "-l", "component=etcd")).stdout);
      expect(wide.map((r) => [r[0], r[6]])).to.deep.equal([
        ["etcd-cp-1", "cp-1"],
        ["etcd-cp-2", "cp-2"],
        ["etcd-cp-3", "cp-3"],
      ]);
      expect(wide[0][5]).to.match(/^10\.0\.0\.\d+$/);
    });

    it("get pods -A: kube-system beside the game's own pods, which alone stay in default (and in the game's views)", async () => {
      const { code, stdout, stderr } = await admin.run("get", "pods", "-A");
      expect(code, stderr).to.equal(0);
      expect(stdout.split("\n")[0]).to.match(/^NAMESPACE\s+NAME\s+READY\s+STATUS/);
      const table = rows(stdout);
      expect(table.filter((r) => r[0] === "kube-system").map((r) => r[1])).to.deep.equal(KUBE_SYSTEM);
      const sim = room.session.sim;
      expect(table.filter((r) => r[0] === "default").length).to.be.greaterThan(0);
      for (const r of table.filter((r) => r[0] === "default")) expect(sim.state.pods.has(r[1]), r[1]).to.equal(true);
      const plain = rows((await admin.run("get", "pods")).stdout).map((r) => r[0]);
      for (const name of KUBE_SYSTEM) {
        expect(plain, "kubectl get pods (default)").to.not.include(name);
        expect(room.state.pods.has(name), "the room's projected pods").to.equal(false);
      }
    });

    it("describe pod etcd-cp-1 -n kube-system: a mirror pod of cp-1's kubelet, system-node-critical, owned by its Node", async () => {
      const { code, stdout, stderr } = await admin.run("describe", "pod", "etcd-cp-1", "-n", "kube-system");
      expect(code, stderr).to.equal(0);
      expect(stdout).to.match(/^Name:\s+etcd-cp-1$/m);
      expect(stdout).to.match(/^Namespace:\s+kube-system$/m);
      expect(stdout).to.match(/^Priority Class Name:\s+system-node-critical$/m);
      expect(stdout).to.match(/^Node:\s+cp-1\/10\.0\.0\.\d+$/m);
      expect(stdout).to.match(/^Labels:\s+component=etcd$/m);
      expect(stdout).to.match(/^\s+tier=control-plane$/m);
      expect(stdout).to.match(/kubernetes\.io\/config\.mirror: [0-9a-f]{32}/);
      expect(stdout).to.match(/^Status:\s+Running$/m);
      expect(stdout).to.match(/^Controlled By:\s+Node\/cp-1$/m);
      expect(stdout).to.match(/^\s+Image:\s+registry\.k8s\.io\/etcd:/m);
    });

    it("the host stops etcd on cp-2: etcd-cp-2 is 0/1 CrashLoopBackOff, and 1/1 Running once started again", async () => {
      await chaos("stopProcess", "cp-2", "etcd");
      const down = await podRow("etcd-cp-2", (r) => r[1] === "0/1", "etcd-cp-2 not ready");
      expect(down.slice(1, 4)).to.deep.equal(["0/1", "CrashLoopBackOff", "1"]);
      const other = rows((await admin.run("get", "pods", "-n", "kube-system", "etcd-cp-1")).stdout)[0];
      expect(other.slice(1, 3)).to.deep.equal(["1/1", "Running"]);
      const described = await admin.run("describe", "pod", "etcd-cp-2", "-n", "kube-system");
      expect(described.stdout).to.match(/^\s+Reason:\s+CrashLoopBackOff$/m);
      expect(described.stdout).to.match(/^\s+Ready:\s+False$/m);
      await chaos("startProcess", "cp-2", "etcd");
      const up = await podRow("etcd-cp-2", (r) => r[1] === "1/1", "etcd-cp-2 ready again");
      expect(up.slice(1, 4)).to.deep.equal(["1/1", "Running", "1"]);
    });

    it("a stopped kube-proxy on a worker shows its kube-proxy pod not ready", async () => {
      await chaos("stopProcess", "node-1", "kube-proxy");
      const down = await podRow("kube-proxy-node-1", (r) => r[1] === "0/1", "kube-proxy-node-1 not ready");
      expect(down[2]).to.equal("CrashLoopBackOff");
      const byLabel = rows((await admin.run("get", "pods", "-n", "kube-system", "-l", "k8s-app=kube-proxy")).stdout);
      expect(byLabel.map((r) => `${r[0]} ${r[1]}`)).to.deep.equal(["kube-proxy-node-1 0/1", "kube-proxy-node-2 1/1", "kube-proxy-node-3 1/1"]);
    });

    it("delete pod in kube-system is forbidden: a mirror pod is its kubelet's, from a file on its node", async () => {
      const r = await admin.run("delete", "pod", "kube-scheduler-cp-3", "-n", "kube-system");
      expect(r.code).to.not.equal(0);
      expect(r.stderr).to.match(/forbidden/);
      expect(r.stderr).to.match(/mirror pod/);
      expect(room.session.sim.state.mirrorPods.has("kube-scheduler-cp-3")).to.equal(true);
    });
  });
