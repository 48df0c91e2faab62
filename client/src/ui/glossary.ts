/**
 * The glossary in the page: marks the seed's terms (shared/teaching/glossary.ts) in rendered text
 * and shows a term's meaning in one shared tooltip on hover, tap or keyboard focus. Marking works
 * on DOM text nodes only — a match is split off into its own text node inside a <span> — so text
 * that came from players (nicknames, messages) stays text: nothing is ever parsed as HTML.
 */
import { GLOSSARY, type GlossaryEntry } from "../../../shared/teaching/glossary.ts";

/** One piece of a text: plain, or a glossary term with its entry. */
export interface Segment {
  text: string;
  entry?: GlossaryEntry;
}

/**
 * Elements whose text is never marked: controls, code, titles (a scenario's name is no place for a
 * definition, and tests find titles by their exact text) and what is already a term.
 */
const SKIP_TAGS = new Set([
  "BUTTON",
  "A",
  "INPUT",
  "SELECT",
  "OPTION",
  "TEXTAREA",
  "SCRIPT",
  "STYLE",
  "KBD",
  "CODE",
  "PRE",
  "CANVAS",
  "SVG",
  "LABEL",
  "H1",
  "H2",
]);
/** Elements that start a new block of text: each term is marked once per block. */
const BLOCK_TAGS = new Set(["P", "DIV", "LI", "TD", "TH", "H3", "H4", "SECTION"]);
/** The id of the one tooltip every term points to. */
export const TIP_ID = "glossary-tip";

const byWord = new Map<string, GlossaryEntry>();
for (const e of GLOSSARY) for (const w of [e.term, ...e.aliases]) byWord.set(w.toLowerCase(), e);
const words = [...byWord.keys()].sort((a, b) => b.length - a.length).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
/** A whole word or phrase of the glossary: not inside a longer word, a name like node-3 or a path. */
const PATTERN = new RegExp(`(?<![\\p{L}\\p{N}_/-])(?:${words.join("|")})(?![\\p{L}\\p{N}_/-])`, "giu");

/** The entry a word stands for, if any. */
export const entryOf = (word: string): GlossaryEntry | undefined => byWord.get(word.toLowerCase());

/**
 * `text` cut into plain pieces and terms, each entry at most once (`seen` carries the entries
 * already marked in the same block). Joining the pieces gives `text` back exactly.
 */
export function segments(text: string, seen: Set<GlossaryEntry> = new Set()): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const m of text.matchAll(PATTERN)) {
    const entry = byWord.get(m[0].toLowerCase())!;
    if (seen.has(entry)) continue;
    seen.add(entry);
    if (m.index > last) out.push({ text: text.slice(last, m.index) });
    out.push({ text: m[0], entry });
    last = m.index + m[0].length;
  }
  if (last < text.length || out.length === 0) out.push({ text: text.slice(last) });
  return out;
}

function skipped(el: Element): boolean {
  return (
    SKIP_TAGS.has(el.tagName.toUpperCase()) || el.classList.contains("term") || el.getAttribute("role") === "button" || el.hasAttribute("data-no-glossary")
  );
}

/** Marks the glossary's terms in the text under `root`; returns how many it marked. */
export function markTerms(root: Element): number {
  if (skipped(root)) return 0;
  let marked = 0;
  const walk = (el: Element, seen: Set<GlossaryEntry>) => {
    for (const child of [...el.childNodes]) {
      if (child.nodeType === Node.ELEMENT_NODE) {
        const c = child as Element;
        if (!skipped(c)) walk(c, BLOCK_TAGS.has(c.tagName) ? new Set() : seen);
      } else if (child.nodeType === Node.TEXT_NODE && child.nodeValue) {
        const parts = segments(child.nodeValue, seen);
        if (parts.length === 1 && !parts[0].entry) continue;
        const doc = el.ownerDocument;
        const frag = doc.createDocumentFragment();
        for (const p of parts) {
          if (!p.entry) {
            frag.append(doc.createTextNode(p.text));
            continue;
          }
          const span = doc.createElement("span");
          span.className = "term";
          span.tabIndex = 0;
          span.dataset.term = p.entry.term;
          span.setAttribute("aria-describedby", TIP_ID);
          span.textContent = p.text;
          frag.append(span);
          marked++;
        }
        child.replaceWith(frag);
      }
    }
  };
  walk(root, new Set());
  return marked;
}

let tip: HTMLElement | undefined;
let anchor: HTMLElement | undefined;
let pointer: { x: number; y: number } | undefined;

function tipElement(): HTMLElement {
  if (tip?.isConnected) return tip;
  tip = document.createElement("div");
  tip.id = TIP_ID;
  tip.setAttribute("role", "tooltip");
  tip.hidden = true;
  document.body.append(tip);
  return tip;
}

/** Shows the meaning of `term` beside it. */
function show(term: HTMLElement): void {
  const entry = entryOf(term.dataset.term ?? "");
  if (!entry) return;
  const t = tipElement();
  anchor = term;
  t.replaceChildren();
  const title = document.createElement("b");
  title.textContent = entry.term;
  t.append(title, document.createTextNode(`: ${entry.meaning}`));
  t.hidden = false;
  const r = term.getBoundingClientRect();
  const width = Math.min(340, window.innerWidth - 16);
  t.style.maxWidth = `${width}px`;
  t.style.left = `${Math.max(8, Math.min(r.left, window.innerWidth - width - 8))}px`;
  const below = r.bottom + 6;
  t.style.top = `${below}px`;
  // Above the term when it would not fit below.
  const h = t.getBoundingClientRect().height;
  if (below + h > window.innerHeight - 8) t.style.top = `${Math.max(8, r.top - h - 6)}px`;
}

export function hideTip(): void {
  if (tip) tip.hidden = true;
  anchor = undefined;
}

/**
 * After a box was re-rendered: a tooltip whose term was replaced follows the same term under the
 * pointer (the panels re-render while the player reads), or closes.
 */
export function refreshTip(): void {
  if (!anchor || anchor.isConnected) return;
  const under = pointer ? document.elementFromPoint(pointer.x, pointer.y)?.closest<HTMLElement>(".term") : null;
  if (under && under.dataset.term === anchor.dataset.term) show(under);
  else hideTip();
}

/** Wires the tooltip to the page once: hover, tap (click) and keyboard focus show it; Escape closes it. */
export function wireGlossary(doc: Document = document): void {
  const termOf = (e: Event) => (e.target instanceof Element ? e.target.closest<HTMLElement>(".term") : null);
  doc.addEventListener("pointermove", (e) => {
    pointer = { x: e.clientX, y: e.clientY };
  });
  doc.addEventListener("mouseover", (e) => {
    const t = termOf(e);
    if (t && t !== anchor) show(t);
  });
  doc.addEventListener("mouseout", (e) => {
    const t = termOf(e);
    if (t && t === anchor && doc.activeElement !== t && !t.contains(e.relatedTarget as Node)) hideTip();
  });
  doc.addEventListener("focusin", (e) => {
    const t = termOf(e);
    if (t) show(t);
  });
  doc.addEventListener("focusout", (e) => {
    if (termOf(e) === anchor) hideTip();
  });
  doc.addEventListener("click", (e) => {
    const t = termOf(e);
    if (t) show(t);
    else if (anchor) hideTip();
  });
  doc.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && anchor) hideTip();
  });
}
