/**
 * Who reads a debrief, and how much: the host (host token) reads all of it; a player (their own
 * kubectl token) reads the team's timeline, incidents, events and outcome, but of the per-player
 * parts only their own row, the figures of the seats they play and their own "you against the bot".
 */
import type { ApiCaller } from "../k8s/ports.ts";
import type { Debrief, DebriefSeats } from "../../shared/protocol/debrief.ts";

/** The debrief as `caller` may read it. */
export function debriefFor(d: Debrief, caller: ApiCaller): Debrief {
  if (caller.host) return d;
  const plays = (seat: string) => caller.seats.includes(seat);
  const only = <T>(byNode: Record<string, T>, role: string) => Object.fromEntries(Object.entries(byNode).filter(([node]) => plays(`${role}:${node}`)));
  const all = d.outcome.seats;
  // A player's figures hold only their seats: the scheduler's and controller manager's are absent unless played.
  const seats: DebriefSeats = {
    ...(plays("scheduler") ? { scheduler: all.scheduler } : {}),
    ...(plays("controller-manager") ? { controllerManager: all.controllerManager } : {}),
    kubelets: only(all.kubelets, "kubelet"),
    kubeProxies: only(all.kubeProxies, "kube-proxy"),
  };
  const vsBot = d.vsBot && { ...d.vsBot, players: d.vsBot.players.filter((p) => p.nickname === caller.name) };
  return { ...d, outcome: { ...d.outcome, seats }, players: [{ nickname: caller.name, seats: [...caller.seats] }], ...(vsBot ? { vsBot } : {}) };
}
