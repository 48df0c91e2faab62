/**
 * The pods of the map: one pooled Bob per pod on a Blitter, reconciled with each model (new pods
 * fade in, gone ones fade out), given a slot in their node — sorted by deployment, then arrival —
 * or in the Pending queue, and eased towards it every frame.
 */
import type Phaser from "phaser";
import type { MapPod } from "./ClusterMap.ts";
import type { Atlas } from "./atlas.ts";
import { slotCenter, type Layout, type PodGrid } from "./layout.ts";
import { placeBob, type Bob } from "./sceneKit.ts";

export interface PodSprite {
  name: string;
  bob: Bob;
  /** Position in PodSprites.list (for O(1) removal). */
  index: number;
  x: number;
  y: number;
  /** The slot it glides to. */
  tx: number;
  ty: number;
  alpha: number;
  targetAlpha: number;
  phase: string;
  ready: boolean;
  serving: boolean;
  /** "" in the Pending queue (or on a node the map does not know). */
  node: string;
  deployment: string;
  reason: string;
  /** Arrival order, for a stable sort. */
  seq: number;
  /** The model stamp it was last seen in. */
  seen: number;
  removing: boolean;
  /** No slot left in its node: invisible, counted in "+N more". */
  hidden: boolean;
  placed: boolean;
  /** Picked up by a drag: shown faded in its slot while its ghost is away. */
  lifted: boolean;
}

/** Opacity of a pod left in its slot while it is dragged. */
const LIFTED_ALPHA = 0.3;

export class PodSprites {
  readonly byName = new Map<string, PodSprite>();
  readonly list: PodSprite[] = [];
  /** The pods of each node as of the last model; "" is the Pending queue. */
  readonly groups = new Map<string, PodSprite[]>();
  /** How many pods the busiest worker, control-plane node and the queue need room for. */
  readonly hint = { worker: 0, controlPlane: 0, pending: 0 };
  /** Pods without a slot, per node ("" the queue), for the "+N more" labels. */
  readonly hidden = new Map<string, number>();
  private readonly pool: PodSprite[] = [];
  private readonly deploymentOrder = new Map<string, number>();
  private seq = 0;
  private stamp = 0;
  private readonly tmp = { x: 0, y: 0 };

  constructor(
    private readonly layer: Phaser.GameObjects.Blitter,
    private readonly atlas: Atlas,
  ) {}

  /**
   * Reconciles the sprites with the model's pods; `roleOf` gives a known node's role (undefined
   * for an unknown node). Returns true when pod capacity needs a relayout.
   */
  sync(pods: readonly MapPod[], roleOf: (node: string) => string | undefined): boolean {
    const stamp = ++this.stamp;
    for (const g of this.groups.values()) g.length = 0;
    for (const p of pods) {
      if (!p || typeof p.name !== "string") continue;
      let s = this.byName.get(p.name);
      if (!s) {
        s = this.pool.pop() ?? this.newSprite();
        s.name = p.name;
        s.seq = ++this.seq;
        s.placed = false;
        s.lifted = false;
        s.alpha = 0;
        s.targetAlpha = 1;
        s.bob.alpha = 0;
        s.phase = "";
        s.ready = false;
        s.index = this.list.length;
        this.list.push(s);
        this.byName.set(p.name, s);
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
      const node = typeof p.node === "string" && roleOf(p.node) !== undefined ? p.node : "";
      s.node = node;
      let g = this.groups.get(node);
      if (!g) this.groups.set(node, (g = []));
      g.push(s);
    }
    for (const s of this.list) {
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
      if (roleOf(node) === "control-plane") cp = Math.max(cp, g.length);
      else worker = Math.max(worker, g.length);
    }
    const pending = this.groups.get("")?.length ?? 0;
    const q = (n: number) => (n === 0 ? 0 : Math.ceil(n / 4) * 4);
    const next = { worker: q(worker), controlPlane: q(cp), pending: q(pending) };
    let changed = false;
    for (const k of ["worker", "controlPlane"] as const) {
      const cur = this.hint[k];
      if (next[k] > cur || next[k] < cur * 0.6) {
        this.hint[k] = next[k];
        changed = true;
      }
    }
    this.hint.pending = next.pending;
    return changed;
  }

  /** Sorts each node's pods (by deployment, then arrival) and gives each a slot. */
  place(L: Layout, snap: boolean): void {
    const byDeployment = (a: PodSprite, b: PodSprite) => this.deploymentOrder.get(a.deployment)! - this.deploymentOrder.get(b.deployment)! || a.seq - b.seq;
    this.hidden.clear();
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
          const key = box ? node : "";
          this.hidden.set(key, (this.hidden.get(key) ?? 0) + 1);
        }
        if (!s.placed || snap) {
          s.x = s.tx;
          s.y = s.ty;
          s.placed = true;
        }
      }
    }
  }

  /** Per frame: glide to the slot, fade in or out, and free the sprites that faded out. */
  step(dt: number): void {
    const k = 1 - Math.exp(-dt / 110); // position easing
    const ka = dt / 220; // fade speed
    for (let i = this.list.length - 1; i >= 0; i--) {
      const s = this.list[i];
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
        this.release(s);
        continue;
      }
      placeBob(s.bob, s.x, s.y);
    }
  }

  /** The visible pod nearest to (x, y) within reach of a pointer. */
  at(x: number, y: number, L: Layout): PodSprite | undefined {
    const r = Math.max(L.pitch * 0.6, 9 * L.unit);
    let best: PodSprite | undefined;
    let bestD = r * r;
    for (const s of this.list) {
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

  /** A pod still on the map (not fading out), by name. */
  live(name: string): PodSprite | undefined {
    const s = this.byName.get(name);
    return s && !s.removing ? s : undefined;
  }

  /** Fades a pod in its slot while a drag carries its ghost away, or brings it back. */
  lift(name: string, lifted: boolean): void {
    const s = this.live(name);
    if (!s) return;
    s.lifted = lifted;
    if (!s.hidden) s.targetAlpha = lifted ? LIFTED_ALPHA : 1;
  }

  private newSprite(): PodSprite {
    const bob = this.layer.create(0, 0, this.atlas.pod("Running", false));
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

  private release(s: PodSprite): void {
    const last = this.list.pop()!;
    if (last !== s) {
      this.list[s.index] = last;
      last.index = s.index;
    }
    if (this.byName.get(s.name) === s) this.byName.delete(s.name);
    s.bob.visible = false;
    s.name = "";
    s.lifted = false;
    this.pool.push(s);
  }
}
