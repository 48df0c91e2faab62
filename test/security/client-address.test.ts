/**
 * The client address every per-address limit is keyed by: the socket's peer unless the server is
 * told it stands behind trusted proxies; never a header the client wrote itself.
 */
import { expect } from "chai";
import type { IncomingMessage } from "node:http";
import { addressKey, clientAddress, trustedProxiesFrom } from "../../server/limits/clientAddress.ts";

const request = (peer: string, forwardedFor?: string) =>
  ({ socket: { remoteAddress: peer }, headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {} }) as unknown as IncomingMessage;

describe("client addresses", () => {
  const KEYS: [string | undefined, string][] = [
    ["10.0.0.7", "10.0.0.7"],
    ["::ffff:10.0.0.7", "10.0.0.7"],
    ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"],
    ["2001:0db8:0001:0002::9", "2001:db8:1:2::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["[2001:db8:1:2::1]", "2001:db8:1:2::/64"],
    ["::1", "0:0:0:0::/64"],
    [undefined, "unknown"],
  ];
  for (const [raw, key] of KEYS) it(`keys ${raw} as ${key}`, () => expect(addressKey(raw)).to.equal(key));

  it("ignores X-Forwarded-For unless the server trusts proxies", () => {
    expect(clientAddress(request("10.0.0.7", "1.2.3.4"), 0)).to.equal("10.0.0.7");
  });

  it("behind one trusted proxy, believes only the address that proxy appended", () => {
    expect(clientAddress(request("10.9.9.9", "6.6.6.6, 1.2.3.4"), 1)).to.equal("1.2.3.4");
    expect(clientAddress(request("10.9.9.9"), 1), "no header: the peer").to.equal("10.9.9.9");
  });

  it("behind two, the address the outer proxy appended", () => {
    expect(clientAddress(request("10.9.9.9", "6.6.6.6, 1.2.3.4, 10.0.0.2"), 2)).to.equal("1.2.3.4");
  });

  it("reads TRUST_PROXY, refusing nonsense", () => {
    expect(trustedProxiesFrom(undefined)).to.equal(0);
    expect(trustedProxiesFrom("1")).to.equal(1);
    expect(() => trustedProxiesFrom("-1")).to.throw(/TRUST_PROXY/);
    expect(() => trustedProxiesFrom("all")).to.throw(/TRUST_PROXY/);
  });
});
