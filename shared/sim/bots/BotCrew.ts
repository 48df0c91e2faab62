/**
 * The bots of a game, one per seat: the textbook component that plays a seat while no human
 * holds it. The crew creates a seat's bot when the seat appears (a worker joining brings two),
 * remembers which are on (a human in the seat switches its bot off), runs those whose component
 * can act, and saves their memory with the game.
 */
import { REACTION_MS, type Bot, type BotEnv, type Difficulty } from "./Bot.ts";
import { ControllerManagerBot } from "./ControllerManagerBot.ts";
import { KubeletBot } from "./KubeletBot.ts";
import { KubeProxyBot } from "./KubeProxyBot.ts";
import { SchedulerBot } from "./SchedulerBot.ts";
import { parseSeat } from "../seats.ts";

/** A saved crew: each seat's bot, on or off, with its memory. */
export type CrewSnapshot = Record<string, { on: boolean; memory: Record<string, number> }>;

/** A new bot for a seat, reacting after `delayMs` (the crew's, or a replay's probe). */
export function createBot(seat: string, delayMs: number): Bot {
  const s = parseSeat(seat);
  if (!s) throw new Error(`no such seat: ${seat}`);
  if (s.role === "scheduler") return new SchedulerBot(delayMs);
  if (s.role === "controller-manager") return new ControllerManagerBot(delayMs);
  return s.role === "kubelet" ? new KubeletBot(s.node, delayMs) : new KubeProxyBot(s.node, delayMs);
}

export class BotCrew {
  private readonly bots = new Map<string, Bot>();
  private readonly on = new Map<string, boolean>();

  /**
   * @param off seats or whole roles whose bots stay off for the game, including seats that
   * appear later (a joining worker)
   */
  constructor(
    private readonly difficulty: Difficulty,
    readonly off: readonly string[] = [],
  ) {}

  /** Creates a seat's bot unless it exists (on, unless its seat or role was switched off). */
  ensure(seat: string): void {
    if (this.bots.has(seat)) return;
    const bot = createBot(seat, REACTION_MS[this.difficulty]);
    this.bots.set(seat, bot);
    const role = parseSeat(seat)!.role;
    this.on.set(seat, !this.off.includes(seat) && !this.off.includes(role));
  }

  set(seat: string, on: boolean): void {
    this.on.set(seat, on);
  }

  isOn(seat: string): boolean {
    return this.on.get(seat) ?? false;
  }

  /** One tick of every bot that is on and whose component can act now. */
  run(canAct: (seat: string) => boolean, envFor: (seat: string) => BotEnv): void {
    for (const [seat, bot] of this.bots) {
      if (!this.on.get(seat) || !canAct(seat)) continue;
      bot.tick(envFor(seat));
    }
  }

  snapshot(): CrewSnapshot {
    const out: CrewSnapshot = {};
    for (const [seat, bot] of this.bots) out[seat] = { on: this.on.get(seat) ?? false, memory: bot.snapshot() };
    return out;
  }

  restore(saved: CrewSnapshot): void {
    for (const [seat, b] of Object.entries(saved)) {
      this.ensure(seat);
      this.on.set(seat, b.on);
      this.bots.get(seat)!.restore(b.memory);
    }
  }
}
