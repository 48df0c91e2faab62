/**
 * The cluster map's layout (client/src/map/layout.ts and its parts), which is pure maths: tested
 * in Node with a stand-in text measure. The map's browser tests check the same layout drawn.
 */
import { expect } from "chai";
import fc from "fast-check";
import { computeLayout, type Layout, type LayoutInput, type LayoutNode, type NodeBox, type Rect } from "../../client/src/map/layout.ts";
import { placeLegend, placeLoadBalancer, scaleAt } from "../../client/src/map/layoutFrame.ts";
import { chooseInterior, chooseWorkerGrid, placeBadges, placeWorkers } from "../../client/src/map/layoutNodes.ts";
import { params } from "../sim/properties/settings.ts";

/** Text as wide as a proportional font's, near enough: 0.55 em a character (0.61 bold). */
const measure = (text: string, px: number, bold?: boolean) => text.length * px * (bold ? 0.61 : 0.55);

const WORKER_PROCS = ["container-runtime", "kubelet", "kube-proxy"];
const CP_PROCS = ["api-server", "scheduler", "controller-manager", "etcd"];
const worker = (name: string, badges: string[] = []): LayoutNode => ({
  name,
  role: "worker",
  processes: WORKER_PROCS,
  badges: badges.map((text) => ({ text, bg: "#000", fg: "#fff" })),
});
const controlPlane = (name: string): LayoutNode => ({ name, role: "control-plane", processes: CP_PROCS, badges: [] });
const workers = (n: number) => Array.from({ length: n }, (_, i) => worker(`node-${i + 1}`));

const inside = (r: Rect, outer: Rect) => r.x >= outer.x && r.y >= outer.y && r.x + r.w <= outer.x + outer.w && r.y + r.h <= outer.y + outer.h;
const overlap = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe("the cluster map's layout", () => {
  describe("the scale", () => {
    it("turns CSS px into whole device px, never below one", () => {
      expect(scaleAt(1, 2).px(8)).to.equal(16);
      expect(scaleAt(1.5, 1).px(13)).to.equal(20);
      expect(scaleAt(0.85, 1).px(0.1)).to.equal(1);
      expect(scaleAt(1, 1).tokenMin).to.equal(5);
      expect(scaleAt(0.5, 1).tokenMin, "pods stay at least 4 px").to.equal(4);
    });
  });

  describe("the frame", () => {
    it("centres the load balancer at the top edge and starts the nodes below it", () => {
      const { lb, top } = placeLoadBalancer(1280, scaleAt(1, 1), measure);
      expect(lb.x + lb.w / 2).to.be.closeTo(640, 1);
      expect(lb.y).to.equal(3);
      expect(top).to.be.greaterThan(lb.y + lb.h);
    });

    it("wraps the legend onto more lines on a narrower map, keeping its order, within the margins", () => {
      const k = scaleAt(1, 1);
      const wide = placeLegend(1280, 720, k, measure);
      const narrow = placeLegend(500, 720, k, measure);
      expect(new Set(wide.items.map((i) => i.sy)).size).to.equal(1);
      expect(new Set(narrow.items.map((i) => i.sy)).size).to.be.greaterThan(1);
      expect(narrow.top).to.be.lessThan(wide.top);
      expect(narrow.items.map((i) => i.label)).to.deep.equal(wide.items.map((i) => i.label));
      for (const it of narrow.items) expect(it.lx + measure(it.label, k.font.legend, it.muted), it.label).to.be.at.most(500 - k.margin);
      expect(wide.items[0]).to.include({ label: "pods:", muted: true });
    });
  });

  describe("the worker grid", () => {
    const k = scaleAt(1, 1);
    it("lays a few workers out side by side on a wide strip and stacks them in a tall one", () => {
      expect(chooseWorkerGrid(4, 1200, 200, k).cols).to.equal(4);
      expect(chooseWorkerGrid(4, 300, 1200, k).cols).to.equal(1);
      expect(chooseWorkerGrid(0, 1200, 500, k)).to.deep.equal({ cols: 1, cellW: 1200, cellH: 500, fit: 1 });
    });

    it("caps a cell at 520 CSS px wide, and says how roomy the cells are", () => {
      const few = chooseWorkerGrid(2, 2400, 1200, k);
      expect(few.cellW).to.equal(520);
      expect(few.fit).to.be.greaterThan(2);
      expect(chooseWorkerGrid(60, 1200, 500, k).fit).to.be.lessThan(1);
    });

    it("gives the boxes less detail when their pods need the room", () => {
      const cell = chooseWorkerGrid(3, 1200, 400, k);
      expect(chooseInterior(workers(3), cell, 4, k, measure).interior.lod).to.equal(0);
      const crowded = chooseWorkerGrid(50, 1200, 500, k);
      const tiny = chooseInterior(workers(50), crowded, 30, k, measure);
      expect(tiny.interior.lod).to.equal(2);
      expect(tiny.token).to.be.at.least(k.tokenMin);
    });
  });

  describe("the badges", () => {
    const k = scaleAt(1, 1);
    const boxFor = (node: LayoutNode, cellW: number): NodeBox => {
      const cell = { cols: 1, cellW, cellH: 200, fit: 1 };
      const { interior } = chooseInterior([node], cell, 4, k, measure);
      const [box] = placeWorkers([node], cell, 0, 0, interior, 18, k);
      placeBadges([box], [node], interior, 18, k, measure);
      return box;
    };

    it("sit in the header beside the name when both fit", () => {
      const box = boxFor(worker("node-1", ["NotReady"]), 400);
      expect(box.badges).to.have.length(1);
      expect(box.badges[0].cy).to.equal(box.headerY);
      expect(box.badges[0].x).to.be.at.least(box.nameRight);
    });

    it("move to a row above the pods when the name needs the header, and the pods start lower", () => {
      const plain = boxFor(worker("a-rather-long-worker-name"), 220);
      const box = boxFor(worker("a-rather-long-worker-name", ["NotReady", "cordoned"]), 220);
      expect(box.badges[0].cy).to.be.greaterThan(box.headerY);
      expect(box.pods.y).to.be.greaterThan(plain.pods.y);
      expect(box.nameRight - box.x - k.pad).to.equal(Math.ceil(measure(box.name, box.nameFont, true)));
    });
  });

  describe("the whole map", () => {
    const input: fc.Arbitrary<LayoutInput> = fc
      .record({
        width: fc.integer({ min: 1000, max: 3840 }),
        height: fc.integer({ min: 600, max: 2160 }),
        dpr: fc.constantFrom(1, 1.5, 2),
        cps: fc.nat(3),
        workers: fc.oneof(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 30 })),
        badged: fc.nat(3),
        podHint: fc.record({ worker: fc.nat(40), controlPlane: fc.nat(6), pending: fc.nat(20) }),
      })
      .map(({ width, height, dpr, cps, workers: n, badged, podHint }) => ({
        width: width * dpr,
        height: height * dpr,
        dpr,
        podHint,
        measure,
        nodes: [
          ...Array.from({ length: cps }, (_, i) => controlPlane(`cp-${i + 1}`)),
          ...Array.from({ length: n }, (_, i) => worker(`node-${i + 1}`, i < badged ? ["NotReady"] : [])),
        ],
      }));

    it("keeps every box on the canvas, apart from the others, with its pods inside it", () => {
      fc.assert(
        fc.property(input, (inp) => {
          const L: Layout = computeLayout(inp);
          const canvas = { x: 0, y: 0, w: inp.width, h: inp.height };
          const boxes: Rect[] = [L.lb, L.pending.box, ...L.nodes];
          for (const b of boxes) expect(inside(b, canvas), JSON.stringify(b)).to.equal(true);
          for (let i = 0; i < boxes.length; i++)
            for (let j = i + 1; j < boxes.length; j++)
              expect(overlap(boxes[i], boxes[j]), `${JSON.stringify(boxes[i])} and ${JSON.stringify(boxes[j])}`).to.equal(false);
          for (const n of L.nodes) {
            expect(n.pods.x).to.be.at.least(n.x);
            expect(n.pods.y).to.be.at.least(n.y);
            expect(n.pods.x + n.pods.w, n.name).to.be.at.most(n.x + n.w);
            if (n.pods.rows > 0) expect(n.pods.y + n.pods.rows * L.pitch, n.name).to.be.at.most(n.y + n.h);
          }
          expect([...L.byName.keys()].sort()).to.deep.equal(inp.nodes.map((n) => n.name).sort());
          const legendTop = Math.min(...L.legend.map((i) => i.sy)) - L.legendMarker / 2;
          for (const n of L.nodes) expect(n.y + n.h, `${n.name} runs into the legend`).to.be.at.most(legendTop);
        }),
        params<[LayoutInput]>(300),
      );
    });

    it("draws a small cluster bigger on a big screen, but never with less detail", () => {
      const small = {
        width: 1920,
        height: 1080,
        dpr: 1,
        podHint: { worker: 4, controlPlane: 0, pending: 2 },
        measure,
        nodes: [controlPlane("cp-1"), ...workers(3)],
      };
      const L = computeLayout(small);
      expect(L.unit).to.be.greaterThan(1.5);
      expect(L.lod).to.equal(0);
      const big = computeLayout({ ...small, nodes: [controlPlane("cp-1"), ...workers(40)], podHint: { worker: 20, controlPlane: 0, pending: 2 } });
      expect(big.unit).to.be.lessThan(L.unit);
    });
  });
});
