/**
 * The game's own controls for the host (and the solo player): only the moves the current phase
 * allows — Show the intro in the lobby, Start in the intro, Pause while running, Resume while
 * paused, End until the debrief, nothing after — the speed while the game can still run, and an
 * End that asks first, since it ends the game for everyone.
 */
import type { Move, Phase } from "../../../server/game/phases.ts";
import { answer, btn, type State, type Ui } from "./panels/common.ts";

/** The moves each phase offers (type-checked against the server's phase table: a new phase does not compile until it is listed). */
const PHASE_MOVES: Record<Phase, Move[]> = {
  lobby: ["start", "end"],
  intro: ["start", "end"],
  running: ["pause", "end"],
  paused: ["resume", "end"],
  debrief: [],
};

/** The speeds the host can pick (game seconds per real second). */
const SPEEDS = [0.5, 1, 2, 4];

const moves = (phase: string): Move[] => PHASE_MOVES[phase as Phase] ?? [];

function moveButton(s: State, move: Move): string {
  switch (move) {
    case "start":
      return btn(s.phase === "lobby" ? "Show the intro" : "Start", { action: "host.start" }, "primary");
    case "pause":
      return btn("Pause", { action: "host.pause" });
    case "resume":
      return btn("Resume", { action: "host.resume" }, "primary");
    case "end":
      return "";
  }
}

/** The controls line: the phase's moves, the speed, and End (or its confirmation). */
export function gameControls(s: State, ui: Ui): string {
  const allowed = moves(s.phase);
  if (!allowed.length) return "";
  const speed =
    s.phase === "debrief"
      ? ""
      : `<span class="muted">speed</span> ${SPEEDS.map((x) => btn(`${x}×`, { action: "host.speed", speed: String(x) }, s.speed === x ? "primary" : "")).join(" ")}`;
  const end = !allowed.includes("end")
    ? ""
    : ui.confirmEnd
      ? `<span class="confirm">End the game for everyone? ${btn("Yes, end it", { action: "host.end" }, "danger")} ${btn("Keep playing", { action: "host.endCancel" })}</span>`
      : btn("End…", { action: "host.endAsk" }, "danger");
  return `${allowed.map((m) => moveButton(s, m)).join(" ")} ${speed} ${end}`;
}

/** Solo: the game's own controls, one line at the top of the side column, with their answer line. */
export function soloControls(s: State, ui: Ui): string {
  const controls = gameControls(s, ui);
  return controls ? `<div class="panel solo" data-panel="host"><div class="controls">${controls}</div>${answer(ui, "host")}</div>` : "";
}
