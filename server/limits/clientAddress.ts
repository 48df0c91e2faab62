/**
 * Who is asking, as far as the network can tell: the client address every per-address limit
 * is keyed by. It is the socket's peer address, unless the operator says the server sits behind
 * TRUST_PROXY reverse proxies, which then report the client in X-Forwarded-For. A header the
 * client writes itself is never believed otherwise (anyone can send "X-Forwarded-For: 1.2.3.4").
 * IPv6 clients are keyed by their /64 network: one home or host holds a whole /64.
 */
import type { IncomingMessage } from "node:http";

/**
 * Reverse proxies in front of the server (each appends the address it was reached from to
 * X-Forwarded-For). 0: none, the socket's peer is the client. Env TRUST_PROXY. @default 0
 */
export const DEFAULT_TRUSTED_PROXIES = 0;

let trustedProxies = DEFAULT_TRUSTED_PROXIES;

/** Sets how many reverse proxies stand in front of the server (from TRUST_PROXY). */
export function trustProxies(hops: number): void {
  trustedProxies = hops;
}

/** "::ffff:10.0.0.1" → "10.0.0.1"; an IPv6 address → its /64 ("2001:db8:1:2::/64"). */
export function addressKey(raw: string | undefined): string {
  if (!raw) return "unknown";
  const a = raw.trim().replace(/^\[|\]$/g, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  if (mapped) return mapped[1];
  if (!a.includes(":")) return a;
  const [head, tail] = a.split("::");
  const groups = head ? head.split(":") : [];
  if (tail !== undefined) {
    const rest = tail ? tail.split(":") : [];
    while (groups.length + rest.length < 8) groups.push("0");
    groups.push(...rest);
  }
  return `${groups.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

/** The client address of an HTTP request or WebSocket upgrade. */
export function clientAddress(req: IncomingMessage): string {
  if (trustedProxies > 0) {
    const hops = String(req.headers["x-forwarded-for"] ?? "").split(",").map((h) => h.trim()).filter(Boolean);
    const reported = hops[hops.length - trustedProxies];
    if (reported) return addressKey(reported);
  }
  return addressKey(req.socket.remoteAddress);
}
