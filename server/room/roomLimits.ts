/**
 * One room's side of the server's caps: its place under RoomCaps (taken when the room is created,
 * given back when it is disposed, its cost read from the game's live size and speed), the host
 * changes that would take it past the simulation budget, and each client's flood window and
 * request rate.
 */
import { unavailable, type ApiResult } from "../../shared/sim/api/status.ts";
import { getScenario } from "../../shared/sim/scenarios/index.ts";
import type { GameSession } from "../game/GameSession.ts";
import { FloodWindow, RateLimiter, type Verdict } from "../limits/RateLimiter.ts";
import type { Admitted, RoomCaps } from "../limits/RoomCaps.ts";
import { roomCostMs, scenarioPods, type RoomSize } from "../limits/roomCost.ts";
import { requesterOf } from "./requester.ts";

/** The scenario a room is created with when its options name none (CreateOptionsSchema's default). */
const DEFAULT_SCENARIO = "first-pod";

export class RoomLimits {
  private admitted?: Admitted;
  private caps?: RoomCaps;
  private readonly floods = new Map<string, FloodWindow>();
  private readonly requests = new Map<string, RateLimiter>();

  /** `game()` is the room's game once it exists. */
  constructor(private readonly game: () => GameSession | undefined) {}

  /**
   * Takes the room's place under the server's caps, from the options it is created with (which
   * carry the requester's address), or throws the refusal (429 or 503, with the reason).
   */
  admit(options: unknown, caps: RoomCaps): void {
    this.caps = caps;
    const asked = getScenario(
      (options as { scenario?: unknown }).scenario === undefined ? DEFAULT_SCENARIO : String((options as { scenario?: unknown }).scenario),
    );
    const planned = asked ? scenarioPods(asked) : 0;
    this.admitted = caps.admit(requesterOf(options), () => this.cost(planned), `a ${asked?.id ?? "new"} game`);
  }

  /** Gives the room's place back (the room is disposed). */
  release(): void {
    this.admitted?.release();
  }

  /** The pods the room's cluster has or is meant to have. */
  pods(): number {
    const g = this.game();
    return g ? Math.max(scenarioPods(g.sim.scenario), g.sim.state.pods.size) : 0;
  }

  /** The room's estimated CPU now (the simulation budget's unit); `planned` pods until the game exists. */
  private cost(planned: number): number {
    const g = this.game();
    return roomCostMs(g ? { pods: this.pods(), speed: g.speed } : { pods: planned, speed: 1 });
  }

  /** The refusal (503) of a host's change that would take the room past the budget, or undefined. */
  refuseGrowth(byHost: boolean, size: RoomSize, what: string): ApiResult | undefined {
    if (!this.admitted || !this.caps || !byHost) return undefined;
    const why = this.caps.refuseGrowth(this.admitted, roomCostMs(size), what);
    return why ? unavailable(why) : undefined;
  }

  /** Counts a frame from client `id` toward its flood cut; false once it is over. */
  frame(id: string, now = Date.now()): boolean {
    let w = this.floods.get(id);
    if (!w) this.floods.set(id, (w = new FloodWindow(now)));
    return w.count(now);
  }

  /** Counts a message from client `id` against its request rate: "limited" past the burst and the sustained rate. */
  request(id: string, now = Date.now()): Verdict {
    let r = this.requests.get(id);
    if (!r) this.requests.set(id, (r = new RateLimiter(now)));
    return r.check(now);
  }

  /** Forgets a client that left. */
  forget(id: string): void {
    this.floods.delete(id);
    this.requests.delete(id);
  }
}
