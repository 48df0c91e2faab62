/**
 * Where everything goes on the map, in device pixels: the load balancer at the top edge, the
 * Pending queue top-left, control-plane nodes in a row beside it, workers in a grid below and
 * the legend along the bottom. Pure: recomputed on resize and when the set of nodes (or how many
 * pods they must hold) changes, never per frame.
 */
import { layoutChips, orderedProcesses } from "./layoutChips.ts";
import { PHASE_STYLES } from "./palette.ts";
import { workerInterior, type Interior } from "./workerBox.ts";

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

function grid(r: Rect, pitch: number): PodGrid {
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

function layoutAt(inp: LayoutInput, S: number): { layout: Layout; fit: number } {
  const { width: W, height: H, dpr, measure } = inp;
  const U = S * dpr;
  const px = (v: number) => Math.max(1, Math.round(v * U));
  const m = px(8);
  const g = px(6);
  const pad = px(6);
  const font = { name: px(13), chip: px(11), badge: px(11), bar: px(11), legend: px(12), title: px(13), down: px(15), tooltip: px(13) };
  const tMax = px(16);
  const tMin = Math.max(4, px(5));

  // Load balancer: a pill at the top edge.
  const lbLabel = "load balancer";
  const lbW = Math.ceil(measure(lbLabel, font.legend, true)) + px(20);
  const lbH = px(18);
  const lb: Rect = { x: Math.round((W - lbW) / 2), y: px(3), w: lbW, h: lbH };
  const top = lb.y + lbH + px(5);

  // Legend: a wrapped line along the bottom.
  const legendToken = px(11);
  const legendMarker = px(14);
  const legendSpec: { symbol: LegendSymbol; label: string; muted?: boolean }[] = [
    { symbol: { type: "none" }, label: "pods:", muted: true },
    ...PHASE_STYLES.filter((s) => s.key !== "Unknown").map((s) => ({ symbol: { type: "pod", phase: s.key, ready: false } as LegendSymbol, label: s.label })),
    { symbol: { type: "pod", phase: "Running", ready: true }, label: "ring = ready" },
    { symbol: { type: "none" }, label: "requests:", muted: true },
    { symbol: { type: "dot" }, label: "in flight" },
    { symbol: { type: "marker", kind: "served" }, label: "served" },
    { symbol: { type: "marker", kind: "timeout" }, label: "timed out" },
    { symbol: { type: "marker", kind: "dropped" }, label: "dropped" },
  ];
  const legendLineH = px(20);
  const itemGap = px(14);
  const symW = legendMarker;
  const legend: LegendItem[] = [];
  let legendTop = H - m - legendLineH;
  {
    let x = m;
    let line = 0;
    for (const it of legendSpec) {
      const hasSym = it.symbol.type !== "none";
      const tw = Math.ceil(measure(it.label, font.legend, it.muted));
      const w = (hasSym ? symW + px(5) : 0) + tw;
      const gapBefore = it.symbol.type === "none" && x > m ? itemGap * 2 : x > m ? itemGap : 0;
      if (x + gapBefore + w > W - m && x > m) {
        line++;
        x = m;
      } else x += gapBefore;
      legend.push({ symbol: it.symbol, label: it.label, muted: !!it.muted, sx: x + symW / 2, sy: line, lx: hasSym ? x + symW + px(5) : x });
      x += w;
    }
    const lines = line + 1;
    legendTop = H - m - lines * legendLineH;
    for (const it of legend) it.sy = Math.round(legendTop + it.sy * legendLineH + legendLineH / 2);
  }

  const nodes: NodeBox[] = [];
  const cps = inp.nodes.filter((n) => n.role === "control-plane");
  const workers = inp.nodes.filter((n) => n.role !== "control-plane");

  // Pending queue and control-plane row.
  const pendW = clamp(Math.round(W * 0.15), px(140), px(260));
  const chipGap = px(4);
  const hdrH = px(22);
  const chipH = px(18);
  const provisionalPitch = pitchOf(px(12));
  let cpH = 0;
  const cpBoxes: NodeBox[] = [];
  if (cps.length > 0) {
    const availW = W - 2 * m - pendW - g;
    const cw = Math.min(Math.floor((availW - (cps.length - 1) * g) / cps.length), px(420));
    const innerW = cw - 2 * pad;
    const probe: ChipBox[] = [];
    const rows = layoutChips(orderedProcesses("control-plane", cps[0].processes), 0, 0, innerW, chipH, chipGap, font.chip, measure, probe, true);
    const chipsH = rows * chipH + (rows - 1) * chipGap;
    const cpPods = inp.podHint.controlPlane;
    const podRows = cpPods > 0 ? clamp(Math.ceil(cpPods / Math.max(1, Math.floor(innerW / provisionalPitch))), 1, 2) : 0;
    cpH = pad + hdrH + chipsH + (podRows ? px(4) + podRows * provisionalPitch : 0) + pad;
    const rowW = cps.length * cw + (cps.length - 1) * g;
    const x0 = m + pendW + g + Math.max(0, Math.floor((availW - rowW) / 2));
    cps.forEach((n, i) => {
      const x = x0 + i * (cw + g);
      const chips: ChipBox[] = [];
      layoutChips(orderedProcesses("control-plane", n.processes), x + pad, top + pad + hdrH, innerW, chipH, chipGap, font.chip, measure, chips, true);
      const podsY = top + pad + hdrH + chipsH + px(4);
      cpBoxes.push({
        name: n.name,
        role: "control-plane",
        x,
        y: top,
        w: cw,
        h: cpH,
        headerY: top + pad + Math.round(hdrH / 2) - px(2),
        nameFont: font.name,
        nameMax: 0,
        nameRight: 0,
        badges: [],
        chipFont: font.chip,
        chips,
        bars: null,
        pods: { x: x + pad, y: podsY, w: innerW, h: Math.max(0, top + cpH - pad - podsY), cols: 1, rows: 0, capacity: 0 },
        entry: { x: x + Math.round(cw / 2), y: top + px(2) },
      });
    });
  }
  const pendMinH = pad + hdrH + 2 * pitchOf(tMax) + pad;
  const stripH = Math.max(cpH, pendMinH);
  for (const b of cpBoxes) b.h = stripH;

  // Worker grid.
  const gy0 = top + stripH + g;
  const gy1 = legendTop - px(6);
  const Aw = W - 2 * m;
  const Ah = Math.max(px(40), gy1 - gy0);
  let cols = 1;
  let cellW = Aw;
  let cellH = Ah;
  let fit = 1;
  if (workers.length > 0) {
    let best = -1;
    for (let c = 1; c <= workers.length; c++) {
      const r = Math.ceil(workers.length / c);
      const w = (Aw - (c - 1) * g) / c;
      const h = (Ah - (r - 1) * g) / r;
      if (w <= 0 || h <= 0) continue;
      const empty = c * r - workers.length;
      const score = Math.min(w / px(250), h / px(140)) * (1 - (0.08 * empty) / workers.length);
      if (score > best) {
        best = score;
        cols = c;
        cellW = w;
        cellH = h;
      }
    }
    fit = Math.min(cellW / px(250), cellH / px(140));
    cellW = Math.floor(Math.min(cellW, px(520)));
    cellH = Math.floor(Math.min(cellH, Math.max(px(150), cellW * 0.62)));
  }
  const gridW = cols * cellW + (cols - 1) * g;
  const gx0 = Math.round((W - gridW) / 2);

  // Worker box interior at a level of detail (workerBox.ts): the least detail that leaves the pods room.
  const interior = (lod: 0 | 1 | 2): Interior =>
    workerInterior(lod, { cellW, pad, px, procs: orderedProcesses("worker", workers[0]?.processes ?? []), names: workers.map((n) => n.name), font, hdrH, chipH, chipGap, measure });

  let chosen = interior(0);
  let token = tMax;
  if (workers.length > 0) {
    for (const lod of [0, 1, 2] as const) {
      const it = interior(lod);
      const podsW = cellW - 2 * pad;
      const podsH = cellH - it.podsTop - pad;
      const t = podsH > 0 ? fitToken(podsW, podsH, inp.podHint.worker, tMin, tMax) : tMin;
      chosen = it;
      token = t;
      if (podsH > 0 && (t >= px(9) || lod === 2)) break;
    }
  }
  // The Pending queue and control-plane pods share the glyph size (never bigger than workers').
  const pitch = pitchOf(token);

  for (const b of cpBoxes) {
    b.pods = grid({ x: b.pods.x, y: b.pods.y, w: b.pods.w, h: b.y + b.h - pad - b.pods.y }, pitch);
    nodes.push(b);
  }

  workers.forEach((n, i) => {
    const c = i % cols;
    const r = Math.floor(i / cols);
    const x = gx0 + c * (cellW + g);
    const y = gy0 + r * (cellH + g);
    const chips: ChipBox[] = [];
    chosen.chipsAt(x, y, chips);
    const bars = chosen.bars ? chosen.bars(x, y) : null;
    nodes.push({
      name: n.name,
      role: "worker",
      x,
      y,
      w: cellW,
      h: cellH,
      headerY: y + pad + Math.round(chosen.hdr / 2) - (chosen.lod === 2 ? 0 : px(2)),
      nameFont: chosen.nameFont,
      nameMax: 0,
      nameRight: 0,
      badges: [],
      chipFont: chosen.chipFont,
      chips,
      bars,
      pods: grid({ x: x + pad, y: y + chosen.podsTop, w: cellW - 2 * pad, h: cellH - chosen.podsTop - pad }, pitch),
      entry: { x: x + Math.round(cellW / 2), y: y + px(2) },
    });
  });

  // Badges: in the header beside the whole name if they fit, else in a row above the pods.
  const byName = new Map(inp.nodes.map((n) => [n.name, n]));
  const bGap = px(4);
  for (const b of nodes) {
    const n = byName.get(b.name)!;
    const bf = b.role === "worker" && chosen.lod === 2 ? px(10) : font.badge;
    const bh = Math.round(bf * 1.45);
    const boxes: BadgeBox[] = n.badges.map((x) => ({ ...x, x: 0, cy: 0, w: Math.ceil(measure(x.text, bf, true) + bf * 0.9), h: bh, font: bf }));
    const right = b.role === "worker" && chosen.chipsInHeader && b.chips.length ? b.chips[0].x - bGap : b.x + b.w - pad;
    const left = b.x + pad;
    const badgesW = boxes.reduce((sum, x) => sum + x.w + bGap, 0);
    const nameW = Math.ceil(measure(b.name, b.nameFont, true));
    if (boxes.length === 0 || left + nameW + badgesW <= right) {
      let x = right - badgesW + bGap;
      for (const bb of boxes) {
        bb.x = x;
        bb.cy = b.headerY;
        x += bb.w + bGap;
      }
      b.nameMax = right - left - (boxes.length ? badgesW : 0);
    } else {
      b.nameMax = right - left;
      let x = left;
      let row = 0;
      for (const bb of boxes) {
        if (x > left && x + bb.w > b.x + b.w - pad) {
          x = left;
          row++;
        }
        bb.x = x;
        bb.cy = b.pods.y + row * (bh + px(2)) + Math.round(bh / 2);
        x += bb.w + bGap;
      }
      const used = (row + 1) * (bh + px(2)) + px(2);
      b.pods = grid({ x: b.x + pad, y: b.pods.y + used, w: b.w - 2 * pad, h: b.pods.h - used }, pitch);
    }
    b.badges = boxes;
    b.nameRight = left + Math.min(nameW, b.nameMax);
  }

  const pendBox: Rect = { x: m, y: top, w: pendW, h: stripH };
  const pending = {
    box: pendBox,
    headerY: top + pad + Math.round(hdrH / 2) - px(2),
    pods: grid({ x: m + pad, y: top + pad + hdrH, w: pendW - 2 * pad, h: stripH - hdrH - 2 * pad }, pitch),
  };

  const layout: Layout = {
    width: W,
    height: H,
    dpr,
    unit: U,
    lod: workers.length > 0 ? chosen.lod : 0,
    font,
    radius: px(6),
    pad,
    token,
    pitch,
    dot: px(7),
    marker: Math.max(px(16), Math.round(token * 2.1)),
    legendToken,
    legendMarker,
    lb,
    pending,
    nodes,
    byName: new Map(nodes.map((n) => [n.name, n])),
    legend,
  };
  return { layout, fit };
}

/** Centre of slot `i` of a pod grid. */
export function slotCenter(g: PodGrid, pitch: number, i: number, out: { x: number; y: number }): void {
  const c = i % g.cols;
  const r = Math.floor(i / g.cols);
  out.x = g.x + c * pitch + pitch / 2;
  out.y = g.y + r * pitch + pitch / 2;
}
