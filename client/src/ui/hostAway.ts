/**
 * "Waiting for the host": the banner every screen of a workshop shows while the room says its
 * host has been gone too long (state.waitingForHost, server/game/HostPresence.ts). The game is
 * paused meanwhile; the host comes back with their host link and resumes it.
 */
import type { State } from "./panels/common.ts";

/** What the banner says, by phase: a running game was paused; one not yet started waits to be. */
export function hostAwayText(phase: string): string {
  return phase === "paused" ? "Waiting for the host: the game is paused until the host is back." : "Waiting for the host: they have been away a while.";
}

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
    app.append(banner);
  }
  const text = hostAwayText(s.phase);
  if (banner.textContent !== text) banner.textContent = text;
}
