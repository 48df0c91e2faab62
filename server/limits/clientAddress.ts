/**
 * Whose request is this: the client's network address, the key of every per-address limit. It is
 * the socket's peer address — unless the operator says the server sits behind reverse proxies
 * (TRUST_PROXY=<how many>), in which case it is the address the nearest trusted proxy put in
 * X-Forwarded-For. A header a client makes up never counts: Colyseus' own `context.ip` believes
 * X-Real-IP and X-Forwarded-For from anyone, so the HTTP guard (httpGuard.ts) stamps the address
 * on every request and WebSocket upgrade before any handler (matchmaker included) reads it.
 */
import type { IncomingMessage } from "node:http";
import { isIPv6 } from "node:net";

/** Reverse proxies in front of the server whose X-Forwarded-For entries are believed (env TRUST_PROXY). @default 0 */
export const TRUST_PROXY_DEFAULT = 0;

/** The header the server stamps on every request with the client's address, overwriting any a client sent. */
export const CLIENT_ADDRESS_HEADER = "x-cluster-crew-client-address";

/** TRUST_PROXY from the environment: a whole number of proxies, or an error naming what is wrong. */
export function trustedProxiesFrom(value: string | undefined): number {
  if (value === undefined || value === "") return TRUST_PROXY_DEFAULT;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 10)
    throw new Error(`TRUST_PROXY must be the number of reverse proxies in front of the server (0–10), not "${value}"`);
  return n;
}

/**
 * The key of an address: IPv4 as it is (also when the socket shows it IPv4-mapped), IPv6 by its
 * /64 network, since one IPv6 client is routinely handed a whole /64 to pick addresses from.
 */
export function addressKey(address: string | undefined): string {
  const a = (address ?? "")
    .trim()
    .replace(/^\[|\]$/g, "")
    .replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "")
    .replace(/%.*$/, "");
  if (!isIPv6(a)) return a || "unknown";
  const [head, tail] = a.split("::");
  const front = head ? head.split(":") : [];
  const back = tail ? tail.split(":") : [];
  const groups = tail === undefined ? front : [...front, ...Array<string>(Math.max(0, 8 - front.length - back.length)).fill("0"), ...back];
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(":")}::/64`;
}

/** The client's address: the peer, or with `trustedProxies` the entry that many hops back in X-Forwarded-For. */
export function clientAddress(req: IncomingMessage, trustedProxies: number): string {
  const peer = req.socket?.remoteAddress ?? "unknown";
  if (trustedProxies <= 0) return addressKey(peer);
  const forwarded = String(req.headers["x-forwarded-for"] ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const chain = [...forwarded, peer];
  return addressKey(chain[Math.max(0, chain.length - 1 - trustedProxies)]);
}

/**
 * Stamps a request with its client's address: our own header, and X-Real-IP (what Colyseus'
 * `context.ip` reads first), both overwriting whatever the client sent.
 */
export function stampAddress(req: IncomingMessage, trustedProxies: number): string {
  const address = clientAddress(req, trustedProxies);
  req.headers[CLIENT_ADDRESS_HEADER] = address;
  req.headers["x-real-ip"] = address;
  return address;
}

/** The address the guard stamped on a request (an HTTP request's headers). */
export function addressOf(req: { headers: IncomingMessage["headers"] }): string {
  const a = req.headers[CLIENT_ADDRESS_HEADER];
  return typeof a === "string" ? a : "unknown";
}

/** The address the guard stamped, from a matchmaker AuthContext's headers. */
export function stampedAddress(headers: { get(name: string): string | null } | undefined): string {
  return headers?.get(CLIENT_ADDRESS_HEADER) ?? "unknown";
}
