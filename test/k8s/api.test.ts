/**
 * The rooms' Kubernetes API over HTTP, as kubectl and curl see it: discovery, objects in
 * Kubernetes' shape, tables, selectors, watches resumed from a resourceVersion, writes through
 * the game's own API layer, and every refusal as a Status with the game's reason.
 */
import { expect } from "chai";
import https from "node:https";
import { ask, create, gameServer, join, runningWorkshop, serverRoom, until, type Joined } from "../support/gameServer.ts";
import { storeKeyOf } from "../../server/room/ClusterRoom.ts";

type Any = Record<string, any>;

/** One API call; like client-go, it waits and retries when told 429 with Retry-After. */
async function k8s(
  pin: string,
  token: string | undefined,
  path: string,
  init: RequestInit = {},
  retry = true,
): Promise<{ status: number; body: Any; headers: Headers }> {
  const { port } = await gameServer();
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`http://127.0.0.1:${port}/k8s/${pin}${path}`, {
      ...init,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(init.headers as Record<string, string> | undefined) },
    });
    const text = await res.text();
    if (res.status === 429 && retry && attempt < 10) {
      await new Promise((r) => setTimeout(r, Number(res.headers.get("retry-after") ?? 1) * 1000));
      continue;
    }
    return { status: res.status, body: text ? JSON.parse(text) : {}, headers: res.headers };
  }
}

const TABLE = { Accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json" };
const json = (body: unknown, type = "application/json") => ({ method: "POST", body: JSON.stringify(body), headers: { "Content-Type": type } });
const patch = (body: unknown, type = "application/strategic-merge-patch+json") => ({
  method: "PATCH",
  body: JSON.stringify(body),
  headers: { "Content-Type": type },
});

/** Reads a watch stream until `done` says so (or times out), returning the events seen. */
async function watchUntil(pin: string, token: string, path: string, done: (events: Any[]) => boolean, ms = 8000): Promise<Any[]> {
  const { port } = await gameServer();
  const ctrl = new AbortController();
  let res = await fetch(`http://127.0.0.1:${port}/k8s/${pin}${path}`, { headers: { Authorization: `Bearer ${token}` }, signal: ctrl.signal });
  for (let attempt = 0; res.status === 429 && attempt < 10; attempt++) {
    await new Promise((r) => setTimeout(r, 1000)); // as client-go does: wait out Retry-After
    res = await fetch(`http://127.0.0.1:${port}/k8s/${pin}${path}`, { headers: { Authorization: `Bearer ${token}` }, signal: ctrl.signal });
  }
  expect(res.status).to.equal(200);
  const events: Any[] = [];
  const reader = res.body!.getReader();
  const timer = setTimeout(() => ctrl.abort(), ms);
  let buffer = "";
  try {
    while (!done(events)) {
      const { value, done: end } = await reader.read();
      if (end) break;
      buffer += new TextDecoder().decode(value);
      const lines = buffer.split("\n");
      buffer = lines.pop()!;
      for (const l of lines) if (l.trim()) events.push(JSON.parse(l));
    }
  } catch (err) {
    if ((err as Error).name !== "AbortError") throw err;
  } finally {
    clearTimeout(timer);
    ctrl.abort();
  }
  return events;
}

describe("the rooms' Kubernetes API", function () {
  this.timeout(30_000);
  let host: Joined;
  let student: Joined;
  let pin: string;
  let token: string;

  before(async () => {
    ({ host, student } = await runningWorkshop("node-down", ["scheduler"]));
    pin = host.welcome.pin;
    token = host.welcome.hostToken!;
  });
  after(async () => {
    await student.room.leave();
    await host.room.leave();
  });

  describe("discovery", () => {
    it("serves /api, /apis and the resource lists kubectl reads first, without a token", async () => {
      expect((await k8s(pin, undefined, "/api")).body.versions).to.deep.equal(["v1"]);
      const groups = (await k8s(pin, undefined, "/apis")).body;
      expect(groups.kind).to.equal("APIGroupList");
      expect(groups.groups.map((g: Any) => g.name)).to.include.members(["apps", "coordination.k8s.io"]);
      const core = (await k8s(pin, undefined, "/api/v1")).body;
      const pods = core.resources.find((r: Any) => r.name === "pods");
      expect(pods).to.include({ namespaced: true, kind: "Pod" });
      expect(pods.shortNames).to.deep.equal(["po"]);
      const apps = (await k8s(pin, undefined, "/apis/apps/v1")).body;
      const scale = apps.resources.find((r: Any) => r.name === "deployments/scale");
      expect(scale).to.include({ group: "autoscaling", version: "v1", kind: "Scale" });
      expect((await k8s(pin, undefined, "/version")).body.gitVersion).to.match(/^v1\.\d+/);
    });

    it("answers an unknown PIN or path with a NotFound Status", async () => {
      const none = await k8s("000000", token, "/api/v1/pods");
      expect(none.status).to.equal(404);
      expect(none.body).to.include({ kind: "Status", reason: "NotFound" });
      expect(none.body.message).to.match(/no game with PIN 000000/);
      const path = await k8s(pin, token, "/api/v1/secrets");
      expect(path.status).to.equal(404);
      expect(path.body.message).to.match(/kubectl api-resources/);
    });
  });

  describe("authentication", () => {
    it("refuses a missing or unknown token with 401 and says where to get one", async () => {
      const missing = await k8s(pin, undefined, "/api/v1/nodes");
      expect(missing.status).to.equal(401);
      expect(missing.body.message).to.match(/kubeconfig/);
      const wrong = await k8s(pin, "not-a-token", "/api/v1/nodes");
      expect(wrong.status).to.equal(401);
    });

    it("gives each player their own token; another room's token is not valid here", async () => {
      const studentToken = (student.welcome as Any).apiToken as string;
      expect(studentToken).to.be.a("string").and.not.equal(token);
      expect((await k8s(pin, studentToken, "/api/v1/nodes")).status).to.equal(200);
      const other = await create({ mode: "workshop", scenario: "first-pod", nickname: "Other" });
      expect((await k8s(other.welcome.pin, token, "/api/v1/nodes")).status).to.equal(401);
      await other.room.leave();
    });
  });

  describe("reads", () => {
    it("lists pods in Kubernetes' shape, at the store's revision, matching the game's own state", async () => {
      const room = await serverRoom(host.room.roomId);
      const { status, body } = await k8s(pin, token, "/api/v1/namespaces/default/pods");
      expect(status).to.equal(200);
      expect(body.kind).to.equal("PodList");
      expect(Number(body.metadata.resourceVersion)).to.be.greaterThan(0);
      const names = body.items.map((p: Any) => p.metadata.name).sort();
      const stored = [...room.session.sim.state.pods.keys()];
      expect(names.length).to.be.greaterThan(0);
      expect(stored).to.include.members(names.slice(0, 1));
      const pod = body.items[0];
      expect(pod).to.include({ kind: "Pod", apiVersion: "v1" });
      expect(pod.metadata).to.include.keys("uid", "resourceVersion", "creationTimestamp", "namespace");
      expect(pod.metadata.creationTimestamp).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(pod.spec.containers[0].resources.requests.cpu).to.match(/^\d+m?$/);
      expect(["Pending", "Running", "Succeeded", "Failed"]).to.include(pod.status.phase);
    });

    it("gets one object, and a missing one is NotFound as kubectl expects it", async () => {
      const node = await k8s(pin, token, "/api/v1/nodes/node-1");
      expect(node.body).to.include({ kind: "Node" });
      expect(node.body.status.conditions[0].type).to.equal("Ready");
      const missing = await k8s(pin, token, "/api/v1/namespaces/default/pods/nope");
      expect(missing.status).to.equal(404);
      expect(missing.body.message).to.equal('pods "nope" not found');
      expect(missing.body.details).to.deep.include({ name: "nope", kind: "pods" });
    });

    it("prints tables on the server, with wide columns at priority 1", async () => {
      const { body } = await k8s(pin, token, "/api/v1/namespaces/default/pods", { headers: TABLE });
      expect(body.kind).to.equal("Table");
      expect(body.columnDefinitions.map((c: Any) => c.name)).to.deep.equal([
        "Name",
        "Ready",
        "Status",
        "Restarts",
        "Age",
        "IP",
        "Node",
        "Nominated Node",
        "Readiness Gates",
      ]);
      expect(body.columnDefinitions.find((c: Any) => c.name === "Node").priority).to.equal(1);
      const row = body.rows[0];
      expect(row.cells[1]).to.match(/^\d\/1$/);
      expect(row.object.kind).to.equal("PartialObjectMetadata");
      const nodes = (await k8s(pin, token, "/api/v1/nodes", { headers: TABLE })).body;
      const cp = nodes.rows.find((r: Any) => r.cells[0] === "cp-1");
      expect(cp.cells[2]).to.equal("control-plane");
    });

    it("filters by label and by field, and refuses a field the resource does not index", async () => {
      const web = (await k8s(pin, token, "/api/v1/namespaces/default/pods?labelSelector=app%3Dweb")).body.items;
      expect(web.length).to.be.greaterThan(0);
      expect(web.every((p: Any) => p.metadata.labels.app === "web")).to.equal(true);
      const onNode = (await k8s(pin, token, "/api/v1/namespaces/default/pods?fieldSelector=spec.nodeName%3Dnode-1")).body.items;
      expect(onNode.every((p: Any) => p.spec.nodeName === "node-1")).to.equal(true);
      const notIn = (await k8s(pin, token, "/api/v1/namespaces/default/pods?labelSelector=app%20notin%20(web)")).body.items;
      expect(notIn.some((p: Any) => p.metadata.labels.app === "web")).to.equal(false);
      const bad = await k8s(pin, token, "/api/v1/namespaces/default/pods?fieldSelector=spec.colour%3Dred");
      expect(bad.status).to.equal(400);
      expect(bad.body.message).to.match(/not a known field selector/);
    });

    it("serves the deployment's scale subresource and the node leases", async () => {
      const scale = (await k8s(pin, token, "/apis/apps/v1/namespaces/default/deployments/web/scale")).body;
      expect(scale).to.include({ kind: "Scale", apiVersion: "autoscaling/v1" });
      expect(scale.status.selector).to.equal("app=web");
      const leases = (await k8s(pin, token, "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases")).body.items;
      expect(leases.map((l: Any) => l.metadata.name)).to.include("node-1");
      const unknownNs = await k8s(pin, token, "/api/v1/namespaces/nowhere/pods");
      expect(unknownNs.status).to.equal(404);
      expect(unknownNs.body.message).to.equal('namespaces "nowhere" not found');
    });

    it("puts kubectl's reads in the room's API log, under the caller's name", async () => {
      const room = await serverRoom(host.room.roomId);
      await k8s(pin, token, "/api/v1/nodes");
      await until(() => room.session.sim.api.recentAudit().some((a) => a.type === "read" && a.path === "/api/v1/nodes"), 3000, "the read in the API log");
      const entry = room.session.sim.api.recentAudit().findLast((a) => a.path === "/api/v1/nodes")!;
      expect(entry).to.include({ verb: "GET", code: 200, actor: "host (kubectl)" });
    });
  });

  describe("watch", () => {
    it("streams the changes after a resourceVersion: a scale made through the API arrives as MODIFIED", async () => {
      const list = (await k8s(pin, token, "/apis/apps/v1/namespaces/default/deployments")).body;
      const rv = list.metadata.resourceVersion;
      const watching = watchUntil(pin, token, `/apis/apps/v1/namespaces/default/deployments?watch=true&resourceVersion=${rv}`, (ev) =>
        ev.some((e) => e.type === "MODIFIED" && e.object.spec.replicas === 9),
      );
      const scaled = await k8s(
        pin,
        token,
        "/apis/apps/v1/namespaces/default/deployments/web/scale",
        patch({ spec: { replicas: 9 } }, "application/merge-patch+json"),
      );
      expect(scaled.status).to.equal(200);
      const events = await watching;
      const mod = events.find((e) => e.type === "MODIFIED" && e.object.spec.replicas === 9);
      expect(mod, JSON.stringify(events.map((e) => e.type))).to.not.equal(undefined);
      expect(Number(mod!.object.metadata.resourceVersion)).to.be.greaterThan(Number(rv));
      expect(events.every((e) => e.object.kind === "Deployment")).to.equal(true);
    });

    it("starts with the current objects as ADDED when no resourceVersion is given, filtered by selector", async () => {
      const events = await watchUntil(pin, token, "/api/v1/nodes?watch=1&fieldSelector=metadata.name%3Dnode-2", (ev) => ev.length >= 1, 3000);
      expect(events[0].type).to.equal("ADDED");
      expect(events.every((e) => e.object.metadata.name === "node-2")).to.equal(true);
    });

    it("tells a watcher whose resourceVersion was compacted away to list again (410 Expired)", async () => {
      const { store } = await gameServer();
      const key = storeKeyOf(pin);
      const revision = await store.revision(key);
      await store.compact(key, revision - 1);
      const events = await watchUntil(
        pin,
        token,
        "/api/v1/namespaces/default/pods?watch=true&resourceVersion=1",
        (ev) => ev.some((e) => e.type === "ERROR"),
        3000,
      );
      const err = events.find((e) => e.type === "ERROR");
      expect(err?.object).to.include({ kind: "Status", code: 410, reason: "Expired" });
    });

    it("ends a watch when the game it follows is replaced, with a Status saying why", async () => {
      const lobby = await create({ mode: "workshop", scenario: "first-pod", nickname: "Lobby" });
      const p = lobby.welcome.pin;
      const watching = watchUntil(p, lobby.welcome.hostToken!, "/api/v1/nodes?watch=true", (ev) => ev.some((e) => e.type === "ERROR"), 8000);
      await new Promise((r) => setTimeout(r, 300));
      expect((await ask(lobby, "host.scenario", { scenario: "free-play" })).code).to.equal(200);
      const err = (await watching).find((e) => e.type === "ERROR");
      expect(err?.object).to.include({ kind: "Status", code: 410 });
      expect(err?.object.message).to.match(/new scenario/);
      await lobby.room.leave();
    });

    it("sends Table rows when asked, with the column definitions on the first event only", async () => {
      const { port } = await gameServer();
      const ctrl = new AbortController();
      const res = await fetch(`http://127.0.0.1:${port}/k8s/${pin}/api/v1/nodes?watch=true`, {
        headers: { Authorization: `Bearer ${token}`, ...TABLE },
        signal: ctrl.signal,
      });
      const reader = res.body!.getReader();
      let text = "";
      while (text.split("\n").length < 3) text += new TextDecoder().decode((await reader.read()).value);
      ctrl.abort();
      const [first, second] = text
        .split("\n")
        .slice(0, 2)
        .map((l) => JSON.parse(l));
      expect(first.object.kind).to.equal("Table");
      expect(first.object.columnDefinitions.length).to.be.greaterThan(3);
      expect(second.object.columnDefinitions).to.deep.equal([]);
      expect(second.object.rows).to.have.length(1);
    });
  });

  describe("writes", () => {
    it("cordons and uncordons a node by patch, through the game's API as the cluster admin", async () => {
      const room = await serverRoom(host.room.roomId);
      const res = await k8s(pin, token, "/api/v1/nodes/node-3", patch({ spec: { unschedulable: true } }));
      expect(res.status).to.equal(200);
      expect(res.body.spec.unschedulable).to.equal(true);
      expect(room.session.sim.state.nodes.get("node-3")!.spec.unschedulable).to.equal(true);
      const entry = room.session.sim.api.recentAudit().findLast((a) => a.type === "cordon")!;
      expect(entry).to.include({ user: "admin", actor: "host (kubectl)", code: 200 });
      // The same four checks as a panel's request: passed them all, and stored at the node's revision.
      expect(entry).to.include({ refusedAt: "", revision: room.session.sim.state.nodes.get("node-3")!.metadata.resourceVersion + entry.writes - 1 });
      expect(entry.writes).to.be.at.least(1);
      // kubectl uncordon sends null: the strategic merge patch's way of removing the field.
      const back = await k8s(pin, token, "/api/v1/nodes/node-3", patch({ spec: { unschedulable: null } }));
      expect(back.body.spec.unschedulable).to.equal(undefined);
      expect(room.session.sim.state.nodes.get("node-3")!.spec.unschedulable).to.equal(false);
    });

    it("refuses a patch of anything the game does not let change, naming the field, and changes nothing", async () => {
      const room = await serverRoom(host.room.roomId);
      const before = room.session.sim.state.revision;
      const res = await k8s(pin, token, "/api/v1/nodes/node-3", patch({ spec: { unschedulable: true, podCIDR: "1.2.3.0/24" } }));
      expect(res.status).to.equal(422);
      expect(res.body.reason).to.equal("Invalid");
      expect(res.body.details.causes[0].field).to.equal("spec.podCIDR");
      expect(room.session.sim.state.nodes.get("node-3")!.spec.unschedulable).to.equal(false);
      expect(room.session.sim.state.revision - before).to.be.lessThan(50); // only the game's own ticks
      const jsonPatch = await k8s(
        pin,
        token,
        "/apis/apps/v1/namespaces/default/deployments/web",
        patch([{ op: "replace", path: "/spec/replicas", value: 4 }], "application/json-patch+json"),
      );
      expect(jsonPatch.status).to.equal(200);
      expect(jsonPatch.body.spec.replicas).to.equal(4);
      const junk = await k8s(pin, token, "/api/v1/nodes/node-3", {
        method: "PATCH",
        body: "{not json",
        headers: { "Content-Type": "application/merge-patch+json" },
      });
      expect(junk.status).to.equal(400);
      expect(junk.body).to.include({ kind: "Status", reason: "BadRequest" });
    });

    it("creates a pod for a deployment that lacks one; the API server picks its name", async () => {
      const room = await serverRoom(host.room.roomId);
      // The controller manager's bot would create the missing pods at the next tick (on a loaded
      // machine one can pass between two requests): off while this request creates one.
      const botWas = room.session.sim.isBot("controller-manager");
      room.session.sim.setBot("controller-manager", false);
      await k8s(pin, token, "/apis/apps/v1/namespaces/default/deployments/api/scale", patch({ spec: { replicas: 12 } }, "application/merge-patch+json"));
      const res = await k8s(
        pin,
        token,
        "/api/v1/namespaces/default/pods",
        json({ apiVersion: "v1", kind: "Pod", metadata: { name: "mine", labels: { app: "api" } }, spec: { containers: [{ name: "c", image: "x" }] } }),
      ).finally(() => room.session.sim.setBot("controller-manager", botWas));
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body.metadata.name).to.match(/^api-/);
      expect(room.session.sim.state.pods.has(res.body.metadata.name)).to.equal(true);
      const unlabelled = await k8s(pin, token, "/api/v1/namespaces/default/pods", json({ kind: "Pod", metadata: { name: "stray" } }));
      expect(unlabelled.status).to.equal(422);
      expect(unlabelled.body.details).to.deep.include({ name: "stray", kind: "Pod" });
      expect(unlabelled.body.message).to.match(/every pod belongs to a deployment/);
    });

    it("deletes a pod (it terminates through its kubelet) and answers with the object", async () => {
      const room = await serverRoom(host.room.roomId);
      const victim = [...room.session.sim.state.pods.values()].find((p) => p.status.phase === "Running")!.metadata.name;
      const res = await k8s(pin, token, `/api/v1/namespaces/default/pods/${victim}`, { method: "DELETE" });
      expect(res.status).to.equal(200);
      expect(res.body.metadata.name).to.equal(victim);
      expect(res.body.metadata.deletionTimestamp).to.be.a("string");
      await until(() => !room.session.sim.state.pods.has(victim), 10_000, "the pod gone");
    });

    it("a player acts as their seat: the scheduler may bind, and may not scale — the Status says who may", async () => {
      const room = await serverRoom(host.room.roomId);
      const studentToken = (student.welcome as Any).apiToken as string;
      const denied = await k8s(
        pin,
        studentToken,
        "/apis/apps/v1/namespaces/default/deployments/web/scale",
        patch({ spec: { replicas: 1 } }, "application/merge-patch+json"),
      );
      expect(denied.status).to.equal(403);
      expect(denied.body.message).to.equal(
        'deployments.apps "web" is forbidden: User "system:kube-scheduler" cannot patch resource "deployments/scale" in API group "apps" in the namespace "default": system:kube-scheduler may not scale deployments: only the cluster admin (the host) scales deployments',
      );
      await until(() => [...room.session.sim.state.pods.values()].some((p) => p.status.phase === "Pending" && !p.spec.nodeName), 10_000, "a pending pod");
      const pending = [...room.session.sim.state.pods.values()].find((p) => p.status.phase === "Pending" && !p.spec.nodeName)!.metadata.name;
      const bound = await k8s(
        pin,
        studentToken,
        `/api/v1/namespaces/default/pods/${pending}/binding`,
        json({ apiVersion: "v1", kind: "Binding", metadata: { name: pending }, target: { apiVersion: "v1", kind: "Node", name: "node-1" } }),
      );
      expect(bound.status, JSON.stringify(bound.body)).to.equal(201);
      expect(room.session.sim.state.pods.get(pending)!.spec.nodeName).to.equal("node-1");
      const entry = room.session.sim.api.recentAudit().findLast((a) => a.type === "bind")!;
      expect(entry.actor).to.match(/\(kubectl\)$/);
      expect(entry.refusedAt).to.equal("");
      expect(entry.writes).to.be.at.least(1);
      expect(entry.revision).to.be.at.least(entry.writes);
      // The refused scale before it stopped at the second check, permission.
      const scaled = room.session.sim.api.recentAudit().findLast((a) => a.type === "scale")!;
      expect(scaled).to.include({ code: 403, refusedAt: "permission", writes: 0 });
    });

    it("refuses writes while the game is paused, and says so", async () => {
      expect((await ask(host, "host.pause")).code).to.equal(200);
      const res = await k8s(pin, token, "/api/v1/nodes/node-1", patch({ spec: { unschedulable: true } }));
      expect(res.status).to.equal(409);
      expect(res.body.message).to.match(/paused/);
      expect((await ask(host, "host.resume")).code).to.equal(200);
    });

    it("is also served over HTTPS, where kubectl sends its token", async () => {
      const { apiUrl } = await gameServer();
      const body = await new Promise<string>((resolve, reject) => {
        https
          .get(`${apiUrl}/k8s/${pin}/api/v1/nodes`, { headers: { Authorization: `Bearer ${token}` }, rejectUnauthorized: false }, (res) => {
            let b = "";
            res.on("data", (d) => (b += d));
            res.on("end", () => resolve(b));
          })
          .on("error", reject);
      });
      expect(JSON.parse(body).kind).to.equal("NodeList");
    });
  });

  it("slows down a token that floods it (429 with Retry-After), leaving other players alone", async () => {
    const flooder = await join(pin, { nickname: "Flood" });
    const t = (flooder.welcome as Any).apiToken as string;
    const answers = await Promise.all(Array.from({ length: 40 }, () => k8s(pin, t, "/api/v1/nodes", {}, false)));
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).to.be.greaterThan(0);
    expect(limited[0].headers.get("retry-after")).to.equal("1");
    expect(limited[0].body.message).to.match(/slow down/);
    expect((await k8s(pin, token, "/api/v1/nodes", {}, false)).status).to.equal(200);
    await flooder.room.leave();
  });

  it("answers whatever it is sent — odd paths, verbs and bodies — with a Status, and the game plays on", async () => {
    const room = await serverRoom(host.room.roomId);
    const { port } = await gameServer();
    // A player of its own, so its share of the rate limit is not the host's.
    const fuzzer = await join(pin, { nickname: "Fuzz" });
    expect((await ask(fuzzer, "seat.take", { seat: "controller-manager" })).code).to.equal(200);
    const fuzzToken = (fuzzer.welcome as Any).apiToken as string;
    const paths = [
      "/api/v1/pods/x/y/z/w",
      "/apis/apps/v1/namespaces/default/deployments/web/scale/extra",
      "/api/v1/namespaces/default/pods/%ZZ",
      "/apis/x",
      "/apis/apps/v2/deployments",
      "/api/v1/namespaces/default/pods?watch=true&resourceVersion=-5&timeoutSeconds=1",
      "/api/v1/nodes/node-1?labelSelector=((",
      "/api/v1/namespaces/default/pods/web/binding",
      "/api/v1/namespaces/kube-system/pods",
    ];
    const bodies = [
      undefined,
      "null",
      "[]",
      "{}",
      '{"spec":{"replicas":"many"}}',
      '{"spec":{"unschedulable":"yes"}}',
      '{"target":{"kind":"Pod","name":7}}',
      `{"metadata":{"labels":{"app":"${"x".repeat(200)}"}}}`,
      "x".repeat(70_000),
    ];
    const types = ["application/json", "application/merge-patch+json", "application/json-patch+json", "text/plain"];
    const before = room.session.sim.state.revision;
    let n = 0;
    for (const path of paths) {
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]) {
        const body = method === "GET" || method === "OPTIONS" ? undefined : bodies[n % bodies.length];
        const res = await fetch(`http://127.0.0.1:${port}/k8s/${pin}${path}`, {
          method,
          body,
          headers: { Authorization: `Bearer ${fuzzToken}`, "Content-Type": types[n++ % types.length] },
        });
        const text = await res.text();
        if (res.status === 429) continue;
        expect(res.status, `${method} ${path}: ${text.slice(0, 200)}`)
          .to.be.at.least(200)
          .and.below(500);
        if (method === "OPTIONS" && res.status === 204) continue; // CORS preflight, answered by the server before the API
        const answer = path.includes("watch=true") && res.status === 200 ? JSON.parse(text.split("\n")[0]) : JSON.parse(text);
        if (res.status >= 400) expect(answer.kind, `${method} ${path}`).to.equal("Status");
      }
    }
    await until(() => room.session.sim.state.revision > before, 5000, "the game going on");
    expect((await k8s(pin, token, "/api/v1/nodes")).status).to.equal(200);
    await fuzzer.room.leave();
  });

  it("a player with no seat can read but not write", async () => {
    const watcher = await join(pin, { nickname: "Quiet" });
    const t = (watcher.welcome as Any).apiToken as string;
    expect((await k8s(pin, t, "/api/v1/nodes")).status).to.equal(200);
    const res = await k8s(pin, t, "/api/v1/nodes/node-1", patch({ spec: { unschedulable: true } }));
    expect(res.status).to.equal(403);
    expect(res.body.message).to.match(/plays no component yet/);
    // The API log shows the refusal like any other: known, then stopped at permission, nothing stored.
    const room = await serverRoom(host.room.roomId);
    const entry = room.session.sim.api.recentAudit().findLast((a) => a.actor === "Quiet (kubectl)")!;
    expect(entry).to.include({ user: "Quiet", type: "cordon", code: 403, refusedAt: "permission", writes: 0 });
    await watcher.room.leave();
  });
});
