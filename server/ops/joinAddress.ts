/**
 * The address students type (or scan) to join, for the host's projector: PUBLIC_URL when the
 * server sits behind a name or proxy, else this machine's LAN addresses at the game's port (the
 * server listens on every interface), else localhost. `GET /api/join-url` serves them with a QR
 * code of the first, drawn by the `qrcode` package as SVG.
 */
import os from "node:os";
import type { RequestHandler } from "express";
import QRCode from "qrcode";
import type { JoinAddress } from "../../shared/protocol/serverMessages.ts";

/** PUBLIC_URL checked: an http(s) URL without credentials, or a clear error. */
export function publicUrlFrom(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error(`PUBLIC_URL must be the address students open, such as https://game.example.org, not "${raw}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`PUBLIC_URL must start with http:// or https://, not "${url.protocol}"`);
  if (url.username || url.password) throw new Error("PUBLIC_URL must not carry a user name or password");
  return url.href.replace(/\/$/, "");
}

/** The URLs students can reach: the public URL alone, or each non-internal IPv4 address (then IPv6) at `port`. */
export function joinUrls(port: number, publicUrl?: string, interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces()): string[] {
  if (publicUrl) return [publicUrl];
  const lan = Object.values(interfaces)
    .flatMap((list) => list ?? [])
    .filter((i) => !i.internal && !(i.family === "IPv6" && i.address.startsWith("fe80")))
    .sort((a, b) => (a.family === b.family ? 0 : a.family === "IPv4" ? -1 : 1))
    .map((i) => `http://${i.family === "IPv6" ? `[${i.address}]` : i.address}:${port}`);
  return lan.length ? [...new Set(lan)] : [`http://localhost:${port}`];
}

/** GET /api/join-url: the join URLs and a QR code of the first (cached per URL: the addresses rarely change). */
export function joinAddressRoute(port: () => number, publicUrl?: string): RequestHandler {
  const qrs = new Map<string, string>();
  return async (_req, res, next) => {
    try {
      const urls = joinUrls(port(), publicUrl);
      let qr = qrs.get(urls[0]);
      if (qr === undefined) {
        qr = await QRCode.toString(urls[0], { type: "svg", margin: 2, errorCorrectionLevel: "M" });
        if (qrs.size > 16) qrs.clear();
        qrs.set(urls[0], qr);
      }
      const answer: JoinAddress = { urls, qr };
      res.json(answer);
    } catch (err) {
      next(err);
    }
  };
}
