/**
 * The scenario's intro as an overlay: the situation, the goal and the player's hints, with the
 * PIN for a workshop's lobby. Closing it hides it for the current phase only: when the host moves
 * the lobby on to the intro, everyone sees it again, hints included, whatever they closed before.
 */
import type { Welcome } from "../../../shared/protocol/serverMessages.ts";
import { seatRole } from "../../../shared/sim/seats.ts";
import { esc } from "./dom.ts";
import { joinQrHtml, joinUrlsHtml } from "./joinAddress.ts";
import type { State } from "./panels/common.ts";

/** What the game screen shows of a scenario: its title, intro, hints and goal. */
export type ScenarioTexts = Pick<Welcome["scenario"], "id" | "title" | "intro" | "hints" | "win">;

/** Remembers in which phase the player closed the intro: it stays closed only there. */
export class IntroGate {
  private closedIn?: string;

  close(phase: string): void {
    this.closedIn = phase;
  }

  /** The intro shows in the lobby and the intro, unless the player closed it in this very phase. */
  shows(phase: string): boolean {
    return (phase === "lobby" || phase === "intro") && this.closedIn !== phase;
  }
}

/** `pin`: the PIN to show (a class's team shows its class's; default the room's). */
export function introBox(s: State, scenario: ScenarioTexts, me: { host: boolean; seats: string[] }, pin = s.pin as string): string {
  const hints = me.seats
    .map((seat) => {
      const role = seatRole(seat);
      return role ? scenario.hints[role] : "";
    })
    .filter(Boolean);
  // The address students can reach (PUBLIC_URL or the LAN's), and for the host its QR code for the projector.
  const join =
    s.mode === "workshop"
      ? `<div class="join">${me.host ? joinQrHtml(180) : ""}<div><p>Join at ${joinUrlsHtml()} with PIN</p><div class="pin">${esc(pin)}</div></div></div>`
      : "";
  const action = me.host
    ? `<button class="primary" data-action="host.start">${s.phase === "lobby" ? "Show the intro to everyone" : "Start the game"}</button> <button data-action="intro.ok">Close</button>`
    : `<p class="muted">${s.phase === "lobby" ? "Waiting in the lobby for the host to start…" : "The host starts the game in a moment."}</p><button data-action="intro.ok">Look at the cluster</button>`;
  return `<div class="overlay"><div class="box" role="dialog" aria-modal="true" aria-label="${esc(scenario.title)}: the intro"><h1>${esc(scenario.title)}</h1>${join}<p style="font-size:1.15em">${esc(scenario.intro)}</p>
      ${hints.map((h) => `<p class="ok hint">▶ ${esc(h)}</p>`).join("")}${action}</div></div>`;
}
