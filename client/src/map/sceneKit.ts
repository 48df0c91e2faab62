/**
 * What the parts of the map scene share: the drawing order, Bob and Text helpers, a measured-text
 * cache, and the number formats of the labels and tooltips.
 */
import type Phaser from "phaser";
import { FONT } from "./palette.ts";
import { font } from "./staticLayer.ts";

export type Bob = Phaser.GameObjects.Bob;
export type Text = Phaser.GameObjects.Text;

/** Drawing order, back to front. */
export const DEPTH = {
  static: 0,
  bars: 1,
  labels: 2,
  pods: 3,
  overlay: 4,
  dropTargets: 4.5,
  nodeHighlight: 5,
  fx: 6,
  /** The CPU/MEM numbers read over the bars' fills and the request dots flying past. */
  barLabels: 6.5,
  overlayText: 7,
  dropMarks: 7.5,
  highlightLabel: 8,
  tooltip: 9,
} as const;

/** A Bob's current frame (public at runtime, protected in the typings). */
export const frameOf = (b: Bob): Phaser.Textures.Frame => (b as unknown as { frame: Phaser.Textures.Frame }).frame;

/** Puts a Bob's centre (not its corner) on (x, y). */
export function placeBob(b: Bob, x: number, y: number): void {
  const f = frameOf(b);
  b.x = x - f.halfWidth;
  b.y = y - f.halfHeight;
}

/** Removes list[i] in O(1) by moving the last element into its place; returns the removed one. */
export function swapRemove<T>(list: T[], i: number): T {
  const item = list[i];
  const last = list.pop()!;
  if (last !== item) list[i] = last;
  return item;
}

export function cores(milli: number): string {
  const v = milli / 1000;
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

export function gib(mib: number): string {
  const v = mib / 1024;
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

/** a / b, 0 when it is not a number. */
export function ratio(a: number, b: number): number {
  return b > 0 && Number.isFinite(a) ? Math.max(0, a / b) : 0;
}

/** Text objects in the map's font, and the width of a text at a size (cached: layout asks often). */
export class Labels {
  private ctx: CanvasRenderingContext2D | null = null;
  private readonly cache = new Map<string, number>();

  constructor(private readonly scene: Phaser.Scene) {}

  create(depth: number, color: string, bold: boolean): Text {
    const t = this.scene.add.text(0, 0, "", { fontFamily: FONT, fontSize: "12px", color, fontStyle: bold ? "bold" : "normal" });
    t.setDepth(depth);
    return t;
  }

  /** Sets the font size only when it changes (a change re-renders the text). */
  setFont(t: Text, px: number): void {
    const size = `${px}px`;
    if (t.style.fontSize !== size) t.setFontSize(size);
  }

  readonly measure = (text: string, px: number, bold = false): number => {
    const key = `${bold ? 1 : 0}|${px}|${text}`;
    let w = this.cache.get(key);
    if (w === undefined) {
      if (!this.ctx) this.ctx = document.createElement("canvas").getContext("2d")!;
      this.ctx.font = font(px, bold);
      w = this.ctx.measureText(text).width;
      if (this.cache.size > 2000) this.cache.clear();
      this.cache.set(key, w);
    }
    return w;
  };
}
