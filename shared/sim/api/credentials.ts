/**
 * The credentials of a game's components: a bearer token per component for the room to hand to
 * the player in its seat, and the identity each component acts as. Tokens are random (never
 * derived from the seed, which players see) and are not part of the game's state: a resumed game
 * issues new ones.
 */
import { parseSeat } from "../seats.ts";
import {
  ADMIN,
  nodeAgentIdentity,
  seatIdentity,
  SYSTEM_CONTROLLER_NAMES,
  SYSTEM_CONTROLLERS,
  systemControllerIdentity,
  type Authenticator,
  type Identity,
  type SystemControllerName,
} from "./identity.ts";

/**
 * The identity of a component named as the simulation names them: a seat ("scheduler",
 * "kubelet:node-1"), "node-agent:<node>", "system" (the endpoints controller), "system:<controller>"
 * (one of the room's own controllers, e.g. "system:pod-garbage-collector") or "admin".
 */
export function identityOf(who: string): Identity {
  if (who === "system") return SYSTEM_CONTROLLERS;
  if (who.startsWith("system:")) {
    const name = who.slice("system:".length);
    if ((SYSTEM_CONTROLLER_NAMES as readonly string[]).includes(name)) return systemControllerIdentity(name as SystemControllerName);
  }
  if (who === "admin") return ADMIN;
  if (who.startsWith("node-agent:")) return nodeAgentIdentity(who.slice("node-agent:".length));
  const seat = parseSeat(who);
  if (seat) return seatIdentity(seat.role, seat.node);
  throw new Error(`no such component: ${who}`);
}

export class Credentials {
  private readonly tokens = new Map<string, string>();
  private readonly identities = new Map<string, Identity>();

  constructor(private readonly auth: Authenticator) {}

  /** A bearer token for a component, issued the first time it is asked for. */
  tokenFor(who: string): string {
    let token = this.tokens.get(who);
    if (!token) {
      token = `${who}.${globalThis.crypto.randomUUID()}`;
      this.tokens.set(who, token);
      this.auth.issue(token, this.identity(who));
    }
    return token;
  }

  /** The identity a component acts as (cached: the room's components act every tick). */
  identity(who: string): Identity {
    let identity = this.identities.get(who);
    if (!identity) this.identities.set(who, (identity = identityOf(who)));
    return identity;
  }
}
