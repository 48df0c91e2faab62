/**
 * What the rooms of one server process may use, and who may open more: at most MAX_ROOMS rooms,
 * at most MAX_ROOMS_PER_ADDRESS of them opened from one client address (and as many new ones a
 * minute), and a simulation budget — the rooms' estimated CPU (roomCost.ts) may not pass
 * SIM_CPU_BUDGET ms per second, so a new room is refused *before* the running ones slow down.
 * A refusal is a ServerError whose code the matchmaker answers with (429: this address, 503: the
 * server) and whose message the SDK shows. Rooms the server opens itself (a restore at start-up)
 * are counted but never refused.
 */
import { ServerError } from "@colyseus/core";
import { KeyedLimits } from "./KeyedLimits.ts";

/** Rooms one server process holds at most. Env MAX_ROOMS. @default 200 */
export const DEFAULT_MAX_ROOMS = 200;
/** Rooms one client address may hold at once, and open per minute. Env MAX_ROOMS_PER_ADDRESS. @default 20 */
export const DEFAULT_MAX_ROOMS_PER_ADDRESS = 20;
/**
 * The rooms' estimated CPU, ms per second of wall time, that one process admits: 100 standard
 * games (the load test's), or 5 large clusters at 1×. The estimates (roomCost.ts) lean to the
 * higher figures measured; with the budget full of large clusters (2 of them at 4×) beside a
 * workshop, the server used two thirds of its one core (a Node process runs on one), the rest left
 * for sockets and the Kubernetes API, and the workshop's clock kept real time (0.99–1.01×).
 * Env SIM_CPU_BUDGET. @default 500
 */
export const DEFAULT_SIM_CPU_BUDGET_MS = 500;

export interface RoomCapsOptions {
  maxRooms: number;
  maxRoomsPerAddress: number;
  cpuBudgetMs: number;
}

export const DEFAULT_CAPS: RoomCapsOptions = {
  maxRooms: DEFAULT_MAX_ROOMS,
  maxRoomsPerAddress: DEFAULT_MAX_ROOMS_PER_ADDRESS,
  cpuBudgetMs: DEFAULT_SIM_CPU_BUDGET_MS,
};

const ENV: Record<keyof RoomCapsOptions, string> = { maxRooms: "MAX_ROOMS", maxRoomsPerAddress: "MAX_ROOMS_PER_ADDRESS", cpuBudgetMs: "SIM_CPU_BUDGET" };

/** The caps set in the environment, over the defaults; throws a message naming a bad variable. */
export function capsFromEnv(env: Record<string, string | undefined>): RoomCapsOptions {
  const caps = { ...DEFAULT_CAPS };
  for (const key of Object.keys(ENV) as (keyof RoomCapsOptions)[]) {
    const raw = env[ENV[key]];
    if (raw === undefined || raw === "") continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${ENV[key]} must be a whole number of at least 1, not "${raw}"`);
    caps[key] = n;
  }
  return caps;
}

/** A room holding its place under the caps, until it is released. */
export interface Admitted {
  readonly address: string | undefined;
  /** The room's estimated CPU now, ms per second (it may change with speed, scenario and size). */
  cost(): number;
  release(): void;
}

export class RoomCaps {
  private readonly rooms = new Set<Admitted>();
  private readonly creations: KeyedLimits;

  constructor(readonly options: RoomCapsOptions = DEFAULT_CAPS) {
    this.creations = new KeyedLimits({ burst: options.maxRoomsPerAddress, perMinute: options.maxRoomsPerAddress });
  }

  /** The rooms' estimated CPU now, ms per second. */
  inUse(): number {
    let sum = 0;
    for (const r of this.rooms) sum += r.cost();
    return sum;
  }

  get size(): number {
    return this.rooms.size;
  }

  /**
   * Admits a new room opened from `address` (undefined: by the server itself) whose estimated
   * CPU is `cost()`, or throws a ServerError saying why not. `what` names the game for the message.
   */
  admit(address: string | undefined, cost: () => number, what: string, now = Date.now()): Admitted {
    if (address !== undefined) this.check(address, cost(), what, now);
    const rooms = this.rooms;
    const admitted: Admitted = {
      address,
      cost,
      release: () => void rooms.delete(admitted),
    };
    rooms.add(admitted);
    return admitted;
  }

  private check(address: string, cost: number, what: string, now: number): void {
    const { maxRooms, maxRoomsPerAddress, cpuBudgetMs } = this.options;
    if (this.rooms.size >= maxRooms) {
      throw new ServerError(503, `the server is full: it runs its maximum of ${maxRooms} games (MAX_ROOMS). Try again when a game has ended`);
    }
    let mine = 0;
    for (const r of this.rooms) if (r.address === address) mine++;
    if (mine >= maxRoomsPerAddress) {
      throw new ServerError(
        429,
        `${mine} games are already open from your network address, the most one address may hold (MAX_ROOMS_PER_ADDRESS): leave one before starting another`,
      );
    }
    const left = cpuBudgetMs - this.inUse();
    if (cost > left) {
      throw new ServerError(
        503,
        `the server is too busy for ${what}: it needs about ${Math.ceil(cost)} ms of CPU a second and only ${Math.max(0, Math.floor(left))} of ${cpuBudgetMs} are free (SIM_CPU_BUDGET), so the games already running keep real time. Try a smaller scenario, or again when a game has ended`,
      );
    }
    const verdict = this.creations.take(address, now);
    if (!verdict.ok) {
      throw new ServerError(
        429,
        `too many new games from your network address: at most ${maxRoomsPerAddress} a minute (MAX_ROOMS_PER_ADDRESS). Try again in ${verdict.retryAfterSec} s`,
      );
    }
  }

  /** Why `room` may not grow to cost `next` (a higher speed, a bigger scenario), or undefined if it may. */
  refuseGrowth(room: Admitted, next: number, what: string): string | undefined {
    const now = room.cost();
    if (next <= now) return undefined;
    const left = this.options.cpuBudgetMs - this.inUse() + now;
    if (next <= left) return undefined;
    return `the server is too busy for ${what}: the game would need about ${Math.ceil(next)} ms of CPU a second and ${Math.max(0, Math.floor(left))} are free (SIM_CPU_BUDGET). Other games keep real time; try again when a game has ended`;
  }
}
