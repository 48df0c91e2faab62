import { expect } from "chai";
import { api, ask, create, gameServer, join, runningWorkshop, serverRoom, until } from "../support/gameServer.ts";
import { REQUESTS_PER_SECOND } from "../../server/limits/RateLimiter.ts";
import { storeKeyOf } from "../../server/room/ClusterRoom.ts";

describe("host controls over the socket", () => {
  const controls: [string, Record<string, unknown>][] = [
    ["host.assign", { player: "x", seat: "scheduler" }],
    ["host.unassign", { player: "x", seat: "scheduler" }],
    ["host.fillBots", {}],
    ["host.scenario", { scenario: "first-pod" }],
    ["host.start", {}],
    ["host.pause", {}],
    ["host.resume", {}],
    ["host.speed", { speed: 2 }],
    ["host.end", {}],
    ["host.lock", { locked: true }],
    ["host.kick", { player: "x" }],
    ["host.grantApply", { player: "x", allowed: true }],
    ["host.chaos", { failure: { type: "crashNode", node: "node-1" } }],
  ];

  it("answers every host control from a player with 403", async () => {
    const host = await create({ mode: "workshop", scenario: "node-down", nickname: "T" });
    const ada = await join(host.welcome.pin, { nickname: "Ada" });
    for (const [type, msg] of controls) {
      const r = await ask(ada, type, msg);
      expect(r.code, `${type}: ${r.message}`).to.equal(403);
    }
    await ada.room.leave();
    await host.room.leave();
  });

  it("a scenario picked in the lobby replaces what the store holds: the new cluster, at its own revisions", async () => {
    const host = await create({ mode: "workshop", scenario: "node-down", nickname: "T" });
    const { store } = await gameServer();
    const key = storeKeyOf(host.welcome.pin);
    const room = await serverRoom(host.room.roomId);
    await until(() => room.session.sim.state.deployments.has("api"), 3000, "node-down's cluster");
    expect((await ask(host, "host.scenario", { scenario: "first-pod" })).code).to.equal(200);
    const sim = room.session.sim;
    // The lobby does not tick: the new game's objects are written once, at its own revision.
    let stored = await store.list(key, "/registry/");
    for (let i = 0; i < 100 && stored.revision !== sim.state.revision; i++) {
      await new Promise((r) => setTimeout(r, 50));
      stored = await store.list(key, "/registry/");
    }
    expect(stored.revision).to.equal(sim.state.revision);
    expect(stored.items.some((i) => i.key === "/registry/deployments/default/api")).to.equal(false);
    expect(stored.items.some((i) => i.key === "/registry/deployments/default/web")).to.equal(true);
    expect(stored.items.length).to.equal(sim.snapshot({ objects: true }).cluster.objects.length);
    await host.room.leave();
  });

  it("lets the host run the whole game: lobby, assign, start, pause, speed, chaos, end", async () => {
    const host = await create({ mode: "workshop", scenario: "node-down", nickname: "T" });
    const ada = await join(host.welcome.pin, { nickname: "Ada" });
    expect((await ask(host, "host.scenario", { scenario: "free-play", difficulty: "easy" })).code).to.equal(200);
    expect((await ask(host, "host.assign", { player: ada.welcome.playerId, seat: "controller-manager" })).code).to.equal(200);
    expect((await ask(host, "host.start")).message).to.match(/intro/);
    expect((await ask(host, "host.start")).message).to.match(/running/);
    expect((await ask(host, "host.speed", { speed: 4 })).code).to.equal(200);
    await until(() => (host.room.state as any).time >= 2000, 5000, "game time");
    expect((await ask(host, "host.pause")).code).to.equal(200);
    await until(() => (host.room.state as any).phase === "paused", 3000, "the paused phase");
    await new Promise((r) => setTimeout(r, 300)); // the last patch before the pause lands
    const frozen = (host.room.state as any).time;
    await new Promise((r) => setTimeout(r, 400));
    expect((host.room.state as any).time).to.equal(frozen);
    expect((await ask(host, "host.resume")).code).to.equal(200);
    const chaos = await ask(host, "host.chaos", { failure: { type: "crashNode", node: "node-2" } });
    expect(chaos.code, chaos.message).to.equal(200);
    expect((await ask(host, "host.truth", { shown: true })).code).to.equal(200);
    await until(() => (host.room.state as any).nodeTruth?.get("node-2")?.powered === false, 3000, "node-2 down");
    expect((await ask(host, "host.chaos", { failure: { type: "joinWorker" } })).code).to.equal(200);
    await until(() => (host.room.state as any).seats.has("kubelet:node-4"), 3000, "node-4 seats");
    expect((await ask(host, "host.chaos", { failure: { type: "scaleDeployment", deployment: "web", replicas: 6 } })).code).to.equal(200);
    expect((await ask(host, "host.chaos", { failure: { type: "addControlPlane" } })).code).to.equal(200);
    expect((await ask(host, "host.chaos", { failure: { type: "crashNode", node: "nope" } })).message).to.match(/node nope not found/);
    expect((await ask(host, "host.end")).code).to.equal(200);
    await until(() => (ada.room.state as any).phase === "debrief", 3000, "debrief");
    await ada.room.leave();
    await host.room.leave();
  });

  it("lock keeps newcomers out and kick removes a player", async () => {
    const host = await create({ mode: "workshop", scenario: "first-pod", nickname: "T" });
    const ada = await join(host.welcome.pin, { nickname: "Ada" });
    await ask(host, "host.lock", { locked: true });
    let err: unknown;
    try {
      await join(host.welcome.pin, { nickname: "Bo" });
    } catch (e) {
      err = e;
    }
    expect(String((err as Error).message)).to.match(/locked/);
    const left = new Promise((r) => ada.room.onLeave(r));
    expect((await ask(host, "host.kick", { player: ada.welcome.playerId })).code).to.equal(200);
    await left;
    await until(() => (host.room.state as any).players.size === 1, 3000, "kicked");
    await host.room.leave();
  });

  it("serves the debrief as JSON and CSV over HTTP", async () => {
    const { host, student } = await runningWorkshop("first-pod");
    await ask(host, "host.speed", { speed: 4 });
    await until(() => (host.room.state as any).time >= 3000, 5000);
    const { port } = await gameServer();
    const asHost = { headers: { Authorization: `Bearer ${host.welcome.hostToken}` } };
    const json = await (await fetch(`http://127.0.0.1:${port}/api/rooms/${host.welcome.pin}/debrief.json`, asHost)).json();
    expect(json.scenario.id).to.equal("first-pod");
    expect(json.timeline.length).to.be.greaterThan(2);
    expect(json.outcome.seats).to.have.property("scheduler");
    // A download link carries the token as a query parameter.
    const csv = await (await fetch(`http://127.0.0.1:${port}/api/rooms/${host.welcome.pin}/debrief.csv?token=${host.welcome.hostToken}`)).text();
    expect(csv.split("\n")[0]).to.equal("second,availability,served,dropped,timed_out,pending_pods,serving_pods,failure");
    expect((await fetch(`http://127.0.0.1:${port}/api/rooms/000000/debrief.json`, asHost)).status).to.equal(404);
    await student.room.leave();
    await host.room.leave();
  });
});

describe("API requests over the socket", () => {
  const SEATS = ["scheduler", "controller-manager", "kubelet:node-1", "kube-proxy:node-1"];
  const REQUESTS: Record<string, (pod: string) => Record<string, unknown>> = {
    bind: (pod) => ({ type: "bind", pod, node: "node-1" }),
    admit: (pod) => ({ type: "admit", pod }),
    reject: (pod) => ({ type: "reject", pod, reason: "OutOfcpu" }),
    restart: (pod) => ({ type: "restart", pod }),
    evict: (pod) => ({ type: "evict", pod }),
    createPod: () => ({ type: "createPod", deployment: "web" }),
    deletePod: (pod) => ({ type: "deletePod", pod }),
    markNodeNotReady: () => ({ type: "markNodeNotReady", node: "node-1" }),
    evictNodePods: () => ({ type: "evictNodePods", node: "node-1" }),
    syncRules: () => ({ type: "syncRules", node: "node-1", service: "web", mode: "spread" }),
    scale: () => ({ type: "scale", deployment: "web", replicas: 3 }),
    renewLease: () => ({ type: "renewLease", node: "node-1" }),
  };
  const ALLOWED: Record<string, string[]> = {
    scheduler: ["bind"],
    "controller-manager": ["createPod", "deletePod", "markNodeNotReady", "evictNodePods"],
    "kubelet:node-1": ["admit", "reject", "restart", "evict"],
    "kube-proxy:node-1": ["syncRules"],
  };

  it("authorises every seat × request exactly as the role allows (the rest is 403)", async function () {
    this.timeout(30_000);
    const { host, student } = await runningWorkshop("node-down", SEATS);
    const room = await serverRoom(host.room.roomId);
    const pod = room.session.sim.state.podsOnNode("node-1")[0].metadata.name;
    for (const seat of SEATS) {
      for (const [type, make] of Object.entries(REQUESTS)) {
        await new Promise((r) => setTimeout(r, 1000 / REQUESTS_PER_SECOND + 5)); // stay under the rate limit
        const r = await api(student, seat, make(pod));
        if (ALLOWED[seat].includes(type)) expect(r.code, `${seat} ${type}: ${r.message}`).to.not.equal(403);
        else expect(r.code, `${seat} ${type}: ${r.message}`).to.equal(403);
      }
    }
    await student.room.leave();
    await host.room.leave();
  });

  it("refuses a request from a seat the player does not hold", async () => {
    const { host, student } = await runningWorkshop("node-down", ["kubelet:node-1"]);
    const r = await api(student, "scheduler", { type: "bind", pod: "x", node: "node-1" });
    expect(r.code).to.equal(403);
    expect(r.message).to.match(/you do not play scheduler/);
    await student.room.leave();
    await host.room.leave();
  });

  it("shows each request and its answer in the API log", async () => {
    const { host, student } = await runningWorkshop("node-down", ["scheduler"]);
    await api(student, "scheduler", { type: "bind", pod: "ghost", node: "node-1" });
    await until(() => [...(host.room.state as any).apiLog].some((l: any) => l.path.endsWith("/pods/ghost/binding") && l.code === 404), 3000, "API log line");
    await student.room.leave();
    await host.room.leave();
  });

  it("a kubelet's client receives only its own node's pods", async () => {
    const { host, student } = await runningWorkshop("node-down", ["kubelet:node-3"]);
    const nodes = () => [...new Set([...((student.room.state as any).pods?.values() ?? [])].map((p: any) => p.node))];
    // The view narrows on the next patch after the seat is taken.
    await until(() => nodes().length === 1, 3000, "the view to narrow to node-3");
    expect(nodes()).to.deep.equal(["node-3"]);
    expect((host.room.state as any).pods.size).to.be.greaterThan((student.room.state as any).pods.size);
    await student.room.leave();
    await host.room.leave();
  });
});

describe("seats over the socket", () => {
  it("players take, swap and leave seats; the host fills every seat with bots", async () => {
    const host = await create({ mode: "workshop", scenario: "node-down", nickname: "T" });
    const ada = await join(host.welcome.pin, { nickname: "Ada" });
    const room = await serverRoom(host.room.roomId);
    expect((await ask(ada, "seat.take", { seat: "kubelet:node-1" })).code).to.equal(200);
    expect((await ask(ada, "seat.swap", { from: "kubelet:node-1", to: "kube-proxy:node-2" })).code).to.equal(200);
    expect(room.session.sim.isBot("kubelet:node-1")).to.equal(true);
    expect(room.session.sim.isBot("kube-proxy:node-2")).to.equal(false);
    expect((await ask(ada, "seat.leave", { seat: "kube-proxy:node-2" })).code).to.equal(200);
    await ask(host, "host.assign", { player: ada.welcome.playerId, seat: "scheduler" });
    expect(room.session.sim.isBot("scheduler")).to.equal(false);
    expect((await ask(host, "host.fillBots")).code).to.equal(200);
    expect(room.session.sim.seats().every((s) => room.session.sim.isBot(s))).to.equal(true);
    await until(() => (ada.room.state as any).seats.get("scheduler")?.bot === true, 3000, "the seat shown as a bot's");
    await ada.room.leave();
    await host.room.leave();
  });

  it("a handler that throws costs one answer (500), not the room", async () => {
    const { host, student } = await runningWorkshop("first-pod", ["scheduler"]);
    const room = await serverRoom(host.room.roomId);
    const original = room.session.request.bind(room.session);
    room.session.request = () => {
      throw new Error("simulated bug");
    };
    const r = await api(student, "scheduler", { type: "bind", pod: "x", node: "node-1" });
    expect(r.code).to.equal(500);
    expect(r.message).to.match(/the game goes on/);
    room.session.request = original;
    expect((await api(student, "scheduler", { type: "bind", pod: "x", node: "node-1" })).code).to.equal(404);
    const t = (host.room.state as any).time;
    await until(() => (host.room.state as any).time > t, 3000, "the clock");
    await student.room.leave();
    await host.room.leave();
  });
});
