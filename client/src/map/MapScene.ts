/**
 * The Phaser scene behind ClusterMap. The model arrives ~5 times a second (`setModel`); every
 * frame (`update`) only moves what is in motion: pods gliding to their slots, bars easing to
 * their values, request dots and fading outcome markers. Everything that moves is a Bob of two
 * Blitters (one texture, pooled, batched); everything still is one canvas texture; the only Text
 * objects are the few labels whose content changes (bar numbers, counts, tooltips).
 */
import Phaser from "phaser";
import type { MapModel, MapNode, MapPod } from "./ClusterMap.ts";
import { Atlas, MARKER_FRAMES } from "./atlas.ts";
import { computeLayout, orderedProcesses, slotCenter, type Layout, type NodeBox, type PodGrid } from "./layout.ts";
import { FONT, OI, UI, hex } from "./palette.ts";
import { PodDrag, type DragSnapshot, type PodDragHost } from "./podDrag.ts";
import { badgesOf, drawStatic, font } from "./staticLayer.ts";
import { parseTraffic, TrafficKind, type TrafficItem } from "./traffic.ts";

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

type Bob = Phaser.GameObjects.Bob;
type Text = Phaser.GameObjects.Text;

interface PodSprite {
  name: string;
  bob: Bob;
  index: number;
  x: number;
  y: number;
  tx: number;
  ty: number;
  alpha: number;
  targetAlpha: number;
  phase: string;
  ready: boolean;
  serving: boolean;
  node: string;
  deployment: string;
  reason: string;
  seq: number;
  seen: number;
  removing: boolean;
  hidden: boolean;
  placed: boolean;
  /** Picked up by a drag: shown faded in its slot while its ghost is away. */
  lifted: boolean;
}

interface Dot {
  bob: Bob;
  x0: number;
  y0: number;
  cx: number;
  cy: number;
  x1: number;
  y1: number;
  t0: number;
  /** 0 none, 1 served, 2 timed out. */
  outcome: number;
  arrived: boolean;
}

interface Marker {
  bob: Bob;
  x: number;
  y: number;
  t0: number;
  dur: number;
  /** Index into Atlas.markers: 0 served, 1 timed out, 2 dropped. */
  kind: number;
}

interface Queued {
  at: number;
  kind: TrafficKind;
  a: string;
  b: string;
  outcome: number;
}

interface NodeView {
  data: MapNode;
  sig: string;
  cpu: number;
  mem: number;
  cpuShown: number;
  memShown: number;
  cpuText: Text | null;
  memText: Text | null;
  overflow: Text | null;
  downText: Text | null;
  hiddenPods: number;
}

const TRAVEL_MS = 300;
const DOT_FADE_MS = 160;
const MARKER_MS = [520, 620, 800];
const MAX_DOTS = 1500;
const MAX_MARKERS = 1500;

const DEPTH = { static: 0, bars: 1, labels: 2, pods: 3, overlay: 4, dropTargets: 4.5, nodeHighlight: 5, fx: 6, overlayText: 7, dropMarks: 7.5, highlightLabel: 8, tooltip: 9 };
/** Opacity of a pod left in its slot while it is dragged. */
const LIFTED_ALPHA = 0.3;

function cores(milli: number): string {
  const v = milli / 1000;
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}
function gib(mib: number): string {
  const v = mib / 1024;
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}
function ratio(a: number, b: number): number {
  return b > 0 && Number.isFinite(a) ? Math.max(0, a / b) : 0;
}
/** A Bob's current frame (public at runtime, protected in the typings). */
const frameOf = (b: Bob): Phaser.Textures.Frame => (b as unknown as { frame: Phaser.Textures.Frame }).frame;
/** Removes list[i] in O(1) by moving the last element into its place; returns the removed one. */
function swapRemove<T>(list: T[], i: number): T {
  const item = list[i];
  const last = list.pop()!;
  if (last !== item) list[i] = last;
  return item;
}

const natural = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

export class MapScene extends Phaser.Scene {
  private readonly host: MapHost;
  private ready = false;
  private pendingModel: MapModel | null = null;

  private L: Layout | null = null;
  private atlas!: Atlas;
  private staticTex!: Phaser.Textures.CanvasTexture;
  private staticImg!: Phaser.GameObjects.Image;
  private bars!: Phaser.GameObjects.Graphics;
  private overlay!: Phaser.GameObjects.Graphics;
  private nodeHl!: Phaser.GameObjects.Graphics;
  private podLayer!: Phaser.GameObjects.Blitter;
  private fxLayer!: Phaser.GameObjects.Blitter;
  private pendingTitle!: Text;
  private pendingOverflow!: Text;
  private hlLabel!: Text;
  private tooltip!: Text;
  private hlBob!: Bob;
  private drag: PodDrag | null = null;

  private readonly nodes = new Map<string, NodeView>();
  private readonly textQueue = new Map<Text, string>();
  private nodeOrder: string[] = [];
  private nodeSetKey = "";
  private staticDirty = true;
  private barsDirty = true;

  private readonly pods = new Map<string, PodSprite>();
  private readonly podList: PodSprite[] = [];
  private readonly podPool: PodSprite[] = [];
  private readonly groups = new Map<string, PodSprite[]>();
  private readonly deploymentOrder = new Map<string, number>();
  private podSeq = 0;
  private stamp = 0;
  private podHint = { worker: 0, controlPlane: 0, pending: 0 };
  private pendingHidden = 0;

  private readonly dots: Dot[] = [];
  private readonly dotPool: Dot[] = [];
  private readonly markers: Marker[] = [];
  private readonly markerPool: Marker[] = [];
  private readonly queue: Queued[] = [];
  private queueLen = 0;
  private readonly parsed: TrafficItem[] = [];
  private lastModelAt = 0;
  private updateInterval = 200;
  private lastTime = -1;

  /** The latest drop seen per entry node ("lb" included), for the tooltips. */
  private readonly drops = new Map<string, { cause: string; at: number; count: number }>();
  private highlight: { node?: string; pod?: string } = {};
  private nodeHlKey = "";
  private hover: { x: number; y: number; inside: boolean } = { x: 0, y: 0, inside: false };
  private tooltipKey = "";
  private lastFrame = 0;
  private readonly tmp = { x: 0, y: 0 };
  private measureCtx: CanvasRenderingContext2D | null = null;
  private readonly measureCache = new Map<string, number>();

  constructor(host: MapHost) {
    super({ key: "cluster-map" });
    this.host = host;
  }

  // ---------------------------------------------------------------- lifecycle

  create(): void {
    const { width, height } = this.host.size();
    this.cameras.main.setBackgroundColor(UI.bg);
    this.atlas = new Atlas(this.textures, "cc-atlas");
    this.staticTex = this.textures.createCanvas("cc-static", Math.max(1, width), Math.max(1, height))!;
    this.staticImg = this.add.image(0, 0, "cc-static").setOrigin(0, 0).setDepth(DEPTH.static);
    this.bars = this.add.graphics().setDepth(DEPTH.bars);
    this.podLayer = this.add.blitter(0, 0, "cc-atlas").setDepth(DEPTH.pods);
    this.overlay = this.add.graphics().setDepth(DEPTH.overlay);
    this.nodeHl = this.add.graphics().setDepth(DEPTH.nodeHighlight);
    this.fxLayer = this.add.blitter(0, 0, "cc-atlas").setDepth(DEPTH.fx);
    this.pendingTitle = this.label(DEPTH.labels, UI.text, true);
    this.pendingOverflow = this.label(DEPTH.labels, UI.muted, true);
    this.hlLabel = this.label(DEPTH.highlightLabel, UI.ink, true);
    this.hlLabel.setBackgroundColor(OI.yellow);
    this.hlLabel.setVisible(false);
    this.tooltip = this.label(DEPTH.tooltip, UI.text, false);
    this.tooltip.setBackgroundColor("rgba(11,16,22,0.94)");
    this.tooltip.setVisible(false);

    this.atlas.build({ token: 10, dot: 6, marker: 16 });
    this.hlBob = this.fxLayer.create(0, 0, this.atlas.highlight);
    this.hlBob.visible = false;

    if (this.host.podDrag) this.drag = this.newDrag(this.host.podDrag);
    this.input.on("pointerdown", (p: Phaser.Input.Pointer) => this.onPointerDown(p));
    this.input.on("pointermove", (p: Phaser.Input.Pointer) => {
      this.hover.x = p.x;
      this.hover.y = p.y;
      this.hover.inside = true;
      this.drag?.move(p.x, p.y);
      this.refreshTooltip();
    });
    this.input.on("pointerup", (p: Phaser.Input.Pointer) => {
      this.drag?.release(p.x, p.y);
      this.refreshTooltip();
    });
    // Released outside the canvas: no node there, so the drag is cancelled.
    this.input.on("pointerupoutside", () => this.drag?.cancel());
    this.input.on("gameout", () => {
      this.hover.inside = false;
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
    this.relayout(true);
  }

  private label(depth: number, color: string, bold: boolean): Text {
    const t = this.add.text(0, 0, "", { fontFamily: FONT, fontSize: "12px", color, fontStyle: bold ? "bold" : "normal" });
    t.setDepth(depth);
    return t;
  }

  private setFont(t: Text, px: number): void {
    const size = `${px}px`;
    if (t.style.fontSize !== size) t.setFontSize(size);
  }

  private measure = (text: string, px: number, bold = false): number => {
    const key = `${bold ? 1 : 0}|${px}|${text}`;
    let w = this.measureCache.get(key);
    if (w === undefined) {
      if (!this.measureCtx) this.measureCtx = document.createElement("canvas").getContext("2d")!;
      this.measureCtx.font = font(px, bold);
      w = this.measureCtx.measureText(text).width;
      if (this.measureCache.size > 2000) this.measureCache.clear();
      this.measureCache.set(key, w);
    }
    return w;
  };

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
    this.highlight = model.highlight ?? {};

    let relayout = this.syncNodes(Array.isArray(model.nodes) ? model.nodes : []);
    relayout = this.syncPods(Array.isArray(model.pods) ? model.pods : []) || relayout;
    if (relayout) this.relayout(false);
    else this.placePods(false);
    if (this.staticDirty) this.redrawStatic();
    this.updateLabels();

    // Traffic: only when the game clock moved (a paused game sends nothing new).
    const time = typeof model.time === "number" ? model.time : 0;
    if (time !== this.lastTime) this.enqueueTraffic(model.traffic, now);
    this.lastTime = time;
    this.drag?.refresh();
    this.refreshTooltip();
  }

  /** Returns true when the set of nodes changed (a relayout is needed). */
  private syncNodes(list: readonly MapNode[]): boolean {
    const seen = new Set<string>();
    for (const n of list) {
      if (!n || typeof n.name !== "string" || seen.has(n.name)) continue;
      seen.add(n.name);
      let v = this.nodes.get(n.name);
      const sig = `${n.role}|${n.powered}|${n.ready}|${n.unschedulable}|${Object.entries(n.processes ?? {})
        .map(([k, on]) => `${k}=${on ? 1 : 0}`)
        .sort()
        .join(",")}`;
      if (!v) {
        v = { data: n, sig: "", cpu: 0, mem: 0, cpuShown: 0, memShown: 0, cpuText: null, memText: null, overflow: null, downText: null, hiddenPods: 0 };
        this.nodes.set(n.name, v);
      }
      v.data = n;
      if (v.sig !== sig) {
        v.sig = sig;
        this.staticDirty = true;
      }
      v.cpu = ratio(n.cpuRequested, n.cpuAllocatable);
      v.mem = ratio(n.memoryInUse, n.memoryAllocatable);
      if (v.cpu !== v.cpuShown || v.mem !== v.memShown) this.barsDirty = true;
    }
    for (const [name, v] of this.nodes) {
      if (seen.has(name)) continue;
      v.cpuText?.destroy();
      v.memText?.destroy();
      v.overflow?.destroy();
      v.downText?.destroy();
      this.nodes.delete(name);
      this.staticDirty = true;
    }
    const order = [...this.nodes.values()]
      .map((v) => v.data)
      .sort((a, b) => (a.role === b.role ? natural.compare(a.name, b.name) : a.role === "control-plane" ? -1 : 1));
    // Layout depends on names, roles, process names and badges (they may need a row of their own).
    const key = order
      .map((n) => `${n.name}:${n.role}:${Object.keys(n.processes ?? {}).sort().join(",")}:${badgesOf(n).map((b) => b.text).join(",")}`)
      .join("|");
    if (key === this.nodeSetKey) return false;
    this.nodeSetKey = key;
    this.nodeOrder = order.map((n) => n.name);
    return true;
  }

  /** Reconciles pod sprites with the model; returns true when pod capacity needs a relayout. */
  private syncPods(list: readonly MapPod[]): boolean {
    const stamp = ++this.stamp;
    for (const g of this.groups.values()) g.length = 0;
    for (const p of list) {
      if (!p || typeof p.name !== "string") continue;
      let s = this.pods.get(p.name);
      if (!s) {
        s = this.podPool.pop() ?? this.newPodSprite();
        s.name = p.name;
        s.seq = ++this.podSeq;
        s.placed = false;
        s.lifted = false;
        s.alpha = 0;
        s.targetAlpha = 1;
        s.bob.alpha = 0;
        s.phase = "";
        s.ready = false;
        s.index = this.podList.length;
        this.podList.push(s);
        this.pods.set(p.name, s);
      } else if (s.seen === stamp) continue; // duplicate name in the model
      s.seen = stamp;
      s.removing = false;
      const phase = typeof p.phase === "string" ? p.phase : "Unknown";
      const ready = !!p.ready;
      if (phase !== s.phase || ready !== s.ready || !s.bob.visible) {
        s.phase = phase;
        s.ready = ready;
        s.bob.setFrame(this.atlas.pod(phase, ready));
        s.bob.visible = true;
      }
      s.serving = !!p.serving;
      s.reason = typeof p.reason === "string" ? p.reason : "";
      s.deployment = typeof p.deployment === "string" ? p.deployment : "";
      if (!this.deploymentOrder.has(s.deployment)) this.deploymentOrder.set(s.deployment, this.deploymentOrder.size);
      const node = typeof p.node === "string" && this.nodes.has(p.node) ? p.node : "";
      s.node = node;
      let g = this.groups.get(node);
      if (!g) this.groups.set(node, (g = []));
      g.push(s);
    }
    for (const s of this.podList) {
      if (s.seen !== stamp && !s.removing) {
        s.removing = true;
        s.targetAlpha = 0;
      }
    }
    // How much room the busiest node needs; grows at once, shrinks only after a clear drop.
    let worker = 0;
    let cp = 0;
    for (const [node, g] of this.groups) {
      if (!node) continue;
      const role = this.nodes.get(node)?.data.role;
      if (role === "control-plane") cp = Math.max(cp, g.length);
      else worker = Math.max(worker, g.length);
    }
    const pending = this.groups.get("")?.length ?? 0;
    const q = (n: number) => (n === 0 ? 0 : Math.ceil(n / 4) * 4);
    const next = { worker: q(worker), controlPlane: q(cp), pending: q(pending) };
    let changed = false;
    for (const k of ["worker", "controlPlane"] as const) {
      const cur = this.podHint[k];
      if (next[k] > cur || next[k] < cur * 0.6) {
        this.podHint[k] = next[k];
        changed = true;
      }
    }
    this.podHint.pending = next.pending;
    return changed;
  }

  private newPodSprite(): PodSprite {
    const bob = this.podLayer.create(0, 0, this.atlas.pod("Running", false));
    bob.visible = false;
    return {
      name: "",
      bob,
      index: 0,
      x: 0,
      y: 0,
      tx: 0,
      ty: 0,
      alpha: 0,
      targetAlpha: 1,
      phase: "",
      ready: false,
      serving: false,
      node: "",
      deployment: "",
      reason: "",
      seq: 0,
      seen: 0,
      removing: false,
      hidden: false,
      placed: false,
      lifted: false,
    };
  }

  private releasePod(s: PodSprite): void {
    const last = this.podList.pop()!;
    if (last !== s) {
      this.podList[s.index] = last;
      last.index = s.index;
    }
    if (this.pods.get(s.name) === s) this.pods.delete(s.name);
    s.bob.visible = false;
    s.name = "";
    s.lifted = false;
    this.podPool.push(s);
  }

  // ---------------------------------------------------------------- layout

  private relayout(snap: boolean): void {
    const { width, height, dpr } = this.host.size();
    if (width < 2 || height < 2) return;
    const nodes = this.nodeOrder.map((name) => {
      const d = this.nodes.get(name)!.data;
      return {
        name,
        role: d.role === "control-plane" ? ("control-plane" as const) : ("worker" as const),
        processes: orderedProcesses(d.role, Object.keys(d.processes ?? {})),
        badges: badgesOf(d),
      };
    });
    const L = computeLayout({ width, height, dpr, nodes, podHint: this.podHint, measure: this.measure });
    this.L = L;
    this.atlas.build({ token: Math.round(L.token), dot: L.dot, marker: L.marker });
    if (this.staticTex.width !== width || this.staticTex.height !== height) {
      this.staticTex.setSize(width, height);
      this.staticImg.setSizeToFrame();
    }
    this.staticDirty = true;
    this.barsDirty = true;
    this.nodeHlKey = "";

    // Fonts of the live labels follow the layout.
    this.setFont(this.pendingTitle, L.font.title);
    this.setFont(this.pendingOverflow, L.font.chip);
    this.setFont(this.hlLabel, L.font.tooltip);
    this.hlLabel.setPadding(Math.round(4 * L.unit), Math.round(2 * L.unit), Math.round(4 * L.unit), Math.round(2 * L.unit));
    this.setFont(this.tooltip, L.font.tooltip);
    this.tooltip.setPadding(Math.round(7 * L.unit), Math.round(5 * L.unit), Math.round(7 * L.unit), Math.round(5 * L.unit));
    this.pendingTitle.setPosition(L.pending.box.x + L.pad, Math.round(L.pending.headerY)).setOrigin(0, 0.5);
    this.placePods(snap);
    if (this.staticDirty) this.redrawStatic();
    this.updateLabels();
    this.drag?.relayout();
  }

  private redrawStatic(): void {
    const L = this.L;
    if (!L) return;
    const all = new Map<string, MapNode>();
    for (const [name, v] of this.nodes) all.set(name, v.data);
    drawStatic(this.staticTex.context, L, all);
    this.staticTex.refresh();
    this.staticDirty = false;

    // Down nodes are dimmed on top of their pods, with a big label.
    this.overlay.clear();
    for (const b of L.nodes) {
      const v = this.nodes.get(b.name);
      if (!v) continue;
      const down = !v.data.powered;
      if (down) {
        this.overlay.fillStyle(hex(UI.bg), 0.62);
        this.overlay.fillRect(b.x + 1, b.y + 1, b.w - 2, b.h - 2);
        if (!v.downText) {
          v.downText = this.label(DEPTH.overlayText, UI.text, true);
          v.downText.setBackgroundColor("#3a4350");
          v.downText.setOrigin(0.5, 0.5);
        }
        // The longest label that fits the box.
        const padX = Math.round(8 * L.unit);
        const room = b.w - 2 * L.pad - 2 * padX;
        let px = L.font.down;
        let label = "DOWN · powered off";
        if (this.measure(label, px, true) > room) label = "DOWN";
        while (px > 9 && this.measure(label, px, true) > room) px--;
        this.setFont(v.downText, px);
        v.downText.setPadding(padX, Math.round(3 * L.unit), padX, Math.round(3 * L.unit));
        if (v.downText.text !== label) v.downText.setText(label);
        // Centred on the pods area (below any badge row), or on the box when that is too short.
        const below = b.y + b.h - b.pods.y;
        const py = below > px * 1.8 ? b.pods.y + below / 2 : b.y + b.h / 2;
        v.downText.setPosition(Math.round(b.x + b.w / 2), Math.round(py)).setVisible(true);
      } else v.downText?.setVisible(false);
    }
  }

  /** Sorts each node's pods (by deployment, then arrival) and gives each a slot. */
  private placePods(snap: boolean): void {
    const L = this.L;
    if (!L) return;
    const byDeployment = (a: PodSprite, b: PodSprite) => this.deploymentOrder.get(a.deployment)! - this.deploymentOrder.get(b.deployment)! || a.seq - b.seq;
    for (const v of this.nodes.values()) v.hiddenPods = 0;
    this.pendingHidden = 0;
    for (const [node, g] of this.groups) {
      if (g.length === 0) continue;
      const box = node ? L.byName.get(node) : undefined;
      const grid: PodGrid = box ? box.pods : L.pending.pods;
      if (node) g.sort(byDeployment);
      else g.sort((a, b) => a.seq - b.seq);
      for (let i = 0; i < g.length; i++) {
        const s = g[i];
        if (i < grid.capacity) {
          slotCenter(grid, L.pitch, i, this.tmp);
          s.tx = this.tmp.x;
          s.ty = this.tmp.y;
          s.hidden = false;
          s.targetAlpha = s.lifted ? LIFTED_ALPHA : 1;
        } else {
          // No room: tuck it behind the last slot, invisible, and count it.
          slotCenter(grid, L.pitch, Math.max(0, grid.capacity - 1), this.tmp);
          s.tx = this.tmp.x;
          s.ty = this.tmp.y;
          s.hidden = true;
          s.targetAlpha = 0;
          if (box) this.nodes.get(node)!.hiddenPods++;
          else this.pendingHidden++;
        }
        if (!s.placed || snap) {
          s.x = s.tx;
          s.y = s.ty;
          s.placed = true;
        }
      }
    }
  }

  /** Live labels: bar numbers, the Pending count, "+N more". Text is re-rendered only when it changes. */
  private updateLabels(): void {
    const L = this.L;
    if (!L) return;
    const pendingCount = this.groups.get("")?.length ?? 0;
    const title = `Pending · ${pendingCount}`;
    if (this.pendingTitle.text !== title) this.pendingTitle.setText(title);
    if (this.pendingHidden > 0) {
      const t = `+${this.pendingHidden} more`;
      if (this.pendingOverflow.text !== t) this.pendingOverflow.setText(t);
      const pb = L.pending.box;
      this.pendingOverflow.setOrigin(1, 0.5).setPosition(pb.x + pb.w - L.pad, Math.round(L.pending.headerY)).setVisible(true);
    } else this.pendingOverflow.setVisible(false);

    for (const b of L.nodes) {
      const v = this.nodes.get(b.name);
      if (!v) continue;
      const n = v.data;
      if (b.bars && b.bars.labelled) {
        if (!v.cpuText) v.cpuText = this.barLabel();
        if (!v.memText) v.memText = this.barLabel();
        this.setFont(v.cpuText, L.font.bar);
        this.setFont(v.memText, L.font.bar);
        const cpuT = `CPU ${cores(n.cpuRequested)}/${cores(n.cpuAllocatable)}`;
        const memT = `MEM ${gib(n.memoryInUse)}/${gib(n.memoryAllocatable)} Gi`;
        this.setTextSoon(v.cpuText, cpuT);
        this.setTextSoon(v.memText, memT);
        const lx = Math.round(4 * L.unit);
        v.cpuText.setPosition(b.bars.cpu.x + lx, Math.round(b.bars.cpu.y + b.bars.cpu.h / 2)).setVisible(true);
        v.memText.setPosition(b.bars.mem.x + lx, Math.round(b.bars.mem.y + b.bars.mem.h / 2)).setVisible(true);
      } else {
        v.cpuText?.setVisible(false);
        v.memText?.setVisible(false);
      }
      if (v.hiddenPods > 0) {
        if (!v.overflow) {
          v.overflow = this.label(DEPTH.overlay, UI.text, true);
          v.overflow.setOrigin(1, 1);
          v.overflow.setBackgroundColor("rgba(24,32,42,0.9)");
        }
        this.setFont(v.overflow, L.font.chip);
        const t = `+${v.hiddenPods} more`;
        if (v.overflow.text !== t) v.overflow.setText(t);
        v.overflow.setPosition(b.x + b.w - Math.round(L.pad / 2), b.y + b.h - Math.round(L.pad / 2)).setVisible(true);
      } else v.overflow?.setVisible(false);
    }
  }

  /**
   * Numbers that change every update (memory in use…) are re-rendered a few per frame rather than
   * all in the frame of the update, which keeps that frame from spiking.
   */
  private setTextSoon(t: Text, s: string): void {
    if (t.text === "") {
      t.setText(s);
      this.textQueue.delete(t);
    } else if (t.text !== s || this.textQueue.has(t)) this.textQueue.set(t, s);
  }

  private flushTexts(max: number): void {
    let n = 0;
    for (const [t, s] of this.textQueue) {
      this.textQueue.delete(t);
      if (t.active && t.text !== s) {
        t.setText(s);
        if (++n >= max) break;
      }
    }
  }

  private barLabel(): Text {
    const t = this.label(DEPTH.labels, UI.text, true);
    t.setOrigin(0, 0.5);
    t.setStroke(UI.ink, 3);
    return t;
  }

  // ---------------------------------------------------------------- traffic

  private queued(): Queued {
    let q = this.queue[this.queueLen];
    if (!q) this.queue.push((q = { at: 0, kind: TrafficKind.Send, a: "", b: "", outcome: 0 }));
    this.queueLen++;
    return q;
  }

  private enqueueTraffic(traffic: unknown, now: number): void {
    // Whatever is left of the previous batch goes out now.
    this.flushQueue(Infinity);
    const items = parseTraffic(traffic, this.parsed);
    if (items.length === 0) return;
    const spread = Math.max(40, Math.min(400, this.updateInterval)) * 0.9;
    // Pair outcomes with a request sent to the same pod in this batch: that dot changes colour on arrival.
    const sendsTo = new Map<string, Queued[]>();
    for (const it of items) {
      if (it.kind === TrafficKind.Send) {
        if (!this.nodes.has(it.a) || !this.pods.has(it.b)) continue;
        const q = this.queued();
        q.at = now + Math.random() * spread;
        q.kind = it.kind;
        q.a = it.a;
        q.b = it.b;
        q.outcome = 0;
        let arr = sendsTo.get(it.b);
        if (!arr) sendsTo.set(it.b, (arr = []));
        arr.push(q);
      }
    }
    for (const it of items) {
      if (it.kind === TrafficKind.Send) continue;
      if (it.kind === TrafficKind.Dropped) {
        if (it.a !== "lb" && !this.nodes.has(it.a)) continue;
        const d = this.drops.get(it.a);
        const cause = it.b || "unknown";
        if (d && now - d.at < 3000) {
          d.count++;
          d.cause = cause;
          d.at = now;
        } else this.drops.set(it.a, { cause, at: now, count: 1 });
      } else {
        if (!this.pods.has(it.a)) continue;
        const arr = sendsTo.get(it.a);
        const mate = arr?.pop();
        if (mate) {
          mate.outcome = it.kind === TrafficKind.Served ? 1 : 2;
          continue;
        }
      }
      const q = this.queued();
      q.at = now + Math.random() * spread;
      q.kind = it.kind;
      q.a = it.a;
      q.b = it.b;
      q.outcome = 0;
    }
  }

  /** Starts every queued item due by `now`, keeping the rest in order. */
  private flushQueue(now: number): void {
    let w = 0;
    for (let i = 0; i < this.queueLen; i++) {
      const q = this.queue[i];
      if (q.at <= now) this.start(q, Math.min(now, performance.now()));
      else {
        if (w !== i) {
          // swap the record objects so none is lost
          const tmp = this.queue[w];
          this.queue[w] = q;
          this.queue[i] = tmp;
        }
        w++;
      }
    }
    this.queueLen = w;
  }

  private start(q: Queued, now: number): void {
    const L = this.L;
    if (!L) return;
    if (q.kind === TrafficKind.Send) {
      const box = L.byName.get(q.a);
      const s = this.pods.get(q.b);
      if (!box || !s || s.removing || s.hidden || this.dots.length >= MAX_DOTS) return;
      const d = this.dotPool.pop() ?? this.newDot();
      d.x0 = box.entry.x + (Math.random() - 0.5) * box.w * 0.5;
      d.y0 = box.entry.y;
      d.x1 = s.tx;
      d.y1 = s.ty;
      const mx = (d.x0 + d.x1) / 2;
      const my = (d.y0 + d.y1) / 2;
      const dx = d.x1 - d.x0;
      const dy = d.y1 - d.y0;
      const bend = (Math.random() < 0.5 ? -1 : 1) * (0.12 + Math.random() * 0.1);
      d.cx = mx - dy * bend;
      d.cy = my + dx * bend;
      d.t0 = now;
      d.outcome = q.outcome;
      d.arrived = false;
      d.bob.setFrame(this.atlas.dots[0]);
      d.bob.alpha = 1;
      d.bob.visible = true;
      this.placeBob(d.bob, d.x0, d.y0);
      this.dots.push(d);
    } else if (q.kind === TrafficKind.Dropped) {
      let x: number;
      let y: number;
      if (q.a === "lb") {
        // Beside the load balancer pill (not over its label).
        const side = Math.random() < 0.5 ? -1 : 1;
        const off = L.marker * (0.6 + Math.random() * 1.6);
        x = side < 0 ? L.lb.x - off : L.lb.x + L.lb.w + off;
        y = L.lb.y + L.lb.h / 2;
      } else {
        const box = L.byName.get(q.a);
        if (!box) return;
        // Along the node's top edge, where requests come in (the name stays readable).
        x = box.x + box.w * (0.1 + Math.random() * 0.8);
        y = box.y + (Math.random() - 0.35) * L.marker * 0.5;
      }
      this.addMarker(2, x, y, now);
    } else {
      const s = this.pods.get(q.a);
      if (!s || s.removing || s.hidden) return;
      this.addMarker(q.kind === TrafficKind.Served ? 0 : 1, s.x, s.y, now);
    }
  }

  private newDot(): Dot {
    const bob = this.fxLayer.create(0, 0, this.atlas.dots[0]);
    return { bob, x0: 0, y0: 0, cx: 0, cy: 0, x1: 0, y1: 0, t0: 0, outcome: 0, arrived: false };
  }

  private addMarker(kind: number, x: number, y: number, now: number): void {
    if (this.markers.length >= MAX_MARKERS) return;
    let m = this.markerPool.pop();
    if (!m) m = { bob: this.fxLayer.create(0, 0, this.atlas.markers[kind][0]), x: 0, y: 0, t0: 0, dur: 0, kind: 0 };
    m.kind = kind;
    m.x = x;
    m.y = y;
    m.t0 = now;
    m.dur = MARKER_MS[kind];
    m.bob.setFrame(this.atlas.markers[kind][0]);
    m.bob.alpha = 1;
    m.bob.visible = true;
    this.placeBob(m.bob, x, y);
    this.markers.push(m);
  }

  private placeBob(b: Bob, x: number, y: number): void {
    const f = frameOf(b);
    b.x = x - f.halfWidth;
    b.y = y - f.halfHeight;
  }

  // ---------------------------------------------------------------- per frame

  override update(): void {
    const now = performance.now();
    if (this.lastFrame > 0) this.host.frame(now - this.lastFrame);
    this.lastFrame = now;
    if (!this.L) return;
    const dt = Math.min(100, this.game.loop.delta || 16.7);

    if (this.queueLen > 0) this.flushQueue(now);
    if (this.textQueue.size > 0) this.flushTexts(6);
    this.stepPods(dt);
    if (this.barsDirty) this.stepBars(dt);
    this.stepDots(now);
    this.stepMarkers(now);
    this.stepHighlight(now);
    this.drag?.step(dt);
  }

  private stepPods(dt: number): void {
    const k = 1 - Math.exp(-dt / 110); // position easing
    const ka = dt / 220; // fade speed
    for (let i = this.podList.length - 1; i >= 0; i--) {
      const s = this.podList[i];
      const dx = s.tx - s.x;
      const dy = s.ty - s.y;
      if (dx * dx + dy * dy > 0.04) {
        s.x += dx * k;
        s.y += dy * k;
      } else {
        s.x = s.tx;
        s.y = s.ty;
      }
      if (s.alpha !== s.targetAlpha) {
        s.alpha = s.alpha < s.targetAlpha ? Math.min(s.targetAlpha, s.alpha + ka) : Math.max(s.targetAlpha, s.alpha - ka);
        s.bob.alpha = s.alpha;
      }
      if (s.removing && s.alpha <= 0) {
        this.releasePod(s);
        continue;
      }
      this.placeBob(s.bob, s.x, s.y);
    }
  }

  private stepBars(dt: number): void {
    const L = this.L!;
    const k = 1 - Math.exp(-dt / 180);
    const g = this.bars;
    g.clear();
    let moving = false;
    for (const b of L.nodes) {
      if (!b.bars) continue;
      const v = this.nodes.get(b.name);
      if (!v) continue;
      v.cpuShown += (v.cpu - v.cpuShown) * k;
      v.memShown += (v.mem - v.memShown) * k;
      if (Math.abs(v.cpu - v.cpuShown) < 0.002) v.cpuShown = v.cpu;
      else moving = true;
      if (Math.abs(v.mem - v.memShown) < 0.002) v.memShown = v.mem;
      else moving = true;
      this.fillBar(b.bars.cpu, v.cpuShown, OI.sky);
      this.fillBar(b.bars.mem, v.memShown, OI.purple);
    }
    this.barsDirty = moving;
  }

  private fillBar(r: { x: number; y: number; w: number; h: number }, value: number, base: string): void {
    const color = value > 1 ? OI.vermillion : value >= 0.9 ? OI.orange : base;
    const inset = r.h > 8 ? 2 : 1;
    const w = Math.round((r.w - 2 * inset) * Math.min(1, value));
    if (w <= 0) return;
    this.bars.fillStyle(hex(color), r.h > 8 ? 0.55 : 0.9);
    this.bars.fillRect(r.x + inset, r.y + inset, w, r.h - 2 * inset);
  }

  private stepDots(now: number): void {
    const dots = this.dots;
    for (let i = dots.length - 1; i >= 0; i--) {
      const d = dots[i];
      const t = (now - d.t0) / TRAVEL_MS;
      if (t < 1) {
        const u = 1 - t;
        const x = u * u * d.x0 + 2 * u * t * d.cx + t * t * d.x1;
        const y = u * u * d.y0 + 2 * u * t * d.cy + t * t * d.y1;
        this.placeBob(d.bob, x, y);
        continue;
      }
      if (!d.arrived) {
        d.arrived = true;
        this.placeBob(d.bob, d.x1, d.y1);
        if (d.outcome) {
          d.bob.setFrame(this.atlas.dots[d.outcome === 1 ? 1 : 2]);
          this.addMarker(d.outcome === 1 ? 0 : 1, d.x1, d.y1, now);
        }
      }
      const a = 1 - (now - d.t0 - TRAVEL_MS) / DOT_FADE_MS;
      if (a > 0) {
        d.bob.alpha = a;
        continue;
      }
      d.bob.visible = false;
      this.dotPool.push(swapRemove(dots, i));
    }
  }

  private stepMarkers(now: number): void {
    const ms = this.markers;
    for (let i = ms.length - 1; i >= 0; i--) {
      const m = ms[i];
      const p = (now - m.t0) / m.dur;
      if (p < 1) {
        const f = Math.min(MARKER_FRAMES - 1, Math.floor(p * MARKER_FRAMES));
        const frame = this.atlas.markers[m.kind][f];
        if (frameOf(m.bob) !== frame) {
          m.bob.setFrame(frame);
          this.placeBob(m.bob, m.x, m.y);
        }
        m.bob.alpha = p < 0.55 ? 1 : Math.max(0.001, (1 - p) / 0.45);
        continue;
      }
      m.bob.visible = false;
      this.markerPool.push(swapRemove(ms, i));
    }
  }

  private stepHighlight(now: number): void {
    const L = this.L!;
    const pulse = 0.8 + 0.2 * Math.sin(now / 160);
    // Pod.
    const s = this.highlight.pod ? this.pods.get(this.highlight.pod) : undefined;
    if (s && !s.removing) {
      this.hlBob.visible = true;
      this.hlBob.alpha = pulse;
      this.placeBob(this.hlBob, s.x, s.y);
      if (this.hlLabel.text !== s.name) this.hlLabel.setText(s.name);
      // Above the pod, kept inside the canvas.
      const w = this.hlLabel.width;
      const h = this.hlLabel.height;
      const x = Math.round(Math.max(2, Math.min(L.width - w - 2, s.x - w / 2)));
      let y = Math.round(s.y - L.token * 1.3 - h);
      if (y < 2) y = Math.round(s.y + L.token * 1.3);
      this.hlLabel.setPosition(x, y).setVisible(true);
    } else {
      this.hlBob.visible = false;
      this.hlLabel.setVisible(false);
    }
    // Node.
    const box = this.highlight.node ? L.byName.get(this.highlight.node) : undefined;
    const key = box ? `${box.name}|${box.x}|${box.y}|${box.w}|${box.h}` : "";
    if (key !== this.nodeHlKey) {
      this.nodeHlKey = key;
      this.nodeHl.clear();
      if (box) {
        const lw = Math.max(3, Math.round(3 * L.unit));
        this.nodeHl.lineStyle(lw, hex(OI.yellow), 1);
        this.nodeHl.strokeRoundedRect(box.x - lw / 2 - 1, box.y - lw / 2 - 1, box.w + lw + 2, box.h + lw + 2, L.radius + lw / 2);
      }
    }
    if (box) this.nodeHl.setAlpha(pulse);
  }

  // ---------------------------------------------------------------- input

  private podAt(x: number, y: number): PodSprite | undefined {
    const L = this.L;
    if (!L) return undefined;
    const r = Math.max(L.pitch * 0.6, 9 * L.unit);
    let best: PodSprite | undefined;
    let bestD = r * r;
    for (const s of this.podList) {
      if (s.removing || s.hidden) continue;
      const dx = s.x - x;
      const dy = s.y - y;
      const d = dx * dx + dy * dy;
      if (d <= bestD) {
        bestD = d;
        best = s;
      }
    }
    return best;
  }

  private nodeAt(x: number, y: number): NodeBox | undefined {
    for (const b of this.L?.nodes ?? []) if (x >= b.x && x <= b.x + b.w && y >= b.y && y <= b.y + b.h) return b;
    return undefined;
  }

  private onPointerDown(p: Phaser.Input.Pointer): void {
    if (p.button !== 0) return;
    const pod = this.podAt(p.x, p.y);
    if (pod) {
      this.host.onPodClick?.(pod.name);
      this.drag?.press(pod.name, p.x, p.y);
      return;
    }
    const node = this.nodeAt(p.x, p.y);
    if (node) this.host.onNodeClick?.(node.name);
  }

  private refreshTooltip(): void {
    const L = this.L;
    if (this.drag?.dragging) {
      // The drag shows its own hint.
      if (this.tooltip.visible) this.tooltip.setVisible(false);
      this.tooltipKey = "";
      this.setCursor("grabbing");
      return;
    }
    if (!L || !this.hover.inside) {
      if (this.tooltip.visible) this.tooltip.setVisible(false);
      this.setCursor("default");
      this.tooltipKey = "";
      return;
    }
    const { x, y } = this.hover;
    const pod = this.podAt(x, y);
    let text = "";
    let cursor = "pointer";
    if (pod) {
      const parts = [pod.phase, pod.ready ? "ready" : "not ready"];
      if (pod.serving) parts.push("serving");
      text = `${pod.name}\n${parts.join(" · ")}${pod.reason ? `\n${pod.reason}` : ""}${pod.node ? `\non ${pod.node}` : ""}`;
      if (this.drag?.canPickUp(x, y)) {
        text += "\ndrag it onto a node to bind it";
        cursor = "grab";
      }
    } else {
      const b = this.nodeAt(x, y);
      const v = b && this.nodes.get(b.name);
      if (b && v) {
        const n = v.data;
        const state = [!n.powered ? "down" : n.ready === "True" ? "Ready" : `NotReady (${n.ready})`];
        if (n.unschedulable) state.push("cordoned");
        const stopped = Object.entries(n.processes ?? {})
          .filter(([, on]) => !on)
          .map(([k]) => k);
        const lines = [`${n.name} (${n.role})`, state.join(" · "), `CPU ${cores(n.cpuRequested)}/${cores(n.cpuAllocatable)} cores requested`, `memory ${gib(n.memoryInUse)}/${gib(n.memoryAllocatable)} GiB in use`];
        if (stopped.length) lines.push(`stopped: ${stopped.join(", ")}`);
        const drop = this.recentDrop(n.name);
        if (drop) lines.push(drop);
        text = lines.join("\n");
      } else if (x >= L.lb.x - L.marker * 2 && x <= L.lb.x + L.lb.w + L.marker * 2 && y <= L.lb.y + L.lb.h + 2) {
        text = ["load balancer", this.recentDrop("lb") ?? "no recent drops"].join("\n");
      }
    }
    this.setCursor(text ? cursor : "default");
    if (!text) {
      if (this.tooltip.visible) this.tooltip.setVisible(false);
      this.tooltipKey = "";
      return;
    }
    if (text !== this.tooltipKey) {
      this.tooltipKey = text;
      this.tooltip.setText(text);
    }
    const off = Math.round(14 * L.unit);
    const w = this.tooltip.width;
    const h = this.tooltip.height;
    let tx = x + off;
    let ty = y + off;
    if (tx + w > L.width - 2) tx = x - off - w;
    if (ty + h > L.height - 2) ty = y - off - h;
    this.tooltip.setPosition(Math.round(Math.max(2, tx)), Math.round(Math.max(2, ty))).setVisible(true);
  }

  private recentDrop(entry: string): string | null {
    const d = this.drops.get(entry);
    if (!d || performance.now() - d.at > 3000) return null;
    return `dropping requests: ${d.cause}`;
  }

  private cursor = "default";
  private setCursor(cursor: string): void {
    if (cursor === this.cursor) return;
    this.cursor = cursor;
    this.input.setDefaultCursor(cursor);
  }

  // ---------------------------------------------------------------- drag and inspection

  private newDrag(host: PodDragHost): PodDrag {
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
          const s = this.pods.get(name);
          return s && !s.removing ? { x: s.x, y: s.y, frame: frameOf(s.bob), pending: s.node === "" && s.phase === "Pending" } : undefined;
        },
        lift: (name, lifted) => {
          const s = this.pods.get(name);
          if (!s || s.removing) return;
          s.lifted = lifted;
          if (!s.hidden) s.targetAlpha = lifted ? LIFTED_ALPHA : 1;
        },
        fxBob: (frame) => this.fxLayer.create(0, 0, frame),
        placeBob: (b, x, y) => this.placeBob(b, x, y),
        label: (depth, color, bold) => this.label(depth, color, bold),
        setFont: (t, px) => this.setFont(t, px),
        measure: this.measure,
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
  locate(name: string): { x: number; y: number; w: number; h: number } | undefined {
    const s = this.pods.get(name);
    if (s && !s.removing && !s.hidden && this.L) return { x: s.x - this.L.token / 2, y: s.y - this.L.token / 2, w: this.L.token, h: this.L.token };
    const b = this.L?.byName.get(name);
    return b ? { x: b.x, y: b.y, w: b.w, h: b.h } : undefined;
  }
}
