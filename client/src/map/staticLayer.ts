/**
 * The parts of the map that change only when a node changes state or the map is resized — the
 * load balancer, the Pending box, node boxes with their names, badges and process chips, the
 * bar tracks and the legend — drawn with Canvas 2D into one texture. Per frame this costs a
 * single textured quad, and no Text object is needed for any of it.
 */
import type { MapNode } from "./ClusterMap.ts";
import type { Badge, Layout, NodeBox, Rect } from "./layout.ts";
import { FONT, OI, OUTCOME, UI, phaseStyle } from "./palette.ts";
import { drawDot, drawGlyph, drawMarker, drawReadyRing, roundRectPath } from "./shapes.ts";

export function font(px: number, bold = false): string {
  return `${bold ? "bold " : ""}${px}px ${FONT}`;
}

/** Shortens `text` with an ellipsis until it fits `max` px in the context's current font. */
export function ellipsize(ctx: CanvasRenderingContext2D, text: string, max: number): string {
  if (ctx.measureText(text).width <= max) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ctx.measureText(`${text.slice(0, mid)}…`).width <= max) lo = mid;
    else hi = mid - 1;
  }
  return lo > 0 ? `${text.slice(0, lo)}…` : "";
}

/**
 * The state badges of a node, most important first. A node that is down shows no "down" badge:
 * its whole box is greyed out under a big DOWN label instead.
 */
export function badgesOf(n: MapNode): Badge[] {
  const out: Badge[] = [];
  if (n.joined === false) out.push({ text: "not in the cluster yet", bg: UI.lineStrong, fg: UI.text });
  else if (n.ready !== "True") out.push({ text: "NotReady", bg: OI.vermillion, fg: "#ffffff" });
  if (n.unschedulable) out.push({ text: "cordoned", bg: OI.yellow, fg: UI.ink });
  return out;
}

function strokeBox(ctx: CanvasRenderingContext2D, r: Rect, radius: number, color: string, lw: number, dash: number[] | null): void {
  ctx.save();
  ctx.strokeStyle = color;
  ctx.lineWidth = lw;
  if (dash) ctx.setLineDash(dash);
  roundRectPath(ctx, r.x + lw / 2, r.y + lw / 2, r.w - lw, r.h - lw, radius);
  ctx.stroke();
  ctx.restore();
}

function drawNode(ctx: CanvasRenderingContext2D, L: Layout, b: NodeBox, n: MapNode): void {
  const U = L.unit;
  const down = !n.powered;
  const bare = n.joined === false;
  const notReady = n.ready !== "True";
  roundRectPath(ctx, b.x, b.y, b.w, b.h, L.radius);
  ctx.fillStyle = down ? UI.panelDown : UI.panel;
  ctx.fill();
  if (down) strokeBox(ctx, b, L.radius, UI.dim, Math.max(1, U * 1.5), [6 * U, 4 * U]);
  else if (bare) strokeBox(ctx, b, L.radius, OI.sky, Math.max(1, U * 1.5), [6 * U, 4 * U]);
  else if (notReady) strokeBox(ctx, b, L.radius, OI.vermillion, Math.max(2, Math.round(U * 2.5)), null);
  else if (b.role === "control-plane") strokeBox(ctx, b, L.radius, "rgba(204,121,167,0.75)", Math.max(1, Math.round(U * 1.5)), null);
  else strokeBox(ctx, b, L.radius, UI.lineStrong, Math.max(1, Math.round(U)), null);

  // Header: the name, then the badges the layout placed (beside it, or in a row above the pods).
  for (const x of b.badges) {
    roundRectPath(ctx, x.x, Math.round(x.cy - x.h / 2), x.w, x.h, x.h / 2);
    ctx.fillStyle = x.bg;
    ctx.fill();
    ctx.font = font(x.font, true);
    ctx.fillStyle = x.fg;
    ctx.textBaseline = "middle";
    ctx.textAlign = "center";
    ctx.fillText(x.text, x.x + x.w / 2, x.cy + 0.5);
  }
  ctx.font = font(b.nameFont, true);
  ctx.fillStyle = down ? UI.muted : UI.text;
  ctx.textBaseline = "middle";
  ctx.textAlign = "left";
  ctx.fillText(ellipsize(ctx, n.name, b.nameMax), b.x + L.pad, b.headerY + 0.5);

  // Process chips.
  for (const c of b.chips) {
    const installed = n.processes?.[c.proc];
    // On a bare server a process missing from the list is not installed yet (drawn empty, not struck).
    if (bare && installed === undefined) {
      drawMissingChip(ctx, b, c, U, n.installing === c.proc);
      continue;
    }
    const on = installed !== false;
    const r = Math.max(2, Math.round(c.h * 0.25));
    if (!c.label) {
      // A bare status square: filled green when running, hollow with a slash when stopped.
      roundRectPath(ctx, c.x, c.y, c.w, c.h, r / 2);
      if (on) {
        ctx.fillStyle = down ? UI.dim : OI.green;
        ctx.fill();
      } else {
        ctx.save();
        ctx.strokeStyle = OI.vermillion;
        ctx.lineWidth = Math.max(1, U * 1.25);
        ctx.stroke();
        ctx.beginPath();
        ctx.moveTo(c.x, c.y + c.h);
        ctx.lineTo(c.x + c.w, c.y);
        ctx.stroke();
        ctx.restore();
      }
      continue;
    }
    roundRectPath(ctx, c.x, c.y, c.w, c.h, r);
    ctx.fillStyle = on ? UI.chipOn : UI.chipOff;
    ctx.fill();
    ctx.save();
    ctx.lineWidth = Math.max(1, Math.round(U));
    if (on) ctx.strokeStyle = down ? UI.dim : "rgba(0,158,115,0.9)";
    else {
      ctx.strokeStyle = UI.dim;
      ctx.setLineDash([3 * U, 2 * U]);
    }
    roundRectPath(ctx, c.x + 0.5, c.y + 0.5, c.w - 1, c.h - 1, r);
    ctx.stroke();
    ctx.restore();
    ctx.font = font(b.chipFont);
    ctx.fillStyle = on ? (down ? UI.muted : UI.text) : UI.dim;
    ctx.textBaseline = "middle";
    ctx.textAlign = "center";
    const cx = c.x + c.w / 2;
    const cy = c.y + c.h / 2 + 0.5;
    ctx.fillText(c.label, cx, cy);
    if (!on) {
      // Struck through: a vermillion line across the label.
      const tw = ctx.measureText(c.label).width;
      ctx.save();
      ctx.strokeStyle = OI.vermillion;
      ctx.lineWidth = Math.max(1.5, U * 1.75);
      ctx.beginPath();
      ctx.moveTo(cx - tw / 2 - 2 * U, cy);
      ctx.lineTo(cx + tw / 2 + 2 * U, cy);
      ctx.stroke();
      ctx.restore();
    }
  }

  // Bar tracks (the fills and numbers are drawn live).
  if (b.bars) {
    for (const r of [b.bars.cpu, b.bars.mem]) {
      ctx.fillStyle = UI.track;
      ctx.fillRect(r.x, r.y, r.w, r.h);
      ctx.save();
      ctx.strokeStyle = UI.line;
      ctx.lineWidth = 1;
      ctx.strokeRect(r.x + 0.5, r.y + 0.5, r.w - 1, r.h - 1);
      ctx.restore();
    }
  }
}

/** A process not installed yet: an empty outline, dashed dim — or dashed amber while it installs. */
function drawMissingChip(ctx: CanvasRenderingContext2D, b: NodeBox, c: NodeBox["chips"][number], U: number, installing: boolean): void {
  const r = Math.max(2, Math.round(c.h * 0.25));
  ctx.save();
  ctx.strokeStyle = installing ? OI.orange : UI.dim;
  ctx.lineWidth = Math.max(1, Math.round(U * (installing ? 1.5 : 1)));
  ctx.setLineDash([3 * U, 2 * U]);
  roundRectPath(ctx, c.x + 0.5, c.y + 0.5, c.w - 1, c.h - 1, c.label ? r : r / 2);
  ctx.stroke();
  ctx.restore();
  if (!c.label) return;
  ctx.font = font(b.chipFont);
  ctx.fillStyle = installing ? OI.orange : UI.dim;
  ctx.textBaseline = "middle";
  ctx.textAlign = "center";
  ctx.fillText(c.label, c.x + c.w / 2, c.y + c.h / 2 + 0.5);
}

export function drawStatic(ctx: CanvasRenderingContext2D, L: Layout, nodes: ReadonlyMap<string, MapNode>): void {
  const U = L.unit;
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = UI.bg;
  ctx.fillRect(0, 0, L.width, L.height);

  // Load balancer at the top edge.
  const lb = L.lb;
  roundRectPath(ctx, lb.x, lb.y, lb.w, lb.h, lb.h / 2);
  ctx.fillStyle = "#243040";
  ctx.fill();
  strokeBox(ctx, lb, lb.h / 2, UI.lineStrong, Math.max(1, Math.round(U)), null);
  ctx.font = font(L.font.legend, true);
  ctx.fillStyle = UI.muted;
  ctx.textBaseline = "middle";
  ctx.textAlign = "center";
  ctx.fillText("load balancer", lb.x + lb.w / 2, lb.y + lb.h / 2 + 0.5);

  // Pending queue (its title and count are live text).
  const pb = L.pending.box;
  roundRectPath(ctx, pb.x, pb.y, pb.w, pb.h, L.radius);
  ctx.fillStyle = "#1a1d22";
  ctx.fill();
  strokeBox(ctx, pb, L.radius, "rgba(230,159,0,0.7)", Math.max(1, Math.round(U * 1.5)), [5 * U, 3 * U]);

  for (const b of L.nodes) {
    const n = nodes.get(b.name);
    if (n) drawNode(ctx, L, b, n);
  }

  // Legend.
  for (const it of L.legend) {
    const s = it.symbol;
    if (s.type === "pod") {
      const st = phaseStyle(s.phase);
      drawGlyph(ctx, st.glyph, st.color, it.sx, it.sy, L.legendToken);
      if (s.ready) drawReadyRing(ctx, it.sx, it.sy, L.legendToken);
    } else if (s.type === "dot") drawDot(ctx, it.sx, it.sy, L.dot, OUTCOME.flight);
    else if (s.type === "marker")
      drawMarker(
        ctx,
        s.kind,
        s.kind === "served" ? OUTCOME.served : s.kind === "timeout" ? OUTCOME.timeout : OUTCOME.dropped,
        it.sx,
        it.sy,
        L.legendMarker,
        0.7,
      );
    ctx.font = font(L.font.legend, it.muted);
    ctx.fillStyle = it.muted ? UI.muted : UI.text;
    ctx.textBaseline = "middle";
    ctx.textAlign = "left";
    ctx.fillText(it.label, it.lx, it.sy + 0.5);
  }
  ctx.restore();
}
