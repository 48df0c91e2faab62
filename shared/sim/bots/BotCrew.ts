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
    const delay = REACTION_MS[this.difficulty];
    const s = parseSeat(seat);
    if (!s) throw new Error(`no such seat: ${seat}`);
    const bot =
      s.role === "scheduler" ? new SchedulerBot(delay)
      : s.role === "controller-manager" ? new ControllerManagerBot(delay)
      : s.role === "kubelet" ? new KubeletBot(s.node, delay)
      : new KubeProxyBot(s.node, delay);
    this.bots.set(seat, bot);
    this.on.set(seat, !this.off.includes(seat) && !this.off.includes(s.role));
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
