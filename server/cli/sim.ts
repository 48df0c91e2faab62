/**
 * The headless runner: plays an all-bot game of a scenario and prints its outcome.
 *
 *   npm run sim -- --list
 *   npm run sim -- --scenario node-down --seed 7 [--bots easy|normal|hard] [--ticks N] [--json]
 *                  [--bots-off scheduler,kube-proxy]
 *
 * The same arguments always print the same bytes: the game depends only on them.
 */
import { parseArgs } from "node:util";
import { DIFFICULTIES, type Difficulty } from "../../shared/sim/bots/Bot.ts";
import { scenarioIds, getScenario } from "../../shared/sim/scenarios/index.ts";
import { Simulation } from "../../shared/sim/Simulation.ts";
import type { GameOutcome } from "../../shared/sim/outcome.ts";

const USAGE = `usage: npm run sim -- --list
       npm run sim -- --scenario <id> --seed <n> [--bots easy|normal|hard] [--ticks <n>] [--json] [--bots-off <seat,…>]`;

function fail(message: string): never {
  process.stderr.write(`sim: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function main(): void {
  let args;
  try {
    args = parseArgs({
      options: {
        list: { type: "boolean" },
        scenario: { type: "string" },
        seed: { type: "string" },
        bots: { type: "string", default: "normal" },
        ticks: { type: "string" },
        json: { type: "boolean" },
        "bots-off": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }).values;
  } catch (err) {
    fail((err as Error).message);
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (args.list) {
    process.stdout.write(scenarioIds().map((id) => `${id}\n`).join(""));
    return;
  }
  if (!args.scenario) fail("--scenario is required (see --list)");
  if (!getScenario(args.scenario)) fail(`unknown scenario "${args.scenario}"; known: ${scenarioIds().join(", ")}`);
  const seed = Number(args.seed ?? "1");
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) fail(`--seed must be a whole number from 0 to 4294967295, not "${args.seed}"`);
  if (!DIFFICULTIES.includes(args.bots as Difficulty)) fail(`--bots must be easy, normal or hard, not "${args.bots}"`);
  const botsOff = args["bots-off"] ? args["bots-off"].split(",").map((s) => s.trim()).filter(Boolean) : [];

  const sim = new Simulation({ scenario: args.scenario, seed, difficulty: args.bots as Difficulty, botsOff });
  let ticks = sim.durationTicks;
  if (args.ticks !== undefined) {
    ticks = Number(args.ticks);
    if (!Number.isInteger(ticks) || ticks < 0) fail(`--ticks must be a whole number of 100 ms ticks, not "${args.ticks}"`);
  }
  sim.run(ticks);
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
    `availability ${pct(o.availability)} over the game, ${pct(o.availabilityLastMinute)} over the last minute · score ${o.score}`,
    `requests: ${o.served} served, ${o.dropped} dropped, ${o.timedOut} timed out`,
  ];
  const causes = Object.entries(o.dropsByCause).filter(([, n]) => n > 0);
  if (causes.length) lines.push(`drops by cause: ${causes.map(([c, n]) => `${c} ${n}`).join(", ")}`);
  lines.push(`replicas serving: ${Object.entries(o.replicas).map(([d, r]) => `${d} ${r.serving}/${r.desired}`).join(", ")}`);
  for (const i of o.incidents) {
    const rec = i.recoveredAt !== undefined ? `recovered after ${((i.recoveredAt - i.at) / 1000).toFixed(1)} s` : "not recovered";
    lines.push(`incident at ${(i.at / 1000).toFixed(1)} s: ${i.label} — ${rec}`);
  }
  const s = o.seats;
  lines.push(`scheduler: ${s.scheduler.bindings} bindings, mean wait ${s.scheduler.meanWaitSec} s, ${s.scheduler.rejectedBindings} rejected by kubelets`);
  lines.push(`controller manager: ${s.controllerManager.podsCreated} pods created, mean time to replace ${s.controllerManager.meanReplaceSec} s`);
  for (const [node, k] of Object.entries(s.kubelets)) {
    const p = s.kubeProxies[node];
    lines.push(`${node}: kubelet started ${k.started} (mean ${k.meanStartSec} s), ${k.oomKills} OOM kills · kube-proxy ${p.forwarded} forwarded, ${pct(p.localShare)} local, ${p.staleDrops} stale drops`);
  }
  lines.push(`etcd revision ${o.revision}`);
  return `${lines.join("\n")}\n`;
}

main();
