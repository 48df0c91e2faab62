/**
 * Where students join, on the host's screen (the lobby/intro box and the host panel's PIN box):
 * the URL(s) they can reach from their own devices and a QR code of the first, as the server
 * knows them (GET /api/join-url: PUBLIC_URL, or the server machine's LAN addresses) — never the
 * "localhost" the host's own browser may be on.
 */
import type { JoinAddress } from "../../../shared/protocol/serverMessages.ts";
import { esc } from "./dom.ts";

/** How long to wait before asking the server again after a failed request, ms. */
const RETRY_MS = 5_000;

let address: JoinAddress | undefined;
let askedAt = -Infinity;

function load(): void {
  if (address || performance.now() - askedAt < RETRY_MS) return;
  askedAt = performance.now();
  void fetch("/api/join-url")
    .then(async (r) => {
      if (r.ok) address = (await r.json()) as JoinAddress;
    })
    .catch(() => undefined);
}

/** The join URL(s) in words, scheme left out (what a student types); the page's own address until the server answers. */
export function joinUrlsHtml(): string {
  load();
  const urls = address?.urls ?? [location.origin];
  return urls.map((u) => `<b class="join-url">${esc(u.replace(/^https?:\/\//, ""))}</b>`).join(" or ");
}

/** The QR code of the first join URL, `px` wide (empty until the server answers). */
export function joinQrHtml(px: number): string {
  load();
  if (!address) return "";
  return `<img class="join-qr" width="${px}" height="${px}" alt="QR code of ${esc(address.urls[0])}" title="Scan to open ${esc(address.urls[0])}" src="data:image/svg+xml;base64,${btoa(address.qr)}">`;
}
