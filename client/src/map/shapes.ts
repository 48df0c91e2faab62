/**
 * Canvas 2D drawing of the map's small symbols: pod glyphs, the ready ring, request dots and
 * outcome markers. Used both for the sprite atlas and for the legend, so they always match.
 */
import { type Glyph, UI } from "./palette.ts";

/** How much bigger than the glyph the ready ring is (radius factor) — frames must fit it. */
export const RING_FACTOR = 1.42;

export function roundRectPath(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, r: number): void {
  r = Math.max(0, Math.min(r, w / 2, h / 2));
  ctx.beginPath();
  ctx.moveTo(x + r, y);
  ctx.lineTo(x + w - r, y);
  ctx.arcTo(x + w, y, x + w, y + r, r);
  ctx.lineTo(x + w, y + h - r);
  ctx.arcTo(x + w, y + h, x + w - r, y + h, r);
  ctx.lineTo(x + r, y + h);
  ctx.arcTo(x, y + h, x, y + h - r, r);
  ctx.lineTo(x, y + r);
  ctx.arcTo(x, y, x + r, y, r);
  ctx.closePath();
}

/** A pod glyph of diameter `size` centred on (cx, cy). */
export function drawGlyph(ctx: CanvasRenderingContext2D, glyph: Glyph, color: string, cx: number, cy: number, size: number): void {
  const r = size / 2;
  ctx.save();
  ctx.fillStyle = color;
  ctx.strokeStyle = color;
  ctx.lineJoin = "round";
  ctx.lineCap = "round";
  switch (glyph) {
    case "circle":
      ctx.beginPath();
      ctx.arc(cx, cy, r, 0, Math.PI * 2);
      ctx.fill();
      break;
    case "triangle": {
      const R = r * 1.22;
      const c = Math.cos(Math.PI / 6) * R;
      const dy = r * 0.12; // optical centring: a triangle's mass sits low
      ctx.beginPath();
      ctx.moveTo(cx, cy - R + dy);
      ctx.lineTo(cx + c, cy + R / 2 + dy);
      ctx.lineTo(cx - c, cy + R / 2 + dy);
      ctx.closePath();
      ctx.fill();
      break;
    }
    case "diamond": {
      diamondPath(ctx, cx, cy, r * 1.18);
      ctx.fill();
      break;
    }
    case "square": {
      const h = r * 0.86;
      ctx.fillRect(cx - h, cy - h, 2 * h, 2 * h);
      break;
    }
    case "cross": {
      const h = r * 0.7;
      ctx.lineWidth = Math.max(1.5, size * 0.3);
      ctx.beginPath();
      ctx.moveTo(cx - h, cy - h);
      ctx.lineTo(cx + h, cy + h);
      ctx.moveTo(cx + h, cy - h);
      ctx.lineTo(cx - h, cy + h);
      ctx.stroke();
      break;
    }
    case "hollow": {
      const lw = Math.max(1.25, size * 0.22);
      ctx.lineWidth = lw;
      ctx.beginPath();
      ctx.arc(cx, cy, r - lw / 2, 0, Math.PI * 2);
      ctx.stroke();
      break;
    }
    case "check": {
      ctx.lineWidth = Math.max(1.5, size * 0.28);
      ctx.beginPath();
      ctx.moveTo(cx - r * 0.75, cy + r * 0.05);
      ctx.lineTo(cx - r * 0.2, cy + r * 0.6);
      ctx.lineTo(cx + r * 0.8, cy - r * 0.6);
      ctx.stroke();
      break;
    }
    case "hollowDiamond": {
      const lw = Math.max(1.25, size * 0.2);
      ctx.lineWidth = lw;
      diamondPath(ctx, cx, cy, r * 1.1 - lw / 2);
      ctx.stroke();
      break;
    }
  }
  ctx.restore();
}

/** Line width of the ready ring for a glyph of diameter `size`. */
export function ringWidth(size: number): number {
  return Math.max(1.25, size * 0.14);
}

/** The ring drawn around a pod that is ready. */
export function drawReadyRing(ctx: CanvasRenderingContext2D, cx: number, cy: number, size: number, color: string = UI.text): void {
  const lw = ringWidth(size);
  ctx.save();
  ctx.strokeStyle = color;
  ctx.lineWidth = lw;
  ctx.beginPath();
  ctx.arc(cx, cy, (size / 2) * RING_FACTOR - lw / 2, 0, Math.PI * 2);
  ctx.stroke();
  ctx.restore();
}

/** A request dot of diameter `d`, with a dark rim so it reads on any background. */
export function drawDot(ctx: CanvasRenderingContext2D, cx: number, cy: number, d: number, color: string): void {
  ctx.save();
  ctx.fillStyle = UI.ink;
  ctx.beginPath();
  ctx.arc(cx, cy, d / 2 + Math.max(1, d * 0.15), 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = color;
  ctx.beginPath();
  ctx.arc(cx, cy, d / 2, 0, Math.PI * 2);
  ctx.fill();
  ctx.restore();
}

export type MarkerKind = "served" | "timeout" | "dropped";

/**
 * An outcome marker at animation progress `p` (0..1) inside a box of `size`: served = a ring
 * that expands, timed out = a square that expands, dropped = an X that grows.
 */
export function drawMarker(ctx: CanvasRenderingContext2D, kind: MarkerKind, color: string, cx: number, cy: number, size: number, p: number): void {
  const half = size / 2;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  const lw = Math.max(1.5, size * (kind === "dropped" ? 0.17 : 0.13) * (1 - 0.35 * p));
  ctx.lineWidth = lw;
  ctx.beginPath();
  if (kind === "served") {
    ctx.arc(cx, cy, (half - lw / 2) * (0.45 + 0.55 * p), 0, Math.PI * 2);
  } else if (kind === "timeout") {
    const h = (half - lw / 2) * (0.4 + 0.45 * p);
    ctx.rect(cx - h, cy - h, 2 * h, 2 * h);
  } else {
    const h = (half - lw / 2) * (0.38 + 0.22 * p);
    ctx.moveTo(cx - h, cy - h);
    ctx.lineTo(cx + h, cy + h);
    ctx.moveTo(cx + h, cy - h);
    ctx.lineTo(cx - h, cy + h);
  }
  // A dark halo under the stroke keeps it legible over pods and bars.
  ctx.save();
  ctx.strokeStyle = UI.ink;
  ctx.globalAlpha = 0.8;
  ctx.lineWidth = lw + Math.max(1.5, size * 0.08);
  ctx.stroke();
  ctx.restore();
  ctx.stroke();
  ctx.restore();
}

/** A diamond of half-diagonal R centred on (cx, cy), as the current path. */
function diamondPath(ctx: CanvasRenderingContext2D, cx: number, cy: number, R: number): void {
  ctx.beginPath();
  ctx.moveTo(cx, cy - R);
  ctx.lineTo(cx + R, cy);
  ctx.lineTo(cx, cy + R);
  ctx.lineTo(cx - R, cy);
  ctx.closePath();
}
