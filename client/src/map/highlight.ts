/**
 * The page's highlight on the map: the selected pod gets a pulsing ring and its name on a yellow
 * tag, a highlighted node a pulsing yellow frame.
 */
import type Phaser from "phaser";
import type { Layout } from "./layout.ts";
import { OI, UI, hex } from "./palette.ts";
import type { PodSprite } from "./podSprites.ts";
import { DEPTH, placeBob, type Bob, type Labels, type Text } from "./sceneKit.ts";

export class Highlight {
  /** What the page highlights, from the latest model. */
  target: { node?: string; pod?: string } = {};
  private readonly ring: Bob;
  private readonly tag: Text;
  private readonly frame: Phaser.GameObjects.Graphics;
  private frameKey = "";

  constructor(
    scene: Phaser.Scene,
    fx: Phaser.GameObjects.Blitter,
    ringFrame: Phaser.Textures.Frame,
    private readonly labels: Labels,
  ) {
    this.frame = scene.add.graphics().setDepth(DEPTH.nodeHighlight);
    this.tag = labels.create(DEPTH.highlightLabel, UI.ink, true);
    this.tag.setBackgroundColor(OI.yellow);
    this.tag.setVisible(false);
    this.ring = fx.create(0, 0, ringFrame);
    this.ring.visible = false;
  }

  /** A new layout: fonts follow it and the node frame is redrawn. */
  relayout(L: Layout): void {
    this.labels.setFont(this.tag, L.font.tooltip);
    this.tag.setPadding(Math.round(4 * L.unit), Math.round(2 * L.unit), Math.round(4 * L.unit), Math.round(2 * L.unit));
    this.frameKey = "";
  }

  step(now: number, L: Layout, pod: PodSprite | undefined): void {
    const pulse = 0.8 + 0.2 * Math.sin(now / 160);
    if (pod && !pod.removing) {
      this.ring.visible = true;
      this.ring.alpha = pulse;
      placeBob(this.ring, pod.x, pod.y);
      if (this.tag.text !== pod.name) this.tag.setText(pod.name);
      // Above the pod, kept inside the canvas; below it in the Pending queue, whose title is above.
      const w = this.tag.width;
      const h = this.tag.height;
      const x = Math.round(Math.max(2, Math.min(L.width - w - 2, pod.x - w / 2)));
      let y = Math.round(pod.y - L.token * 1.3 - h);
      if (y < 2 || pod.node === "") y = Math.round(pod.y + L.token * 1.3);
      this.tag.setPosition(x, y).setVisible(true);
    } else {
      this.ring.visible = false;
      this.tag.setVisible(false);
    }
    const box = this.target.node ? L.byName.get(this.target.node) : undefined;
    const key = box ? `${box.name}|${box.x}|${box.y}|${box.w}|${box.h}` : "";
    if (key !== this.frameKey) {
      this.frameKey = key;
      this.frame.clear();
      if (box) {
        const lw = Math.max(3, Math.round(3 * L.unit));
        this.frame.lineStyle(lw, hex(OI.yellow), 1);
        this.frame.strokeRoundedRect(box.x - lw / 2 - 1, box.y - lw / 2 - 1, box.w + lw + 2, box.h + lw + 2, L.radius + lw / 2);
      }
    }
    if (box) this.frame.setAlpha(pulse);
  }
}
