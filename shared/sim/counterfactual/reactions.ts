/**
 * How fast a seat answered what the cluster needed, with the player and with the bot in it: from
 * each seat's figures of the game as played and of the replay with the bot in the player's seats.
 * The scheduler's is how long a pending pod waited to be bound, the controller manager's how long
 * a missing pod took to be replaced, a kubelet's how long a pod bound to its node took to start,
 * and a kube-proxy's how many requests it dropped on rules it had not updated yet.
 */
import type { SeatFigures } from "../scoring/Scoreboard.ts";
import { parseSeat } from "../seats.ts";

/** One seat's reaction, with the player and with the bot. */
export interface SeatReaction {
  seat: string;
  /** What is measured, in words ("a pending pod waited to be bound"). */
  measure: string;
  unit: "s" | "requests";
  /** The game's mean (seconds) or count (requests); null when it never happened in that game. */
  you: number | null;
  bot: number | null;
}

/** Each seat's reaction in the two games (the seats' figures cover the whole game, bot stretches included). */
export function seatReactions(seats: readonly string[], you: SeatFigures, bot: SeatFigures): SeatReaction[] {
  return seats.flatMap((seat): SeatReaction[] => {
    const s = parseSeat(seat);
    if (!s) return [];
    switch (s.role) {
      case "scheduler": {
        const f = (x: SeatFigures) => (x.scheduler.bindings ? x.scheduler.meanWaitSec : null);
        return [{ seat, measure: "a pending pod waited to be bound", unit: "s", you: f(you), bot: f(bot) }];
      }
      case "controller-manager": {
        const f = (x: SeatFigures) => (x.controllerManager.replacements ? x.controllerManager.meanReplaceSec : null);
        return [{ seat, measure: "a missing pod waited to be replaced", unit: "s", you: f(you), bot: f(bot) }];
      }
      case "kubelet": {
        const f = (x: SeatFigures) => {
          const k = x.kubelets[s.node];
          return k?.started ? k.meanStartSec : null;
        };
        const started: SeatReaction = { seat, measure: `a pod bound to ${s.node} took to start`, unit: "s", you: f(you), bot: f(bot) };
        // A bare server's kubelet seat first brings its node into the cluster: when did it join?
        const joined = (x: SeatFigures) => x.kubelets[s.node]?.joinedSec;
        if (joined(you) === undefined && joined(bot) === undefined) return [started];
        const join: SeatReaction = {
          seat,
          measure: `the game second ${s.node} joined the cluster`,
          unit: "s",
          you: joined(you) ?? null,
          bot: joined(bot) ?? null,
        };
        return [join, started];
      }
      case "kube-proxy": {
        const f = (x: SeatFigures) => x.kubeProxies[s.node]?.staleDrops ?? null;
        return [{ seat, measure: `requests ${s.node} dropped on out-of-date rules`, unit: "requests", you: f(you), bot: f(bot) }];
      }
      default:
        return [];
    }
  });
}
