/**
 * Every environment variable the game server reads, in one table: its name, what it means, its
 * default, and how it is checked. `loadConfig` turns the environment into the server's settings
 * or names the first variable that is wrong; README's configuration table is kept to this one
 * (a test compares them). The test suites' own variables are listed apart (TEST_VARIABLES).
 */
import { guessesPerMinuteFrom, PIN_GUESSES_PER_MINUTE } from "./admission/PinGuard.ts";
import { trustedProxiesFrom, TRUST_PROXY_DEFAULT } from "./limits/clientAddress.ts";
import { HOST_AWAY_MS, hostAwayMsFrom } from "./game/HostPresence.ts";
import { publicUrlFrom } from "./ops/joinAddress.ts";
import { DEFAULT_REPLAY_DEADLINE_MS, DEFAULT_REPLAY_WORKERS, replayOptionsFromEnv, type ReplayPoolOptions } from "./replays/ReplayPool.ts";
import { capsFromEnv, DEFAULT_MAX_ROOMS, DEFAULT_MAX_ROOMS_PER_ADDRESS, DEFAULT_SIM_CPU_BUDGET_MS, type RoomCapsOptions } from "./limits/RoomCaps.ts";

/** The game server's port. */
export const DEFAULT_PORT = 2567;

/** The settings read from the environment (what startServer takes, less what only code sets). */
export interface EnvConfig {
  port: number;
  apiPort: number;
  redisUrl?: string;
  publicAddress?: string;
  trustProxy: number;
  pinGuessesPerMinute: number;
  metricsToken?: string;
  caps: RoomCapsOptions;
  hostAwayMs: number;
  publicUrl?: string;
  /** The debrief's replay workers ("you against the bot"). */
  replay: ReplayPoolOptions;
}

/** A variable the server reads, for the README and error messages. */
export interface Variable {
  name: string;
  default: string;
}

/** Every variable the game server reads (README's configuration table lists these and TEST_VARIABLES). */
export const SERVER_VARIABLES: readonly Variable[] = [
  { name: "PORT", default: String(DEFAULT_PORT) },
  { name: "REDIS_URL", default: "unset: everything in-process" },
  { name: "KUBE_API_PORT", default: "PORT + 1" },
  { name: "PUBLIC_ADDRESS", default: "unset" },
  { name: "TRUST_PROXY", default: String(TRUST_PROXY_DEFAULT) },
  { name: "PIN_GUESSES_PER_MINUTE", default: String(PIN_GUESSES_PER_MINUTE) },
  { name: "MAX_ROOMS", default: String(DEFAULT_MAX_ROOMS) },
  { name: "MAX_ROOMS_PER_ADDRESS", default: String(DEFAULT_MAX_ROOMS_PER_ADDRESS) },
  { name: "SIM_CPU_BUDGET", default: String(DEFAULT_SIM_CPU_BUDGET_MS) },
  { name: "METRICS_TOKEN", default: "unset: /metrics is off" },
  { name: "PUBLIC_URL", default: "unset: the machine's LAN addresses" },
  { name: "HOST_AWAY_SECONDS", default: String(HOST_AWAY_MS / 1000) },
  { name: "REPLAY_WORKERS", default: String(DEFAULT_REPLAY_WORKERS) },
  { name: "REPLAY_DEADLINE_MS", default: String(DEFAULT_REPLAY_DEADLINE_MS) },
];

/** Variables only the tests, the benchmarks and the dev server read. */
export const TEST_VARIABLES: readonly string[] = ["CI", "KUBECTL", "CHROMIUM_PATH", "GAME_SERVER", "FC_RUNS", "FC_SEED", "FC_PATH", "TEST_JOBS", "TEST_RETRY"];

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0 || n > 65535) throw new Error(`${name} must be a port number (1–65535), not "${raw}"`);
  return n;
}

function redisUrl(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.REDIS_URL;
  if (!raw) return undefined;
  if (!/^rediss?:\/\//.test(raw)) throw new Error(`REDIS_URL must be a redis:// (or rediss://) URL, such as redis://127.0.0.1:6379, not "${raw}"`);
  return raw;
}

function publicAddress(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.PUBLIC_ADDRESS;
  if (!raw) return undefined;
  if (!/^[^\s/:]+:\d{1,5}$/.test(raw)) throw new Error(`PUBLIC_ADDRESS must be host:port (where clients reach this process), not "${raw}"`);
  return raw;
}

/** The server's settings from the environment; throws an Error naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): EnvConfig {
  const p = port(env, "PORT", DEFAULT_PORT);
  return {
    port: p,
    apiPort: port(env, "KUBE_API_PORT", p + 1),
    redisUrl: redisUrl(env),
    publicAddress: publicAddress(env),
    trustProxy: trustedProxiesFrom(env.TRUST_PROXY),
    pinGuessesPerMinute: guessesPerMinuteFrom(env.PIN_GUESSES_PER_MINUTE),
    metricsToken: env.METRICS_TOKEN || undefined,
    caps: capsFromEnv(env),
    hostAwayMs: hostAwayMsFrom(env.HOST_AWAY_SECONDS),
    publicUrl: publicUrlFrom(env.PUBLIC_URL),
    replay: replayOptionsFromEnv(env),
  };
}
