/**
 * Colours and pod-phase glyphs of the cluster map. Every state is told apart by shape as well as
 * colour, and the colours are the Okabe-Ito palette (colour-blind safe), as in style.css.
 */

/** Okabe-Ito, as CSS strings (canvas drawing) — `hex()` gives the number for Phaser. */
export const OI = {
  orange: "#e69f00",
  sky: "#56b4e9",
  green: "#009e73",
  yellow: "#f0e442",
  blue: "#0072b2",
  vermillion: "#d55e00",
  purple: "#cc79a7",
} as const;

/** The map's neutral colours (they match the page: --bg, --panel, --line, --text, --muted). */
export const UI = {
  bg: "#0b1016",
  panel: "#18202a",
  panelDown: "#14181e",
  line: "#2c3846",
  lineStrong: "#3d4b5c",
  text: "#e8edf2",
  muted: "#9aa8b6",
  dim: "#5f6b78",
  track: "#0d1319",
  chipOn: "#16352d",
  chipOff: "#14181e",
  ink: "#0b1016",
} as const;

export function hex(css: string): number {
  return parseInt(css.slice(1), 16);
}

export type Glyph = "circle" | "triangle" | "diamond" | "square" | "cross" | "hollow" | "check" | "hollowDiamond";

export interface PhaseStyle {
  /** Key used in texture frame names. */
  key: string;
  /** Legend label. */
  label: string;
  color: string;
  glyph: Glyph;
}

export const PHASE_STYLES: readonly PhaseStyle[] = [
  { key: "Running", label: "Running", color: OI.green, glyph: "circle" },
  { key: "Pending", label: "Pending", color: OI.orange, glyph: "triangle" },
  { key: "Scheduled", label: "Scheduled", color: OI.sky, glyph: "diamond" },
  { key: "ContainerCreating", label: "Creating", color: OI.yellow, glyph: "square" },
  { key: "Failed", label: "Failed", color: OI.vermillion, glyph: "cross" },
  { key: "Terminating", label: "Terminating", color: UI.muted, glyph: "hollow" },
  { key: "Succeeded", label: "Succeeded", color: OI.blue, glyph: "check" },
  { key: "Unknown", label: "Unknown", color: OI.purple, glyph: "hollowDiamond" },
];

const BY_KEY = new Map(PHASE_STYLES.map((s) => [s.key, s]));

/** The style of a pod phase; anything unrecognised draws as "Unknown". */
export function phaseStyle(phase: string): PhaseStyle {
  return BY_KEY.get(phase) ?? BY_KEY.get("Unknown")!;
}

/** Request outcomes: in flight, served, timed out, dropped. */
export const OUTCOME = {
  flight: UI.text,
  /** A lighter bluish green than Running pods, so the served pulse shows on top of them. */
  served: "#4fdcb0",
  timeout: OI.orange,
  dropped: OI.vermillion,
} as const;

export const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';
