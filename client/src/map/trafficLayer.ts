/**
 * Requests on the map: each model's traffic sample is spread over the time until the next one
 * (so dots leave steadily, not in bursts), each request a dot flying on a curve from its entry
 * node to its pod, changing colour on arrival when the same sample says how it ended, and each
 * outcome a short marker animation (served, timed out, dropped). Dots and markers are pooled Bobs.
 */
import type Phaser from "phaser";
import { MARKER_FRAMES, type Atlas } from "./atlas.ts";
import type { Layout } from "./layout.ts";
import type { PodSprites } from "./podSprites.ts";
import { frameOf, placeBob, swapRemove, type Bob } from "./sceneKit.ts";
import { decodeTraffic, LOAD_BALANCER, TrafficKind, type TrafficItem } from "../../../shared/protocol/trafficSample.ts";

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

const TRAVEL_MS = 300;
const DOT_FADE_MS = 160;
const MARKER_MS = [520, 620, 800];
const MAX_DOTS = 1500;
const MAX_MARKERS = 1500;
/** How long a node's last drop is worth mentioning in its tooltip (ms). */
const DROP_MEMORY_MS = 3000;
/** A node no request has entered for this long, while others get theirs, says so in its tooltip (ms). */
const QUIET_ENTRY_MS = 4000;

export class TrafficLayer {
  private readonly dots: Dot[] = [];
  private readonly dotPool: Dot[] = [];
  private readonly markers: Marker[] = [];
  private readonly markerPool: Marker[] = [];
  private readonly queue: Queued[] = [];
  private queueLen = 0;
  private readonly parsed: TrafficItem[] = [];
  /** The latest drop seen per entry node ("lb" included), for the tooltips. */
  private readonly drops = new Map<string, { cause: string; at: number; count: number }>();
  /** When a request was last seen entering each node, for the tooltip's "no traffic entering". */
  private readonly entered = new Map<string, number>();

  constructor(
    private readonly fx: Phaser.GameObjects.Blitter,
    private readonly atlas: Atlas,
    private readonly pods: PodSprites,
    private readonly hasNode: (name: string) => boolean,
  ) {}

  /**
   * Takes a model's traffic sample, to be played out over `spreadMs` (about the time until the
   * next sample); whatever is left of the previous sample goes out now.
   */
  enqueue(traffic: unknown, now: number, spreadMs: number, L: Layout | null): void {
    this.flush(Infinity, L);
    const items = decodeTraffic(traffic, this.parsed);
    if (items.length === 0) return;
    const spread = Math.max(40, Math.min(400, spreadMs)) * 0.9;
    // Pair outcomes with a request sent to the same pod in this batch: that dot changes colour on arrival.
    const sendsTo = new Map<string, Queued[]>();
    for (const it of items) {
      if (it.kind === TrafficKind.Send) {
        if (this.hasNode(it.a)) this.entered.set(it.a, now);
        if (!this.hasNode(it.a) || !this.pods.byName.has(it.b)) continue;
        const q = this.queued(now + Math.random() * spread, it);
        let arr = sendsTo.get(it.b);
        if (!arr) sendsTo.set(it.b, (arr = []));
        arr.push(q);
      }
    }
    for (const it of items) {
      if (it.kind === TrafficKind.Send) continue;
      if (it.kind === TrafficKind.Dropped) {
        if (it.a !== LOAD_BALANCER && !this.hasNode(it.a)) continue;
        const d = this.drops.get(it.a);
        const cause = it.b || "unknown";
        if (d && now - d.at < DROP_MEMORY_MS) {
          d.count++;
          d.cause = cause;
          d.at = now;
        } else this.drops.set(it.a, { cause, at: now, count: 1 });
      } else {
        if (!this.pods.byName.has(it.a)) continue;
        const mate = sendsTo.get(it.a)?.pop();
        if (mate) {
          mate.outcome = it.kind === TrafficKind.Served ? 1 : 2;
          continue;
        }
      }
      this.queued(now + Math.random() * spread, it);
    }
  }

  /** "dropping requests: <cause>" when the node (or "lb") dropped one in the last few seconds. */
  recentDrop(entry: string): string | null {
    const d = this.drops.get(entry);
    if (!d || performance.now() - d.at > DROP_MEMORY_MS) return null;
    return `dropping requests: ${d.cause}`;
  }

  /**
   * "no traffic entering for N s" when requests used to enter the node and still enter others
   * but have not entered it for QUIET_ENTRY_MS (its kube-proxy stopped, say); null otherwise.
   */
  quietEntry(entry: string): string | null {
    const now = performance.now();
    const last = this.entered.get(entry);
    if (last === undefined || now - last < QUIET_ENTRY_MS) return null;
    const othersBusy = [...this.entered].some(([n, at]) => n !== entry && now - at < QUIET_ENTRY_MS);
    return othersBusy ? `no traffic entering for ${Math.floor((now - last) / 1000)} s` : null;
  }

  /** Per frame: starts what is due, flies the dots, plays the markers. */
  step(now: number, L: Layout): void {
    if (this.queueLen > 0) this.flush(now, L);
    this.stepDots(now);
    this.stepMarkers(now);
  }

  private queued(at: number, it: TrafficItem): Queued {
    let q = this.queue[this.queueLen];
    if (!q) this.queue.push((q = { at: 0, kind: TrafficKind.Send, a: "", b: "", outcome: 0 }));
    this.queueLen++;
    q.at = at;
    q.kind = it.kind;
    q.a = it.a;
    q.b = it.b;
    q.outcome = 0;
    return q;
  }

  /** Starts every queued item due by `now`, keeping the rest in order. */
  private flush(now: number, L: Layout | null): void {
    let w = 0;
    for (let i = 0; i < this.queueLen; i++) {
      const q = this.queue[i];
      if (q.at <= now) {
        if (L) this.start(q, Math.min(now, performance.now()), L);
      } else {
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

  private start(q: Queued, now: number, L: Layout): void {
    if (q.kind === TrafficKind.Send) {
      const box = L.byName.get(q.a);
      const s = this.pods.byName.get(q.b);
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
      placeBob(d.bob, d.x0, d.y0);
      this.dots.push(d);
    } else if (q.kind === TrafficKind.Dropped) {
      let x: number;
      let y: number;
      if (q.a === LOAD_BALANCER) {
        // Beside the load balancer pill (not over its label).
        const side = Math.random() < 0.5 ? -1 : 1;
        const off = L.marker * (0.6 + Math.random() * 1.6);
        x = side < 0 ? L.lb.x - off : L.lb.x + L.lb.w + off;
        y = L.lb.y + L.lb.h / 2;
      } else {
        const box = L.byName.get(q.a);
        if (!box) return;
        // Along the node's top edge, where requests come in, right of its name (which stays readable).
        const from = Math.min(box.x + box.w * 0.8, Math.max(box.x + box.w * 0.1, box.nameRight + L.marker * 0.6));
        x = from + (box.x + box.w * 0.9 - from) * Math.random();
        y = box.y + (Math.random() - 0.35) * L.marker * 0.5;
      }
      this.addMarker(2, x, y, now);
    } else {
      const s = this.pods.byName.get(q.a);
      if (!s || s.removing || s.hidden) return;
      this.addMarker(q.kind === TrafficKind.Served ? 0 : 1, s.x, s.y, now);
    }
  }

  private newDot(): Dot {
    const bob = this.fx.create(0, 0, this.atlas.dots[0]);
    return { bob, x0: 0, y0: 0, cx: 0, cy: 0, x1: 0, y1: 0, t0: 0, outcome: 0, arrived: false };
  }

  private addMarker(kind: number, x: number, y: number, now: number): void {
    if (this.markers.length >= MAX_MARKERS) return;
    let m = this.markerPool.pop();
    if (!m) m = { bob: this.fx.create(0, 0, this.atlas.markers[kind][0]), x: 0, y: 0, t0: 0, dur: 0, kind: 0 };
    m.kind = kind;
    m.x = x;
    m.y = y;
    m.t0 = now;
    m.dur = MARKER_MS[kind];
    m.bob.setFrame(this.atlas.markers[kind][0]);
    m.bob.alpha = 1;
    m.bob.visible = true;
    placeBob(m.bob, x, y);
    this.markers.push(m);
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
        placeBob(d.bob, x, y);
        continue;
      }
      if (!d.arrived) {
        d.arrived = true;
        placeBob(d.bob, d.x1, d.y1);
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
          placeBob(m.bob, m.x, m.y);
        }
        m.bob.alpha = p < 0.55 ? 1 : Math.max(0.001, (1 - p) / 0.45);
        continue;
      }
      m.bob.visible = false;
      this.markerPool.push(swapRemove(ms, i));
    }
  }
}
