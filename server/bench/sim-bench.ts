/**
 * Simulation benchmark: how fast the core plays a game, printed as figures (never asserted).
 *
 *   npm run bench [-- --ticks-large 600 --repeat 3]
 *
 * 1. Standard game: the free-play scenario (2 control-plane nodes, 3 workers, 7 pods, ~50 req/s)
 *    for its full 10 minutes with normal bots — wall time, ticks per second, speed-up over real time.
 * 2. Large cluster: 3 control-plane nodes, 50 workers, 500 pods, 2,000 req/s — per-tick time
 *    (median, p95, max) over a minute of game time after a warm-up.
 */
import { parseArgs } from "node:util";
import { TICK_MS } from "../../shared/sim/clock.ts";
import { Simulation } from "../../shared/sim/Simulation.ts";

const { values } = parseArgs({
  options: { "ticks-large": { type: "string", default: "600" }, repeat: { type: "string", default: "3" } },
});
const largeTicks = Number(values["ticks-large"]);
const repeat = Number(values.repeat);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function standard(): void {
  const runs: number[] = [];
  let ticks = 0;
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    const sim = new Simulation({ scenario: "free-play", seed: 1 + i });
    sim.run();
    runs.push(performance.now() - t0);
    ticks = sim.tick;
  }
  runs.sort((a, b) => a - b);
  const best = runs[0];
  const median = percentile(runs, 0.5);
  const gameMs = ticks * TICK_MS;
  console.log(`standard game (free-play, ${gameMs / 60000} min of game time, ${ticks} ticks, ${repeat} runs)`);
  console.log(`  wall time      median ${median.toFixed(0)} ms, best ${best.toFixed(0)} ms`);
  console.log(`  ticks/s        ${Math.round(ticks / (median / 1000)).toLocaleString("en")}`);
  console.log(`  speed-up       ${Math.round(gameMs / median).toLocaleString("en")}× real time`);
}

function large(): void {
  const t0 = performance.now();
  const sim = new Simulation({ scenario: "large-cluster", seed: 1 });
  const setupMs = performance.now() - t0;
  for (let i = 0; i < 50; i++) sim.step(); // warm-up: JIT and steady state
  const times: number[] = [];
  let requests = 0;
  for (let i = 0; i < largeTicks; i++) {
    const s = performance.now();
    const report = sim.step();
    times.push(performance.now() - s);
    requests += report.finished.length;
  }
  times.sort((a, b) => a - b);
  const total = times.reduce((a, b) => a + b, 0);
  console.log(
    `large cluster (${sim.world.workers().length} workers, ${sim.state.pods.size} pods, ${Math.round(requests / ((largeTicks * TICK_MS) / 1000))} req/s, ${largeTicks} ticks)`,
  );
  console.log(`  set-up         ${setupMs.toFixed(0)} ms`);
  console.log(
    `  tick           median ${percentile(times, 0.5).toFixed(3)} ms, p95 ${percentile(times, 0.95).toFixed(3)} ms, max ${times[times.length - 1].toFixed(3)} ms`,
  );
  console.log(`  ticks/s        ${Math.round(largeTicks / (total / 1000)).toLocaleString("en")}`);
  console.log(`  speed-up       ${Math.round((largeTicks * TICK_MS) / total).toLocaleString("en")}× real time`);
  console.log(`  availability   ${(sim.score.totalAvailability() * 100).toFixed(2)}%`);
}

console.log(`node ${process.version}, ${process.arch}`);
standard();
large();
