/**
 * The Phaser scene behind ClusterMap. The model arrives ~5 times a second (`setModel`); every
 * frame (`update`) only moves what is in motion: pods gliding to their slots, bars easing to
 * their values, request dots and fading outcome markers. Everything that moves is a Bob of two
 * Blitters (one texture, pooled, batched); everything still is one canvas texture; the only Text
 * objects are the few labels whose content changes (bar numbers, counts, tooltips).
 *
 * The scene wires its parts together: nodes (nodeLayer), pods (podSprites), requests
 * (trafficLayer), the page's highlight, the tooltip and the scheduler's drag (podDrag).
 */
import Phaser from "phaser";
import type { MapModel } from "./ClusterMap.ts";
import { Atlas } from "./atlas.ts";
import { Highlight } from "./highlight.ts";
import { computeLayout, type Layout, type NodeBox } from "./layout.ts";
import { NodeLayer } from "./nodeLayer.ts";
import { UI } from "./palette.ts";
import { PodDrag, type DragSnapshot, type PodDragHost } from "./podDrag.ts";
import { PodSprites, type PodSprite } from "./podSprites.ts";
import { DEPTH, frameOf, Labels, placeBob } from "./sceneKit.ts";
import { Tooltip, type TooltipSource } from "./tooltip.ts";
import { TrafficLayer } from "./trafficLayer.ts";
import { MapView } from "./mapView.ts";

export interface MapHost {
  onPodClick?(pod: string): void;
  onNodeClick?(node: string): void;
  /** Dragging pods onto nodes (the scheduler's bind); without it pods are only clicked. */
  podDrag?: PodDragHost;
  /** Called once per frame with the time since the previous frame, in ms. */
  frame(ms: number): void;
  /** Current size of the map in device pixels and the device pixel ratio. */
  size(): { width: number; height: number; dpr: number };
}

export class MapScene extends Phaser.Scene {
  private readonly host: MapHost;
  private ready = false;
  private pendingModel: MapModel | null = null;

  private L: Layout | null = null;
  private atlas!: Atlas;
  private labels!: Labels;
  private nodes!: NodeLayer;
  private pods!: PodSprites;
  private traffic!: TrafficLayer;
  private highlight!: Highlight;
  private tooltip!: Tooltip;
  private tooltipSource!: TooltipSource;
  private drag: PodDrag | null = null;
  /** Pan and zoom (pinch, drag on the background, wheel, the page's buttons). */
  view!: MapView;

  private lastModelAt = 0;
  /** The smoothed time between model updates (ms): traffic is spread over it. */
  private updateInterval = 200;
  private lastTime = -1;
  private lastFrame = 0;

  constructor(host: MapHost) {
    super({ key: "cluster-map" });
    this.host = host;
  }

  // ---------------------------------------------------------------- lifecycle

  create(): void {
    const size = this.host.size();
    this.cameras.main.setBackgroundColor(UI.bg);
    this.labels = new Labels(this);
    this.atlas = new Atlas(this.textures, "cc-atlas");
    this.nodes = new NodeLayer(this, this.labels, size);
    const podLayer = this.add.blitter(0, 0, "cc-atlas").setDepth(DEPTH.pods);
    const fxLayer = this.add.blitter(0, 0, "cc-atlas").setDepth(DEPTH.fx);
    this.pods = new PodSprites(podLayer, this.atlas);
    this.atlas.build({ token: 10, dot: 6, marker: 16 });
    this.highlight = new Highlight(this, fxLayer, this.atlas.highlight, this.labels);
    this.traffic = new TrafficLayer(fxLayer, this.atlas, this.pods, (n) => this.nodes.roleOf(n) !== undefined);
    this.tooltip = new Tooltip(this.labels, (c) => this.input.setDefaultCursor(c));
    if (this.host.podDrag) this.drag = this.newDrag(this.host.podDrag, fxLayer);
    this.tooltipSource = {
      podAt: (x, y) => this.podAt(x, y),
      nodeAt: (x, y) => this.nodeAt(x, y),
      node: (name) => this.nodes.get(name),
      recentDrop: (entry) => this.traffic.recentDrop(entry),
      quietEntry: (entry) => this.traffic.quietEntry(entry),
      canPickUp: (x, y) => this.drag?.canPickUp(x, y) ?? false,
      dragging: () => this.drag?.dragging ?? false,
    };

    const hover = this.tooltip.hover;
    this.view = new MapView(this.cameras.main, () => this.host.size());
    this.input.on("pointerdown", (p: Phaser.Input.Pointer) => this.onPointerDown(p));
    this.input.on("pointermove", (p: Phaser.Input.Pointer) => {
      // A pinch or a pan moves the view, not the pod.
      if (this.view.move(p.id, p.x, p.y)) return;
      const w = this.view.toWorld(p.x, p.y);
      hover.x = w.x;
      hover.y = w.y;
      hover.inside = true;
      this.drag?.move(w.x, w.y);
      this.refreshTooltip();
    });
    this.input.on("pointerup", (p: Phaser.Input.Pointer) => {
      const pinched = this.view.pinching;
      this.view.release(p.id);
      const w = this.view.toWorld(p.x, p.y);
      if (!pinched) this.drag?.release(w.x, w.y);
      this.refreshTooltip();
    });
    // Released outside the canvas: no node there, so the drag is cancelled.
    this.input.on("pointerupoutside", (p: Phaser.Input.Pointer) => {
      this.view.release(p.id);
      this.drag?.cancel();
    });
    this.input.on("wheel", (p: Phaser.Input.Pointer, _o: unknown, _dx: number, dy: number) => this.view.zoomAt(dy < 0 ? 1.25 : 0.8, p.x, p.y));
    this.input.on("gameout", () => {
      hover.inside = false;
      this.refreshTooltip();
    });

    this.ready = true;
    this.relayout(true);
    if (this.pendingModel) {
      const m = this.pendingModel;
      this.pendingModel = null;
      this.setModel(m);
    }
  }

  /** The canvas changed size (device px). */
  resize(): void {
    if (!this.ready) return;
    const { width, height } = this.host.size();
    this.cameras.main.setSize(width, height);
    this.view.clamp();
    this.relayout(true);
  }

  // ---------------------------------------------------------------- model

  setModel(model: MapModel): void {
    if (!this.ready) {
      this.pendingModel = model;
      return;
    }
    const now = performance.now();
    if (this.lastModelAt > 0) {
      const gap = Math.min(1000, now - this.lastModelAt);
      this.updateInterval += (gap - this.updateInterval) * 0.3;
    }
    this.lastModelAt = now;
    this.highlight.target = model.highlight ?? {};

    let relayout = this.nodes.sync(Array.isArray(model.nodes) ? model.nodes : []);
    relayout = this.pods.sync(Array.isArray(model.pods) ? model.pods : [], this.nodes.roleOf) || relayout;
    if (relayout) this.relayout(false);
    else if (this.L) this.pods.place(this.L, false);
    this.redrawAndLabel();

    // Traffic: only when the game clock moved (a paused game sends nothing new).
    const time = typeof model.time === "number" ? model.time : 0;
    if (time !== this.lastTime) this.traffic.enqueue(model.traffic, now, this.updateInterval, this.L);
    this.lastTime = time;
    this.drag?.refresh();
    this.refreshTooltip();
  }

  private relayout(snap: boolean): void {
    const { width, height, dpr } = this.host.size();
    if (width < 2 || height < 2) return;
    const L = computeLayout({ width, height, dpr, nodes: this.nodes.layoutNodes(), podHint: this.pods.hint, measure: this.labels.measure });
    this.L = L;
    this.atlas.build({ token: Math.round(L.token), dot: L.dot, marker: L.marker });
    this.nodes.relayout(L);
    this.highlight.relayout(L);
    this.tooltip.relayout(L);
    this.pods.place(L, snap);
    this.redrawAndLabel();
    this.drag?.relayout();
  }

  private redrawAndLabel(): void {
    const L = this.L;
    if (!L) return;
    this.nodes.redrawIfDirty(L);
    this.nodes.updateLabels(L, this.pods.groups.get("")?.length ?? 0, this.pods.hidden);
  }

  // ---------------------------------------------------------------- per frame

  override update(): void {
    const now = performance.now();
    if (this.lastFrame > 0) this.host.frame(now - this.lastFrame);
    this.lastFrame = now;
    const L = this.L;
    if (!L) return;
    const dt = Math.min(100, this.game.loop.delta || 16.7);

    this.traffic.step(now, L);
    this.nodes.flushTexts(6);
    this.pods.step(dt);
    this.nodes.stepBars(dt, L);
    const selected = this.highlight.target.pod;
    this.highlight.step(now, L, selected ? this.pods.byName.get(selected) : undefined);
    this.drag?.step(dt);
  }

  // ---------------------------------------------------------------- input

  private podAt(x: number, y: number): PodSprite | undefined {
    return this.L ? this.pods.at(x, y, this.L) : undefined;
  }

  private nodeAt(x: number, y: number): NodeBox | undefined {
    for (const b of this.L?.nodes ?? []) if (x >= b.x && x <= b.x + b.w && y >= b.y && y <= b.y + b.h) return b;
    return undefined;
  }

  private onPointerDown(p: Phaser.Input.Pointer): void {
    if (p.button !== 0) return;
    const { x, y } = this.view.toWorld(p.x, p.y);
    const pod = this.podAt(x, y);
    this.view.press(p.id, p.x, p.y, !(pod && this.drag?.canPickUp(x, y)));
    // A second finger: a pinch, not a drag.
    if (this.view.pinching) {
      this.drag?.cancel();
      return;
    }
    if (pod) {
      this.host.onPodClick?.(pod.name);
      this.drag?.press(pod.name, x, y);
      return;
    }
    const node = this.nodeAt(x, y);
    if (node) this.host.onNodeClick?.(node.name);
  }

  private refreshTooltip(): void {
    this.tooltip.refresh(this.L, this.tooltipSource);
  }

  // ---------------------------------------------------------------- drag and inspection

  private newDrag(host: PodDragHost, fxLayer: Phaser.GameObjects.Blitter): PodDrag {
    const scene = this;
    return new PodDrag(
      this,
      {
        get layout() {
          return scene.L;
        },
        podAt: (x, y) => this.podAt(x, y),
        nodeAt: (x, y) => this.nodeAt(x, y),
        podState: (name) => {
          const s = this.pods.live(name);
          return s ? { x: s.x, y: s.y, frame: frameOf(s.bob), pending: s.node === "" && s.phase === "Pending" } : undefined;
        },
        lift: (name, lifted) => this.pods.lift(name, lifted),
        fxBob: (frame) => fxLayer.create(0, 0, frame),
        placeBob,
        label: (depth, color, bold) => this.labels.create(depth, color, bold),
        setFont: (t, px) => this.labels.setFont(t, px),
        measure: this.labels.measure,
      },
      host,
      { targets: DEPTH.dropTargets, marks: DEPTH.dropMarks, hint: DEPTH.tooltip },
    );
  }

  /** Cancels a drag in progress (Escape). */
  cancelDrag(): void {
    this.drag?.cancel();
  }

  dragSnapshot(): DragSnapshot | null {
    return this.drag?.snapshot() ?? null;
  }

  /** Where a pod (its glyph) or a node (its box) is drawn, in device px of the canvas. */
  /** The tooltip's text, "" while hidden. */
  tooltipText(): string {
    return this.tooltip?.text ?? "";
  }

  locate(name: string): { x: number; y: number; w: number; h: number } | undefined {
    const L = this.L;
    if (!L) return undefined;
    const s = this.pods.live(name);
    const b = L.byName.get(name);
    const box = s && !s.hidden ? { x: s.x - L.token / 2, y: s.y - L.token / 2, w: L.token, h: L.token } : b && { x: b.x, y: b.y, w: b.w, h: b.h };
    if (!box) return undefined;
    // On screen, as the view pans and zooms.
    const at = this.view.toScreen(box.x, box.y);
    return { x: at.x, y: at.y, w: box.w * this.view.zoom, h: box.h * this.view.zoom };
  }
}
