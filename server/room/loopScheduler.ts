/**
 * Every room's game loop on one schedule per process. Each loop runs every `every` ms, as
 * Colyseus' simulation interval would, but the loops due at the same moment run a few at a time:
 * at most TURN_BUDGET_MS of them per turn of the event loop, the rest in the next turn — after
 * the process has read its sockets and accepted new connections. With 120 games on a process,
 * Node's timers ran every due loop in one go: a class of twelve games starting together (their
 * first ticks are the heaviest) held the process for up to 0.8 s, and students joining other
 * classes meanwhile waited (Node accepts one new connection per turn of its loop).
 */

/** Loop work run in one turn of the event loop before the other due loops wait for the next turn, ms. */
export const TURN_BUDGET_MS = 10;

interface Loop {
  every: number;
  /** When it is due next, ms on the scheduler's clock. */
  due: number;
  run: () => void;
  stopped: boolean;
}

export class LoopScheduler {
  private loops: Loop[] = [];
  private timer?: ReturnType<typeof setTimeout>;
  private immediate?: ReturnType<typeof setImmediate>;

  constructor(
    private readonly budgetMs = TURN_BUDGET_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Runs `run` every `every` ms from now on (it must not throw); the function returned stops it. */
  add(every: number, run: () => void): () => void {
    const loop: Loop = { every, due: this.now() + every, run, stopped: false };
    this.loops.push(loop);
    if (!this.immediate) this.arm();
    return () => {
      loop.stopped = true;
      this.loops = this.loops.filter((l) => l !== loop);
      if (this.loops.length === 0) this.disarm();
    };
  }

  /** Loops on this schedule. */
  get size(): number {
    return this.loops.length;
  }

  private disarm(): void {
    clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = this.immediate = undefined;
  }

  /** A timer for the earliest due loop. */
  private arm(): void {
    this.disarm();
    if (this.loops.length === 0) return;
    let next = Number.POSITIVE_INFINITY;
    for (const l of this.loops) next = Math.min(next, l.due);
    this.timer = setTimeout(this.turn, Math.max(0, next - this.now()));
  }

  /** Runs the due loops, oldest first, until the budget is spent; the rest go on next turn. */
  private readonly turn = (): void => {
    this.timer = this.immediate = undefined;
    const start = this.now();
    const due = this.loops.filter((l) => l.due <= start).sort((a, b) => a.due - b.due);
    let ran = 0;
    for (const l of due) {
      if (l.stopped) continue;
      if (ran > 0 && this.now() - start >= this.budgetMs) {
        this.immediate = setImmediate(this.turn);
        return;
      }
      // Its next run keeps its phase; one that fell a whole period behind is due a period from now
      // rather than run again at once (its room catches up through the time passed, not by extra runs).
      l.due += l.every;
      if (l.due <= this.now()) l.due = this.now() + l.every;
      l.run();
      ran++;
    }
    this.arm();
  };
}

/** The process' schedule: every room's loop is on it. */
export const roomLoops = new LoopScheduler();
