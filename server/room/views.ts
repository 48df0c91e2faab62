/**
 * Per-client visibility: each seat receives what its component watches. A kubelet sees the pods
 * of its node, a kube-proxy its node's rules (which name the endpoints on its own node), the
 * scheduler and the controller manager every pod (kube-scheduler watches all pods: it needs the
 * bound ones to count each node's allocated resources); the host, spectators, players without
 * a seat, watch mode and the debrief see every object. The physical truth behind the objects
 * (nodeTruth, podTruth) goes to a kubelet for its own node, and to whom truth.ts says (watch
 * mode, the debrief, the host's *show the truth* toggle).
 */
import type { StateView } from "@colyseus/schema";
import type { GameSession } from "../game/GameSession.ts";
import type { ClusterRoomState } from "../../shared/protocol/state.ts";
import { parseSeat } from "../../shared/sim/seats.ts";
import { seesAllTruth } from "../game/truth.ts";
import { seesTally } from "./teaching.ts";

type Watch = { allPods: boolean; podNodes: Set<string>; ruleNodes: Set<string>; allRules: boolean; allTruth: boolean };

export function watchOf(session: GameSession, playerId: string): Watch {
  const p = session.players.get(playerId);
  const everything = !p || p.host || p.spectator || p.seats.length === 0 || session.options.mode === "watch" || session.phase === "debrief";
  const w: Watch = { allPods: everything, podNodes: new Set(), ruleNodes: new Set(), allRules: everything, allTruth: seesAllTruth(session, playerId) };
  if (!p) return w;
  // Even one who sees every object (a solo player is the host) watches only its own kubelet's machine.
  for (const seat of p.seats) {
    const s = parseSeat(seat);
    if (s?.role === "controller-manager" || s?.role === "scheduler") w.allPods = true;
    else if (s?.role === "kubelet") w.podNodes.add(s.node);
    else if (s?.role === "kube-proxy") w.ruleNodes.add(s.node);
  }
  return w;
}

/** Adds what the player now watches to its view and removes what it no longer does. */
export function updateView(view: StateView, state: ClusterRoomState, session: GameSession, playerId: string): void {
  const w = watchOf(session, playerId);
  for (const pod of state.pods.values()) {
    const visible = w.allPods || w.podNodes.has(pod.node);
    if (visible !== view.has(pod)) visible ? view.add(pod) : view.remove(pod);
  }
  // The truth: a kubelet watches its own machine and containers (podNodes); the rest per truth.ts.
  for (const truth of state.nodeTruth.values()) {
    const visible = w.allTruth || w.podNodes.has(truth.name);
    if (visible !== view.has(truth)) visible ? view.add(truth) : view.remove(truth);
  }
  for (const truth of state.podTruth.values()) {
    const visible = w.allTruth || w.podNodes.has(state.pods.get(truth.name)?.node ?? "");
    if (visible !== view.has(truth)) visible ? view.add(truth) : view.remove(truth);
  }
  // The answers' counts: the host's while the players answer, everyone's after the reveal.
  for (const tally of state.tally.values()) {
    const visible = seesTally(state, session, playerId);
    if (visible !== view.has(tally)) visible ? view.add(tally) : view.remove(tally);
  }
  for (const rule of state.rules.values()) {
    const visible = w.allRules || w.ruleNodes.has(rule.node);
    if (visible !== view.has(rule)) visible ? view.add(rule) : view.remove(rule);
  }
}
