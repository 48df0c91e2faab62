/**
 * Deployments and services written through the rooms' Kubernetes API, as curl or any client
 * sends them: create (201 with the object, 409 AlreadyExists), replace (PUT), the three patch
 * shapes, delete (404 once gone), and 422s with details.causes one per field; and the pure
 * pieces behind them (quantities, strategic merge, JSON patch).
 */
import { expect } from "chai";
import { parseCpu, parseMemory } from "../../server/k8s/manifests.ts";
import { jsonPatch, mergePatch, strategicMerge } from "../../server/k8s/strategicMerge.ts";
import { gameServer, runningWorkshop, serverRoom, type Joined } from "../support/gameServer.ts";

type Any = Record<string, any>;

async function k8s(pin: string, token: string, path: string, init: RequestInit = {}): Promise<{ status: number; body: Any }> {
  const { port } = await gameServer();
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`http://127.0.0.1:${port}/k8s/${pin}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${token}`, ...(init.headers as Record<string, string> | undefined) },
    });
    const text = await res.text();
    if (res.status === 429 && attempt < 10) {
      await new Promise((r) => setTimeout(r, 1000));
      continue;
    }
    return { status: res.status, body: text ? JSON.parse(text) : {} };
  }
}

const send = (method: string, body: unknown, type = "application/json") => ({ method, body: JSON.stringify(body), headers: { "Content-Type": type } });
const DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments";
const SERVICES = "/api/v1/namespaces/default/services";

function deployment(name: string, o: { replicas?: number; image?: string; labels?: Any; selector?: Any | null; cpu?: string } = {}): Any {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name },
    spec: {
      replicas: o.replicas ?? 1,
      ...(o.selector === null ? {} : { selector: { matchLabels: o.selector ?? { app: name } } }),
      template: {
        metadata: { labels: o.labels ?? { app: name } },
        spec: { containers: [{ name, image: o.image ?? "nginx:1.27", resources: { requests: { cpu: o.cpu ?? "100m", memory: "64Mi" } } }] },
      },
    },
  };
}

describe("deployments and services through the Kubernetes API", function () {
  this.timeout(30_000);
  let host: Joined;
  let pin: string;
  let token: string;

  before(async () => {
    ({ host } = await runningWorkshop("free-play"));
    pin = host.welcome.pin;
    token = host.welcome.hostToken!;
  });
  after(async () => {
    await host.room.leave();
  });
  const sim = async () => (await serverRoom(host.room.roomId)).session.sim;

  it("creates a deployment (201 with the object), refuses the same name again (409 AlreadyExists)", async () => {
    const res = await k8s(pin, token, DEPLOYMENTS, send("POST", deployment("cart", { replicas: 2 })));
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body).to.deep.include({ kind: "Deployment", apiVersion: "apps/v1" });
    expect(res.body.spec.template.spec.containers[0]).to.deep.include({ name: "cart", image: "nginx:1.27" });
    expect((await sim()).state.deployments.get("cart")!.spec.replicas).to.equal(2);
    const again = await k8s(pin, token, DEPLOYMENTS, send("POST", deployment("cart")));
    expect(again.status).to.equal(409);
    expect(again.body).to.include({ reason: "AlreadyExists", message: 'deployments.apps "cart" already exists' });
  });

  it("patches a deployment's image by strategic merge, merge patch and JSON patch; replaces it with PUT", async () => {
    let res = await k8s(
      pin,
      token,
      `${DEPLOYMENTS}/cart`,
      send("PATCH", { spec: { template: { spec: { containers: [{ name: "cart", image: "nginx:1.28" }] } } } }, "application/strategic-merge-patch+json"),
    );
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.spec.template.spec.containers).to.have.length(1);
    expect(res.body.metadata.generation, "a new spec is a new generation, which kubectl rollout status waits to see observed").to.equal(2);
    expect((await sim()).state.deployments.get("cart")!.spec.template.image).to.equal("nginx:1.28");
    res = await k8s(
      pin,
      token,
      `${DEPLOYMENTS}/cart`,
      send("PATCH", { metadata: { labels: { team: "a" } }, spec: { replicas: 3 } }, "application/merge-patch+json"),
    );
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect((await sim()).state.deployments.get("cart")!.spec.replicas).to.equal(3);
    expect(res.body.metadata.generation).to.equal(3);
    res = await k8s(
      pin,
      token,
      `${DEPLOYMENTS}/cart`,
      send("PATCH", [{ op: "replace", path: "/spec/template/spec/containers/0/image", value: "nginx:1.29" }], "application/json-patch+json"),
    );
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect((await sim()).state.deployments.get("cart")!.spec.template.image).to.equal("nginx:1.29");
    res = await k8s(pin, token, `${DEPLOYMENTS}/cart`, send("PUT", deployment("cart", { replicas: 1, cpu: "200m" })));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const d = (await sim()).state.deployments.get("cart")!;
    expect([d.spec.replicas, d.spec.template.requests.cpu, d.spec.template.image]).to.deep.equal([1, 200, "nginx:1.27"]);
    const missing = await k8s(pin, token, `${DEPLOYMENTS}/nothing`, send("PATCH", { spec: { template: {} } }, "application/merge-patch+json"));
    expect(missing.status).to.equal(404);
  });

  it("answers an invalid deployment with 422 and one cause per field, and creates nothing", async () => {
    const res = await k8s(pin, token, DEPLOYMENTS, send("POST", deployment("huge", { selector: null, cpu: "64" })));
    expect(res.status).to.equal(422);
    expect(res.body.details).to.deep.include({ name: "huge", group: "apps", kind: "Deployment" });
    expect(res.body.details.causes.map((c: Any) => [c.reason, c.field])).to.deep.equal([
      ["FieldValueRequired", "spec.selector"],
      ["FieldValueInvalid", "spec.template.spec.containers[0].resources.requests[cpu]"],
    ]);
    const mismatch = await k8s(pin, token, DEPLOYMENTS, send("POST", deployment("odd", { labels: { app: "even" } })));
    expect(mismatch.body.details.causes.map((c: Any) => c.field)).to.deep.equal(["spec.template.metadata.labels"]);
    const shapes = await k8s(
      pin,
      token,
      DEPLOYMENTS,
      send("POST", { kind: "Deployment", metadata: { name: "empty" }, spec: { template: { spec: { containers: [] } } } }),
    );
    expect(shapes.status).to.equal(422);
    expect(shapes.body.details.causes.map((c: Any) => c.field)).to.deep.equal(["spec.template.spec.containers"]);
    const quantity = await k8s(pin, token, DEPLOYMENTS, send("POST", deployment("q", { cpu: "lots" })));
    expect(quantity.body.details.causes[0]).to.include({ field: "spec.template.spec.containers[0].resources.requests[cpu]" });
    const kind = await k8s(pin, token, DEPLOYMENTS, send("POST", { ...deployment("svc"), kind: "Service" }));
    expect(kind.status).to.equal(400);
    const names = [...(await sim()).state.deployments.keys()];
    for (const n of ["huge", "odd", "empty", "q", "svc"]) expect(names).to.not.include(n);
  });

  it("creates, patches and deletes a service; deletes a deployment; each delete of what is gone is 404", async () => {
    const svc = { apiVersion: "v1", kind: "Service", metadata: { name: "cart" }, spec: { selector: { app: "cart" }, ports: [{ port: 8080 }] } };
    let res = await k8s(pin, token, SERVICES, send("POST", svc));
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect((await sim()).state.services.get("cart")!.spec.rps).to.equal(20);
    res = await k8s(
      pin,
      token,
      `${SERVICES}/cart`,
      send("PATCH", { metadata: { annotations: { "clustercrew.dev/rps": "45" } } }, "application/strategic-merge-patch+json"),
    );
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect((await sim()).state.services.get("cart")!.spec.rps).to.equal(45);
    const noPorts = await k8s(pin, token, SERVICES, send("POST", { kind: "Service", metadata: { name: "bare" }, spec: { selector: {} } }));
    expect(noPorts.body.details.causes.map((c: Any) => c.field)).to.deep.equal(["spec.ports"]);
    for (const path of [`${SERVICES}/cart`, `${DEPLOYMENTS}/cart`]) {
      expect((await k8s(pin, token, path, { method: "DELETE" })).status).to.equal(200);
      expect((await k8s(pin, token, path, { method: "DELETE" })).status).to.equal(404);
    }
    expect((await sim()).state.services.has("cart")).to.equal(false);
  });
});

describe("the pieces of a manifest write", () => {
  it("reads CPU and memory quantities as millicores and MiB", () => {
    expect([parseCpu("250m"), parseCpu("0.5"), parseCpu("2"), parseCpu(1), parseCpu("-1"), parseCpu("lots")]).to.deep.equal([
      250,
      500,
      2000,
      1000,
      undefined,
      undefined,
    ]);
    expect([parseMemory("128Mi"), parseMemory("1Gi"), parseMemory("134217728"), parseMemory("100M"), parseMemory("1Ti"), parseMemory("x")]).to.deep.equal([
      128,
      1024,
      128,
      96,
      1_048_576,
      undefined,
    ]);
  });

  it("merges a strategic-merge patch: containers by name, service ports by port, null deletes, directives", () => {
    const live = {
      spec: {
        template: {
          spec: {
            containers: [
              { name: "a", image: "x", env: [{ name: "K", value: "1" }] },
              { name: "b", image: "y" },
            ],
          },
        },
      },
    };
    const out = strategicMerge(
      live,
      { spec: { template: { spec: { "$setElementOrder/containers": [{ name: "a" }], containers: [{ name: "a", image: "z", env: null }] } } } },
      "Deployment",
    ) as Any;
    expect(out.spec.template.spec.containers).to.deep.equal([
      { name: "a", image: "z" },
      { name: "b", image: "y" },
    ]);
    const deleted = strategicMerge(live, { spec: { template: { spec: { containers: [{ name: "b", $patch: "delete" }] } } } }, "Deployment") as Any;
    expect(deleted.spec.template.spec.containers.map((c: Any) => c.name)).to.deep.equal(["a"]);
    const svc = strategicMerge(
      { spec: { ports: [{ port: 80, targetPort: 8080 }] } },
      { spec: { ports: [{ port: 80, targetPort: 80 }, { port: 443 }] } },
      "Service",
    ) as Any;
    expect(svc.spec.ports).to.deep.equal([{ port: 80, targetPort: 80 }, { port: 443 }]);
    const poisoned = strategicMerge({}, JSON.parse('{"__proto__": {"polluted": true}}'), "Service") as Any;
    expect(({} as Any).polluted).to.equal(undefined);
    expect(Object.getPrototypeOf(poisoned)).to.equal(Object.prototype);
  });

  it("applies a merge patch (lists replaced) and a JSON patch", () => {
    expect(mergePatch({ a: [1, 2], b: { c: 1, d: 2 } }, { a: [3], b: { d: null } })).to.deep.equal({ a: [3], b: { c: 1 } });
    expect(
      jsonPatch({ a: [{ x: 1 }] }, [
        { op: "replace", path: "/a/0/x", value: 2 },
        { op: "add", path: "/b", value: 3 },
      ]),
    ).to.deep.equal({ a: [{ x: 2 }], b: 3 });
    expect(() => jsonPatch({}, [{ op: "replace", path: "/a/b", value: 1 }])).to.throw(/does not exist/);
  });
});
