import { expect } from "chai";
import { decodeAccessReview } from "../../server/k8s/protobuf.ts";

/** A length-delimited protobuf field (what kubectl's encoder writes for strings and messages). */
const field = (n: number, body: Buffer | string) => {
  const b = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  return Buffer.concat([Buffer.from([(n << 3) | 2, b.length]), b]);
};
const message = (...parts: Buffer[]) => Buffer.concat(parts);

/** A SelfSubjectAccessReview as kubectl 1.32 sends it for `auth can-i create pods --subresource=binding`. */
function kubectlReview(): Buffer {
  const attrs = message(field(1, "default"), field(2, "create"), field(3, ""), field(4, ""), field(5, "pods"), field(6, "binding"), field(7, ""));
  const review = message(field(1, message()), field(2, field(1, attrs)), field(3, message()));
  const typeMeta = message(field(1, "authorization.k8s.io/v1"), field(2, "SelfSubjectAccessReview"));
  return Buffer.concat([Buffer.from("k8s\0", "binary"), field(1, typeMeta), field(2, review), field(3, ""), field(4, "")]);
}

describe("the Kubernetes API's protobuf access reviews (kubectl 1.32's auth can-i)", () => {
  it("reads the verb, resource and subresource asked about", () => {
    const r = decodeAccessReview(kubectlReview());
    expect(r.kind).to.equal("SelfSubjectAccessReview");
    expect(r.spec.resourceAttributes).to.deep.include({ namespace: "default", verb: "create", resource: "pods", subresource: "binding" });
  });

  it("refuses what is not Kubernetes protobuf, and a cut-off message, with a reason", () => {
    expect(() => decodeAccessReview(Buffer.from('{"spec":{}}'))).to.throw(/not a Kubernetes protobuf message/);
    const whole = kubectlReview();
    expect(() => decodeAccessReview(whole.subarray(0, whole.length - 30))).to.throw(/truncated/);
  });
});
