/**
 * Pan and zoom of the cluster map, through the scene's Phaser camera: two fingers pinch to zoom
 * (and pan as they move), one finger or the mouse dragged on the map's background pans once
 * zoomed in, the wheel zooms at the pointer, and the page's buttons zoom in, out and back.
 * At zoom 1 the whole cluster shows, as laid out; the view never leaves the laid-out area.
 *
 * The map's layout is in canvas px ("world" here); pointers arrive in screen px of the canvas.
 * The camera zooms about its centre (Phaser's default origin), so
 *   screen = (world − scroll − centre) × zoom + centre.
 */
import type Phaser from "phaser";

/** The closest the map zooms in (× the whole-cluster view). */
export const MAX_ZOOM = 4;
/** One step of the zoom buttons and the wheel (×). */
export const ZOOM_STEP = 1.25;
/** Finger movement (canvas px) before a press on the background becomes a pan. */
const PAN_THRESHOLD_PX = 6;

interface Point {
  x: number;
  y: number;
}

export class MapView {
  /** Where each pointer now on the map is (screen px), by pointer id. */
  private readonly down = new Map<number, Point>();
  private pan: { id: number; last: Point; moved: boolean } | null = null;
  private pinch: { dist0: number; zoom0: number; anchor: Point } | null = null;

  constructor(
    private readonly cam: Phaser.Cameras.Scene2D.Camera,
    private readonly size: () => { width: number; height: number },
  ) {}

  get zoom(): number {
    return this.cam.zoom;
  }

  /** True while two fingers pinch (the page's drag and clicks stand aside). */
  get pinching(): boolean {
    return this.pinch !== null;
  }

  /** True while a pan has moved the view (a release then is not a click). */
  get panning(): boolean {
    return !!this.pan?.moved;
  }

  toWorld(x: number, y: number): Point {
    const { width, height } = this.size();
    const z = this.cam.zoom;
    return { x: (x - width / 2) / z + width / 2 + this.cam.scrollX, y: (y - height / 2) / z + height / 2 + this.cam.scrollY };
  }

  toScreen(x: number, y: number): Point {
    const { width, height } = this.size();
    const z = this.cam.zoom;
    return { x: (x - this.cam.scrollX - width / 2) * z + width / 2, y: (y - this.cam.scrollY - height / 2) * z + height / 2 };
  }

  /** Zooms by `factor`, keeping the world point under screen (sx, sy) where it is (default: the centre). */
  zoomAt(factor: number, sx?: number, sy?: number): void {
    const { width, height } = this.size();
    const at = { x: sx ?? width / 2, y: sy ?? height / 2 };
    this.zoomTo(this.cam.zoom * factor, this.toWorld(at.x, at.y), at);
  }

  /** Back to the whole cluster. */
  reset(): void {
    this.cam.setZoom(1);
    this.cam.setScroll(0, 0);
  }

  /** Keeps the view inside the laid-out area (after a resize). */
  clamp(): void {
    const { width, height } = this.size();
    const z = Math.min(MAX_ZOOM, Math.max(1, this.cam.zoom));
    if (z !== this.cam.zoom) this.cam.setZoom(z);
    const mx = (width / 2) * (1 - 1 / z);
    const my = (height / 2) * (1 - 1 / z);
    this.cam.setScroll(Math.min(mx, Math.max(-mx, this.cam.scrollX)), Math.min(my, Math.max(-my, this.cam.scrollY)));
  }

  /** A pointer pressed; `background`: not on a pod this player may pick up (a pan may start there). */
  press(id: number, x: number, y: number, background: boolean): void {
    this.down.set(id, { x, y });
    if (this.down.size === 2) {
      const [a, b] = [...this.down.values()];
      const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
      this.pinch = { dist0: Math.max(1, Math.hypot(a.x - b.x, a.y - b.y)), zoom0: this.cam.zoom, anchor: this.toWorld(mid.x, mid.y) };
      this.pan = null;
    } else if (this.down.size === 1 && background) this.pan = { id, last: { x, y }, moved: false };
  }

  /** A pointer moved; true when the view took it (a pinch or a pan), so nothing else should. */
  move(id: number, x: number, y: number): boolean {
    if (!this.down.has(id)) return false;
    this.down.set(id, { x, y });
    if (this.pinch && this.down.size >= 2) {
      const [a, b] = [...this.down.values()];
      const dist = Math.max(1, Math.hypot(a.x - b.x, a.y - b.y));
      this.zoomTo((this.pinch.zoom0 * dist) / this.pinch.dist0, this.pinch.anchor, { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
      return true;
    }
    const p = this.pan;
    if (!p || p.id !== id) return false;
    if (!p.moved && Math.hypot(x - p.last.x, y - p.last.y) < PAN_THRESHOLD_PX) return false;
    const z = this.cam.zoom;
    this.cam.setScroll(this.cam.scrollX - (x - p.last.x) / z, this.cam.scrollY - (y - p.last.y) / z);
    this.clamp();
    p.last = { x, y };
    p.moved = true;
    return true;
  }

  /** A pointer released (or left the map). */
  release(id: number): void {
    this.down.delete(id);
    if (this.down.size < 2) this.pinch = null;
    if (this.pan?.id === id || this.down.size === 0) this.pan = null;
  }

  /** Zoom `z`, with world point `world` drawn at screen point `at`. */
  private zoomTo(z: number, world: Point, at: Point): void {
    const { width, height } = this.size();
    const zoom = Math.min(MAX_ZOOM, Math.max(1, z));
    this.cam.setZoom(zoom);
    this.cam.setScroll(world.x - width / 2 - (at.x - width / 2) / zoom, world.y - height / 2 - (at.y - height / 2) / zoom);
    this.clamp();
  }
}
