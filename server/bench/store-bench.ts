import { parseArgs } from "node:util";
import { Persistence, simSource } from "../game/Persistence.ts";
import { RedisStore } from "../store/RedisStore.ts";
import { Simulation } from "../../shared/sim/Simulation.ts";
import { benchRedis, pct } from "./support.ts";

const { values } = parseArgs({ options: { redis: { type: "string" }, "ticks-large": { type: "string", default: "600" } } });

async function measure(store: RedisStore, label: string, scenario: string, ticks: number): Promise<void> {
  const room = `bench-${scenario}-${process.pid}`;
  await store.dropRoom(room);
  const sim = new Simulation({ scenario, seed: 1 });
  const p = new Persistence(store, room, simSource(sim));
  p.capture();
  await p.flush();
  const capture: number[] = [];
  const commit: number[] = [];
  let writes = 0;
  let bytes = 0;
  const t0 = performance.now();
  for (let i = 0; i < ticks; i++) {
    sim.step();
    writes += sim.state.pendingChanges().length;
    const a = performance.now();
    p.capture();
    const b = performance.now();
    await p.flush();
    const c = performance.now();
    capture.push(b - a);
    commit.push(c - b);
    if (i === ticks - 1) bytes = (await store.loadGame(room))?.length ?? 0;
  }
  const wall = (performance.now() - t0) / 1000;
  const total = capture.map((x, i) => x + commit[i]).sort((x, y) => x - y);
  capture.sort((x, y) => x - y);
  commit.sort((x, y) => x - y);
  const gameSec = ticks / 10;
  console.log(`${label} (${ticks} ticks, ${sim.state.pods.size} pods, revision ${sim.state.revision})`);
  console.log(`  persistence per tick   median ${pct(total, 0.5).toFixed(3)} ms, p95 ${pct(total, 0.95).toFixed(3)} ms`);
  console.log(`    capture              median ${pct(capture, 0.5).toFixed(3)} ms (game state ${(bytes / 1024).toFixed(0)} KiB)`);
  console.log(`    commit to Redis      median ${pct(commit, 0.5).toFixed(3)} ms, p95 ${pct(commit, 0.95).toFixed(3)} ms`);
  console.log(`  store writes           ${(writes / gameSec).toFixed(1)} per game second (${Math.round(writes / wall).toLocaleString("en")}/s as benchmarked)`);
  console.log(`  rooms one Redis could persist at 10 ticks/s: about ${Math.floor(1000 / (10 * pct(commit, 0.5)))} (commit time only)`);
  await store.dropRoom(room);
}

async function main(): Promise<void> {
  const redis = await benchRedis(values.redis);
  const store = await RedisStore.connect({ url: redis.url });
  console.log(`node ${process.version}, Redis at ${store.describe}`);
  try {
    await measure(store, "standard game (free-play)", "free-play", 6000);
    await measure(store, "large cluster", "large-cluster", Number(values["ticks-large"]));
  } finally {
    await store.close();
    redis.stop();
  }
}

await main();
