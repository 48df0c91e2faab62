/**
 * The real kubectl reading what a cluster's nodes report rather than what etcd stores: `kubectl
 * top` (the metrics API), `kubectl logs` (a container's log, asked of the room as the API server
 * asks a kubelet), and `kubectl get events --watch` streaming the game's events.
 */
import { expect } from "chai";
import { ask, until, type Joined } from "../support/gameServer.ts";
import { KUBECTLS, type Kubectl, rows } from "../support/kubectl.ts";
import { kubectlWorkshop, leaveWorkshop } from "../support/kubectlWorkshop.ts";
import type { ClusterRoom } from "../../server/room/ClusterRoom.ts";
import { isActivePod } from "../../shared/sim/objects/types.ts";

/** The game's speed while a test waits on game time (the summaries every 10 s, a restart's back-off). */
const FAST = 4;

for (const binary of KUBECTLS)
  describe(`kubectl top, logs and events --watch (${binary.version})`, function () {
    this.timeout(90_000);
    let host: Joined;
    let student: Joined;
    let room: ClusterRoom;
    let admin: Kubectl;
    let player: Kubectl;

    before(async () => {
      ({ host, student, room, admin, player } = await kubectlWorkshop(binary, "free-play"));
    });
    after(() => leaveWorkshop({ host, student }));

    const sim = () => room.session.sim;
    /** Waits on game time at 4× (the host's own speed control), then puts the game back to 1× for kubectl to read it. */
    const fast = async (wait: () => Promise<void>) => {
      expect((await ask(host, "host.speed", { speed: FAST })).code).to.equal(200);
      try {
        await wait();
      } finally {
        expect((await ask(host, "host.speed", { speed: 1 })).code).to.equal(200);
      }
    };
    const running = () => [...sim().state.podsOf("web")].filter((p) => isActivePod(p) && p.status.ready);

    it("top nodes: every reporting node's CPU and memory, as a share of what it has", async () => {
      const r = await player.run("top", "nodes");
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout.split("\n")[0]).to.match(/^NAME\s+CPU\(cores\)\s+CPU(%|\(%\))\s+MEMORY\(bytes\)\s+MEMORY(%|\(%\))/);
      const byName = new Map(rows(r.stdout).map((row) => [row[0], row]));
      for (const node of sim().state.nodes.keys()) {
        expect(byName.get(node)?.[1], node).to.match(/^\d+m$/);
        expect(byName.get(node)?.[3], node).to.match(/^\d+Mi$/);
      }
      const worker = sim().world.workers()[0].name;
      const one = await player.run("top", "node", worker);
      expect(one.code, one.stderr).to.equal(0);
      expect(rows(one.stdout).map((row) => row[0])).to.deep.equal([worker]);
    });

    it("top pods and top pod <name>: each running pod's use, memory as the simulation has it", async () => {
      await until(() => running().length >= 3, 20_000, "web pods running");
      const r = await player.run("top", "pods");
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout.split("\n")[0]).to.match(/^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/);
      const names = rows(r.stdout).map((row) => row[0]);
      for (const p of running()) expect(names).to.include(p.metadata.name);
      const pod = running()[0];
      const one = await player.run("top", "pod", pod.metadata.name);
      expect(one.code, one.stderr).to.equal(0);
      const [row] = rows(one.stdout);
      const containers = await player.run("top", "pod", pod.metadata.name, "--containers");
      expect(containers.code, containers.stderr).to.equal(0);
      expect(rows(containers.stdout)[0].slice(0, 2)).to.deep.equal([pod.metadata.name, "web"]);
      const c = sim().world.machine(pod.spec.nodeName)!.containers.get(pod.metadata.name)!;
      expect(row[0]).to.equal(pod.metadata.name);
      expect(row[1]).to.match(/^\d+m$/);
      expect(Math.abs(Number.parseInt(row[2], 10) - c.memoryUsage)).to.be.at.most(2);
      const unknown = await player.run("top", "pod", "no-such-pod");
      expect(unknown.code).to.not.equal(0);
      expect(unknown.stderr).to.match(/NotFound|not found/);
    });

    it("top pods -l app=web: only the pods carrying the label", async () => {
      await until(() => running().length >= 3, 20_000, "web pods running");
      const all = await player.run("top", "pods");
      const web = await player.run("top", "pods", "-l", "app=web");
      expect(web.code, web.stderr).to.equal(0);
      const names = rows(web.stdout).map((row) => row[0]);
      const isWeb = (name: string) => sim().state.pods.get(name)?.metadata.labels?.app === "web";
      expect(names.length).to.be.greaterThan(0);
      for (const name of names) expect(isWeb(name), name).to.equal(true);
      expect(names).to.deep.equal(
        rows(all.stdout)
          .map((row) => row[0])
          .filter(isWeb),
      );
      expect(
        rows(all.stdout).some((row) => !isWeb(row[0])),
        "top pods lists the other deployment's pods too",
      ).to.equal(true);
    });

    it("logs: the container's start-up and a summary of the requests it served every 10 s", async () => {
      const pod = running()[0].metadata.name;
      const c = () => sim().world.machine(running()[0].spec.nodeName)!.containers.get(pod)!;
      await fast(() => until(() => sim().now - c().since >= 21_000, 40_000, "two whole intervals of serving"));
      const r = await player.run("logs", pod);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[notice\] 1#1: .*: starting; start-up takes/);
      expect(r.stdout).to.match(/listening on 10\.244\.\d+\.\d+:8080; ready to serve up to \d+ requests\/s/);
      expect(r.stdout).to.match(/"GET \/ HTTP\/1\.1" 200: \d+ requests in 10 s \([\d.]+\/s of \d+\/s\), \d+ since start/);
      const tail = await player.run("logs", pod, "--tail=1");
      expect(tail.stdout.trim().split("\n")).to.have.length(1);
      expect(tail.stdout).to.equal(`${r.stdout.trim().split("\n").at(-1)}\n`);
      const unknown = await player.run("logs", "no-such-pod");
      expect(unknown.stderr).to.match(/pods "no-such-pod" not found/);
    });

    it("events --watch streams a failure the host injects, and logs of the pod show the OOM kill", async () => {
      const pod = running()[0].metadata.name;
      const watch = player.start("get", "events", "--watch");
      try {
        await until(() => /LAST SEEN|Normal|Warning/.test(watch.output()), 20_000, "the watch to open");
        const before = watch.output().length;
        const r = await ask(host, "host.chaos", { failure: { type: "oomPod", pod } });
        expect(r.ok, r.message).to.equal(true);
        await until(() => new RegExp(`Failure.*${pod}`).test(watch.output().slice(before)), 20_000, "the failure event in the watch");
      } finally {
        watch.stop();
      }
      const logs = await admin.run("logs", pod);
      expect(logs.stdout).to.match(/\[runtime\] killed by the kernel's OOM killer \(OOMKilled\) using \d+ MiB of memory \(limit \d+ MiB\); exit code 137/);
    });

    it("logs --previous: the run before the kubelet restarted the container, ending in its OOM kill", async () => {
      const pod = running().find((p) => p.status.restartCount === 0)!.metadata.name;
      const none = await player.run("logs", pod, "--previous");
      expect(none.code).to.not.equal(0);
      expect(none.stderr).to.match(/previous terminated container "web" in pod "[^"]+" not found/);
      const r = await ask(host, "host.chaos", { failure: { type: "oomPod", pod } });
      expect(r.ok, r.message).to.equal(true);
      const c = () => sim().world.machine(sim().state.pods.get(pod)!.spec.nodeName)?.containers.get(pod);
      await fast(() => until(() => c()?.previous !== undefined && c()!.state !== "exited", 60_000, "the kubelet to restart the killed container"));
      const previous = await player.run("logs", pod, "--previous");
      expect(previous.code, previous.stderr).to.equal(0);
      expect(previous.stdout).to.match(/: starting; start-up takes/);
      expect(previous.stdout).to.not.match(/\(restart 1\)/);
      expect(previous.stdout.trim().split("\n").at(-1)).to.match(/\[runtime\] killed by the kernel's OOM killer \(OOMKilled\)/);
      const current = await player.run("logs", pod);
      expect(current.stdout).to.match(/starting \(restart 1\)/);
      expect(current.stdout).to.not.match(/OOMKilled/);
    });

    it("logs -f follows the container: new lines arrive while it runs", async () => {
      const pod = running().find((p) => p.status.restartCount === 0)!.metadata.name;
      const follow = admin.start("logs", "-f", "--tail=1", pod);
      try {
        await fast(() => until(() => follow.output().trim().split("\n").length >= 2, 40_000, "a new line while following"));
        expect(follow.output()).to.match(/requests in 10 s/);
      } finally {
        follow.stop();
      }
    });
  });
