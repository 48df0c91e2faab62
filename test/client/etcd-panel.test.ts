/**
 * The etcd panel's quorum (client/src/ui/etcdPanel.ts) and the rule behind it
 * (shared/sim/world/quorum.ts): a majority of n members, what each size tolerates, and the
 * plain words the panel says when quorum is lost.
 */
import { expect } from "chai";
import { quorumBlock } from "../../client/src/ui/etcdPanel.ts";
import { hasQuorum, majorityOf, toleratedFailures } from "../../shared/sim/world/quorum.ts";

describe("etcd quorum", () => {
  it("needs a majority: 2 of 2, 2 of 3, 3 of 4, 3 of 5", () => {
    expect([1, 2, 3, 4, 5].map(majorityOf)).to.deep.equal([1, 2, 2, 3, 3]);
    expect([1, 2, 3, 4, 5].map(toleratedFailures)).to.deep.equal([0, 0, 1, 1, 2]);
    expect(hasQuorum(1, 2)).to.equal(false);
    expect(hasQuorum(2, 3)).to.equal(true);
    expect(hasQuorum(2, 4)).to.equal(false);
    expect(hasQuorum(0, 0)).to.equal(false);
  });
});

describe("the etcd panel", () => {
  const text = (html: string) => html.replace(/<[^>]+>/g, "").replace(/\s+/g, " ");

  it("shows each member up or down and the quorum, k of n with the majority it needs", () => {
    const html = quorumBlock(
      new Map([
        ["cp-1", true],
        ["cp-2", true],
      ]),
    );
    expect(text(html)).to.contain("cp-1 up").and.contain("cp-2 up").and.contain("quorum: 2 of 2 members up · needs a majority: 2");
    expect(html).to.contain('data-quorum="yes"');
    expect(text(html)).to.not.contain("refused");
  });

  it("on quorum loss says that writes are refused and reads still served from the API server's cache", () => {
    const html = quorumBlock(
      new Map([
        ["cp-1", true],
        ["cp-2", false],
      ]),
    );
    expect(html).to.contain('data-quorum="no"');
    expect(text(html)).to.contain("cp-2 down").and.contain("no quorum: 1 of 2 members up · needs a majority: 2");
    expect(text(html))
      .to.match(/Every write is refused \(503\)/)
      .and.match(/Reads are still served from the API server's cache/);
  });

  it("three members keep quorum with one down", () => {
    const html = quorumBlock(
      new Map([
        ["cp-1", true],
        ["cp-2", false],
        ["cp-3", true],
      ]),
    );
    expect(text(html)).to.contain("quorum: 2 of 3 members up · needs a majority: 2");
    expect(html).to.contain('data-quorum="yes"');
  });

  it("escapes member names", () => {
    expect(quorumBlock(new Map([["<b>x</b>", true]]))).to.contain("&lt;b&gt;x&lt;/b&gt;");
  });
});
