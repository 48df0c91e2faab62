/**
 * The map's tooltip and cursor: what the pointer is over — a pod (phase, readiness, reason, node),
 * a node (state, requests, memory, stopped processes, recent drops) or the load balancer — in a
 * box beside the pointer, kept inside the canvas.
 */
import { LOAD_BALANCER } from "../../../shared/protocol/trafficSample.ts";
import type { Layout, NodeBox } from "./layout.ts";
import type { MapNode } from "./ClusterMap.ts";
import { nodeStatusLines } from "./nodeStatus.ts";
import { UI } from "./palette.ts";
import type { PodSprite } from "./podSprites.ts";
import { cores, DEPTH, gib, type Labels, type Text } from "./sceneKit.ts";

/** What the tooltip asks of the map about the point under the pointer. */
export interface TooltipSource {
  podAt(x: number, y: number): PodSprite | undefined;
  nodeAt(x: number, y: number): NodeBox | undefined;
  node(name: string): MapNode | undefined;
  recentDrop(entry: string): string | null;
  /** "no traffic entering for N s" when requests stopped entering the node, else null. */
  quietEntry(entry: string): string | null;
  /** True when a press here would pick a pod up for a drag. */
  canPickUp(x: number, y: number): boolean;
  /** True while a drag is in progress (it has its own hint). */
  dragging(): boolean;
}

export class Tooltip {
  /** Where the pointer is, in canvas device px, and whether it is over the canvas. */
  readonly hover = { x: 0, y: 0, inside: false };
  private readonly box: Text;
  private key = "";
  private cursor = "default";

  constructor(
    private readonly labels: Labels,
    private readonly setDefaultCursor: (cursor: string) => void,
  ) {
    this.box = labels.create(DEPTH.tooltip, UI.text, false);
    this.box.setBackgroundColor("rgba(11,16,22,0.94)");
    this.box.setVisible(false);
  }

  relayout(L: Layout): void {
    this.labels.setFont(this.box, L.font.tooltip);
    this.box.setPadding(Math.round(7 * L.unit), Math.round(5 * L.unit), Math.round(7 * L.unit), Math.round(5 * L.unit));
  }

  refresh(L: Layout | null, src: TooltipSource): void {
    if (src.dragging()) {
      this.hide();
      this.setCursor("grabbing");
      return;
    }
    if (!L || !this.hover.inside) {
      this.hide();
      this.setCursor("default");
      return;
    }
    const { x, y } = this.hover;
    const { text, cursor } = this.describe(L, src, x, y);
    this.setCursor(text ? cursor : "default");
    if (!text) {
      this.hide();
      return;
    }
    if (text !== this.key) {
      this.key = text;
      this.box.setText(text);
    }
    const off = Math.round(14 * L.unit);
    const w = this.box.width;
    const h = this.box.height;
    let tx = x + off;
    let ty = y + off;
    if (tx + w > L.width - 2) tx = x - off - w;
    if (ty + h > L.height - 2) ty = y - off - h;
    this.box.setPosition(Math.round(Math.max(2, tx)), Math.round(Math.max(2, ty))).setVisible(true);
  }

  private describe(L: Layout, src: TooltipSource, x: number, y: number): { text: string; cursor: string } {
    const pod = src.podAt(x, y);
    if (pod) {
      const parts = [pod.phase, pod.ready ? "ready" : "not ready"];
      if (pod.serving) parts.push("serving");
      let text = `${pod.name}\n${parts.join(" · ")}${pod.reason ? `\n${pod.reason}` : ""}${pod.node ? `\non ${pod.node}` : ""}`;
      if (!src.canPickUp(x, y)) return { text, cursor: "pointer" };
      text += "\ndrag it onto a node to bind it";
      return { text, cursor: "grab" };
    }
    const b = src.nodeAt(x, y);
    const n = b && src.node(b.name);
    if (n) {
      const stopped = Object.entries(n.processes ?? {})
        .filter(([, on]) => !on)
        .map(([k]) => k);
      const memory = n.observed === false ? "requested" : "in use";
      const lines = [
        `${n.name} (${n.role})`,
        ...nodeStatusLines(n),
        `CPU ${cores(n.cpuRequested)}/${cores(n.cpuAllocatable)} cores requested`,
        `memory ${gib(n.memoryInUse)}/${gib(n.memoryAllocatable)} GiB ${memory}`,
      ];
      if (stopped.length) lines.push(`stopped: ${stopped.join(", ")}`);
      const quiet = n.role === "worker" ? src.quietEntry(n.name) : null;
      if (quiet) lines.push(quiet);
      const drop = src.recentDrop(n.name);
      if (drop) lines.push(drop);
      return { text: lines.join("\n"), cursor: "pointer" };
    }
    if (x >= L.lb.x - L.marker * 2 && x <= L.lb.x + L.lb.w + L.marker * 2 && y <= L.lb.y + L.lb.h + 2) {
      return { text: ["load balancer", src.recentDrop(LOAD_BALANCER) ?? "no recent drops"].join("\n"), cursor: "pointer" };
    }
    return { text: "", cursor: "default" };
  }

  /** The text shown, "" while hidden. */
  get text(): string {
    return this.box.visible ? this.box.text : "";
  }

  private hide(): void {
    if (this.box.visible) this.box.setVisible(false);
    this.key = "";
  }

  private setCursor(cursor: string): void {
    if (cursor === this.cursor) return;
    this.cursor = cursor;
    this.setDefaultCursor(cursor);
  }
}
