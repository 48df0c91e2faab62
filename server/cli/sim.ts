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
import { parseArgs } from "node:util";
import { Persistence, simSource } from "../game/Persistence.ts";
import { StoreUnavailable, type ClusterStore } from "../store/ClusterStore.ts";
import { openStore } from "../store/openStore.ts";
import { DIFFICULTIES, type Difficulty } from "../../shared/sim/bots/Bot.ts";
import { scenarioSeats } from "../../shared/sim/bootstrap.ts";
import { scenarioIds, getScenario, listScenarios } from "../../shared/sim/scenarios/index.ts";
import { MATRIX_SEEDS, renderMatrix, seatMatrix } from "../../shared/sim/matrix.ts";
import { Simulation } from "../../shared/sim/Simulation.ts";
import type { GameOutcome } from "../../shared/sim/outcome.ts";
import { conceptCoverage, renderConceptsDoc } from "../../shared/teaching/coverage.ts";

const USAGE = `usage: npm run sim -- --list
       npm run sim -- --matrix [--scenario <id>] [--json]
       npm run sim -- --concepts
       npm run sim -- --scenario <id> --seed <n> [--bots easy|normal|hard] [--ticks <n>] [--json] [--bots-off <seat,…>]
                      [--store <redis-url> --room <id> [--speed <x>]]
       npm run sim -- --store <redis-url> --room <id> --resume [--ticks <n>] [--json] [--speed <x>]`;

function fail(message: string): never {
  process.stderr.write(`sim: ${message}\n${USAGE}\n`);
  process.exit(2);
}

/** The command line, checked: an unknown option names itself and exits with 2. */
function commandLine() {
  try {
    return parseArgs({
      options: {
        list: { type: "boolean" },
        matrix: { type: "boolean" },
        concepts: { type: "boolean" },
        scenario: { type: "string" },
        seed: { type: "string" },
        bots: { type: "string", default: "normal" },
        ticks: { type: "string" },
        json: { type: "boolean" },
        "bots-off": { type: "string" },
        store: { type: "string" },
        room: { type: "string" },
        resume: { type: "boolean" },
        speed: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }).values;
  } catch (err) {
    fail((err as Error).message);
  }
}

async function main(): Promise<void> {
  const args = commandLine();
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (args.list) {
    process.stdout.write(
      scenarioIds()
        .map((id) => `${id}\n`)
        .join(""),
    );
    return;
  }
  if (args.matrix) return matrix(args);
  if (args.concepts) {
    process.stdout.write(renderConceptsDoc(conceptCoverage(listScenarios())));
    return;
  }
  const persistedRun = Boolean(args.resume || args.store || (args.room && process.env.REDIS_URL));
  if (!persistedRun) {
    for (const opt of ["room", "speed"] as const) if (args[opt] !== undefined) fail(`--${opt} only applies with --store <redis-url> (or REDIS_URL)`);
  }
  if (persistedRun) return persisted(args);
  const game = gameArgs(args);
  const sim = new Simulation({ scenario: game.scenario, seed: game.seed, difficulty: game.difficulty, botsOff: game.botsOff });
  sim.run(game.ticks ?? sim.durationTicks);
  const outcome = sim.outcome();
  process.stdout.write(args.json ? `${JSON.stringify(outcome)}\n` : describe(outcome));
}

/**
 * The seat matrix: every scenario's recommended seats idle against their bots. Exits 1 when the
 * rule fails for a seat (the game with it idle is neither lost nor MATRIX_MIN_DROP worse).
 */
function matrix(args: Args): void {
  for (const opt of ["seed", "bots-off", "ticks", "store", "room", "resume", "speed"] as const) {
    if (args[opt] !== undefined)
      fail(`--${opt} does not apply with --matrix: it plays every game in full on seeds ${MATRIX_SEEDS.join(", ")} with normal bots`);
  }
  if (args.bots !== "normal") fail("--bots does not apply with --matrix: it compares each seat idle with the normal bot");
  let scenarios = listScenarios();
  if (args.scenario !== undefined) {
    const one = getScenario(String(args.scenario));
    if (!one) fail(`unknown scenario "${args.scenario}"; known: ${scenarioIds().join(", ")}`);
    scenarios = [one];
  }
  const rows = seatMatrix(scenarios);
  if (args.json) process.stdout.write(`${JSON.stringify(rows)}\n`);
  else process.stdout.write(renderMatrix(rows));
  if (rows.some((r) => !r.holds)) process.exitCode = 1;
}

/** The roles whose bots --bots-off may switch off as a whole. */
const ROLES = ["scheduler", "controller-manager", "kubelet", "kube-proxy"];

interface GameArgs {
  scenario: string;
  seed: number;
  difficulty: Difficulty;
  botsOff: string[];
  ticks?: number;
}

/** Checks the arguments of a new game; every mistake is named and exits with 2. */
function gameArgs(args: Args): GameArgs {
  const scenarioId = args.scenario as string | undefined;
  if (!scenarioId) fail("--scenario is required (see --list)");
  const scenario = getScenario(scenarioId);
  if (!scenario) fail(`unknown scenario "${scenarioId}"; known: ${scenarioIds().join(", ")}`);
  const seed = Number(args.seed ?? "1");
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) fail(`--seed must be a whole number from 0 to 4294967295, not "${args.seed}"`);
  if (!DIFFICULTIES.includes(args.bots as Difficulty)) fail(`--bots must be easy, normal or hard, not "${args.bots}"`);
  const botsOff = args["bots-off"]
    ? String(args["bots-off"])
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
  if (args["bots-off"] !== undefined && botsOff.length === 0) fail("--bots-off needs seats or roles, e.g. --bots-off scheduler,kubelet:node-2");
  // Seats of the scenario's workers, and of workers its script brings in later.
  const seats = new Set(scenarioSeats(scenario, { joining: true }));
  for (const off of botsOff) {
    if (!ROLES.includes(off) && !seats.has(off))
      fail(`--bots-off: "${off}" is neither a role (${ROLES.join(", ")}) nor a seat of ${scenarioId} (${[...seats].join(", ")})`);
  }
  let ticks: number | undefined;
  if (args.ticks !== undefined) {
    ticks = Number(args.ticks);
    if (!Number.isInteger(ticks) || ticks < 0) fail(`--ticks must be a whole number of 100 ms ticks, not "${args.ticks}"`);
  }
  return { scenario: scenarioId, seed, difficulty: args.bots as Difficulty, botsOff, ticks };
}

type Args = { [k: string]: string | boolean | undefined };

/** A game written through the store as it plays, or continued from it. */
async function persisted(args: Args): Promise<void> {
  const url = (args.store as string | undefined) ?? process.env.REDIS_URL;
  const room = args.room as string | undefined;
  if (!url) fail("--resume needs --store <redis-url> (or REDIS_URL) and --room <id>");
  if (!room || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(room)) fail("--room must be a name of lower-case letters, digits and '-'");
  const speed = args.speed === undefined ? 0 : Number(args.speed);
  if (!(speed > 0) || !Number.isFinite(speed)) {
    if (args.speed !== undefined) fail(`--speed must be a positive multiple of real time, not "${args.speed}"`);
  }
  // A resumed game is the saved one: what would start a new game does not apply.
  if (args.resume)
    for (const opt of ["scenario", "seed", "bots-off"] as const)
      if (args[opt] !== undefined) fail(`--${opt} does not apply with --resume: the game continues as it was saved`);
  const game = args.resume ? undefined : gameArgs(args);
  let resumeTicks: number | undefined;
  if (args.resume && args.ticks !== undefined) {
    resumeTicks = Number(args.ticks);
    if (!Number.isInteger(resumeTicks) || resumeTicks < 0) fail(`--ticks must be a whole number of 100 ms ticks, not "${args.ticks}"`);
  }
  let store: ClusterStore;
  try {
    store = await openStore(url);
  } catch (err) {
    process.stderr.write(`sim: ${err instanceof StoreUnavailable ? err.message : String(err)}\n`);
    process.exit(1);
  }
  let sim: Simulation;
  if (args.resume) {
    try {
      sim = await Persistence.resume(store, room);
    } catch (err) {
      process.stderr.write(`sim: ${(err as Error).message}\n`);
      process.exit(1);
    }
  } else {
    if ((await store.revision(room)) > 0) fail(`room "${room}" already has a saved game in ${store.describe}: add --resume, or pick another --room`);
    const g = game!;
    sim = new Simulation({ scenario: g.scenario, seed: g.seed, difficulty: g.difficulty, botsOff: g.botsOff });
  }
  const persistence = new Persistence(
    store,
    room,
    simSource(sim),
    (line) => process.stderr.write(`sim: ${line}\n`),
    args.resume ? sim.state.revision : 0,
    args.resume ? sim.inputLog.length : 0,
  );
  const ticks = (args.resume ? resumeTicks : game?.ticks) ?? sim.durationTicks - sim.tick;
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
  process.stdout.write(args.json ? `${JSON.stringify(outcome)}\n` : describe(outcome));
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
