/**
 * The accessibility checks the browser tests share: axe-core's serious and critical violations on
 * a page, the zoom test's layout faults (overlap, content past the right edge), Tab until a
 * control has the focus (visibly), and real touch events through the DevTools protocol.
 */
import { createRequire } from "node:module";
import { expect } from "chai";
import type { CDPSession, Page } from "playwright-core";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

interface Violation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[]; failureSummary: string }[];
}

/** The serious and critical violations axe finds on the page now, one line each. */
export async function violations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: AXE });
  const found = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: unknown): Promise<{ violations: unknown[] }> } }).axe;
    return (await axe.run(document, { resultTypes: ["violations"] })).violations;
  })) as Violation[];
  return found
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id} (${v.help}): ${v.nodes.map((n) => `${n.target.join(" ")} — ${n.failureSummary.replace(/\s+/g, " ")}`).join(" | ")}`);
}

export async function expectClean(page: Page, screen: string): Promise<void> {
  const found = await violations(page);
  expect(found, `${screen}:\n${found.join("\n")}`).to.deep.equal([]);
}

/** 1280×720 device px at 200 % zoom: the page is 640×360 CSS px drawn at 2 device px each. */
export const ZOOMED = { viewport: { width: 640, height: 360 }, deviceScaleFactor: 2 };

/**
 * What is wrong with the layout now: the page wider than the window, overlapping `boxes`, content
 * inside `scope` past the right edge (unless a box that scrolls sideways holds it), and text inside
 * `scope` cut off by a box that hides its overflow; one line each.
 */
export async function layoutFaults(page: Page, boxes = ".game > .top, #map, #side > .panel, .bottom > .log", scope = ".game *, .overlay *"): Promise<string[]> {
  // tsx names the inner functions with a helper the page lacks.
  await page.evaluate("window.__name = (f) => f");
  return page.evaluate(
    ([boxSel, scopeSel]) => {
      const faults: string[] = [];
      const width = window.innerWidth;
      if (document.documentElement.scrollWidth > width) faults.push(`the page is ${document.documentElement.scrollWidth} px wide in a ${width} px window`);
      const shown = [...document.querySelectorAll<HTMLElement>(boxSel)].filter((el) => el.offsetParent);
      const name = (el: HTMLElement) => el.id || el.dataset.panel || el.className;
      for (const [i, a] of shown.entries())
        for (const b of shown.slice(i + 1)) {
          const [r, s] = [a.getBoundingClientRect(), b.getBoundingClientRect()];
          const overlap =
            Math.max(0, Math.min(r.right, s.right) - Math.max(r.left, s.left)) * Math.max(0, Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top));
          if (overlap > 1) faults.push(`${name(a)} overlaps ${name(b)}`);
        }
      const scrolls = (el: Element | null): boolean => {
        for (let e = el?.parentElement; e; e = e.parentElement) if (/(auto|scroll)/.test(getComputedStyle(e).overflowX)) return true;
        return false;
      };
      for (const el of document.querySelectorAll<HTMLElement>(scopeSel)) {
        const r = el.getBoundingClientRect();
        if (r.width && r.right > width + 1 && !scrolls(el))
          faults.push(`${el.tagName.toLowerCase()}.${el.className} "${(el.textContent ?? "").slice(0, 30)}" ends at ${Math.round(r.right)} px`);
      }
      // Text cut off by a box that hides its overflow (the sr-only text is hidden on purpose).
      const clipper = (el: Element): Element | undefined => {
        for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
          const st = getComputedStyle(e);
          if (/(auto|scroll)/.test(st.overflowX + st.overflowY)) return undefined;
          if (/(hidden|clip)/.test(st.overflowX + st.overflowY)) return e;
        }
        return undefined;
      };
      for (const el of document.querySelectorAll<HTMLElement>(scopeSel)) {
        const text = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
        if (!text || el.closest(".sr-only") || !el.offsetParent) continue;
        const box = clipper(el);
        if (!box) continue;
        const [r, c] = [el.getBoundingClientRect(), box.getBoundingClientRect()];
        if (r.right > c.right + 1 || r.bottom > c.bottom + 1 || r.left < c.left - 1 || r.top < c.top - 1)
          faults.push(
            `${el.tagName.toLowerCase()}.${el.className} "${(el.textContent ?? "").trim().slice(0, 30)}" is cut off by ${box.tagName.toLowerCase()}.${box.className}`,
          );
      }
      return faults.slice(0, 20);
    },
    [boxes, scope],
  );
}

/** Presses Tab until the focus is on an element matching `selector`; fails if that takes more than `max` presses or its focus is not visible. */
export async function tabTo(page: Page, selector: string, max = 120): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const at = await page.evaluate((sel) => {
      const el = document.activeElement as HTMLElement | null;
      if (!el?.matches(sel)) return null;
      const style = getComputedStyle(el);
      return { outline: style.outlineStyle !== "none" && Number.parseFloat(style.outlineWidth) >= 2 };
    }, selector);
    if (at) {
      expect(at.outline, `the focus on ${selector} shows`).to.equal(true);
      return;
    }
  }
  throw new Error(`Tab never reached ${selector}`);
}

export type Touch = { x: number; y: number; id?: number };

/** A touch event with these fingers down (touchEnd: none). */
export const touch = (cdp: CDPSession, type: "touchStart" | "touchMove" | "touchEnd", points: Touch[]) =>
  cdp.send("Input.dispatchTouchEvent", { type, touchPoints: points.map((p, i) => ({ x: p.x, y: p.y, id: p.id ?? i })) });
