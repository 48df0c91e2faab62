/**
 * What every panel of the game screen shares: the synchronised state's type, the page's own UI
 * state, buttons that carry a data-action for the game screen to dispatch, the answer line under
 * a panel's controls, and the foldable panel frame — a player holding many seats folds most of
 * them to one line saying what needs doing there.
 */
import type { DebriefSeats } from "../../../../shared/protocol/debrief.ts";
import type { ClusterRoomState } from "../../../../shared/protocol/state.ts";
import { seatRole, type SeatRole } from "../../../../shared/sim/seats.ts";
import { esc } from "../dom.ts";

/** The synchronised state, typed from the room's schema (shared/protocol/state.ts). */
export type State = ClusterRoomState;

export interface Ui {
  /** Team mode: the PIN students join with (the class's), shown instead of the team room's own. */
  pin?: string;
  /** The pod selected in the scheduler panel. */
  selectedPod?: string;
  /** The last answer each panel received: [ok, message, a warning though accepted]. */
  answers: Map<string, [boolean, string, boolean?]>;
  /** The scenario's hint per role, kept in each role's panel (folded) for the whole game. */
  hints?: Partial<Record<SeatRole, string>>;
  /** The scheduler's bindings still waiting for their kubelet's verdict: pod → node and game ms of the binding. */
  bindings?: Map<string, { node: string; at: number }>;
  /** The failure picked in the host's chaos form. */
  chaosFailure?: string;
  /** The panel whose answer just arrived: scrolled into view once. */
  reveal?: string;
  /** The host pressed End and is asked to confirm. */
  confirmEnd?: boolean;
  /** API log lines the player opened whole (by lineKey). */
  openLog?: Set<string>;
  me?: { id: string; host: boolean; seats: string[] };
  /** The per-seat figures, fetched every few seconds for the host's live scoreboard. */
  scoreboard?: Scoreboard;
  /** The player the host tapped in the lobby, whose seat the next tapped seat tile gives (lobbyDrag.ts). */
  placing?: string;
  /** A player is being dragged onto a seat in the host's lobby (the side column holds still). */
  dragging?: boolean;
  /** Panels and sections the player folded (true) or opened (false); others follow their default. */
  folds: Map<string, boolean>;
  /** The host's question banks by scenario (from the welcome), for "Ask the class". */
  questionBank?: Record<string, { id: string; text: string }[]>;
  /** The scheduler panel lists every node rather than the best few. */
  allNodes?: boolean;
}

/** The per-seat figures of the host's live scoreboard (the debrief's, read with the host token). */
export type Scoreboard = DebriefSeats;

/** The values of a synchronised map (or array), as a plain array. */
export const list = <V>(m: { values(): Iterable<V> } | undefined): V[] => (m ? [...m.values()] : []);

export const answer = (ui: Ui, panel: string) => {
  const a = ui.answers.get(panel);
  return `<div class="answer ${a ? (a[2] ? "warn" : a[0] ? "ok" : "bad") : ""}" data-answer="${esc(panel)}">${a ? esc(a[1]) : ""}</div>`;
};

/** A button carrying a data-action (and its data-* objects); `ariaLabel` when the label alone says too little to a screen reader. */
export const btn = (label: string, action: Record<string, string>, cls = "", ariaLabel = "") =>
  `<button class="${cls}" ${ariaLabel ? `aria-label="${esc(ariaLabel)}" ` : ""}${Object.entries(action)
    .map(([k, v]) => `data-${k}="${esc(v)}"`)
    .join(" ")}>${label}</button>`;

/** A one-line state of a panel, shown in its header (and all there is of it while folded). */
export interface Summary {
  text: string;
  /** "warn" / "bad" when something waits for the player. */
  level?: "ok" | "warn" | "bad" | "";
}

/** Whether a panel or section is folded: the player's choice, else its default. */
export function folded(ui: Ui, key: string, byDefault: boolean): boolean {
  return ui.folds.get(key) ?? byDefault;
}

/**
 * A panel: its header folds and unfolds it (data-action="fold"); while folded only the header
 * and its summary show. The answer line sits right under the header, folded or not, so a
 * refusal is read where the player looks, however long the panel. A role's panel ends with the
 * scenario's hint for that role, folded one click away.
 */
export function panel(ui: Ui, key: string, title: string, summary: Summary, body: string, foldedByDefault = false): string {
  const isFolded = folded(ui, key, foldedByDefault);
  const role = seatRole(key);
  const hint = role && ui.hints?.[role] ? section(ui, `hint.${key}`, "Hint", `<p class="hint">${esc(ui.hints[role])}</p>`, true) : "";
  return `<div class="panel ${isFolded ? "folded" : ""}" data-panel="${esc(key)}">
    <h3 class="fold" data-action="fold" data-fold="${esc(key)}" data-folded="${isFolded}" role="button" tabindex="0" aria-expanded="${!isFolded}" title="${isFolded ? "show" : "fold"} this panel"><span>${title}</span><span class="summary ${summary.level ?? "muted"}">${esc(summary.text)}</span></h3>
    ${answer(ui, key)}${isFolded ? "" : body + hint}</div>`;
}

/** A foldable section inside a panel (the host's players, chaos and scoreboard). */
export function section(ui: Ui, key: string, title: string, body: string, foldedByDefault = false): string {
  const isFolded = folded(ui, key, foldedByDefault);
  return `<h3 class="fold section" data-action="fold" data-fold="${esc(key)}" data-folded="${isFolded}" role="button" tabindex="0" aria-expanded="${!isFolded}"><span>${title}</span></h3>${isFolded ? "" : body}`;
}
