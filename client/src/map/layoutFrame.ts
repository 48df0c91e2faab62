/**
 * The frame of the map around the nodes (layout.ts): the scale every size follows, the load
 * balancer pill at the top edge, the legend wrapped along the bottom and the Pending queue.
 */
import { grid, type Layout, type LegendItem, type LegendSymbol, type Measure, type Rect } from "./layout.ts";
import { PHASE_STYLES } from "./palette.ts";

/** Every size of a layout at one scale, in device px. */
export interface Scale {
  /** Device px per CSS px. */
  unit: number;
  /** CSS px to device px (at least 1). */
  px: (v: number) => number;
  /** Around the map's edges. */
  margin: number;
  /** Between boxes. */
  gap: number;
  /** Inside a box. */
  pad: number;
  font: Layout["font"];
  /** Pod glyph sizes the worker boxes choose between. */
  tokenMax: number;
  tokenMin: number;
  /** A box's header line, and its process chips. */
  headerH: number;
  chipH: number;
  chipGap: number;
}

/** The sizes at scale `S` (1 at 1280×720 CSS px) on a screen of `dpr` device px per CSS px. */
export function scaleAt(S: number, dpr: number): Scale {
  const unit = S * dpr;
  const px = (v: number) => Math.max(1, Math.round(v * unit));
  return {
    unit,
    px,
    margin: px(8),
    gap: px(6),
    pad: px(6),
    font: { name: px(13), chip: px(11), badge: px(11), bar: px(11), legend: px(12), title: px(13), down: px(15), tooltip: px(13) },
    tokenMax: px(16),
    tokenMin: Math.max(4, px(5)),
    headerH: px(22),
    chipH: px(18),
    chipGap: px(4),
  };
}

/** The load balancer: a pill centred at the top edge; the nodes start `top` below it. */
export function placeLoadBalancer(width: number, k: Scale, measure: Measure): { lb: Rect; top: number } {
  const { px } = k;
  const w = Math.ceil(measure("load balancer", k.font.legend, true)) + px(20);
  const h = px(18);
  const lb: Rect = { x: Math.round((width - w) / 2), y: px(3), w, h };
  return { lb, top: lb.y + h + px(5) };
}

/** What the legend explains, in order: a muted heading, then its symbols. */
const LEGEND: { symbol: LegendSymbol; label: string; muted?: boolean }[] = [
  { symbol: { type: "none" }, label: "pods:", muted: true },
  ...PHASE_STYLES.filter((s) => s.key !== "Unknown").map((s) => ({ symbol: { type: "pod", phase: s.key, ready: false } as LegendSymbol, label: s.label })),
  { symbol: { type: "pod", phase: "Running", ready: true }, label: "ring = ready" },
  { symbol: { type: "none" }, label: "requests:", muted: true },
  { symbol: { type: "dot" }, label: "in flight" },
  { symbol: { type: "marker", kind: "served" }, label: "served" },
  { symbol: { type: "marker", kind: "timeout" }, label: "timed out" },
  { symbol: { type: "marker", kind: "dropped" }, label: "dropped" },
];

export interface PlacedLegend {
  items: LegendItem[];
  /** Where the legend's first line starts: the nodes end above it. */
  top: number;
  /** Its pod glyph and marker sizes. */
  token: number;
  marker: number;
}

/** The legend: items left to right along the bottom edge, wrapped onto as many lines as it needs. */
export function placeLegend(width: number, height: number, k: Scale, measure: Measure): PlacedLegend {
  const { px, margin: m } = k;
  const token = px(11);
  const marker = px(14);
  const lineH = px(20);
  const itemGap = px(14);
  const symW = marker;
  const items: LegendItem[] = [];
  let x = m;
  let line = 0;
  for (const it of LEGEND) {
    const hasSym = it.symbol.type !== "none";
    const tw = Math.ceil(measure(it.label, k.font.legend, it.muted));
    const w = (hasSym ? symW + px(5) : 0) + tw;
    const gapBefore = it.symbol.type === "none" && x > m ? itemGap * 2 : x > m ? itemGap : 0;
    if (x + gapBefore + w > width - m && x > m) {
      line++;
      x = m;
    } else x += gapBefore;
    // sy holds the line number until the legend's top is known.
    items.push({ symbol: it.symbol, label: it.label, muted: !!it.muted, sx: x + symW / 2, sy: line, lx: hasSym ? x + symW + px(5) : x });
    x += w;
  }
  const top = height - m - (line + 1) * lineH;
  for (const it of items) it.sy = Math.round(top + it.sy * lineH + lineH / 2);
  return { items, top, token, marker };
}

/** The Pending queue: the top-left box, `width` wide and `height` tall, its pods under a header. */
export function placePending(top: number, width: number, height: number, pitch: number, k: Scale): Layout["pending"] {
  const { px, margin: m, pad, headerH } = k;
  return {
    box: { x: m, y: top, w: width, h: height },
    headerY: top + pad + Math.round(headerH / 2) - px(2),
    pods: grid({ x: m + pad, y: top + pad + headerH, w: width - 2 * pad, h: height - headerH - 2 * pad }, pitch),
  };
}
