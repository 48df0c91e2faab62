/** Small DOM helpers shared by the screens. */
import { markTerms, refreshTip } from "./glossary.ts";

export function esc(s: unknown): string {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

export function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/**
 * A press (mouse button or finger down) in progress, and the renders held back until it ends:
 * replacing the pressed button between the press and the release would lose the click (the
 * release lands on a new element, so the browser fires no click on either), as when a student
 * taps "Look at the cluster" just as the join address arrives and the overlay is drawn again.
 */
const press = { target: undefined as Node | undefined, held: new Map<HTMLElement, string>(), timer: 0 };
/** A press this long is not a click: the renders go on (a finger resting on the screen). */
const PRESS_HOLD_MS = 1_500;

function endPress(): void {
  if (!press.target) return;
  press.target = undefined;
  clearTimeout(press.timer);
  // After the click that this release fires (same task), draw what was held back.
  setTimeout(() => {
    const held = [...press.held];
    press.held.clear();
    for (const [box, html] of held) render(box, html);
  });
}

if (typeof document !== "undefined") {
  document.addEventListener(
    "pointerdown",
    (e) => {
      press.target = e.target instanceof Node ? e.target : undefined;
      clearTimeout(press.timer);
      press.timer = window.setTimeout(endPress, PRESS_HOLD_MS);
    },
    true,
  );
  for (const type of ["pointerup", "pointercancel"]) document.addEventListener(type, endPress, true);
  window.addEventListener("blur", endPress);
}

/**
 * Sets innerHTML only when it changed, never while the user is in one of its drop-downs, and
 * keeps every drop-down's choice across the change (so a host picking a chaos target is not
 * interrupted by the game moving on), and never under a press in progress (the click would be
 * lost: see `press`). The seed's terms in the new text are marked for the
 * glossary (glossary.ts), and a term that had the keyboard focus keeps it.
 */
export function render(el: Element, html: string): void {
  const box = el as HTMLElement;
  if (press.target && box.contains(press.target)) {
    press.held.set(box, html);
    return;
  }
  press.held.delete(box);
  if (box.dataset.html === html) return;
  const active = document.activeElement;
  if (active && active.tagName === "SELECT" && box.contains(active)) return;
  const keep = new Map<string, string>();
  for (const s of box.querySelectorAll<HTMLSelectElement>("select")) keep.set(keyOf(s), s.value);
  // A keyboard user on a panel's fold header keeps the focus there across the re-render.
  const focusedFold = active && box.contains(active) ? (active as HTMLElement).dataset.fold : undefined;
  // So does a keyboard user on any other control (a pod chip, a Bind or Take button): the same action on the same object.
  const focusedControl = active && box.contains(active) && focusedFold === undefined ? controlKey(active as HTMLElement) : "";
  const focusedTerm = active && box.contains(active) && active.classList.contains("term") ? [...box.querySelectorAll(".term")].indexOf(active) : -1;
  box.innerHTML = html;
  box.dataset.html = html;
  markTerms(box);
  if (focusedFold !== undefined) box.querySelector<HTMLElement>(`[data-fold="${CSS.escape(focusedFold)}"]`)?.focus();
  if (focusedTerm >= 0) box.querySelectorAll<HTMLElement>(".term")[focusedTerm]?.focus();
  if (focusedControl)
    [...box.querySelectorAll<HTMLElement>("[data-action],[data-drag-player],[data-drop-seat]")].find((el) => controlKey(el) === focusedControl)?.focus();
  refreshTip();
  for (const s of box.querySelectorAll<HTMLSelectElement>("select")) {
    const v = keep.get(keyOf(s));
    if (v !== undefined && [...s.options].some((o) => o.value === v)) s.value = v;
  }
}

/** A control's identity across re-renders: its action and the objects it names ("" for none). */
function controlKey(el: HTMLElement): string {
  const d = el.dataset;
  const action = d.action ?? (d.dragPlayer ? "pick" : d.dropSeat ? "place" : "");
  return action ? [action, d.pod, d.node, d.seat, d.deployment, d.service, d.player, d.mode, d.dragPlayer, d.dropSeat, d.team].join("|") : "";
}

function keyOf(s: HTMLSelectElement): string {
  return s.dataset.field ?? s.dataset.assign ?? s.name;
}
