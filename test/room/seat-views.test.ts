/**
 * What each seat's client receives, over real sockets: what its component watches, and the
 * API server's knowledge rather than the physical truth — a crashed node stays Ready for the
 * scheduler until the node controller marks it; the kubelet sees its own machine; the host sees
 * the truth only behind *show the truth*; watch mode sees it all.
 */
import { expect } from "chai";
import { api, ask, create, join, runningWorkshop, until } from "../support/gameServer.ts";

type Joined = Awaited<ReturnType<typeof create>>;
const st = (j: Joined) => j.room.state as any;
const truthOf = (j: Joined) => [...(st(j).nodeTruth?.keys() ?? [])].sort();
const _podNodes = (j: Joined) => [...(st(j).pods?.values() ?? [])].map((p: any) => p.node);

describe("what each seat sees", () => {
  it("the scheduler receives every pod, bound ones too, to count each node's allocated resources", async () => {
    const { host, student } = await runningWorkshop("node-down", ["scheduler"]);
    await until(() => st(host).pods.size > 0, 5000, "pods");
    const before = new Set(st(host).pods.keys());
    // A pod made after the seat was taken; the student (no bot behind the seat) binds it.
    const victim = [...before][0] as string;
    expect((await ask(host, "host.chaos", { failure: { type: "killPod", pod: victim } })).code).to.equal(200);
    await until(
      () => [...st(student).pods.keys()].some((p) => !before.has(p) && st(student).pods.get(p).phase === "Pending"),
      10_000,
      "a replacement pod, Pending",
    );
    const fresh = [...st(student).pods.keys()].find((p) => !before.has(p)) as string;
    expect((await api(student, "scheduler", { type: "bind", pod: fresh, node: "node-1" })).code).to.equal(201);
    // Bound, it stays in the scheduler's view: kube-scheduler counts it in node-1's allocated resources.
    await until(() => st(student).pods.get(fresh)?.node === "node-1", 5000, "the bound pod in the scheduler's view");
    await until(() => st(student).pods.size === st(host).pods.size, 5000, "every pod in the scheduler's view");
    await student.room.leave();
    await host.room.leave();
  });

  it("a kube-proxy's rules say which endpoints are on its own node", async () => {
    const { host, student } = await runningWorkshop("node-down", ["kube-proxy:node-1"]);
    // The host's client holds every pod with its node; both clients get the same patches.
    const nodeOf = (pod: string) => st(host).pods.get(pod)?.node;
    const agrees = () => {
      const rules = [...(st(student).rules?.values() ?? [])] as any[];
      const all = rules.flatMap((r) => [...r.endpoints] as string[]);
      const local = rules.flatMap((r) => [...r.local] as string[]);
      const right = rules.every(
        (r) => JSON.stringify([...r.local].sort()) === JSON.stringify([...r.endpoints].filter((p: string) => nodeOf(p) === "node-1").sort()),
      );
      return right && local.length > 0 && all.length > local.length;
    };
    await until(agrees, 10_000, "rules naming their local endpoints (some local, some not)");
    await student.room.leave();
    await host.room.leave();
  });

  it("a crashed node looks Ready to the scheduler (no truth sent), its kubelet sees it down, the host only behind the toggle", async () => {
    const host = await create({ mode: "workshop", scenario: "free-play", nickname: "T" });
    const sched = await join(host.welcome.pin, { nickname: "Sched" });
    const kubelet = await join(host.welcome.pin, { nickname: "Kube" });
    await ask(sched, "seat.take", { seat: "scheduler" });
    await ask(kubelet, "seat.take", { seat: "kubelet:node-2" });
    await ask(host, "host.start");
    await ask(host, "host.start");
    await until(() => truthOf(kubelet).length === 1, 5000, "the kubelet to receive its node's truth");
    expect(truthOf(kubelet)).to.deep.equal(["node-2"]);
    expect(truthOf(sched)).to.deep.equal([]);
    expect(truthOf(host)).to.deep.equal([]);
    expect(st(sched).nodes.get("node-2")).to.not.have.property("powered");

    expect((await ask(host, "host.chaos", { failure: { type: "crashNode", node: "node-2" } })).code).to.equal(200);
    await until(() => st(kubelet).nodeTruth.get("node-2").powered === false, 5000, "the kubelet to see its machine down");
    // The API server has not been told: the node is Ready for every seat until the node controller marks it.
    expect(st(sched).nodes.get("node-2").ready).to.equal("True");
    expect(truthOf(sched)).to.deep.equal([]);
    expect(st(sched).podTruth?.size ?? 0).to.equal(0);

    expect((await ask(sched, "host.truth", { shown: true })).code).to.equal(403);
    expect((await ask(host, "host.truth", { shown: true })).code).to.equal(200);
    await until(() => truthOf(host).length === st(host).nodes.size, 5000, "the host to see every machine");
    expect(st(host).nodeTruth.get("node-2").powered).to.equal(false);
    expect((await ask(host, "host.truth", { shown: false })).code).to.equal(200);
    await until(() => truthOf(host).length === 0, 5000, "the truth hidden again");
    for (const j of [sched, kubelet, host]) await j.room.leave();
  });

  it("watch mode sees the truth of every machine and pod", async () => {
    const w = await create({ mode: "watch", scenario: "first-pod" });
    await ask(w, "host.start");
    await until(() => truthOf(w).length > 0 && truthOf(w).length === st(w).nodes.size, 5000, "every machine's truth");
    await until(() => st(w).podTruth.size === st(w).pods.size && st(w).pods.size > 0, 10_000, "every pod's truth");
    await w.room.leave();
  });

  it("a solo player has no truth toggle: the debrief shows what really happened", async () => {
    const solo = await create({ mode: "solo", scenario: "first-pod", seat: "scheduler", nickname: "Me" });
    expect((await ask(solo, "host.truth", { shown: true })).message).to.match(/solo game/);
    await solo.room.leave();
  });
});
