import { expect } from "chai";
import { RedisStore } from "../../server/store/RedisStore.ts";
import { StoreUnavailable } from "../../server/store/ClusterStore.ts";
import { freePort, RedisServer } from "../support/redisServer.ts";
import { storeContract } from "../support/storeContract.ts";

describe("RedisStore on a real redis-server", () => {
  let server: RedisServer;
  before(async () => {
    server = await RedisServer.start();
  });
  after(async () => {
    await server.destroy();
  });

  describe("meets the store contract", () => {
    storeContract(() => RedisStore.connect({ url: server.url }));
  });

  it("keeps objects under the room prefix in Kubernetes' etcd key layout", async () => {
    const store = await RedisStore.connect({ url: server.url });
    await store.commit("r1", [{ type: "create", key: "/registry/minions/node-1", value: { kind: "Node" } }]);
    const { createClient } = await import("redis");
    const raw = createClient({ url: server.url });
    await raw.connect();
    expect(JSON.parse((await raw.get("cluster-crew/r1/registry/minions/node-1"))!)).to.deep.equal({ kind: "Node" });
    raw.destroy();
    await store.dropRoom("r1");
    await store.close();
  });

  it("fails fast with one line naming the URL when nothing listens there", async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    let err: unknown;
    try {
      await RedisStore.connect({ url });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(StoreUnavailable);
    expect((err as Error).message).to.include(`cannot reach Redis at ${url}`);
    expect((err as Error).message).to.not.include("\n");
  });
});

describe("RedisStore reads and writes whole ticks", () => {
  let server: RedisServer;
  before(async () => {
    server = await RedisServer.start();
  });
  after(async () => {
    await server.destroy();
  });

  it("never lets a reader see half a batch", async () => {
    const writer = await RedisStore.connect({ url: server.url });
    const reader = await RedisStore.connect({ url: server.url });
    const batches = (async () => {
      for (let b = 0; b < 40; b++) {
        const ops = Array.from({ length: 50 }, (_, i) => ({ type: "create" as const, key: `/registry/pods/default/p-${b}-${i}`, value: { b, i } }));
        await writer.commit("half", ops);
      }
    })();
    const seen: number[] = [];
    while (seen.length === 0 || seen.at(-1)! < 2000) {
      const { items, revision } = await reader.list("half", "/registry/pods/");
      expect(items.length).to.equal(revision);
      expect(revision % 50).to.equal(0);
      seen.push(revision);
    }
    await batches;
    expect(new Set(seen).size).to.be.greaterThan(2);
    await writer.dropRoom("half");
    await writer.close();
    await reader.close();
  });
});
