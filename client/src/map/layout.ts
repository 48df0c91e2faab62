/**
 * Where everything goes on the map, in device pixels: the load balancer at the top edge, the
 * Pending queue top-left, control-plane nodes in a row beside it, workers in a grid below and
 * the legend along the bottom. Pure: recomputed on resize and when the set of nodes (or how many
 * pods they must hold) changes, never per frame. layoutFrame.ts places the frame (scale, load
 * balancer, legend, Pending queue) and layoutNodes.ts the node boxes; layoutAt puts them together.
 */
import { placeLegend, placeLoadBalancer, placePending, scaleAt } from "./layoutFrame.ts";
import { chooseInterior, chooseWorkerGrid, pendingWidth, placeBadges, placeControlPlanes, placeWorkers } from "./layoutNodes.ts";

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Width in device px of `text` at font size `px` (bold or not). */
export type Measure = (text: string, px: number, bold?: boolean) => number;

export interface Badge {
  text: string;
  bg: string;
  fg: string;
}

export interface BadgeBox extends Badge {
  x: number;
  /** Vertical centre. */
  cy: number;
  w: number;
  h: number;
  font: number;
}

export interface LayoutNode {
  name: string;
  role: "control-plane" | "worker";
  processes: readonly string[];
  /** State badges (NotReady, cordoned…), most important first. */
  badges: readonly Badge[];
}

export interface LayoutInput {
  width: number;
  height: number;
  dpr: number;
  nodes: readonly LayoutNode[];
  /** How many pods the busiest worker / control-plane node / the Pending queue should have room for. */
  podHint: { worker: number; controlPlane: number; pending: number };
  measure: Measure;
}

export interface ChipBox {
  proc: string;
  /** "" when the chip is too small for a label (a bare status square). */
  label: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface PodGrid extends Rect {
  cols: number;
  rows: number;
  capacity: number;
}

export interface NodeBox extends Rect {
  name: string;
  role: "control-plane" | "worker";
  /** Vertical centre of the header line (name and badges). */
  headerY: number;
  nameFont: number;
  /** Room for the name before the badges (it is ellipsized past this). */
  nameMax: number;
  /** Where the drawn name ends (request drops are marked to the right of it). */
  nameRight: number;
  /** Badges, in the header when they fit beside the whole name, else in a row above the pods. */
  badges: BadgeBox[];
  chipFont: number;
  chips: ChipBox[];
  /** CPU and memory bars; `labelled` = tall enough for "CPU 2.5/4" inside. */
  bars: { cpu: Rect; mem: Rect; labelled: boolean } | null;
  pods: PodGrid;
  /** Where request dots leave the node from. */
  entry: { x: number; y: number };
}

export type LegendSymbol =
  | { type: "pod"; phase: string; ready: boolean }
  | { type: "dot" }
  | { type: "marker"; kind: "served" | "timeout" | "dropped" }
  | { type: "none" };

export interface LegendItem {
  symbol: LegendSymbol;
  label: string;
  muted: boolean;
  /** Centre of the symbol. */
  sx: number;
  sy: number;
  /** Start of the label (vertically centred on sy). */
  lx: number;
}

export interface Layout {
  width: number;
  height: number;
  dpr: number;
  /** Device px per CSS px at this size (1 at 1280×720 on a 1× screen). */
  unit: number;
  /** Level of detail of the worker boxes: 0 full, 1 compact, 2 tiny. */
  lod: 0 | 1 | 2;
  font: { name: number; chip: number; badge: number; bar: number; legend: number; title: number; down: number; tooltip: number };
  radius: number;
  pad: number;
  /** Pod glyph diameter and the distance between pod centres. */
  token: number;
  pitch: number;
  /** Request dot diameter and outcome marker size. */
  dot: number;
  marker: number;
  /** Legend glyph and marker sizes. */
  legendToken: number;
  legendMarker: number;
  lb: Rect;
  pending: { box: Rect; headerY: number; pods: PodGrid };
  nodes: NodeBox[];
  byName: Map<string, NodeBox>;
  legend: LegendItem[];
}

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

/** Largest glyph (within [min, max]) for which `count` pods fit a w×h area. */
export function fitToken(w: number, h: number, count: number, min: number, max: number): number {
  if (count <= 0) return max;
  for (let t = max; t > min; t -= 0.5) {
    const p = pitchOf(t);
    if (Math.floor(w / p) * Math.floor(h / p) >= count) return t;
  }
  return min;
}

export function pitchOf(token: number): number {
  return Math.ceil(token * 1.5);
}

/** A pod grid filling `r` at this pitch, its columns centred. */
export function grid(r: Rect, pitch: number): PodGrid {
  const cols = Math.max(1, Math.floor(r.w / pitch));
  const rows = Math.max(0, Math.floor(r.h / pitch));
  // Centre the used columns horizontally so the pods sit evenly in the box.
  const used = cols * pitch;
  return { x: r.x + Math.floor((r.w - used) / 2), y: r.y, w: used, h: r.h, cols, rows, capacity: cols * rows };
}

/**
 * Lays the map out. The scale follows the canvas size (1 at 1280×720 CSS px); a small cluster
 * with room to spare is drawn bigger still (up to 1.5×), for the back of the room.
 */
export function computeLayout(inp: LayoutInput): Layout {
  const base = clamp(Math.min(inp.width / inp.dpr / 1280, inp.height / inp.dpr / 720), 0.85, 1.8);
  const first = layoutAt(inp, base);
  if (first.fit < 1.2) return first.layout;
  const boosted = layoutAt(inp, base * Math.min(1.5, first.fit * 0.8));
  return boosted.layout.lod <= first.layout.lod && boosted.fit >= 0.95 ? boosted.layout : first.layout;
}

/** The height (CSS px) of the band the map's zoom buttons take at its top edge (style.css .map-zoom: 4 + 28 + 2). */
export const ZOOM_BUTTONS_BAND_CSS_PX = 34;

/** The layout at scale `S`, and how much room its worker cells have (see WorkerGrid.fit). */
function layoutAt(inp: LayoutInput, S: number): { layout: Layout; fit: number } {
  const { width: W, height: H, dpr, measure } = inp;
  const k = scaleAt(S, dpr);
  const { px, margin: m, gap: g, pad } = k;
  const { lb, top: underLb } = placeLoadBalancer(W, k, measure);
  // The nodes start under the page's zoom buttons too (ClusterMap puts them in the top-right corner).
  const top = Math.max(underLb, Math.round(ZOOM_BUTTONS_BAND_CSS_PX * dpr));
  const legend = placeLegend(W, H, k, measure);

  // The strip under the load balancer: the Pending queue, and the control-plane row beside it.
  const cps = inp.nodes.filter((n) => n.role === "control-plane");
  const workers = inp.nodes.filter((n) => n.role !== "control-plane");
  const pendW = pendingWidth(W, k);
  const cp = placeControlPlanes(cps, W, top, pendW, inp.podHint.controlPlane, k, measure);
  const stripH = Math.max(cp.height, pad + k.headerH + 2 * pitchOf(k.tokenMax) + pad);
  for (const b of cp.boxes) b.h = stripH;

  // The worker grid between the strip and the legend.
  const gy0 = top + stripH + g;
  const cell = chooseWorkerGrid(workers.length, W - 2 * m, Math.max(px(40), legend.top - px(6) - gy0), k);
  const gx0 = Math.round((W - (cell.cols * cell.cellW + (cell.cols - 1) * g)) / 2);
  const { interior, token } = chooseInterior(workers, cell, inp.podHint.worker, k, measure);
  // The Pending queue and control-plane pods share the glyph size (never bigger than workers').
  const pitch = pitchOf(token);
  for (const b of cp.boxes) b.pods = grid({ x: b.pods.x, y: b.pods.y, w: b.pods.w, h: b.y + b.h - pad - b.pods.y }, pitch);
  const nodes = [...cp.boxes, ...placeWorkers(workers, cell, gx0, gy0, interior, pitch, k)];
  placeBadges(nodes, inp.nodes, interior, pitch, k, measure);

  const layout: Layout = {
    width: W,
    height: H,
    dpr,
    unit: k.unit,
    lod: workers.length > 0 ? interior.lod : 0,
    font: k.font,
    radius: px(6),
    pad,
    token,
    pitch,
    dot: px(7),
    marker: Math.max(px(16), Math.round(token * 2.1)),
    legendToken: legend.token,
    legendMarker: legend.marker,
    lb,
    pending: placePending(top, pendW, stripH, pitch, k),
    nodes,
    byName: new Map(nodes.map((n) => [n.name, n])),
    legend: legend.items,
  };
  return { layout, fit: cell.fit };
}

/** Centre of slot `i` of a pod grid. */
export function slotCenter(g: PodGrid, pitch: number, i: number, out: { x: number; y: number }): void {
  const c = i % g.cols;
  const r = Math.floor(i / g.cols);
  out.x = g.x + c * pitch + pitch / 2;
  out.y = g.y + r * pitch + pitch / 2;
}
