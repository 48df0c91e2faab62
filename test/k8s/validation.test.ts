/**
 * The Kubernetes API's validation of a write's body, before anything reaches the game: each case
 * is a write → the refusal kubectl prints (field and message, as the real API server words it).
 * A refused write becomes no game request at all, and its answer never repeats a long value.
 */
import { expect } from "chai";
import { requestFor, type WriteCall } from "../../server/k8s/writes.ts";

const big = "a".repeat(60 * 1024);
const pod = (metadata: Record<string, unknown>, spec: unknown = { containers: [{ name: "extra", image: "nginx" }] }): WriteCall => ({
  verb: "POST",
  resource: "pods",
  namespace: "default",
  body: { apiVersion: "v1", kind: "Pod", metadata: { name: "extra", ...metadata }, spec },
  contentType: "application/json",
});

const refused: [string, WriteCall, number, string, RegExp][] = [
  [
    "a 60 KB label value",
    pod({ labels: { app: big } }),
    422,
    "metadata.labels",
    /^Invalid value: "a{40}"… \(61,440 characters\): must be no more than 63 characters$/,
  ],
  [
    "a label value with a space",
    pod({ labels: { app: "web", tier: "front end" } }),
    422,
    "metadata.labels",
    /"front end": a valid label must be an empty string or consist of alphanumeric characters/,
  ],
  ["a label that is not a string", pod({ labels: { app: 7 } }), 422, "metadata.labels", /a label's value must be a string/],
  [
    "a label key of 64 characters",
    pod({ labels: { app: "web", ["k".repeat(64)]: "x" } }),
    422,
    "metadata.labels",
    /name part must be no more than 63 characters/,
  ],
  [
    "a label key with a bad prefix",
    pod({ labels: { app: "web", "Example.COM/tier": "x" } }),
    422,
    "metadata.labels",
    /prefix part a lowercase RFC 1123 subdomain/,
  ],
  ["a label key with a space", pod({ labels: { app: "web", "my key": "x" } }), 422, "metadata.labels", /name part must consist of alphanumeric characters/],
  [
    "annotations past 256 KiB",
    pod({ labels: { app: "web" }, annotations: { a: big, b: big, c: big, d: big, e: big } }),
    422,
    "metadata.annotations",
    /^Too long: must have at most 262144 bytes$/,
  ],
  ["an annotation key with a space", pod({ labels: { app: "web" }, annotations: { "my note": "x" } }), 422, "metadata.annotations", /name part must consist/],
  ["a 300-character name", pod({ name: "n".repeat(300), labels: { app: "web" } }), 422, "metadata.name", /must be no more than 253 characters/],
  ["an upper-case name", pod({ name: "Extra", labels: { app: "web" } }), 422, "metadata.name", /a lowercase RFC 1123 subdomain must consist/],
  [
    "a generateName that cannot start a name",
    pod({ name: undefined, generateName: "-x-", labels: { app: "web" } }),
    422,
    "metadata.generateName",
    /RFC 1123 subdomain/,
  ],
  ["a namespace that is no DNS label", pod({ namespace: "Default", labels: { app: "web" } }), 422, "metadata.namespace", /RFC 1123 label/],
  ["a container without a name", pod({ labels: { app: "web" } }, { containers: [{ image: "nginx" }] }), 422, "spec.containers[0].name", /^Required value$/],
  [
    "a container named in capitals",
    pod({ labels: { app: "web" } }, { containers: [{ name: "Web", image: "nginx" }] }),
    422,
    "spec.containers[0].name",
    /RFC 1123 label/,
  ],
  ["a container without an image", pod({ labels: { app: "web" } }, { containers: [{ name: "web" }] }), 422, "spec.containers[0].image", /^Required value$/],
  [
    "an image with trailing spaces",
    pod({ labels: { app: "web" } }, { containers: [{ name: "web", image: "nginx " }] }),
    422,
    "spec.containers[0].image",
    /leading or trailing whitespace/,
  ],
  [
    "a body of another kind with a long name",
    { ...pod({ labels: { app: "web" } }), body: { kind: big, metadata: { labels: { app: "web" } } } },
    422,
    "kind",
    /"a{40}"… \(61,440 characters\), not a Pod/,
  ],
  [
    "a binding to a 60 KB node name",
    {
      verb: "POST",
      resource: "pods",
      namespace: "default",
      name: "web-1",
      subresource: "binding",
      body: { target: { kind: "Node", name: big } },
      contentType: "application/json",
    },
    422,
    "target.name",
    /"a{40}"… \(61,440 characters\): not a node's name/,
  ],
  [
    "a delete of a 8,000-character name",
    { verb: "DELETE", resource: "pods", namespace: "default", name: "p".repeat(8000), body: undefined, contentType: "" },
    404,
    "",
    /^pods "p{40}"… \(8,000 characters\) not found$/,
  ],
  [
    "a JSON patch of a 60 KB path",
    { verb: "PATCH", resource: "nodes", name: "node-1", body: [{ op: "replace", path: `/${big}`, value: 1 }], contentType: "application/json-patch+json" },
    422,
    "patch",
    /not "\/a{39}"… \(61,441 characters\)$/,
  ],
  [
    "a merge patch of 60 KB fields",
    { verb: "PATCH", resource: "nodes", name: "node-1", body: { spec: { [big]: 1, b: 2, c: 3, d: 4 } }, contentType: "application/merge-patch+json" },
    422,
    "patch",
    /cannot change "spec\.a{35}"… \(61,445 characters\), spec\.b, spec\.c and 1 more$/,
  ],
  [
    "a namespace of 8,000 characters",
    { ...pod({ labels: { app: "web" } }), namespace: "n".repeat(8000) },
    403,
    "",
    /nothing can be written in "n{40}"… \(8,000 characters\)$/,
  ],
];

describe("the Kubernetes API's validation of writes", () => {
  for (const [what, call, code, field, says] of refused) {
    it(`refuses ${what}${field ? ` (${field})` : ""}, and nothing reaches the game`, () => {
      const r = requestFor(call);
      expect("ok" in r, JSON.stringify(r).slice(0, 200)).to.equal(true);
      if (!("ok" in r)) return;
      expect(r.code).to.equal(code);
      if (field) expect((r as { field?: string }).field).to.equal(field);
      expect(r.message).to.match(says);
      expect(r.message.length).to.be.below(700);
    });
  }

  it("lets a well-formed pod through as the game's request", () => {
    const r = requestFor(
      pod({ generateName: "extra-", labels: { app: "web", "app.kubernetes.io/part-of": "shop", empty: "" }, annotations: { note: "kubectl run" } }),
    );
    expect(r).to.deep.equal({ type: "createPod", deployment: "web" });
  });
});
