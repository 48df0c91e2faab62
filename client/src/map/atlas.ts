/**
 * One canvas texture holding every small sprite of the map — pod glyphs (with and without the
 * ready ring), the selection ring, request dots and the frames of the outcome markers — drawn at
 * exactly the pixel size they are shown at, so they stay crisp. Redrawn in place (same Frame
 * objects) when the sizes change, so sprites never need their frames re-assigned.
 */
import type Phaser from "phaser";
import { OI, OUTCOME, PHASE_STYLES, UI, phaseStyle } from "./palette.ts";
import { RING_FACTOR, drawDot, drawGlyph, drawMarker, drawReadyRing, type MarkerKind } from "./shapes.ts";

export interface AtlasSizes {
  token: number;
  dot: number;
  marker: number;
}

/** Frames per outcome-marker animation. */
export const MARKER_FRAMES = 8;
export const MARKER_KINDS: readonly MarkerKind[] = ["served", "timeout", "dropped"];
export const DOT_KINDS = ["flight", "served", "timeout", "dropped"] as const;
export type DotKind = (typeof DOT_KINDS)[number];

const even = (v: number) => Math.ceil(v / 2) * 2;

export class Atlas {
  readonly key: string;
  private readonly tex: Phaser.Textures.CanvasTexture;
  private readonly frames = new Map<string, Phaser.Textures.Frame>();
  private readonly podFrames = new Map<string, [Phaser.Textures.Frame, Phaser.Textures.Frame]>();
  private sizesKey = "";
  highlight!: Phaser.Textures.Frame;
  readonly dots: Phaser.Textures.Frame[] = [];
  /** markers[kind][i], kind in MARKER_KINDS order. */
  readonly markers: Phaser.Textures.Frame[][] = [];

  constructor(textures: Phaser.Textures.TextureManager, key: string) {
    this.key = key;
    this.tex = textures.createCanvas(key, 64, 64)!;
  }

  /** The pod glyph frame for a phase (unknown phases share the "Unknown" glyph). */
  pod(phase: string, ready: boolean): Phaser.Textures.Frame {
    let pair = this.podFrames.get(phase);
    if (!pair) pair = this.podFrames.get(phaseStyle(phase).key)!;
    return pair[ready ? 1 : 0];
  }

  /** (Re)draws every frame for these sizes; a no-op when they have not changed. */
  build(s: AtlasSizes): void {
    const key = `${s.token}|${s.dot}|${s.marker}`;
    if (key === this.sizesKey) return;
    this.sizesKey = key;

    const podF = even(s.token * RING_FACTOR + 4);
    const hlF = even(s.token * 2.4 + 6);
    const dotF = even(s.dot + 2 * Math.max(1, s.dot * 0.15) + 4);
    const mkF = even(s.marker + 4);
    const cell = Math.max(podF, hlF, dotF, mkF) + 2;

    type Job = { name: string; size: number; draw: (ctx: CanvasRenderingContext2D, cx: number, cy: number) => void };
    const jobs: Job[] = [];
    for (const ps of PHASE_STYLES) {
      for (const ready of [0, 1]) {
        jobs.push({
          name: `p:${ps.key}:${ready}`,
          size: podF,
          draw: (ctx, cx, cy) => {
            drawGlyph(ctx, ps.glyph, ps.color, cx, cy, s.token);
            if (ready) drawReadyRing(ctx, cx, cy, s.token);
          },
        });
      }
    }
    jobs.push({
      name: "hl",
      size: hlF,
      draw: (ctx, cx, cy) => {
        const lw = Math.max(2.5, s.token * 0.26);
        const r = s.token * 1.02;
        ctx.save();
        ctx.lineWidth = lw + 2;
        ctx.strokeStyle = UI.ink;
        ctx.beginPath();
        ctx.arc(cx, cy, r, 0, Math.PI * 2);
        ctx.stroke();
        ctx.lineWidth = lw;
        ctx.strokeStyle = OI.yellow;
        ctx.stroke();
        ctx.restore();
      },
    });
    for (const k of DOT_KINDS) {
      jobs.push({
        name: `d:${k}`,
        size: dotF,
        draw: (ctx, cx, cy) =>
          drawDot(ctx, cx, cy, s.dot, OUTCOME[k === "flight" ? "flight" : k === "served" ? "served" : k === "timeout" ? "timeout" : "dropped"]),
      });
    }
    for (const k of MARKER_KINDS) {
      const color = k === "served" ? OUTCOME.served : k === "timeout" ? OUTCOME.timeout : OUTCOME.dropped;
      for (let i = 0; i < MARKER_FRAMES; i++) {
        jobs.push({ name: `m:${k}:${i}`, size: mkF, draw: (ctx, cx, cy) => drawMarker(ctx, k, color, cx, cy, s.marker, i / (MARKER_FRAMES - 1)) });
      }
    }

    const perRow = 8;
    const W = perRow * cell;
    const H = Math.ceil(jobs.length / perRow) * cell;
    this.tex.setSize(W, H);
    const ctx = this.tex.context;
    ctx.clearRect(0, 0, W, H);
    jobs.forEach((job, i) => {
      const x = (i % perRow) * cell + 1;
      const y = Math.floor(i / perRow) * cell + 1;
      job.draw(ctx, x + job.size / 2, y + job.size / 2);
      const f = this.frames.get(job.name);
      if (f) f.setSize(job.size, job.size, x, y);
      else this.frames.set(job.name, this.tex.add(job.name, 0, x, y, job.size, job.size)!);
    });
    this.tex.refresh();

    for (const ps of PHASE_STYLES) this.podFrames.set(ps.key, [this.frames.get(`p:${ps.key}:0`)!, this.frames.get(`p:${ps.key}:1`)!]);
    this.highlight = this.frames.get("hl")!;
    this.dots.length = 0;
    for (const k of DOT_KINDS) this.dots.push(this.frames.get(`d:${k}`)!);
    this.markers.length = 0;
    for (const k of MARKER_KINDS) {
      const arr: Phaser.Textures.Frame[] = [];
      for (let i = 0; i < MARKER_FRAMES; i++) arr.push(this.frames.get(`m:${k}:${i}`)!);
      this.markers.push(arr);
    }
  }
}
