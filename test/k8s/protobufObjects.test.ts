/**
 * Objects kubectl 1.32 posts as protobuf (create deployment, create service), read as the JSON
 * the same command writes with -o json: the bytes here are kubectl 1.32's own.
 */
import { expect } from "chai";
import { decodeObject, isReadableProtobuf } from "../../server/k8s/protobufObjects.ts";
import { create, gameServer } from "../support/gameServer.ts";

/** `kubectl create deployment hello --image=nginx:1.27 --replicas=0 --port=8080`, as kubectl 1.32 sent it. */
const DEPLOYMENT = Buffer.from(
  "azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50EsYBCiMKBWhlbGxvEgAaACIAKgAyADgAQgBaDAoDYXBwEgVoZWxsbxKQAQgAEg4KDAoDYXBwEgVoZWxsbxp0Ch4KABIAGgAiACoAMgA4AEIAWgwKA2FwcBIFaGVsbG8SUhI0CgVuZ2lueBIKbmdpbng6MS4yNyoAMgsKABAAGJA/IgAqAEIAagByAIABAIgBAJABAKIBABoAMgBCAEoAUgBYAGAAaACCAQCKAQCaAQDCAQAiAgoAKAA4ABoMCAAQABgAIAAoADgAGgAiAA==",
  "base64",
);
/** `kubectl create service nodeport hello2 --tcp=80:web`, as kubectl 1.32 sent it. */
const SERVICE = Buffer.from(
  "azhzAAoNCgJ2MRIHU2VydmljZRJyCiUKBmhlbGxvMhIAGgAiACoAMgA4AEIAWg0KA2FwcBIGaGVsbG8yEkUKHAoGODAtd2ViEgNUQ1AYUCIJCAEQABoDd2ViKAASDQoDYXBwEgZoZWxsbzIaACIITm9kZVBvcnQ6AEIAUgBaAGAAaAAaAgoAGgAiAA==",
  "base64",
);

describe("objects kubectl sends as protobuf", () => {
  it("a Deployment reads as the JSON kubectl writes for it (a set zero kept: replicas 0)", () => {
    expect(decodeObject(DEPLOYMENT)).to.deep.equal({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "hello", creationTimestamp: null, labels: { app: "hello" } },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: "hello" } },
        template: {
          metadata: { creationTimestamp: null, labels: { app: "hello" } },
          spec: { containers: [{ name: "nginx", image: "nginx:1.27", ports: [{ containerPort: 8080 }], resources: {} }] },
        },
        strategy: {},
      },
    });
  });

  it("a Service reads with its port's target by name", () => {
    expect(decodeObject(SERVICE)).to.deep.equal({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "hello2", creationTimestamp: null, labels: { app: "hello2" } },
      spec: { ports: [{ name: "80-web", protocol: "TCP", port: 80, targetPort: "web" }], selector: { app: "hello2" }, type: "NodePort" },
    });
  });

  it("refuses what is not Kubernetes protobuf, a kind it does not read, and a cut-off message, saying why", () => {
    expect(() => decodeObject(Buffer.from('{"kind":"Pod"}'))).to.throw(/not a Kubernetes protobuf message/);
    const bareService = Buffer.concat([Buffer.from("k8s\0", "binary"), Buffer.from([0x0a, 0x0d, 0x0a, 0x02, 0x76, 0x31, 0x12, 0x07]), Buffer.from("Service")]);
    expect(decodeObject(bareService)).to.deep.equal({ apiVersion: "v1", kind: "Service" });
    const other = Buffer.concat([Buffer.from("k8s\0", "binary"), Buffer.from([0x0a, 0x0f, 0x0a, 0x02, 0x76, 0x31, 0x12, 0x09]), Buffer.from("ConfigMap")]);
    expect(() => decodeObject(other)).to.throw(/a ConfigMap \(v1\) in protobuf is not read here: send it as JSON/);
    // What a write route reads: these kinds, not (say) the DeleteOptions kubectl 1.32 sends with a delete.
    expect([DEPLOYMENT, SERVICE, bareService, other].map(isReadableProtobuf)).to.deep.equal([true, true, true, false]);
    expect(() => decodeObject(DEPLOYMENT.subarray(0, DEPLOYMENT.length - 20))).to.throw(/truncated/);
  });

  it("a write with an unreadable protobuf body is a 400 saying why", async () => {
    const host = await create({ mode: "workshop", scenario: "free-play", nickname: "Teacher" });
    const { port } = await gameServer();
    const res = await fetch(`http://127.0.0.1:${port}/k8s/${host.welcome.pin}/apis/apps/v1/namespaces/default/deployments`, {
      method: "POST",
      body: DEPLOYMENT.subarray(0, 40),
      headers: { Authorization: `Bearer ${host.welcome.hostToken}`, "Content-Type": "application/vnd.kubernetes.protobuf" },
    });
    expect(res.status).to.equal(400);
    expect(((await res.json()) as { message: string }).message).to.match(/^the request body could not be read: truncated/);
    await host.room.leave();
  });
});
