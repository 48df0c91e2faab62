/**
 * A spectator's side column: what each seat is up to — every role's hint, so the watcher knows
 * what to look for — and the seat board, who plays what.
 */
import { SEAT_ROLES } from "../../../../shared/sim/seats.ts";
import { esc } from "../dom.ts";
import { list, panel, type State, type Ui } from "./common.ts";
import { seatBoard } from "./host.ts";

export function spectatorPanel(s: State, ui: Ui): string {
  const hints = SEAT_ROLES.filter((role) => ui.hints?.[role]).map((role) => `<p><b>${esc(role)}</b> ${esc(ui.hints![role])}</p>`);
  const seats = list(s.seats);
  const played = seats.filter((x) => !x.bot).length;
  const body = `<div class="hints">${hints.join("")}</div>${seatBoard(s, "Who plays each seat:")}`;
  return panel(ui, "spectator", "Watching", { text: `${played} of ${seats.length} seats played by people` }, body);
}
