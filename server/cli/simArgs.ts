/**
 * `npm run sim`'s command line, checked: what to do, or a UsageError naming the mistake. Pure (no
 * process, no store), so every mistake is tested without starting a process per case.
 */
import { parseArgs } from "node:util";
import { DIFFICULTIES, type Difficulty } from "../../shared/sim/bots/Bot.ts";
import { scenarioSeats } from "../../shared/sim/bootstrap.ts";
import { MATRIX_SEEDS } from "../../shared/sim/matrix.ts";
import { getScenario, scenarioIds } from "../../shared/sim/scenarios/index.ts";

export const USAGE = `usage: npm run sim -- --list
       npm run sim -- --matrix [--scenario <id>] [--json]
       npm run sim -- --concepts
       npm run sim -- --scenario <id> --seed <n> [--bots easy|normal|hard] [--ticks <n>] [--json] [--bots-off <seat,…>]
                      [--store <redis-url> --room <id> [--speed <x>]]
       npm run sim -- --store <redis-url> --room <id> --resume [--ticks <n>] [--json] [--speed <x>]`;

/** A mistake on the command line (the CLI prints it with the usage and exits with 2). */
export class UsageError extends Error {}

/** The roles whose bots --bots-off may switch off as a whole. */
const ROLES = ["scheduler", "controller-manager", "kubelet", "kube-proxy"];

export interface GameArgs {
  scenario: string;
  seed: number;
  difficulty: Difficulty;
  botsOff: string[];
  ticks?: number;
}

export type SimCommand =
  | { kind: "help" | "list" | "concepts" }
  | { kind: "matrix"; scenario?: string; json: boolean }
  | { kind: "game"; game: GameArgs; json: boolean }
  /** A game written through the store as it plays (game), or continued from it (resume). */
  | { kind: "persisted"; url: string; room: string; speed: number; json: boolean; game?: GameArgs; resumeTicks?: number };

type Args = { [k: string]: string | boolean | undefined };

function fail(message: string): never {
  throw new UsageError(message);
}

/** What the command line asks for; throws a UsageError for any mistake. */
export function simCommand(argv: string[], env: { REDIS_URL?: string }): SimCommand {
  const args = options(argv);
  const json = Boolean(args.json);
  if (args.help) return { kind: "help" };
  if (args.list) return { kind: "list" };
  if (args.matrix) return matrix(args);
  if (args.concepts) return { kind: "concepts" };
  const persistedRun = Boolean(args.resume || args.store || (args.room && env.REDIS_URL));
  if (persistedRun) return persisted(args, env);
  for (const opt of ["room", "speed"] as const) if (args[opt] !== undefined) fail(`--${opt} only applies with --store <redis-url> (or REDIS_URL)`);
  return { kind: "game", game: gameArgs(args), json };
}

function options(argv: string[]): Args {
  try {
    return parseArgs({
      args: argv,
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

/** The seat matrix plays every game in full on fixed seeds with normal bots: nothing else applies. */
function matrix(args: Args): SimCommand {
  for (const opt of ["seed", "bots-off", "ticks", "store", "room", "resume", "speed"] as const) {
    if (args[opt] !== undefined)
      fail(`--${opt} does not apply with --matrix: it plays every game in full on seeds ${MATRIX_SEEDS.join(", ")} with normal bots`);
  }
  if (args.bots !== "normal") fail("--bots does not apply with --matrix: it compares each seat idle with the normal bot");
  const scenario = args.scenario as string | undefined;
  if (scenario !== undefined && !getScenario(scenario)) fail(`unknown scenario "${scenario}"; known: ${scenarioIds().join(", ")}`);
  return { kind: "matrix", scenario, json: Boolean(args.json) };
}

/** The arguments of a new game. */
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
  return { scenario: scenarioId, seed, difficulty: args.bots as Difficulty, botsOff, ticks: ticksOf(args) };
}

function ticksOf(args: Args): number | undefined {
  if (args.ticks === undefined) return undefined;
  const ticks = Number(args.ticks);
  if (!Number.isInteger(ticks) || ticks < 0) fail(`--ticks must be a whole number of 100 ms ticks, not "${args.ticks}"`);
  return ticks;
}

function persisted(args: Args, env: { REDIS_URL?: string }): SimCommand {
  const url = (args.store as string | undefined) ?? env.REDIS_URL;
  const room = args.room as string | undefined;
  if (!url) fail("--resume needs --store <redis-url> (or REDIS_URL) and --room <id>");
  if (!room || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(room)) fail("--room must be a name of lower-case letters, digits and '-'");
  const speed = args.speed === undefined ? 0 : Number(args.speed);
  if (args.speed !== undefined && !(speed > 0 && Number.isFinite(speed))) fail(`--speed must be a positive multiple of real time, not "${args.speed}"`);
  const json = Boolean(args.json);
  if (!args.resume) return { kind: "persisted", url, room, speed, json, game: gameArgs(args) };
  // A resumed game is the saved one: what would start a new game does not apply.
  for (const opt of ["scenario", "seed", "bots-off"] as const)
    if (args[opt] !== undefined) fail(`--${opt} does not apply with --resume: the game continues as it was saved`);
  return { kind: "persisted", url, room, speed, json, resumeTicks: ticksOf(args) };
}
