/**
 * What the rooms' Kubernetes API needs from a game, declared here by its consumer (the game's
 * room and session implement it): who a bearer token belongs to, and the clocks to print
 * timestamps with. server/k8s imports nothing of the room or the session.
 */

/** Who a Kubernetes API token belongs to. */
export interface ApiCaller {
  /** The host (cluster admin) or a player's nickname. */
  name: string;
  host: boolean;
  /** The seats the player holds now (the host acts as the cluster admin instead). */
  seats: string[];
  /** The host lets this player apply manifests (deployments and services) as the cluster admin. */
  mayApply?: boolean;
}

/** What the API learns about a token's holder from the room that issued it. */
export interface ApiAuth {
  caller: ApiCaller;
  /** The room's key in the store, where its objects are read and watched. */
  store: string;
  gameNow: number;
  wallNow: number;
  phase: string;
}
