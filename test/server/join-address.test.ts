/**
 * The join address on the host's projector: PUBLIC_URL when set, else the machine's LAN
 * addresses at the game's port, never a loopback one unless there is nothing else; served with
 * a QR code by GET /api/join-url.
 */
import { expect } from "chai";
import type os from "node:os";
import { joinUrls, publicUrlFrom } from "../../server/ops/joinAddress.ts";
import { gameServer } from "../support/gameServer.ts";

const nic = (address: string, family: "IPv4" | "IPv6", internal = false) =>
  ({ address, family, internal, netmask: "", mac: "", cidr: null }) as os.NetworkInterfaceInfo;

describe("the join address", () => {
  const cases: [string, NodeJS.Dict<os.NetworkInterfaceInfo[]>, string | undefined, string[]][] = [
    [
      "LAN addresses, IPv4 first, no loopback",
      { lo: [nic("127.0.0.1", "IPv4", true)], eth0: [nic("fd00::5", "IPv6"), nic("192.168.1.20", "IPv4")] },
      undefined,
      ["http://192.168.1.20:2567", "http://[fd00::5]:2567"],
    ],
    ["no link-local IPv6", { eth0: [nic("fe80::1", "IPv6"), nic("10.0.0.7", "IPv4")] }, undefined, ["http://10.0.0.7:2567"]],
    ["localhost when the machine has no network", { lo: [nic("127.0.0.1", "IPv4", true)] }, undefined, ["http://localhost:2567"]],
    ["PUBLIC_URL alone when set", { eth0: [nic("192.168.1.20", "IPv4")] }, "https://crew.example.org", ["https://crew.example.org"]],
  ];
  for (const [what, interfaces, publicUrl, urls] of cases) it(what, () => expect(joinUrls(2567, publicUrl, interfaces)).to.deep.equal(urls));

  it("checks PUBLIC_URL and says what is wrong", () => {
    expect(publicUrlFrom("https://crew.example.org/")).to.equal("https://crew.example.org");
    expect(publicUrlFrom(undefined)).to.equal(undefined);
    expect(() => publicUrlFrom("crew.example.org")).to.throw(/PUBLIC_URL must be the address students open/);
    expect(() => publicUrlFrom("ftp://crew.example.org")).to.throw(/http:\/\/ or https:\/\//);
    expect(() => publicUrlFrom("https://u:p@crew.example.org")).to.throw(/user name or password/);
  });

  it("is served at /api/join-url with an SVG QR code of the first URL", async () => {
    const { port } = await gameServer();
    const res = await fetch(`http://127.0.0.1:${port}/api/join-url`);
    expect(res.status).to.equal(200);
    const body = (await res.json()) as { urls: string[]; qr: string };
    expect(body.urls.length).to.be.greaterThan(0);
    for (const u of body.urls) expect(u).to.match(new RegExp(`^http://.+:${port}$`));
    expect(body.urls[0]).to.not.match(/127\.0\.0\.1/);
    expect(body.qr).to.match(/^<svg[^>]*viewBox/);
  });
});
