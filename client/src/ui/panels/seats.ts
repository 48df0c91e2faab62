/** The seats panel: every seat, who holds it (or its bot), and Take / Leave. */
import { esc } from "../dom.ts";
import { btn, list, panel, type State, type Ui } from "./common.ts";

export function seatsPanel(s: State, ui: Ui, foldedByDefault: boolean): string {
  const mine = new Set(ui.me?.seats ?? []);
  const seats = list(s.seats);
  const rows = seats.map((seat) => {
    const holders = [...(seat.holders ?? [])].join(", ");
    return `<tr><td>${esc(seat.seat)}</td><td>${seat.bot ? '<span class="muted">bot</span>' : esc(holders)}</td><td>${mine.has(seat.seat) ? btn("Leave", { action: "seat.leave", seat: seat.seat }) : btn("Take", { action: "seat.take", seat: seat.seat })}</td></tr>`;
  });
  const summary = { text: `${seats.filter((x) => x.bot).length} of ${seats.length} played by bots` };
  return panel(ui, "seats", "Seats", summary, `<div class="scroll-box"><table>${rows.join("")}</table></div>`, foldedByDefault);
}
