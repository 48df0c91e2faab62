/**
 * The cluster map: control-plane nodes in a row at the top, workers in a grid below, pods as
 * glyphs inside their node (Pending ones in a queue top-left), and requests as dots flying from
 * their entry node to a pod. A Phaser canvas that fills its parent element and follows its size
 * (at the screen's device pixel ratio). `update()` takes the latest state ~5 times a second; the
 * map animates smoothly in between. Pods and nodes can be clicked, and pending pods dragged onto
 * nodes (the scheduler's bind) when the page provides `podDrag`.
 */
import Phaser from "phaser";
import { MapScene } from "./MapScene.ts";
import type { DragSnapshot, PodDragHost } from "./podDrag.ts";
import { UI } from "./palette.ts";
import { ZOOM_STEP } from "./mapView.ts";

export interface MapNode {
  name: string;
  role: "control-plane" | "worker";
  /** "True" | "False" | "Unknown" */
  ready: string;
  /** Why the Ready condition is what it is (NodeStatusUnknown when the node controller marked it). */
  readyReason?: string;
  /** Milliseconds since the node's last heartbeat (its lease), as the API server knows it. */
  leaseAgeMs?: number;
  /**
   * The viewer receives the machine's truth (power, processes, memory in use); false: those are
   * what the API server's objects imply (up, every process running, memory requested). @default true
   */
  observed?: boolean;
  powered: boolean;
  /**
   * worker: container-runtime, kubelet, kube-proxy; control-plane: api-server, scheduler,
   * controller-manager, etcd. On a bare server (joined false) a process missing here is not installed.
   */
  processes: Record<string, boolean>;
  /** False for a bare server that is not in the cluster yet. @default true */
  joined?: boolean;
  /** The process being installed on a bare server, when the viewer sees it ("" or absent: none). */
  installing?: string;
  cpuAllocatable: number;
  cpuRequested: number;
  memoryAllocatable: number;
  memoryInUse: number;
  unschedulable: boolean;
}

export interface MapPod {
  name: string;
  deployment: string;
  /** "" when Pending */
  node: string;
  /** Pending | Scheduled | ContainerCreating | Running | Failed | Terminating | Succeeded */
  phase: string;
  ready: boolean;
  /** The container really serves; undefined when the viewer may not see that. */
  serving?: boolean;
  reason: string;
}

export interface MapModel {
  /** game ms */
  time: number;
  nodes: MapNode[];
  pods: MapPod[];
  /** Requests sampled since the previous update: "entry>pod", "pod!s", "pod!t", "entry!d:cause", ';'-separated. */
  traffic: string;
  highlight?: { node?: string; pod?: string };
}

const FRAME_SAMPLES = 300;
/**
 * The most device px the map draws per CSS px. A phone at 3 (390×844 CSS px) would fill 2.25×
 * the pixels of 2 for little visible gain; on a slowed-down phone CPU that was 43 fps against 50+.
 */
const MAX_MAP_DPR = 2;

/**
 * A cap on how many frames a second the map draws, 0 for none (the display's rate), from
 * `window.CLUSTER_CREW_MAP_FPS` if the page sets it before its scripts run. The browser tests cap
 * it (test/support/browser.ts): pages drawing at 60 fps in software took most of a 2-core
 * machine that also runs the game servers the pages play on.
 */
const mapFpsLimit = (): number => Number((globalThis as { CLUSTER_CREW_MAP_FPS?: unknown }).CLUSTER_CREW_MAP_FPS) || 0;

export interface ClusterMapOptions {
  onPodClick?(pod: string): void;
  onNodeClick?(node: string): void;
  /** Lets the player drag pods onto nodes: which pods, how each node suits one, and the drop. */
  podDrag?: PodDragHost;
  /**
   * "auto" (default): WebGL on a real GPU, Canvas 2D when WebGL is missing or software-rendered
   * (SwiftShader, llvmpipe…), where Canvas 2D is many times faster for a map like this one.
   */
  renderer?: "auto" | "webgl" | "canvas";
}

/** Picks the Phaser renderer type. */
function rendererType(pref: ClusterMapOptions["renderer"]): number {
  if (pref === "webgl") return Phaser.WEBGL;
  if (pref === "canvas") return Phaser.CANVAS;
  try {
    const c = document.createElement("canvas");
    const gl = (c.getContext("webgl2") ?? c.getContext("webgl")) as WebGLRenderingContext | null;
    if (!gl) return Phaser.CANVAS;
    const info = gl.getExtension("WEBGL_debug_renderer_info");
    const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? "");
    gl.getExtension("WEBGL_lose_context")?.loseContext();
    return /swiftshader|llvmpipe|softpipe|software|basic render/i.test(name) ? Phaser.CANVAS : Phaser.WEBGL;
  } catch {
    return Phaser.CANVAS;
  }
}

export class ClusterMap {
  private readonly wrap: HTMLDivElement;
  private readonly game: Phaser.Game;
  private readonly scene: MapScene;
  private readonly observer: ResizeObserver;
  private readonly samples = new Float64Array(FRAME_SAMPLES);
  private sampleCount = 0;
  private sampleHead = 0;
  private width = 0;
  private height = 0;
  private dpr = 1;
  private resizeQueued = false;
  private destroyed = false;

  constructor(parent: HTMLElement, opts: ClusterMapOptions = {}) {
    this.wrap = document.createElement("div");
    this.wrap.className = "cluster-map";
    // Fill the parent; absolutely when the parent is positioned, so the canvas never props it open.
    const positioned = getComputedStyle(parent).position !== "static";
    this.wrap.style.cssText = positioned ? "position:absolute;inset:0;overflow:hidden;" : "position:relative;width:100%;height:100%;overflow:hidden;";
    parent.appendChild(this.wrap);
    this.measure();

    this.scene = new MapScene({
      onPodClick: (pod) => opts.onPodClick?.(pod),
      onNodeClick: (node) => opts.onNodeClick?.(node),
      podDrag: opts.podDrag,
      frame: (ms) => this.record(ms),
      size: () => ({ width: this.width, height: this.height, dpr: this.dpr }),
    });

    this.game = new Phaser.Game({
      type: rendererType(opts.renderer),
      parent: this.wrap,
      width: this.width,
      height: this.height,
      backgroundColor: UI.bg,
      banner: false,
      autoFocus: false,
      disableContextMenu: false,
      canvasStyle: "display:block;position:absolute;left:0;top:0;",
      scale: { mode: Phaser.Scale.NONE, zoom: 1 / this.dpr, autoRound: false },
      // Two pointers: a pinch zooms the map (mapView.ts).
      input: { keyboard: false, gamepad: false, activePointers: 2, mouse: { preventDefaultWheel: false, preventDefaultDown: false } },
      render: { antialias: true, powerPreference: "high-performance" },
      fps: { limit: mapFpsLimit() },
      scene: this.scene,
    });

    this.wrap.appendChild(this.zoomButtons());
    this.observer = new ResizeObserver(() => this.queueResize());
    this.observer.observe(this.wrap);
    window.addEventListener("resize", this.queueResize);
  }

  /** Takes the latest state (cheap when little changed); the map animates towards it. */
  update(model: MapModel): void {
    if (this.destroyed || !model) return;
    this.scene.setModel(model);
  }

  /** Zooms the map in (factor > 1) or out about its centre; 0 shows the whole cluster again. */
  zoom(factor: number): void {
    if (factor === 0) this.scene.view?.reset();
    else this.scene.view?.zoomAt(factor);
  }

  /** The view's zoom (1: the whole cluster), for tests and tools. */
  zoomLevel(): number {
    return this.scene.view?.zoom ?? 1;
  }

  /** Cancels a pod drag in progress, if any (the page calls it on Escape). */
  cancelDrag(): void {
    this.scene.cancelDrag();
  }

  /** The drag in progress — the pod, the node under the pointer, each node's mark — or null. */
  dragState(): DragSnapshot | null {
    return this.scene.dragSnapshot();
  }

  /**
   * Where a pod's glyph or a node's box is on the page, in CSS px of the viewport (as mouse
   * events use them), or undefined when it is not drawn. For tests and tools that point at the map.
   */
  locate(name: string): { x: number; y: number; width: number; height: number } | undefined {
    const r = this.scene.locate(name);
    if (!r) return undefined;
    const box = this.wrap.getBoundingClientRect();
    return { x: box.left + r.x / this.dpr, y: box.top + r.y / this.dpr, width: r.w / this.dpr, height: r.h / this.dpr };
  }

  /** The tooltip's text ("" while hidden): what a player reads when pointing at a pod or node. For tests. */
  tooltipText(): string {
    return this.scene.tooltipText();
  }

  /** The last ~300 frame durations in ms, oldest first. */
  frameTimes(): number[] {
    const out: number[] = [];
    const start = this.sampleCount < FRAME_SAMPLES ? 0 : this.sampleHead;
    for (let i = 0; i < this.sampleCount; i++) out.push(this.samples[(start + i) % FRAME_SAMPLES]);
    return out;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.observer.disconnect();
    window.removeEventListener("resize", this.queueResize);
    this.game.destroy(true);
    this.wrap.remove();
  }

  /** Zoom in, out and back to the whole cluster: buttons (keyboard and screen reader too) over the map's corner. */
  private zoomButtons(): HTMLElement {
    const bar = document.createElement("div");
    bar.className = "map-zoom";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "zoom the map");
    for (const [label, name, factor] of [
      ["+", "zoom in", ZOOM_STEP],
      ["−", "zoom out", 1 / ZOOM_STEP],
      ["⤢", "the whole cluster", 0],
    ] as const) {
      const b = document.createElement("button");
      b.textContent = label;
      b.title = name;
      b.setAttribute("aria-label", name);
      b.addEventListener("click", () => this.zoom(factor));
      bar.appendChild(b);
    }
    return bar;
  }

  private record(ms: number): void {
    this.samples[this.sampleHead] = ms;
    this.sampleHead = (this.sampleHead + 1) % FRAME_SAMPLES;
    if (this.sampleCount < FRAME_SAMPLES) this.sampleCount++;
  }

  /** Reads the wrapper's size; true when it (or the pixel ratio) changed. */
  private measure(): boolean {
    const dpr = Math.max(1, Math.min(MAX_MAP_DPR, window.devicePixelRatio || 1));
    const w = Math.max(1, Math.round(this.wrap.clientWidth * dpr));
    const h = Math.max(1, Math.round(this.wrap.clientHeight * dpr));
    if (w === this.width && h === this.height && dpr === this.dpr) return false;
    this.width = w;
    this.height = h;
    this.dpr = dpr;
    return true;
  }

  private readonly queueResize = (): void => {
    if (this.resizeQueued || this.destroyed) return;
    this.resizeQueued = true;
    requestAnimationFrame(() => {
      this.resizeQueued = false;
      if (this.destroyed || !this.measure()) return;
      if (!this.game.isBooted) {
        this.game.events.once(Phaser.Core.Events.READY, () => this.applySize());
        return;
      }
      this.applySize();
    });
  };

  private applySize(): void {
    if (this.destroyed) return;
    const scale = this.game.scale;
    if (scale.zoom !== 1 / this.dpr) scale.setZoom(1 / this.dpr);
    scale.resize(this.width, this.height);
    this.scene.resize();
  }
}
