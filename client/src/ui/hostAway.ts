/**
 * "Waiting for the host": the banner every screen of a workshop shows while the room says its
 * host has been gone too long (state.waitingForHost, server/game/HostPresence.ts). The game is
 * paused meanwhile; the host comes back with their host link and resumes it.
 */
import type { State } from "./panels/common.ts";

export const HOST_AWAY_TEXT = "Waiting for the host: the game is paused until the host is back.";

export function showHostAway(app: HTMLElement, s: State): void {
  let banner = app.querySelector<HTMLElement>("#hostaway");
  if (!s.waitingForHost) {
    banner?.remove();
    return;
  }
  if (!banner) {
    banner = document.createElement("div");
    banner.id = "hostaway";
    banner.className = "banner host-away";
    banner.setAttribute("role", "status");
    banner.textContent = HOST_AWAY_TEXT;
    app.append(banner);
  }
}
