/**
 * Bots play the seats no human holds. Each is the textbook algorithm of its component, acting
 * through the API server with its seat's credentials after a reaction delay set by difficulty.
 */
import type { SeatRequest } from "../world/nodeSetup.ts";
import type { ApiResult } from "../api/status.ts";
import type { ClusterState } from "../objects/ClusterState.ts";
import type { World } from "../world/World.ts";

export type Difficulty = "easy" | "normal" | "hard";
export const DIFFICULTIES: readonly Difficulty[] = ["easy", "normal", "hard"];

/**
 * How long a bot takes to react to something it sees, ms. Difficulty is the game's: on "hard"
 * the bot team-mates are slow, so a human has to carry more of the cluster.
 */
export const REACTION_MS: Record<Difficulty, number> = {
  easy: 300,
  normal: 1_000,
  hard: 2_500,
};

export interface BotEnv {
  state: ClusterState;
  world: World;
  now: number;
  /** Sends a request with the bot's seat credentials (or, for a bare server's kubelet, takes a setup step). */
  call(request: SeatRequest): ApiResult;
}

export interface Bot {
  /** The seat it plays: "scheduler", "controller-manager", "kubelet:node-1", "kube-proxy:node-1". */
  readonly seat: string;
  tick(env: BotEnv): void;
  /** The bot's memory (what it has noticed since when), for saving a game. */
  snapshot(): Record<string, number>;
  restore(data: Record<string, number>): void;
}

/**
 * A bot's attention: when it first noticed each thing, so it acts only once the reaction delay
 * has passed. Things no longer seen are forgotten.
 */
export class Reaction {
  private noticed = new Map<string, number>();
  private seen = new Set<string>();

  constructor(private readonly delayMs: number) {}

  /** Marks the start of a tick's look at the world. */
  begin(): void {
    this.seen.clear();
  }

  /** True once `key` has been in view for the reaction delay. */
  due(key: string, now: number): boolean {
    this.seen.add(key);
    let since = this.noticed.get(key);
    if (since === undefined) this.noticed.set(key, (since = now));
    return now - since >= this.delayMs;
  }

  /** Starts the delay over, e.g. after an action that failed. */
  again(key: string, now: number): void {
    this.noticed.set(key, now);
  }

  /** Forgets what was not looked at this tick. */
  end(): void {
    for (const k of this.noticed.keys()) if (!this.seen.has(k)) this.noticed.delete(k);
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.noticed);
  }

  restore(data: Record<string, number>): void {
    this.noticed = new Map(Object.entries(data));
  }
}

/** A bot that acts on what it has noticed for long enough: the memory every seat's bot shares. */
export abstract class ReactiveBot implements Bot {
  abstract readonly seat: string;
  protected readonly reaction: Reaction;

  constructor(delayMs: number) {
    this.reaction = new Reaction(delayMs);
  }

  abstract tick(env: BotEnv): void;

  snapshot(): Record<string, number> {
    return this.reaction.snapshot();
  }

  restore(data: Record<string, number>): void {
    this.reaction.restore(data);
  }
}
