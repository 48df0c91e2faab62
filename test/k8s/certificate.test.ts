import { expect } from "chai";
import { X509Certificate } from "node:crypto";
import { derInteger, selfSignedCertificate } from "../../server/k8s/certificate.ts";

describe("the Kubernetes API's self-signed certificate", () => {
  const hex = (b: Buffer) => b.toString("hex");
  const cases: [string, string][] = [
    ["01", "020101"],
    ["7f", "02017f"],
    ["80", "02020080"],
    ["0001", "020101"], // a redundant leading zero goes (OpenSSL: "illegal padding")
    ["000080", "02020080"], // down to the one zero a high bit needs
    ["00", "020100"],
    ["0000", "020100"],
  ];
  for (const [bytes, der] of cases) {
    it(`encodes the integer ${bytes} minimally as ${der}`, () => {
      expect(hex(derInteger(Buffer.from(bytes, "hex")))).to.equal(der);
    });
  }

  it("is a certificate Node's X.509 parser reads, for the names and addresses it was made for", () => {
    // Many at once: a serial's first byte is random, and one in 512 used to break the encoding.
    for (let i = 0; i < 20; i++) {
      const c = new X509Certificate(selfSignedCertificate(["localhost", "127.0.0.1", "::1"]).cert);
      expect(c.subjectAltName).to.include("DNS:localhost").and.include("IP Address:127.0.0.1");
      expect(c.checkHost("localhost")).to.equal("localhost");
    }
  });
});
