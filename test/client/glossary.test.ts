/**
 * The glossary (shared/teaching/glossary.ts) and its marker (client/src/ui/glossary.ts): the seed's
 * terms are found by their name and aliases, whole words only (never inside a word, a name like
 * node-3 or an etcd key), once per block, and the text around them comes back unchanged, so
 * nothing a player typed is ever read as HTML.
 */
import { expect } from "chai";
import { entryOf, segments } from "../../client/src/ui/glossary.ts";
import { GLOSSARY } from "../../shared/teaching/glossary.ts";

const terms = (text: string) => segments(text).filter((s) => s.entry);

describe("the glossary", () => {
  it("has the seed's terms, each with a meaning in plain words", () => {
    const names = GLOSSARY.map((e) => e.term);
    for (const t of ["control plane", "worker", "pod", "container runtime", "kubelet", "kube-proxy", "service", "endpoints", "API server", "gatekeeper"])
      expect(names).to.include(t);
    for (const t of ["authentication", "scheduler", "controller manager", "etcd", "key-value store", "brain", "quorum", "replica", "deployment", "heartbeat"])
      expect(names).to.include(t);
    for (const t of ["NotReady", "Pending", "kubectl"]) expect(names).to.include(t);
    for (const e of GLOSSARY) expect(e.meaning.length, e.term).to.be.within(40, 420);
    const words = GLOSSARY.flatMap((e) => [e.term, ...e.aliases].map((w) => w.toLowerCase()));
    expect(new Set(words).size, "a word stands for one term only").to.equal(words.length);
  });

  it("says where the game teaches real Kubernetes rather than the seed's simplification", () => {
    expect(entryOf("etcd")!.meaning).to.match(/in a real cluster only the API server reads and writes it/);
    expect(entryOf("controller manager")!.meaning).to.match(/restarted by the kubelet, not by the controller manager/);
    expect(entryOf("kubelet")!.meaning).to.match(/restarts a crashed container/);
    expect(entryOf("etcd")!.meaning).to.contain("the cluster's brain").and.contain("Application data is NOT stored in etcd");
  });
});

describe("the glossary marker", () => {
  it("finds terms by name and by alias, whatever their case", () => {
    const found = terms("The Master runs etcd; Docker or containerd run the containers of each Pod.");
    expect(found.map((s) => [s.text, s.entry!.term])).to.deep.equal([
      ["Master", "control plane"],
      ["etcd", "etcd"],
      ["Docker", "container runtime"],
      ["Pod", "pod"],
    ]);
  });

  it("prefers the longest phrase: control-plane node, key-value store, API server", () => {
    expect(terms("a control-plane node").map((s) => s.text)).to.deep.equal(["control-plane node"]);
    expect(terms("the key-value store").map((s) => s.text)).to.deep.equal(["key-value store"]);
    expect(terms("the API server answers").map((s) => s.text)).to.deep.equal(["API server"]);
  });

  it("never marks inside a word, a name like node-3, or an etcd key", () => {
    expect(terms("podcast nodes-x supernode etcdctl")).to.deep.equal([]);
    expect(terms("node-3 web-pod /registry/pods/default/web-x")).to.deep.equal([]);
    expect(terms("node-3 is NotReady").map((s) => s.text)).to.deep.equal(["NotReady"]);
  });

  it("marks each term once per block, where the caller's seen set says", () => {
    const seen = new Set<(typeof GLOSSARY)[number]>();
    expect(terms("pods and more pods").length).to.equal(1);
    segments("a pod here", seen);
    expect(segments("another pod there", seen).filter((s) => s.entry)).to.deep.equal([]);
  });

  it("gives the text back exactly, markup characters included: they stay text", () => {
    for (const text of ['<b onclick="x">etcd</b> & pods', "Ada's kubelet <script>alert(1)</script>", "no term at all", ""]) {
      expect(
        segments(text)
          .map((s) => s.text)
          .join(""),
      ).to.equal(text);
    }
    const hostile = segments('<img src=x onerror="alert(1)"> etcd');
    expect(hostile[0]).to.deep.equal({ text: '<img src=x onerror="alert(1)"> ' });
    expect(hostile[1].text).to.equal("etcd");
  });
});
