/**
 * The headless runner: plays an all-bot game of a scenario and prints its outcome.
 *
 *   npm run sim -- --list
 *   npm run sim -- --matrix [--scenario <id>] [--json]   each recommended seat idle against its bot
 *   npm run sim -- --concepts                             where each concept is taught (docs/CONCEPTS.md)
 *   npm run sim -- --scenario node-down --seed 7 [--bots easy|normal|hard] [--ticks N] [--json]
 *                  [--bots-off scheduler,kube-proxy]
 *   npm run sim -- … --store redis://localhost:6379 --room demo [--speed 10]   persist as it plays
 *                  (--store defaults to REDIS_URL)
 *   npm run sim -- --store redis://localhost:6379 --room demo --resume         continue from the store
 *
 * The same arguments always print the same bytes: the game depends only on them.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { Persistence, simSource } from "../game/Persistence.ts";
import { StoreUnavailable, type ClusterStore } from "../store/ClusterStore.ts";
import { openStore } from "../store/openStore.ts";
import { getScenario, listScenarios, scenarioIds } from "../../shared/sim/scenarios/index.ts";
import { renderMatrix, seatMatrix } from "../../shared/sim/matrix.ts";
import { Simulation } from "../../shared/sim/Simulation.ts";
import type { GameOutcome } from "../../shared/sim/outcome.ts";
import { conceptCoverage, renderConceptsDoc } from "../../shared/teaching/coverage.ts";
import { simCommand, UsageError, USAGE, type SimCommand } from "./simArgs.ts";

function fail(message: string): never {
  process.stderr.write(`sim: ${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let cmd: SimCommand;
  try {
    cmd = simCommand(process.argv.slice(2), process.env);
  } catch (err) {
    if (err instanceof UsageError) fail(err.message);
    throw err;
  }
  switch (cmd.kind) {
    case "help":
      process.stdout.write(`${USAGE}\n`);
      return;
    case "list":
      process.stdout.write(
        scenarioIds()
          .map((id) => `${id}\n`)
          .join(""),
      );
      return;
    case "concepts":
      process.stdout.write(renderConceptsDoc(conceptCoverage(listScenarios())));
      return;
    case "matrix":
      return matrix(cmd);
    case "persisted":
      return persisted(cmd);
    case "game": {
      const { game } = cmd;
      const sim = new Simulation({ scenario: game.scenario, seed: game.seed, difficulty: game.difficulty, botsOff: game.botsOff });
      sim.run(game.ticks ?? sim.durationTicks);
      const outcome = sim.outcome();
      process.stdout.write(cmd.json ? `${JSON.stringify(outcome)}\n` : describe(outcome));
    }
  }
}

/**
 * The seat matrix: every scenario's recommended seats idle against their bots. Exits 1 when the
 * rule fails for a seat (the game with it idle is neither lost nor MATRIX_MIN_DROP worse).
 */
function matrix(cmd: Extract<SimCommand, { kind: "matrix" }>): void {
  const rows = seatMatrix(cmd.scenario === undefined ? listScenarios() : [getScenario(cmd.scenario)!]);
  if (cmd.json) process.stdout.write(`${JSON.stringify(rows)}\n`);
  else process.stdout.write(renderMatrix(rows));
  if (rows.some((r) => !r.holds)) process.exitCode = 1;
}

/** A game written through the store as it plays, or continued from it. */
async function persisted(cmd: Extract<SimCommand, { kind: "persisted" }>): Promise<void> {
  const { url, room, speed, game } = cmd;
  const resume = game === undefined;
  let store: ClusterStore;
  try {
    store = await openStore(url);
  } catch (err) {
    process.stderr.write(`sim: ${err instanceof StoreUnavailable ? err.message : String(err)}\n`);
    process.exit(1);
  }
  let sim: Simulation;
  if (resume) {
    try {
      sim = await Persistence.resume(store, room);
    } catch (err) {
      process.stderr.write(`sim: ${(err as Error).message}\n`);
      process.exit(1);
    }
  } else {
    if ((await store.revision(room)) > 0) fail(`room "${room}" already has a saved game in ${store.describe}: add --resume, or pick another --room`);
    sim = new Simulation({ scenario: game.scenario, seed: game.seed, difficulty: game.difficulty, botsOff: game.botsOff });
  }
  const persistence = new Persistence(
    store,
    room,
    simSource(sim),
    (line) => process.stderr.write(`sim: ${line}\n`),
    resume ? sim.state.revision : 0,
    resume ? sim.inputLog.length : 0,
  );
  const ticks = (resume ? cmd.resumeTicks : game.ticks) ?? sim.durationTicks - sim.tick;
  persistence.capture();
  const started = Date.now();
  const startTick = sim.tick;
  for (let i = 0; i < ticks; i++) {
    sim.step();
    persistence.capture();
    // The game never waits for the store: a slow or absent Redis only grows the queue.
    void persistence.flush();
    if (speed > 0) {
      const due = started + ((sim.tick - startTick) * 100) / speed;
      if (due > Date.now()) await sleep(due - Date.now());
    } else if (i % 50 === 0) {
      await sleep(0);
    }
  }
  const saved = await persistence.drain(30_000);
  await store.close();
  if (!saved) {
    process.stderr.write(`sim: the store did not take the last ${persistence.state.queued} ticks: ${persistence.state.lastError}\n`);
    process.exit(1);
  }
  const outcome = sim.outcome();
  process.stdout.write(cmd.json ? `${JSON.stringify(outcome)}\n` : describe(outcome));
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}

function describe(o: GameOutcome): string {
  const lines = [
    `${o.scenario} · seed ${o.seed} · ${o.difficulty} bots · ${o.gameTimeSec} s of game time (${o.ticks} ticks)`,
    `${o.won ? "WON" : "LOST"}: ${o.verdict}`,
    `availability ${pct(o.availability)} over the game, ${pct(o.availabilityLastMinute)} over the last minute`,
    `score ${o.score}/1000 = goal ${o.scoreParts.outcome} + availability ${o.scoreParts.availability} + recovery ${o.scoreParts.recovery} + penalties ${o.scoreParts.penalties}`,
    `requests: ${o.served} served, ${o.dropped} dropped, ${o.timedOut} timed out`,
  ];
  const causes = Object.entries(o.dropsByCause).filter(([, n]) => n > 0);
  if (causes.length) lines.push(`drops by cause: ${causes.map(([c, n]) => `${c} ${n}`).join(", ")}`);
  lines.push(
    `replicas serving: ${Object.entries(o.replicas)
      .map(([d, r]) => `${d} ${r.serving}/${r.desired}`)
      .join(", ")}`,
  );
  for (const i of o.incidents) {
    const rec = i.recoveredAt !== undefined ? `recovered after ${((i.recoveredAt - i.at) / 1000).toFixed(1)} s` : "not recovered";
    lines.push(`incident at ${(i.at / 1000).toFixed(1)} s: ${i.label} — ${rec}`);
  }
  const s = o.seats;
  lines.push(`scheduler: ${s.scheduler.bindings} bindings, mean wait ${s.scheduler.meanWaitSec} s, ${s.scheduler.rejectedBindings} rejected by kubelets`);
  lines.push(`controller manager: ${s.controllerManager.podsCreated} pods created, mean time to replace ${s.controllerManager.meanReplaceSec} s`);
  for (const [node, k] of Object.entries(s.kubelets)) {
    const p = s.kubeProxies[node];
    lines.push(
      `${node}: kubelet started ${k.started} (mean ${k.meanStartSec} s), ${k.oomKills} OOM kills · kube-proxy ${p.forwarded} forwarded, ${pct(p.localShare)} local, ${p.staleDrops} stale drops`,
    );
  }
  lines.push(`etcd revision ${o.revision}`);
  return `${lines.join("\n")}\n`;
}

await main();
