/**
 * The node boxes of the map (layout.ts): the control-plane row beside the Pending queue, the
 * worker grid below it at the level of detail that leaves the pods room, and each box's badges.
 */
import { fitToken, grid, pitchOf, type BadgeBox, type ChipBox, type LayoutNode, type Measure, type NodeBox } from "./layout.ts";
import type { Scale } from "./layoutFrame.ts";
import { layoutChips, orderedProcesses } from "./layoutChips.ts";
import { workerInterior, type Interior } from "./workerBox.ts";

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

/** The Pending queue's width on a map `width` wide. */
export function pendingWidth(width: number, k: Scale): number {
  return clamp(Math.round(width * 0.15), k.px(140), k.px(260));
}

/**
 * The control-plane nodes in a row right of the Pending queue (`pendingW` wide), each as tall as
 * its chips and up to two rows of pods need; their pod grids are sized later (sizePodGrids).
 */
export function placeControlPlanes(
  cps: readonly LayoutNode[],
  width: number,
  top: number,
  pendingW: number,
  podHint: number,
  k: Scale,
  measure: Measure,
): { boxes: NodeBox[]; height: number } {
  const boxes: NodeBox[] = [];
  if (cps.length === 0) return { boxes, height: 0 };
  const { px, margin: m, gap: g, pad, font, headerH: hdrH, chipH, chipGap } = k;
  const provisionalPitch = pitchOf(px(12));
  const availW = width - 2 * m - pendingW - g;
  const cw = Math.min(Math.floor((availW - (cps.length - 1) * g) / cps.length), px(420));
  const innerW = cw - 2 * pad;
  const probe: ChipBox[] = [];
  const rows = layoutChips(orderedProcesses("control-plane", cps[0].processes), 0, 0, innerW, chipH, chipGap, font.chip, measure, probe, true);
  const chipsH = rows * chipH + (rows - 1) * chipGap;
  const podRows = podHint > 0 ? clamp(Math.ceil(podHint / Math.max(1, Math.floor(innerW / provisionalPitch))), 1, 2) : 0;
  const height = pad + hdrH + chipsH + (podRows ? px(4) + podRows * provisionalPitch : 0) + pad;
  const rowW = cps.length * cw + (cps.length - 1) * g;
  const x0 = m + pendingW + g + Math.max(0, Math.floor((availW - rowW) / 2));
  cps.forEach((n, i) => {
    const x = x0 + i * (cw + g);
    const chips: ChipBox[] = [];
    layoutChips(orderedProcesses("control-plane", n.processes), x + pad, top + pad + hdrH, innerW, chipH, chipGap, font.chip, measure, chips, true);
    const podsY = top + pad + hdrH + chipsH + px(4);
    boxes.push({
      name: n.name,
      role: "control-plane",
      x,
      y: top,
      w: cw,
      h: height,
      headerY: top + pad + Math.round(hdrH / 2) - px(2),
      nameFont: font.name,
      nameMax: 0,
      nameRight: 0,
      badges: [],
      chipFont: font.chip,
      chips,
      bars: null,
      pods: { x: x + pad, y: podsY, w: innerW, h: Math.max(0, top + height - pad - podsY), cols: 1, rows: 0, capacity: 0 },
      entry: { x: x + Math.round(cw / 2), y: top + px(2) },
    });
  });
  return { boxes, height };
}

export interface WorkerGrid {
  cols: number;
  cellW: number;
  cellH: number;
  /** How much room a cell has against a comfortable 250×140 CSS px box (1: just that). */
  fit: number;
}

/**
 * The columns for `count` workers in an area `areaW`×`areaH`: the roomiest cells, a little
 * against empty cells in the last row; cells are capped to a pleasant size.
 */
export function chooseWorkerGrid(count: number, areaW: number, areaH: number, k: Scale): WorkerGrid {
  const { px, gap: g } = k;
  if (count === 0) return { cols: 1, cellW: areaW, cellH: areaH, fit: 1 };
  let cols = 1;
  let cellW = areaW;
  let cellH = areaH;
  let best = -1;
  for (let c = 1; c <= count; c++) {
    const r = Math.ceil(count / c);
    const w = (areaW - (c - 1) * g) / c;
    const h = (areaH - (r - 1) * g) / r;
    if (w <= 0 || h <= 0) continue;
    const empty = c * r - count;
    const score = Math.min(w / px(250), h / px(140)) * (1 - (0.08 * empty) / count);
    if (score > best) {
      best = score;
      cols = c;
      cellW = w;
      cellH = h;
    }
  }
  const fit = Math.min(cellW / px(250), cellH / px(140));
  const cappedW = Math.floor(Math.min(cellW, px(520)));
  return { cols, cellW: cappedW, cellH: Math.floor(Math.min(cellH, Math.max(px(150), cappedW * 0.62))), fit };
}

/**
 * The worker boxes' interior (workerBox.ts) and pod glyph size: the most detail that leaves the
 * pods a glyph of 9 CSS px or more, else the tiny boxes.
 */
export function chooseInterior(
  workers: readonly LayoutNode[],
  cell: WorkerGrid,
  podHint: number,
  k: Scale,
  measure: Measure,
): { interior: Interior; token: number } {
  const { px, pad, font, headerH: hdrH, chipH, chipGap } = k;
  const env = {
    cellW: cell.cellW,
    pad,
    px,
    procs: orderedProcesses("worker", workers[0]?.processes ?? []),
    names: workers.map((n) => n.name),
    font,
    hdrH,
    chipH,
    chipGap,
    measure,
  };
  let interior = workerInterior(0, env);
  let token = k.tokenMax;
  if (workers.length === 0) return { interior, token };
  for (const lod of [0, 1, 2] as const) {
    const it = workerInterior(lod, env);
    const podsW = cell.cellW - 2 * pad;
    const podsH = cell.cellH - it.podsTop - pad;
    const t = podsH > 0 ? fitToken(podsW, podsH, podHint, k.tokenMin, k.tokenMax) : k.tokenMin;
    interior = it;
    token = t;
    if (podsH > 0 && (t >= px(9) || lod === 2)) break;
  }
  return { interior, token };
}

/** The worker boxes, row by row in the grid whose top-left cell is at (x0, y0). */
export function placeWorkers(workers: readonly LayoutNode[], cell: WorkerGrid, x0: number, y0: number, interior: Interior, pitch: number, k: Scale): NodeBox[] {
  const { px, gap: g, pad } = k;
  const { cols, cellW, cellH } = cell;
  return workers.map((n, i) => {
    const x = x0 + (i % cols) * (cellW + g);
    const y = y0 + Math.floor(i / cols) * (cellH + g);
    const chips: ChipBox[] = [];
    interior.chipsAt(x, y, chips);
    return {
      name: n.name,
      role: "worker",
      x,
      y,
      w: cellW,
      h: cellH,
      headerY: y + pad + Math.round(interior.hdr / 2) - (interior.lod === 2 ? 0 : px(2)),
      nameFont: interior.nameFont,
      nameMax: 0,
      nameRight: 0,
      badges: [],
      chipFont: interior.chipFont,
      chips,
      bars: interior.bars ? interior.bars(x, y) : null,
      pods: grid({ x: x + pad, y: y + interior.podsTop, w: cellW - 2 * pad, h: cellH - interior.podsTop - pad }, pitch),
      entry: { x: x + Math.round(cellW / 2), y: y + px(2) },
    };
  });
}

/**
 * Each box's badges: in the header beside the whole name if they fit, else in a row (or more)
 * above the pods, whose grid then starts lower. Also settles how much room the name has.
 */
export function placeBadges(boxes: readonly NodeBox[], nodes: readonly LayoutNode[], interior: Interior, pitch: number, k: Scale, measure: Measure): void {
  const { px, pad, font } = k;
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const bGap = px(4);
  for (const b of boxes) {
    const n = byName.get(b.name)!;
    const bf = b.role === "worker" && interior.lod === 2 ? px(10) : font.badge;
    const bh = Math.round(bf * 1.45);
    const badges: BadgeBox[] = n.badges.map((x) => ({ ...x, x: 0, cy: 0, w: Math.ceil(measure(x.text, bf, true) + bf * 0.9), h: bh, font: bf }));
    const right = b.role === "worker" && interior.chipsInHeader && b.chips.length ? b.chips[0].x - bGap : b.x + b.w - pad;
    const left = b.x + pad;
    const badgesW = badges.reduce((sum, x) => sum + x.w + bGap, 0);
    const nameW = Math.ceil(measure(b.name, b.nameFont, true));
    if (badges.length === 0 || left + nameW + badgesW <= right) {
      let x = right - badgesW + bGap;
      for (const bb of badges) {
        bb.x = x;
        bb.cy = b.headerY;
        x += bb.w + bGap;
      }
      b.nameMax = right - left - (badges.length ? badgesW : 0);
    } else {
      b.nameMax = right - left;
      let x = left;
      let row = 0;
      for (const bb of badges) {
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
    b.badges = badges;
    b.nameRight = left + Math.min(nameW, b.nameMax);
  }
}
