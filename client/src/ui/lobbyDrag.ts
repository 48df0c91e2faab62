/**
 * The host's drag and drop in the lobby: a player's name from the players list dropped on a seat
 * of the seat board assigns that seat, exactly as picking it and pressing Assign does. Plain
 * HTML5 drag and drop, delegated from the game screen's root, so the panels can re-render freely
 * — except during a drag, when the game screen holds the side column still (`ui.dragging`).
 * Where dragging is hard (a touch screen, a keyboard): tap (or Enter on) a player, then a seat.
 */
import type { Ui } from "./panels/common.ts";

/** The drag's payload type: only a player from this page's list is accepted by the seats. */
const PLAYER_TYPE = "application/x-cluster-crew-player";

export function wireLobbyDrag(root: HTMLElement, ui: Ui, assign: (player: string, seat: string) => void): void {
  const seatUnder = (e: DragEvent) => (e.target as HTMLElement).closest<HTMLElement>("[data-drop-seat]");
  const carriesPlayer = (e: DragEvent) => !!e.dataTransfer && [...e.dataTransfer.types].includes(PLAYER_TYPE);
  const clearOver = () => {
    for (const el of root.querySelectorAll(".drop-over")) el.classList.remove("drop-over");
  };

  root.addEventListener("dragstart", (e) => {
    const chip = (e.target as HTMLElement).closest<HTMLElement>("[data-drag-player]");
    if (!chip || !e.dataTransfer) return;
    e.dataTransfer.setData(PLAYER_TYPE, chip.dataset.dragPlayer!);
    e.dataTransfer.setData("text/plain", chip.textContent ?? "");
    e.dataTransfer.effectAllowed = "link";
    ui.dragging = true;
    document.body.classList.add("dragging-player");
  });
  root.addEventListener("dragover", (e) => {
    const seat = seatUnder(e);
    if (!seat || !carriesPlayer(e)) return;
    // Accepting the drop is saying so here.
    e.preventDefault();
    e.dataTransfer!.dropEffect = "link";
    if (!seat.classList.contains("drop-over")) {
      clearOver();
      seat.classList.add("drop-over");
    }
  });
  root.addEventListener("dragleave", (e) => {
    const seat = seatUnder(e);
    if (seat && !seat.contains(e.relatedTarget as Node | null)) seat.classList.remove("drop-over");
  });
  root.addEventListener("drop", (e) => {
    const seat = seatUnder(e);
    if (!seat || !carriesPlayer(e)) return;
    e.preventDefault();
    const player = e.dataTransfer!.getData(PLAYER_TYPE);
    clearOver();
    if (player) assign(player, seat.dataset.dropSeat!);
  });
  // Tap to pick, tap to place: the same assignment without a drag (touch screens have no HTML5 drag and drop).
  const tap = (target: HTMLElement): boolean => {
    const chip = target.closest<HTMLElement>("[data-drag-player]");
    if (chip) {
      ui.placing = ui.placing === chip.dataset.dragPlayer ? undefined : chip.dataset.dragPlayer;
      document.body.classList.toggle("placing-player", !!ui.placing);
      return true;
    }
    const seat = target.closest<HTMLElement>("[data-drop-seat][role=button]");
    if (!seat || !ui.placing) return false;
    const player = ui.placing;
    ui.placing = undefined;
    document.body.classList.remove("placing-player");
    assign(player, seat.dataset.dropSeat!);
    return true;
  };
  root.addEventListener("click", (e) => tap(e.target as HTMLElement));
  root.addEventListener("keydown", (e) => {
    if ((e.key === "Enter" || e.key === " ") && tap(e.target as HTMLElement)) {
      e.preventDefault();
      e.stopPropagation();
    }
  });
  root.addEventListener("dragend", () => {
    ui.dragging = false;
    document.body.classList.remove("dragging-player");
    clearOver();
  });
}
