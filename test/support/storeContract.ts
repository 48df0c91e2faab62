/**
 * The store contract: one specification every ClusterStore implementation must meet, run against
 * the in-process store and against a real redis-server.
 */
import { expect } from "chai";
import { StoreCompacted, StoreConflict, StoreRoomDropped, type ClusterStore, type WatchEvent } from "../../server/store/ClusterStore.ts";

const pod = (name: string, extra: Record<string, unknown> = {}) => ({ kind: "Pod", metadata: { name, namespace: "default" }, ...extra });
const key = (name: string) => `/registry/pods/default/${name}`;

async function until(pred: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function storeContract(make: () => Promise<ClusterStore>): void {
  let store: ClusterStore;
  let room: string;
  let n = 0;
  beforeEach(async () => {
    store = await make();
    room = `room-${process.pid}-${++n}`;
  });
  afterEach(async () => {
    await store.dropRoom(room);
    await store.close();
  });

  it("starts a room at revision 0 with nothing in it", async () => {
    expect(await store.revision(room)).to.equal(0);
    expect(await store.get(room, key("a"))).to.equal(undefined);
    expect(await store.list(room, "/registry/")).to.deep.equal({ items: [], revision: 0 });
  });

  it("creates objects, each write bumping the room's one revision", async () => {
    expect(await store.commit(room, [{ type: "create", key: key("a"), value: pod("a") }])).to.equal(1);
    expect(await store.commit(room, [{ type: "create", key: key("b"), value: pod("b") }])).to.equal(2);
    expect(await store.get(room, key("a"))).to.deep.equal({ key: key("a"), value: pod("a"), modRevision: 1 });
    expect(await store.revision(room)).to.equal(2);
  });

  it("refuses to create a key that exists", async () => {
    await store.commit(room, [{ type: "create", key: key("a"), value: pod("a") }]);
    await expectConflict(store.commit(room, [{ type: "create", key: key("a"), value: pod("a") }]), /already exists/);
  });

  it("updates with compare-and-swap: a stale modRevision is a conflict", async () => {
    await store.commit(room, [{ type: "create", key: key("a"), value: pod("a") }]);
    await store.commit(room, [{ type: "update", key: key("a"), value: pod("a", { v: 2 }), expected: 1 }]);
    await expectConflict(store.commit(room, [{ type: "update", key: key("a"), value: pod("a", { v: 3 }), expected: 1 }]), /at revision 2/);
    expect((await store.get(room, key("a")))!.value).to.deep.equal(pod("a", { v: 2 }));
  });

  it("deletes with compare-and-swap", async () => {
    await store.commit(room, [{ type: "create", key: key("a"), value: pod("a") }]);
    await expectConflict(store.commit(room, [{ type: "delete", key: key("a"), expected: 7 }]), /at revision 1/);
    await store.commit(room, [{ type: "delete", key: key("a"), expected: 1 }]);
    expect(await store.get(room, key("a"))).to.equal(undefined);
    await expectConflict(store.commit(room, [{ type: "delete", key: key("a"), expected: 1 }]), /does not exist/);
  });

  it("lists a prefix in key order with the revision it was read at", async () => {
    await store.commit(room, [
      { type: "create", key: key("b"), value: pod("b") },
      { type: "create", key: key("a"), value: pod("a") },
      { type: "create", key: "/registry/minions/node-1", value: { kind: "Node" } },
    ]);
    const pods = await store.list(room, "/registry/pods/");
    expect(pods.revision).to.equal(3);
    expect(pods.items.map((i) => [i.key, i.modRevision])).to.deep.equal([
      [key("a"), 2],
      [key("b"), 1],
    ]);
    expect((await store.list(room, "/registry/")).items).to.have.length(3);
  });

  it("applies a batch all-or-nothing: one failing compare-and-swap writes nothing", async () => {
    await store.commit(room, [{ type: "create", key: key("a"), value: pod("a") }]);
    await expectConflict(
      store.commit(room, [
        { type: "create", key: key("b"), value: pod("b") },
        { type: "update", key: key("a"), value: pod("a", { v: 2 }), expected: 99 },
      ]),
      /revision 1/,
    );
    expect(await store.revision(room)).to.equal(1);
    expect(await store.get(room, key("b"))).to.equal(undefined);
  });

  it("a key written twice in one batch is expected at its first write's revision", async () => {
    const rev = await store.commit(room, [
      { type: "create", key: key("a"), value: pod("a") },
      { type: "update", key: key("a"), value: pod("a", { v: 2 }), expected: 1 },
      { type: "delete", key: key("a"), expected: 2 },
      { type: "create", key: key("a"), value: pod("a", { v: 4 }) },
    ]);
    expect(rev).to.equal(4);
    expect(await store.get(room, key("a"))).to.deep.equal({ key: key("a"), value: pod("a", { v: 4 }), modRevision: 4 });
  });

  it("applies a numbered batch only at the revision it was numbered from", async () => {
    await store.commit(room, [{ type: "create", key: key("a"), value: pod("a") }], { atRevision: 0 });
    await expectConflict(store.commit(room, [{ type: "create", key: key("b"), value: pod("b") }], { atRevision: 0 }), /at revision 1/);
  });

  it("applies a batch numbered by the input log's length only at that length, and a refusal for numbering says where the room is", async () => {
    await store.commit(room, [{ type: "create", key: key("a"), value: pod("a") }], { atRevision: 0, atInputs: 0, inputs: ['{"n":1}', '{"n":2}'] });
    // The same batch again (its answer lost, say): refused, nothing appended, and the room's place told.
    const again = await store
      .commit(room, [{ type: "create", key: key("a"), value: pod("a") }], { atRevision: 0, atInputs: 0, inputs: ['{"n":1}', '{"n":2}'] })
      .then(
        () => undefined,
        (err: Error) => err,
      );
    expect(again).to.be.instanceOf(StoreConflict);
    expect((again as StoreConflict).at).to.deep.equal({ revision: 1, inputs: 2 });
    // A batch that writes no object is held to the input count alone.
    const inputsOnly = await store.commit(room, [], { atRevision: 1, atInputs: 0, inputs: ['{"n":3}'] }).then(
      () => undefined,
      (err: Error) => err,
    );
    expect((inputsOnly as StoreConflict).at).to.deep.equal({ revision: 1, inputs: 2 });
    expect(inputsOnly?.message).to.match(/at revision 1 with 2 input records, but this batch was numbered from revision 1 and 0 input records/);
    await store.commit(room, [], { atRevision: 1, atInputs: 2, inputs: ['{"n":3}'] });
    expect(await store.loadInputs(room)).to.deep.equal(['{"n":1}', '{"n":2}', '{"n":3}']);
  });

  it("saves the game state with the batch", async () => {
    await store.commit(room, [{ type: "create", key: key("a"), value: pod("a") }], { game: '{"tick":5}' });
    expect(await store.loadGame(room)).to.equal('{"tick":5}');
    expect(await store.rooms()).to.include(room);
  });

  it("appends input records with a batch, in order, and reads the room's whole input log back", async () => {
    expect(await store.loadInputs(room)).to.deep.equal([]);
    await store.commit(room, [{ type: "create", key: key("a"), value: pod("a") }], { game: '{"tick":1}', inputs: ['{"n":1}', '{"n":2}'] });
    await store.commit(room, [], { game: '{"tick":2}' });
    await store.commit(room, [{ type: "create", key: key("b"), value: pod("b") }], { inputs: ['{"n":3}'] });
    expect(await store.loadInputs(room)).to.deep.equal(['{"n":1}', '{"n":2}', '{"n":3}']);
    expect(await store.loadGame(room)).to.equal('{"tick":2}');
  });

  it("appends no input record from a batch that fails, and drops the input log with the room", async () => {
    await store.commit(room, [{ type: "create", key: key("a"), value: pod("a") }], { inputs: ['{"n":1}'] });
    await expectConflict(store.commit(room, [{ type: "create", key: key("a"), value: pod("a") }], { inputs: ['{"n":2}'] }), /already exists/);
    await expectConflict(store.commit(room, [], { atRevision: 0, inputs: ['{"n":3}'] }), /at revision 1/);
    expect(await store.loadInputs(room)).to.deep.equal(['{"n":1}']);
    await store.dropRoom(room);
    expect(await store.loadInputs(room)).to.deep.equal([]);
  });

  it("watches a prefix from a revision: history first, in order, then live writes", async () => {
    await store.commit(room, [{ type: "create", key: key("a"), value: pod("a") }]);
    await store.commit(room, [{ type: "create", key: "/registry/minions/n", value: { kind: "Node" } }]);
    await store.commit(room, [{ type: "update", key: key("a"), value: pod("a", { v: 2 }), expected: 1 }]);
    const seen: WatchEvent[] = [];
    const w = await store.watch(room, "/registry/pods/", 1, {
      onEvent: (e) => seen.push(e),
      onError: (e) => {
        throw e;
      },
    });
    await until(() => seen.length === 1);
    await store.commit(room, [{ type: "delete", key: key("a"), expected: 3 }]);
    await until(() => seen.length === 2);
    w.close();
    expect(seen.map((e) => [e.type, e.key, e.revision])).to.deep.equal([
      ["put", key("a"), 3],
      ["delete", key("a"), 4],
    ]);
    expect(seen[1].value).to.deep.equal(pod("a", { v: 2 }));
  });

  it("ends a watch when the room's data is dropped, saying so", async () => {
    await store.commit(room, [{ type: "create", key: key("a"), value: pod("a") }]);
    const seen: WatchEvent[] = [];
    let ended: Error | undefined;
    const w = await store.watch(room, "/registry/", 0, { onEvent: (e) => seen.push(e), onError: (e) => (ended = e) });
    await until(() => seen.length === 1);
    await store.dropRoom(room);
    await until(() => ended !== undefined);
    w.close();
    expect(ended).to.be.instanceOf(StoreRoomDropped);
  });

  it("never mixes a new game's writes into a watch on the dropped room's old one", async () => {
    for (const n of ["a", "b", "c"]) await store.commit(room, [{ type: "create", key: key(n), value: pod(n) }]);
    const seen: WatchEvent[] = [];
    let ended: Error | undefined;
    const w = await store.watch(room, "/registry/", 1, { onEvent: (e) => seen.push(e), onError: (e) => (ended = e) });
    await until(() => seen.length === 2);
    // The room starts over at once, and its new history soon passes the old one's revisions.
    await store.dropRoom(room);
    for (const n of ["x", "y", "z", "w", "v"]) await store.commit(room, [{ type: "create", key: key(n), value: pod(n) }]);
    await until(() => ended !== undefined);
    w.close();
    expect(ended).to.be.instanceOf(StoreRoomDropped);
    expect(seen.map((e) => e.key)).to.deep.equal([key("b"), key("c")]);
  });

  it("tells a watcher which puts created their key (ADDED) and which changed it (MODIFIED)", async () => {
    await store.commit(room, [{ type: "create", key: key("a"), value: pod("a") }]);
    await store.commit(room, [{ type: "update", key: key("a"), value: pod("a", { v: 2 }), expected: 1 }]);
    const seen: WatchEvent[] = [];
    const w = await store.watch(room, "/registry/pods/", 0, {
      onEvent: (e) => seen.push(e),
      onError: (e) => {
        throw e;
      },
    });
    await until(() => seen.length === 2);
    w.close();
    expect(seen.map((e) => [e.type, e.created])).to.deep.equal([
      ["put", true],
      ["put", false],
    ]);
  });

  it("tells a watcher that fell behind compacted history to relist", async () => {
    for (const n of ["a", "b", "c"]) await store.commit(room, [{ type: "create", key: key(n), value: pod(n) }]);
    await store.compact(room, 2);
    let err: unknown;
    try {
      await store.watch(room, "/registry/", 1, { onEvent() {}, onError() {} });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(StoreCompacted);
    expect((err as Error).message).to.match(/list again/);
    const seen: WatchEvent[] = [];
    const w = await store.watch(room, "/registry/", 2, { onEvent: (e) => seen.push(e), onError() {} });
    await until(() => seen.length === 1);
    w.close();
    expect(seen[0].revision).to.equal(3);
  });
}

async function expectConflict(p: Promise<unknown>, says: RegExp): Promise<void> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(StoreConflict);
    expect((err as Error).message).to.match(says);
    return;
  }
  expect.fail("expected a StoreConflict");
}
