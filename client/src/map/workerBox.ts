/**
 * The inside of a worker box at each level of detail: 0 full (labelled chips, bars with their
 * numbers), 1 compact (smaller chips, thin bars), 2 tiny (status squares, hairline bars). The
 * layout picks the most detailed one that still leaves its pods room.
 */
import type { ChipBox, Measure, Rect } from "./layout.ts";
import { layoutChips } from "./layoutChips.ts";

export interface Interior {
  lod: 0 | 1 | 2;
  /** Height of the header line (the name). */
  hdr: number;
  nameFont: number;
  chipFont: number;
  /** True when the process squares sit in the header beside the name (tiny boxes only). */
  chipsInHeader: boolean;
  chipsAt: (x: number, y: number, out: ChipBox[]) => void;
  bars: null | ((x: number, y: number) => { cpu: Rect; mem: Rect; labelled: boolean });
  /** Where the pods area starts, from the top of the box. */
  podsTop: number;
}

export interface InteriorEnv {
  cellW: number;
  pad: number;
  /** CSS px to device px at the layout's scale. */
  px: (v: number) => number;
  procs: readonly string[];
  /** The workers' names: a tiny box is arranged so that they stay readable. */
  names: readonly string[];
  font: { name: number; chip: number; bar: number };
  hdrH: number;
  chipH: number;
  chipGap: number;
  measure: Measure;
}

/** The widest text a full bar label shows. */
const BAR_TEXT = "MEM 15.9/16 Gi";

export function workerInterior(lod: 0 | 1 | 2, env: InteriorEnv): Interior {
  return lod === 2 ? tiny(env) : detailed(lod, env);
}

/**
 * Tiny boxes: the name, three status squares and two hairline bars. The squares sit beside the
 * name when the longest name fits there; otherwise they move down beside the bars, so a name is
 * never cut to "node…" to make room for them.
 */
function tiny(env: InteriorEnv): Interior {
  const { cellW, pad, px, procs, names, measure } = env;
  const innerW = cellW - 2 * pad;
  const hdr = px(16);
  const sq = px(8);
  const sqGap = px(3);
  const chipsW = procs.length * (sq + sqGap) - sqGap;
  const barH = px(4);
  const longest = (f: number) => names.reduce((m, n) => Math.max(m, measure(n, f, true)), 0);
  const besideRoom = innerW - chipsW - px(4);
  const beside = [px(11), px(10)].find((f) => longest(f) <= besideRoom);
  const squares = (x: number, y: number, out: ChipBox[]) => {
    out.length = 0;
    let cx = x;
    for (const p of procs) {
      out.push({ proc: p, label: "", x: cx, y, w: sq, h: sq });
      cx += sq + sqGap;
    }
  };
  if (beside !== undefined) {
    return {
      lod: 2,
      hdr,
      nameFont: beside,
      chipFont: px(9),
      chipsInHeader: true,
      chipsAt: (x, y, out) => squares(x + cellW - pad - chipsW, y + pad + Math.round((hdr - sq) / 2), out),
      bars: (x, y) => {
        const by = y + pad + hdr + px(1);
        const bw = Math.floor((innerW - px(4)) / 2);
        return { cpu: { x: x + pad, y: by, w: bw, h: barH }, mem: { x: x + pad + bw + px(4), y: by, w: bw, h: barH }, labelled: false };
      },
      podsTop: pad + hdr + px(1) + barH + px(3),
    };
  }
  // The name gets the whole header; the squares share a row with the bars.
  const nameFont = [px(11), px(10), px(9)].find((f) => longest(f) <= innerW) ?? px(9);
  const rowTop = (y: number) => y + pad + hdr + px(1);
  return {
    lod: 2,
    hdr,
    nameFont,
    chipFont: px(9),
    chipsInHeader: false,
    chipsAt: (x, y, out) => squares(x + cellW - pad - chipsW, rowTop(y), out),
    bars: (x, y) => {
      const by = rowTop(y) + Math.round((sq - barH) / 2);
      const bw = Math.max(1, Math.floor((innerW - chipsW - px(4) - px(3)) / 2));
      return { cpu: { x: x + pad, y: by, w: bw, h: barH }, mem: { x: x + pad + bw + px(3), y: by, w: bw, h: barH }, labelled: false };
    },
    podsTop: pad + hdr + px(1) + sq + px(3),
  };
}

/** Full and compact boxes: labelled process chips on their own row, then the bars. */
function detailed(lod: 0 | 1, env: InteriorEnv): Interior {
  const { cellW, pad, px, procs, font, measure, chipGap } = env;
  const innerW = cellW - 2 * pad;
  const hdr = lod === 0 ? env.hdrH : px(18);
  const nameFont = lod === 0 ? font.name : px(12);
  const chipFont = lod === 0 ? font.chip : px(10);
  const cH = lod === 0 ? env.chipH : px(15);
  const probe: ChipBox[] = [];
  const chipRows = layoutChips(procs, 0, 0, innerW, cH, chipGap, chipFont, measure, probe, false);
  const chipsH = chipRows * cH + (chipRows - 1) * chipGap;
  let barsH: number;
  let bars: Interior["bars"];
  if (lod === 0) {
    const bh = px(16);
    const need = measure(BAR_TEXT, font.bar) + px(12);
    const side = (innerW - px(6)) / 2 >= need;
    barsH = side ? bh : 2 * bh + px(3);
    bars = (x, y) => {
      const by = y + pad + hdr + chipsH + px(5);
      if (side) {
        const bw = Math.floor((innerW - px(6)) / 2);
        return { cpu: { x: x + pad, y: by, w: bw, h: bh }, mem: { x: x + pad + bw + px(6), y: by, w: bw, h: bh }, labelled: true };
      }
      return { cpu: { x: x + pad, y: by, w: innerW, h: bh }, mem: { x: x + pad, y: by + bh + px(3), w: innerW, h: bh }, labelled: true };
    };
  } else {
    const bh = px(6);
    barsH = bh;
    bars = (x, y) => {
      const by = y + pad + hdr + chipsH + px(4);
      const bw = Math.floor((innerW - px(4)) / 2);
      return { cpu: { x: x + pad, y: by, w: bw, h: bh }, mem: { x: x + pad + bw + px(4), y: by, w: bw, h: bh }, labelled: false };
    };
  }
  return {
    lod,
    hdr,
    nameFont,
    chipFont,
    chipsInHeader: false,
    chipsAt: (x, y, out) => {
      layoutChips(procs, x + pad, y + pad + hdr, innerW, cH, chipGap, chipFont, measure, out, false);
    },
    bars,
    podsTop: pad + hdr + chipsH + px(5) + barsH + px(5),
  };
}
