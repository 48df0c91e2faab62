/**
 * "You against the bot" benchmark: `npm run bench:replay`.
 *
 *   npm run bench:replay [-- --scenario free-play --players 60 --rate 1 --workers 1,2 --repeat 3 --loader bundle|tsx|both]
 *
 * Plays a whole workshop game (10 minutes of game time in free-play) with 60 players, each holding
 * a seat and sending what their seat would send once a second, and two failures from the host;
 * then replays it for every player as the room does when the game enters the debrief — through
 * the replay workers — while a live game ticks on the main thread every 100 ms, as a room would.
 * It prints, per pool size: the first job (threads starting) and the median of the next ones,
 * the games replayed (the one as played, and one per distinct variant), and the main thread's
 * event-loop delay meanwhile (p99 and max); and, for comparison, the same replays run in turn on
 * the main thread.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { planVersusBot, runTask, taskCount } from "../../shared/sim/counterfactual/versusBot.ts";
import { Simulation } from "../../shared/sim/Simulation.ts";
import { GameSession } from "../game/GameSession.ts";
import { playersOf, savedGameOf } from "../replays/DebriefReplays.ts";
import { DEFAULT_REPLAY_DEADLINE_MS, ReplayPool } from "../replays/ReplayPool.ts";
import { nextRequest } from "./seatPlayers.ts";
import { pct } from "./support.ts";

const { values } = parseArgs({
  options: {
    scenario: { type: "string", default: "free-play" },
    players: { type: "string", default: "60" },
    rate: { type: "string", default: "1" },
    workers: { type: "string", default: "1,2" },
    repeat: { type: "string", default: "3" },
    /** How the workers load their code: "bundle" (as the server does), "tsx", or "both" to compare. */
    loader: { type: "string", default: "bundle" },
  },
});

/** The room's loop, ms. */
const LOOP_MS = 100;

/** A workshop game played to its end by `count` players at `rate` requests a second each. */
function playWorkshop(scenario: string, count: number, rate: number): GameSession {
  const session = new GameSession({ mode: "workshop", scenario, difficulty: "normal", seed: 7 });
  session.join("host", "Host", { host: true, now: 0 });
  const seats = session.sim.seats();
  const players = Array.from({ length: count }, (_, i) => ({ id: `p${i}`, seat: seats[i % seats.length], sent: 0, owed: i / count }));
  for (const p of players) {
    session.join(p.id, `Student ${p.id.slice(1)}`, { now: 0 });
    session.takeSeat(p.id, p.seat);
  }
  session.start("host");
  session.start("host");
  const workers = session.sim.world.workers().map((m) => m.name);
  const chaos: [number, unknown][] = [
    [120, { type: "crashNode", node: workers[1] }],
    [300, { type: "killPod", deployment: [...session.sim.state.deployments.keys()][0] }],
  ];
  while (session.phase === "running") {
    for (const p of players) {
      p.owed += (rate * LOOP_MS) / 1000;
      for (; p.owed >= 1; p.owed--) session.request(p.id, p.seat, nextRequest(session, p.seat, p.sent++));
    }
    while (chaos.length && chaos[0][0] * 1000 <= session.sim.now) session.chaos("host", chaos.shift()![1]);
    session.advance(LOOP_MS);
  }
  return session;
}

const ms = (x: number) => `${x.toFixed(0)} ms`;

async function main(): Promise<void> {
  const count = Number(values.players);
  const t0 = performance.now();
  const session = playWorkshop(values.scenario, count, Number(values.rate));
  const game = savedGameOf(session.sim);
  const players = playersOf(session);
  const plan = planVersusBot(game, players);
  console.log(
    `node ${process.version}; ${values.scenario}: ${game.ticks / 10} s of game, ${count} players at ${values.rate}/s, ${game.inputLog.length.toLocaleString("en")} input records (played in ${ms(performance.now() - t0)})`,
  );
  console.log(`  games to replay: ${taskCount(plan)} (the game as played + ${plan.variants.length} distinct variants for ${players.length} players)`);

  const loaders = values.loader === "both" ? ["bundle", "tsx"] : [values.loader];
  for (const loader of loaders)
    for (const size of values.workers.split(",").map(Number)) {
      const pool = new ReplayPool({ workers: size, deadlineMs: DEFAULT_REPLAY_DEADLINE_MS, bundle: loader !== "tsx" });
      // A live game beside the replays, ticking on the main thread as a room does.
      const live = new Simulation({ scenario: values.scenario, seed: 3 });
      const tick = setInterval(() => (live.isOver() ? undefined : live.step()), LOOP_MS);
      const runs: { ms: number; p99: number; max: number; ok: boolean }[] = [];
      for (let i = 0; i <= Number(values.repeat); i++) {
        const delay = monitorEventLoopDelay({ resolution: 1 });
        delay.enable();
        const run = await pool.run(game, players);
        delay.disable();
        runs.push({ ms: run.ms, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6, ok: run.report.ok && run.tasks === taskCount(plan) });
      }
      clearInterval(tick);
      await pool.close();
      const [cold, ...warm] = runs;
      const sorted = (f: (r: (typeof runs)[number]) => number) => warm.map(f).sort((a, b) => a - b);
      console.log(
        `  ${size} worker${size > 1 ? "s" : ""} (${loader}): first job ${ms(cold.ms)} (threads starting; loop p99 ${cold.p99.toFixed(1)} ms, max ${cold.max.toFixed(1)} ms)`,
      );
      console.log(
        `    then median ${ms(
          pct(
            sorted((r) => r.ms),
            0.5,
          ),
        )} (best ${ms(sorted((r) => r.ms)[0])}); event loop p99 median ${pct(
          sorted((r) => r.p99),
          0.5,
        ).toFixed(
          1,
        )} ms, worst ${Math.max(...warm.map((r) => r.p99)).toFixed(1)} ms; max ${Math.max(...warm.map((r) => r.max)).toFixed(1)} ms${runs.every((r) => r.ok) ? "" : " (SOME JOBS INCOMPLETE)"}`,
      );
    }

  const s0 = performance.now();
  for (let i = 0; i < taskCount(plan); i++) runTask(game, plan, i);
  console.log(`  for comparison, the same replays in turn on the main thread: ${ms(performance.now() - s0)} (the loop blocked throughout)`);
}

await main();
