/**
 * Who sees the truth behind the API server. The game's screens show what the control plane
 * knows — a node is Ready until its heartbeats stop counting and the node controller marks it —
 * because that is the lesson of the controller manager: the control plane only knows what it is
 * told. The physical truth (power, processes, a container really serving) is for a kubelet on
 * its own node (it watches its machine), the host of a workshop behind a *show the truth*
 * toggle, watch mode and the debrief.
 */
import { forbidden, ok, type ApiResult } from "../../shared/sim/api/status.ts";
import type { GameSession } from "./GameSession.ts";

/** The host's *show the truth* toggle (message host.truth). */
export function showTruth(session: GameSession, id: string, shown: boolean): ApiResult {
  const p = session.players.get(id);
  if (!p?.host) return forbidden("only the host can see the truth behind the API server");
  if (session.options.mode === "solo") return forbidden("in a solo game you see what your seat sees; the debrief shows what really happened");
  p.seesTruth = shown;
  return ok(shown ? "showing the truth: power, processes and containers as they really are" : "showing what the API server knows, as the players see it");
}

/** Whether a player receives every machine's and pod's truth. */
export function seesAllTruth(session: GameSession, playerId: string): boolean {
  if (session.options.mode === "watch" || session.phase === "debrief") return true;
  return session.players.get(playerId)?.seesTruth === true;
}
