/**
 * The scheduler's drag on the map: press on a pending pod, drag it across the nodes — each one
 * marked as fitting or not, from the verdicts the scheduler panel shows — and drop it on a node
 * to bind it there. Dropping outside every node, releasing outside the map or pressing Escape
 * cancels; a press that hardly moves stays a click (it selects the pod, as before).
 *
 * The pod stays in its queue slot, faded, while a ghost copy follows the pointer; after a drop
 * the ghost waits on the node for the API server's answer, and glides home if the bind is refused.
 */
import type Phaser from "phaser";
import type { Layout, NodeBox } from "./layout.ts";
import { OI, UI, hex } from "./palette.ts";
import type { Bob, Text } from "./sceneKit.ts";

/** Whether a pod fits a node, and why not — the scheduler's filter, as its panel shows it. */
export interface DropVerdict {
  fits: boolean;
  /** Why it does not fit ("CPU: needs 250m, 100m free"); "" when it fits. */
  why: string;
  /** The scheduler's score for a node that fits (higher is better). */
  score?: number;
}

/** What the page decides: which pods may be dragged, how each node suits one, and the bind. */
export interface PodDragHost {
  /** True when this player may drag this pod now (a Pending pod, from the scheduler's seat). */
  canDrag(pod: string): boolean;
  /** A verdict per node; nodes left out are not marked. */
  verdicts(pod: string): ReadonlyMap<string, DropVerdict>;
  /** The pod was dropped on a node: bind it. Resolves with whether the API server accepted. */
  drop(pod: string, node: string): Promise<boolean>;
}

/** What the drag needs of the map scene. */
export interface DragScene {
  readonly layout: Layout | null;
  /** The visible pod under a point, if any. */
  podAt(x: number, y: number): { name: string } | undefined;
  nodeAt(x: number, y: number): NodeBox | undefined;
  /** Where a pod is drawn now and its glyph frame, or undefined once it has left the map. */
  podState(name: string): { x: number; y: number; frame: Phaser.Textures.Frame; pending: boolean } | undefined;
  /** Fades a pod in its slot while its ghost is away (or brings it back). */
  lift(name: string, lifted: boolean): void;
  /** A new bob on the effects layer (drawn above nodes and pods). */
  fxBob(frame: Phaser.Textures.Frame): Bob;
  placeBob(b: Bob, x: number, y: number): void;
  label(depth: number, color: string, bold: boolean): Text;
  setFont(t: Text, px: number): void;
  measure(text: string, px: number, bold?: boolean): number;
}

/** What the drag shows, for tests and tools: the pod, the node under the pointer, each node's mark. */
export interface DragSnapshot {
  pod: string;
  over: string | null;
  targets: Record<string, "fits" | "no">;
}

/** Movement (CSS px) before a press on a pod becomes a drag rather than a click. */
const DRAG_THRESHOLD_PX = 5;
/** How long a dropped ghost waits on its node for the answer before giving up (ms). */
const SETTLE_MS = 2500;

export class PodDrag {
  private armed: { pod: string; x0: number; y0: number } | null = null;
  private active: { pod: string; verdicts: ReadonlyMap<string, DropVerdict>; over: NodeBox | undefined } | null = null;
  /** A dropped pod waiting for its answer (ghost on the node) or gliding home. */
  private settling: { pod: string; until: number; home: boolean } | null = null;
  private ghost: Bob | null = null;
  private readonly g: Phaser.GameObjects.Graphics;
  private readonly hint: Text;
  private readonly marks: Text[] = [];
  private drawnKey = "";
  private pointer = { x: 0, y: 0 };
  /** Where the ghost's centre is (a Bob only knows its corner). */
  private readonly ghostAt = { x: 0, y: 0 };

  constructor(
    scene: Phaser.Scene,
    private readonly map: DragScene,
    private readonly host: PodDragHost,
    private readonly depth: { targets: number; marks: number; hint: number },
  ) {
    this.g = scene.add.graphics().setDepth(depth.targets);
    this.hint = map.label(depth.hint, UI.text, true);
    this.hint.setBackgroundColor("rgba(11,16,22,0.94)");
    this.hint.setVisible(false);
  }

  /** True while a pod is being dragged (the map hides its tooltip then). */
  get dragging(): boolean {
    return this.active !== null;
  }

  /** True when a press here would pick up a pod (for the cursor). */
  canPickUp(x: number, y: number): boolean {
    const pod = this.map.podAt(x, y);
    return !!pod && this.host.canDrag(pod.name);
  }

  snapshot(): DragSnapshot | null {
    const a = this.active;
    if (!a) return null;
    const targets: Record<string, "fits" | "no"> = {};
    for (const [node, v] of a.verdicts) targets[node] = v.fits ? "fits" : "no";
    return { pod: a.pod, over: a.over?.name ?? null, targets };
  }

  /** A press on a pod: arms a drag if the pod may be dragged. */
  press(pod: string, x: number, y: number): void {
    this.armed = this.host.canDrag(pod) ? { pod, x0: x, y0: y } : null;
  }

  move(x: number, y: number): void {
    this.pointer.x = x;
    this.pointer.y = y;
    const L = this.map.layout;
    if (!L) return;
    if (this.armed && !this.active) {
      const d = Math.hypot(x - this.armed.x0, y - this.armed.y0);
      if (d < DRAG_THRESHOLD_PX * L.dpr) return;
      this.begin(this.armed.pod);
    }
    const a = this.active;
    if (!a || !this.ghost) return;
    this.placeGhost(x, y);
    a.over = this.map.nodeAt(x, y);
    this.draw();
  }

  /** The pointer was released over the map: a drop on a node binds, anywhere else cancels. */
  release(x: number, y: number): void {
    this.armed = null;
    const a = this.active;
    if (!a) return;
    const node = this.map.nodeAt(x, y);
    if (!node) {
      this.cancel();
      return;
    }
    this.active = null;
    this.clearTargets();
    this.settling = { pod: a.pod, until: performance.now() + SETTLE_MS, home: false };
    const pod = a.pod;
    void this.host.drop(pod, node.name).then(
      (ok) => this.answered(pod, ok),
      () => this.answered(pod, false),
    );
  }

  /** Drops the drag without binding: the ghost glides back to the pod's slot. */
  cancel(): void {
    this.armed = null;
    const a = this.active;
    if (!a) return;
    this.active = null;
    this.clearTargets();
    this.settling = { pod: a.pod, until: performance.now() + SETTLE_MS, home: true };
  }

  /** After a model update: the verdicts may have changed, or the pod may be gone. */
  refresh(): void {
    const a = this.active;
    if (!a) return;
    const s = this.map.podState(a.pod);
    if (!s?.pending) {
      this.cancel();
      return;
    }
    // Redrawn only if a verdict changed (draw() compares).
    a.verdicts = this.host.verdicts(a.pod);
    this.draw();
  }

  /** After a relayout: node boxes moved. */
  relayout(): void {
    this.drawnKey = "";
    if (this.active) {
      this.active.over = this.map.nodeAt(this.pointer.x, this.pointer.y);
      this.draw();
    }
  }

  /** Per frame: the ghost's way home, or its fade once the bind went through. */
  step(dt: number): void {
    const st = this.settling;
    if (!st || !this.ghost) return;
    const s = this.map.podState(st.pod);
    const now = performance.now();
    if (st.home && s) {
      const k = 1 - Math.exp(-dt / 70);
      const nx = this.ghostAt.x + (s.x - this.ghostAt.x) * k;
      const ny = this.ghostAt.y + (s.y - this.ghostAt.y) * k;
      this.placeGhost(nx, ny);
      if (Math.hypot(s.x - nx, s.y - ny) > 1.5 && now < st.until) return;
      this.finish(st.pod);
      return;
    }
    // Waiting for the answer on the node: the pod leaves the queue when the bind is written.
    if (!s?.pending || now >= st.until) {
      this.ghost.alpha = Math.max(0, this.ghost.alpha - dt / 200);
      if (this.ghost.alpha <= 0 || now >= st.until) this.finish(st.pod);
    }
  }

  private placeGhost(x: number, y: number): void {
    this.ghostAt.x = x;
    this.ghostAt.y = y;
    if (this.ghost) this.map.placeBob(this.ghost, x, y);
  }

  private answered(pod: string, ok: boolean): void {
    const st = this.settling;
    if (!st || st.pod !== pod) return;
    if (!ok) st.home = true;
    else st.until = Math.min(st.until, performance.now() + 1200);
  }

  private begin(pod: string): void {
    const s = this.map.podState(pod);
    if (!s) return;
    if (this.settling) this.finish(this.settling.pod);
    if (!this.ghost) this.ghost = this.map.fxBob(s.frame);
    this.ghost.setFrame(s.frame);
    this.ghost.alpha = 0.95;
    this.ghost.visible = true;
    this.active = { pod, verdicts: this.host.verdicts(pod), over: undefined };
    this.map.lift(pod, true);
    this.drawnKey = "";
  }

  private finish(pod: string): void {
    this.settling = null;
    if (this.ghost) this.ghost.visible = false;
    this.map.lift(pod, false);
  }

  private clearTargets(): void {
    this.g.clear();
    this.drawnKey = "";
    this.hint.setVisible(false);
    for (const t of this.marks) t.setVisible(false);
  }

  /** Marks every node (fits / does not) and the one under the pointer; the hint follows the pointer. */
  private draw(): void {
    const L = this.map.layout;
    const a = this.active;
    if (!L || !a) return;
    const key = `${a.over?.name ?? ""}|${L.width}x${L.height}|${[...a.verdicts].map(([n, v]) => `${n}:${v.fits ? 1 : 0}${v.score ?? ""}`).join(",")}`;
    if (key !== this.drawnKey) {
      this.drawnKey = key;
      this.drawTargets(L, a.verdicts, a.over);
    }
    this.placeHint(L, a.pod, a.over ? a.verdicts.get(a.over.name) : undefined, a.over);
  }

  private drawTargets(L: Layout, verdicts: ReadonlyMap<string, DropVerdict>, over: NodeBox | undefined): void {
    const g = this.g;
    g.clear();
    const lw = Math.max(2, Math.round(2.5 * L.unit));
    let i = 0;
    for (const b of L.nodes) {
      const v = verdicts.get(b.name);
      if (!v) continue;
      // Fits: a solid bluish-green frame. Does not: the box dimmed under a vermillion frame.
      if (!v.fits) {
        g.fillStyle(hex(UI.bg), 0.55);
        g.fillRoundedRect(b.x, b.y, b.w, b.h, L.radius);
      }
      g.lineStyle(lw, hex(v.fits ? OI.green : OI.vermillion), v.fits ? 1 : 0.8);
      g.strokeRoundedRect(b.x + lw / 2, b.y + lw / 2, b.w - lw, b.h - lw, L.radius);
      this.placeMark(L, b, v, i++);
    }
    for (; i < this.marks.length; i++) this.marks[i].setVisible(false);
    if (over) {
      const w = Math.max(3, Math.round(3.5 * L.unit));
      g.lineStyle(w, hex(OI.yellow), 1);
      g.strokeRoundedRect(over.x - w / 2 - 1, over.y - w / 2 - 1, over.w + w + 2, over.h + w + 2, L.radius + w / 2);
    }
  }

  /** A word on the node itself, so the verdict never rests on colour alone. */
  private placeMark(L: Layout, b: NodeBox, v: DropVerdict, i: number): void {
    let t = this.marks[i];
    if (!t) {
      t = this.map.label(this.depth.marks, UI.text, true);
      t.setOrigin(0.5, 1);
      this.marks.push(t);
    }
    const px = L.lod === 2 ? L.font.chip - Math.round(L.unit) : L.font.chip;
    this.map.setFont(t, px);
    const room = b.w - 2 * L.pad;
    const short = v.why.split(/[:;]/)[0].trim();
    const tries = v.fits ? [v.score !== undefined ? `fits · score ${v.score}` : "fits", "fits"] : [`won't fit: ${short}`, short, "no"];
    const text = tries.find((s) => this.map.measure(s, px, true) + px <= room) ?? tries[tries.length - 1];
    if (t.text !== text) t.setText(text);
    t.setColor(v.fits ? UI.ink : UI.text);
    t.setBackgroundColor(v.fits ? OI.green : "#5a2a14");
    const padX = Math.round(px * 0.45);
    t.setPadding(padX, Math.round(px * 0.15), padX, Math.round(px * 0.15));
    t.setPosition(Math.round(b.x + b.w / 2), Math.round(b.y + b.h - L.pad / 2)).setVisible(true);
  }

  private placeHint(L: Layout, pod: string, v: DropVerdict | undefined, over: NodeBox | undefined): void {
    let text: string;
    if (!over) text = `${pod}: drop it on a node\n(anywhere else cancels)`;
    else if (!v || v.fits) text = `bind ${pod} to ${over.name}`;
    else text = `${over.name}: ${v.why}\ndrop to bind anyway`;
    this.map.setFont(this.hint, L.font.tooltip);
    if (this.hint.text !== text) this.hint.setText(text);
    const pad = Math.round(6 * L.unit);
    this.hint.setPadding(pad, Math.round(4 * L.unit), pad, Math.round(4 * L.unit));
    const off = Math.round(18 * L.unit);
    let x = this.pointer.x + off;
    let y = this.pointer.y + off;
    if (x + this.hint.width > L.width - 2) x = this.pointer.x - off - this.hint.width;
    if (y + this.hint.height > L.height - 2) y = this.pointer.y - off - this.hint.height;
    this.hint.setPosition(Math.round(Math.max(2, x)), Math.round(Math.max(2, y))).setVisible(true);
  }
}
