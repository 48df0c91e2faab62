/**
 * Who may apply manifests besides the host. The host is the cluster admin; a workshop's host can
 * let a player (a team lead, a student ready for it) create, change and delete deployments and
 * services with `kubectl apply` and `delete -f` — and nothing more of the admin's: scaling,
 * cordoning and deleting nodes stay the host's. A grant follows the player's key, so it survives
 * a reconnect and is saved with the game.
 */
import { conflict, forbidden, notFound, ok, type ApiResult } from "../../shared/sim/api/status.ts";
import type { GameSession } from "./GameSession.ts";

/** The host's *may apply* toggle on a player (message host.grantApply). */
export function grantApply(session: GameSession, id: string, player: string, allowed: boolean): ApiResult {
  if (!session.isHost(id)) return forbidden("only the host can let players apply manifests");
  const target = session.players.get(player);
  if (!target) return notFound(`no player ${player} in this room`);
  if (target.host) return conflict("the host is the cluster admin: they may apply manifests already");
  if (allowed) session.applyGrants.add(target.key);
  else session.applyGrants.delete(target.key);
  return ok(
    allowed ? `${target.nickname} may now apply manifests with kubectl (deployments and services)` : `${target.nickname} may no longer apply manifests`,
  );
}
