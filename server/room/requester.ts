/**
 * Who asked the matchmaker for a room. Colyseus' onAuth runs before every create and join with
 * the client's address (stamped by the HTTP guard), but onCreate only receives the options: the
 * address travels to it inside them, under a key the server writes over whatever a client sent.
 */
import { ServerError, type AuthContext } from "@colyseus/core";
import { stampedAddress } from "../limits/clientAddress.ts";

/** The options key the client's address travels under, from onAuth to onCreate. */
export const REQUESTER_OPTION = "__requester";

/**
 * Notes the requesting client's address in its options (call it from the room's static onAuth);
 * refuses options that are not a JSON object.
 */
export function noteRequester(options: unknown, context: AuthContext | undefined): true {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new ServerError(400, `the options must be a JSON object, like { "mode": "solo" }`);
  }
  (options as Record<string, unknown>)[REQUESTER_OPTION] = stampedAddress(context?.headers);
  return true;
}

/** The address a client-made room was asked for from; undefined for a room the server made itself. */
export function requesterOf(options: unknown): string | undefined {
  const a = (options as Record<string, unknown> | null | undefined)?.[REQUESTER_OPTION];
  return typeof a === "string" ? a : undefined;
}
