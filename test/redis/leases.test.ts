/**
 * Room leases and failover on a real Redis, in one process: two survivors racing for the rooms of
 * a dead process each restore every room exactly once between them, and a stale owner (paused
 * past its lease) can no longer write, drop or renew the room another process took.
 */
import { expect } from "chai";
import { Persistence, simSource } from "../../server/game/Persistence.ts";
import { sweepOnce, type Failover } from "../../server/matchmaking/failover.ts";
import { closeInStore, fenceWrites } from "../../server/room/roomStore.ts";
import { StoreFenced } from "../../server/store/ClusterStore.ts";
import { RedisStore } from "../../server/store/RedisStore.ts";
import { RoomLeases } from "../../server/store/RoomLeases.ts";
import { Simulation } from "../../shared/sim/Simulation.ts";
import { RedisServer } from "../support/redisServer.ts";

const ROOMS = 40;

async function eventually(pred: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("room leases on Redis: one process per room", function () {
  this.timeout(60_000);
  let redis: RedisServer;
  let store: RedisStore;
  const open: RoomLeases[] = [];
  const keeper = async (id: string) => {
    const k = await RoomLeases.connect(
      redis.url,
      () => id,
      () => {},
    );
    open.push(k);
    return k;
  };
  before(async () => {
    redis = await RedisServer.start();
    store = await RedisStore.connect({ url: redis.url });
  });
  after(async () => {
    for (const k of open) await k.close();
    await store.close();
    await redis.destroy();
  });

  /** A game saved under `key` by `leases` (as a room of that process would), its lease held. */
  async function savedGame(leases: RoomLeases, key: string) {
    const lease = (await leases.take(key))!;
    const sim = new Simulation({ scenario: "first-pod", seed: 7 });
    const p = new Persistence(store, key, simSource(sim));
    p.lease = lease;
    p.capture();
    expect(await p.drain(5_000)).to.equal(true);
    return { lease, sim, p };
  }

  it("gives each orphaned room to exactly one of two survivors racing for it", async () => {
    const dead = await keeper("dead");
    const keys = Array.from({ length: ROOMS }, (_, i) => `pin-${String(100000 + i)}`);
    for (const key of keys) await savedGame(dead, key);
    await dead.close(); // kill -9: no more renewals, no release
    const survivors = [await keeper("s1"), await keeper("s2")];
    const restored: { key: string; by: string }[] = [];
    const failover = (leases: RoomLeases, by: string): Failover => ({
      games: async () => keys,
      leases,
      restore: async (key) => {
        // Restoring takes a while: the other survivor sweeps meanwhile.
        await new Promise((r) => setTimeout(r, 5));
        restored.push({ key, by });
      },
      log: () => {},
      liveProcesses: async () => new Set(["s1", "s2"]),
      forgetProcess: async () => {},
      confirmMs: 0,
    });
    // While the dead process' leases last, nobody takes its rooms.
    expect(await Promise.all(survivors.map((s, i) => sweepOnce(failover(s, `s${i + 1}`))))).to.deep.equal([[], []]);
    await eventually(async () => (await survivors[0].claims(keys)).every((c) => !c.leased), 10_000, "the dead process' leases to lapse");
    // Both sweep at once, several times over, as their timers would.
    await Promise.all([0, 1, 2].flatMap(() => survivors.map((s, i) => sweepOnce(failover(s, `s${i + 1}`)))));
    expect(restored.map((r) => r.key).sort()).to.deep.equal(keys);
    expect(new Set(restored.map((r) => r.by)).size, "both survivors took some").to.equal(2);
    // And the rooms stay theirs: more sweeps restore nothing again.
    await Promise.all(survivors.map((s, i) => sweepOnce(failover(s, `s${i + 1}`))));
    expect(restored.length).to.equal(ROOMS);
    expect(survivors[0].size + survivors[1].size).to.equal(ROOMS);
  });

  it("leaves alone a room whose last owner still lives, though its lease lapsed (it renews itself)", async () => {
    const owner = await keeper("alive");
    await savedGame(owner, "pin-200000");
    await owner.close(); // renewals stop, but the process still "listens"
    const other = await keeper("other");
    await eventually(async () => !(await other.claims(["pin-200000"]))[0].leased, 10_000, "the lease to lapse");
    const taken = await sweepOnce({
      games: async () => ["pin-200000"],
      leases: other,
      restore: async () => {},
      log: () => {},
      liveProcesses: async () => new Set(["alive", "other"]),
      confirmMs: 0,
    });
    expect(taken).to.deep.equal([]);
  });

  it("refuses every write of a stale owner once another process took its room, and the stale owner neither renews nor drops it", async () => {
    const key = "pin-300000";
    const stale = await keeper("stale");
    const { lease, sim, p } = await savedGame(stale, key);
    const lost: string[] = [];
    fenceWrites(p, stale, lease, () => lost.push("told"));
    // The stale owner pauses past its lease (SIGSTOP, a long GC): its lease lapses and another takes the room.
    const client = await RedisStore.connect({ url: redis.url });
    await (client as unknown as { client: { del(k: string): Promise<number> } }).client.del(`cluster-crew/${key}/_lease`);
    await client.close();
    const next = await keeper("next");
    const nextLease = (await next.take(key))!;
    expect(nextLease.fence).to.be.greaterThan(lease.fence);
    const revision = await store.revision(key);

    // Its writes, straight to the store: refused, nothing written.
    let refused: unknown;
    try {
      await store.commit(key, [{ type: "create", key: "/registry/configmaps/default/stale", value: { stale: true } }], { fence: lease.fence });
    } catch (err) {
      refused = err;
    }
    expect(refused).to.be.instanceOf(StoreFenced);
    expect(await store.revision(key)).to.equal(revision);
    // Through its room's persistence: refused, the room told it lost the game, the queue dropped.
    sim.step();
    p.capture();
    await p.flush();
    expect(lost).to.deep.equal(["told"]);
    expect(lease.lost).to.equal(true);
    expect(await store.revision(key)).to.equal(revision);
    // Its room closing does not remove the game the other process runs now, nor its lease.
    await closeInStore({ store, persistence: p, key, leases: stale, lease, shuttingDown: false, log: () => {} });
    expect(await store.revision(key)).to.equal(revision);
    expect((await next.claims([key]))[0]).to.deep.include({ leased: true, ownerProcess: "next" });
    // The new owner writes on.
    await store.commit(key, [{ type: "create", key: "/registry/configmaps/default/fresh", value: {} }], { fence: nextLease.fence });
    expect(await store.revision(key)).to.equal(revision + 1);
  });

  it("tells a room it lost its lease when a renewal finds another process' token", async () => {
    const key = "pin-400000";
    const a = await keeper("a");
    const lease = (await a.take(key))!;
    let told = false;
    lease.onLost = () => {
      told = true;
    };
    const raw = await RedisStore.connect({ url: redis.url });
    // As if a's lease had lapsed and b had taken the room.
    await (raw as unknown as { client: { set(k: string, v: string): Promise<unknown> } }).client.set(`cluster-crew/${key}/_lease`, "b:99");
    await raw.close();
    await a.renewAll();
    expect(told).to.equal(true);
    expect(lease.lost).to.equal(true);
    expect(a.size).to.equal(0);
  });
});
