/**
 * The nodes of the map: what each one looks like now, the still picture of them (boxes, names,
 * badges, process chips, bar tracks, legend: one canvas texture, redrawn only when a node changes
 * state), the CPU and memory bars easing to their values, the grey-out of a node that is down,
 * and the few live labels — bar numbers, the Pending count, "+N more".
 */
import type Phaser from "phaser";
import type { MapNode } from "./ClusterMap.ts";
import type { Layout, LayoutNode, Rect } from "./layout.ts";
import { orderedProcesses } from "./layoutChips.ts";
import { OI, UI, hex } from "./palette.ts";
import { cores, DEPTH, gib, ratio, type Labels, type Text } from "./sceneKit.ts";
import { badgesOf, drawStatic } from "./staticLayer.ts";

interface NodeView {
  data: MapNode;
  /** What the still picture shows of it; a change redraws that picture. */
  sig: string;
  cpu: number;
  mem: number;
  cpuShown: number;
  memShown: number;
  cpuText: Text | null;
  memText: Text | null;
  overflow: Text | null;
  downText: Text | null;
}

const natural = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

/** The plate under a bar's numbers (the map's ink, mostly opaque). */
const BAR_LABEL_PLATE = "rgba(11,16,22,0.82)";

export class NodeLayer {
  private readonly views = new Map<string, NodeView>();
  private order: string[] = [];
  private setKey = "";
  private staticDirty = true;
  private barsDirty = true;
  private readonly staticTex: Phaser.Textures.CanvasTexture;
  private readonly staticImg: Phaser.GameObjects.Image;
  private readonly bars: Phaser.GameObjects.Graphics;
  private readonly overlay: Phaser.GameObjects.Graphics;
  private readonly pendingTitle: Text;
  private readonly pendingOverflow: Text;
  private readonly textQueue = new Map<Text, string>();

  constructor(
    scene: Phaser.Scene,
    private readonly labels: Labels,
    size: { width: number; height: number },
  ) {
    this.staticTex = scene.textures.createCanvas("cc-static", Math.max(1, size.width), Math.max(1, size.height))!;
    this.staticImg = scene.add.image(0, 0, "cc-static").setOrigin(0, 0).setDepth(DEPTH.static);
    this.bars = scene.add.graphics().setDepth(DEPTH.bars);
    this.overlay = scene.add.graphics().setDepth(DEPTH.overlay);
    this.pendingTitle = labels.create(DEPTH.labels, UI.text, true);
    this.pendingOverflow = labels.create(DEPTH.labels, UI.muted, true);
  }

  /** A node's latest state. */
  get(name: string): MapNode | undefined {
    return this.views.get(name)?.data;
  }

  /** A known node's role, undefined for a node the map does not know. */
  readonly roleOf = (name: string): string | undefined => this.views.get(name)?.data.role;

  /** Takes the model's nodes; returns true when the set of nodes changed (a relayout is needed). */
  sync(list: readonly MapNode[]): boolean {
    const seen = new Set<string>();
    for (const n of list) {
      if (!n || typeof n.name !== "string" || seen.has(n.name)) continue;
      seen.add(n.name);
      let v = this.views.get(n.name);
      const sig = `${n.role}|${n.powered}|${n.ready}|${n.unschedulable}|${n.joined}|${n.installing ?? ""}|${Object.entries(n.processes ?? {})
        .map(([k, on]) => `${k}=${on ? 1 : 0}`)
        .sort()
        .join(",")}`;
      if (!v) {
        v = { data: n, sig: "", cpu: 0, mem: 0, cpuShown: 0, memShown: 0, cpuText: null, memText: null, overflow: null, downText: null };
        this.views.set(n.name, v);
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
    for (const [name, v] of this.views) {
      if (seen.has(name)) continue;
      v.cpuText?.destroy();
      v.memText?.destroy();
      v.overflow?.destroy();
      v.downText?.destroy();
      this.views.delete(name);
      this.staticDirty = true;
    }
    const order = [...this.views.values()]
      .map((v) => v.data)
      .sort((a, b) => (a.role === b.role ? natural.compare(a.name, b.name) : a.role === "control-plane" ? -1 : 1));
    // Layout depends on names, roles, process names and badges (they may need a row of their own).
    const key = order
      .map(
        (n) =>
          `${n.name}:${n.role}:${Object.keys(n.processes ?? {})
            .sort()
            .join(",")}:${badgesOf(n)
            .map((b) => b.text)
            .join(",")}`,
      )
      .join("|");
    if (key === this.setKey) return false;
    this.setKey = key;
    this.order = order.map((n) => n.name);
    return true;
  }

  /** The nodes as the layout wants them, control plane first, in natural name order. */
  layoutNodes(): LayoutNode[] {
    return this.order.map((name) => {
      const d = this.views.get(name)!.data;
      return {
        name,
        role: d.role === "control-plane" ? ("control-plane" as const) : ("worker" as const),
        processes: orderedProcesses(d.role, Object.keys(d.processes ?? {})),
        badges: badgesOf(d),
      };
    });
  }

  /** A new layout: the still picture is redrawn at its size and the live labels follow it. */
  relayout(L: Layout): void {
    if (this.staticTex.width !== L.width || this.staticTex.height !== L.height) {
      this.staticTex.setSize(L.width, L.height);
      this.staticImg.setSizeToFrame();
    }
    this.staticDirty = true;
    this.barsDirty = true;
    this.labels.setFont(this.pendingTitle, L.font.title);
    this.labels.setFont(this.pendingOverflow, L.font.chip);
    this.pendingTitle.setPosition(L.pending.box.x + L.pad, Math.round(L.pending.headerY)).setOrigin(0, 0.5);
  }

  /** Redraws the still picture and the down-node overlay, if a node changed since the last time. */
  redrawIfDirty(L: Layout): void {
    if (!this.staticDirty) return;
    const all = new Map<string, MapNode>();
    for (const [name, v] of this.views) all.set(name, v.data);
    drawStatic(this.staticTex.context, L, all);
    this.staticTex.refresh();
    this.staticDirty = false;

    // Down nodes are dimmed on top of their pods, with a big label.
    this.overlay.clear();
    for (const b of L.nodes) {
      const v = this.views.get(b.name);
      if (!v) continue;
      if (v.data.powered) {
        v.downText?.setVisible(false);
        continue;
      }
      this.overlay.fillStyle(hex(UI.bg), 0.62);
      this.overlay.fillRect(b.x + 1, b.y + 1, b.w - 2, b.h - 2);
      if (!v.downText) {
        v.downText = this.labels.create(DEPTH.overlayText, UI.text, true);
        v.downText.setBackgroundColor("#3a4350");
        v.downText.setOrigin(0.5, 0.5);
      }
      // The longest label that fits the box.
      const padX = Math.round(8 * L.unit);
      const room = b.w - 2 * L.pad - 2 * padX;
      let px = L.font.down;
      let label = "DOWN · powered off";
      if (this.labels.measure(label, px, true) > room) label = "DOWN";
      while (px > 9 && this.labels.measure(label, px, true) > room) px--;
      this.labels.setFont(v.downText, px);
      v.downText.setPadding(padX, Math.round(3 * L.unit), padX, Math.round(3 * L.unit));
      if (v.downText.text !== label) v.downText.setText(label);
      // Centred on the pods area (below any badge row), or on the box when that is too short.
      const below = b.y + b.h - b.pods.y;
      const py = below > px * 1.8 ? b.pods.y + below / 2 : b.y + b.h / 2;
      v.downText.setPosition(Math.round(b.x + b.w / 2), Math.round(py)).setVisible(true);
    }
  }

  /** Per frame while a bar is still easing to its value. */
  stepBars(dt: number, L: Layout): void {
    if (!this.barsDirty) return;
    const k = 1 - Math.exp(-dt / 180);
    this.bars.clear();
    let moving = false;
    for (const b of L.nodes) {
      if (!b.bars) continue;
      const v = this.views.get(b.name);
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

  private fillBar(r: Rect, value: number, base: string): void {
    const color = value > 1 ? OI.vermillion : value >= 0.9 ? OI.orange : base;
    const inset = r.h > 8 ? 2 : 1;
    const w = Math.round((r.w - 2 * inset) * Math.min(1, value));
    if (w <= 0) return;
    this.bars.fillStyle(hex(color), r.h > 8 ? 0.55 : 0.9);
    this.bars.fillRect(r.x + inset, r.y + inset, w, r.h - 2 * inset);
  }

  /**
   * Live labels: bar numbers, the Pending count and "+N more" (`hidden`: pods without a slot per
   * node, "" the queue). Text is re-rendered only when it changes.
   */
  updateLabels(L: Layout, pendingCount: number, hidden: ReadonlyMap<string, number>): void {
    const title = `Pending · ${pendingCount}`;
    if (this.pendingTitle.text !== title) this.pendingTitle.setText(title);
    const pendingHidden = hidden.get("") ?? 0;
    if (pendingHidden > 0) {
      const t = `+${pendingHidden} more`;
      if (this.pendingOverflow.text !== t) this.pendingOverflow.setText(t);
      const pb = L.pending.box;
      this.pendingOverflow
        .setOrigin(1, 0.5)
        .setPosition(pb.x + pb.w - L.pad, Math.round(L.pending.headerY))
        .setVisible(true);
    } else this.pendingOverflow.setVisible(false);

    for (const b of L.nodes) {
      const v = this.views.get(b.name);
      if (!v) continue;
      const n = v.data;
      if (b.bars?.labelled) {
        if (!v.cpuText) v.cpuText = this.barLabel();
        if (!v.memText) v.memText = this.barLabel();
        this.labels.setFont(v.cpuText, L.font.bar);
        this.labels.setFont(v.memText, L.font.bar);
        this.setTextSoon(v.cpuText, `CPU ${cores(n.cpuRequested)}/${cores(n.cpuAllocatable)}`);
        this.setTextSoon(v.memText, `MEM ${gib(n.memoryInUse)}/${gib(n.memoryAllocatable)} Gi`);
        // At the bar's right end: a low fill shows whole on the left; a full bar's number still reads on its plate.
        const lx = Math.round(3 * L.unit);
        v.cpuText.setPosition(b.bars.cpu.x + b.bars.cpu.w - lx, Math.round(b.bars.cpu.y + b.bars.cpu.h / 2)).setVisible(true);
        v.memText.setPosition(b.bars.mem.x + b.bars.mem.w - lx, Math.round(b.bars.mem.y + b.bars.mem.h / 2)).setVisible(true);
      } else {
        v.cpuText?.setVisible(false);
        v.memText?.setVisible(false);
      }
      const more = hidden.get(b.name) ?? 0;
      if (more > 0) {
        if (!v.overflow) {
          v.overflow = this.labels.create(DEPTH.overlay, UI.text, true);
          v.overflow.setOrigin(1, 1);
          v.overflow.setBackgroundColor("rgba(24,32,42,0.9)");
        }
        this.labels.setFont(v.overflow, L.font.chip);
        // No room for a single glyph: the box just says how many pods it runs.
        const t = b.pods.capacity === 0 ? `${more} pods` : `+${more} more`;
        if (v.overflow.text !== t) v.overflow.setText(t);
        v.overflow.setPosition(b.x + b.w - Math.round(L.pad / 2), b.y + b.h - Math.round(L.pad / 2)).setVisible(true);
      } else v.overflow?.setVisible(false);
    }
  }

  /** Re-renders up to `max` queued label texts (a few per frame). */
  flushTexts(max: number): void {
    if (this.textQueue.size === 0) return;
    let n = 0;
    for (const [t, s] of this.textQueue) {
      this.textQueue.delete(t);
      if (t.active && t.text !== s) {
        t.setText(s);
        if (++n >= max) break;
      }
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

  private barLabel(): Text {
    const t = this.labels.create(DEPTH.barLabels, UI.text, true);
    t.setOrigin(1, 0.5);
    // A dark plate under the numbers: the fill behind them and the dots flying past never blur them.
    t.setBackgroundColor(BAR_LABEL_PLATE);
    t.setPadding(3, 0, 3, 0);
    return t;
  }
}
