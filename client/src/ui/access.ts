/**
 * The game screen for screen readers: two live regions — polite for answers and incidents (the
 * cluster's Warning events), assertive for the API server's refusals — and the cluster map as
 * text, an off-screen list of the nodes and their pods kept up to date as the state changes (the
 * canvas itself says nothing to a screen reader).
 */
import type { Answer } from "../net/connection.ts";
import { esc } from "./dom.ts";
import { list, type State } from "./panels/common.ts";

/** The most incidents read out at once (a burst of events is summed up after these). */
const MAX_SAID_EVENTS = 3;

export interface Access {
  /** A panel's answer: a refusal is said at once, an acceptance politely. */
  answer(panel: string, a: Answer): void;
  /** Any other line for the panel (a shortcut that could do nothing says why). */
  say(panel: string, ok: boolean, message: string): void;
  /** Follows the state: new incidents said, the map's text brought up to date. */
  tick(s: State): void;
}

/** A live region that is said again even when its words repeat (a live region speaks on change). */
function sayIn(el: HTMLElement, text: string): void {
  el.textContent = el.textContent === text ? `${text} ` : text;
}

/** How long a live region is in the page before it first speaks, ms (a screen reader misses words put in a region as it appears). */
const FIRST_SAY_MS = 200;

/**
 * The page's own polite live region (team mode's class lobby): on the body, outside the screens,
 * so what it says outlives the lobby's re-renders and the move into the team's game.
 */
export function pageSay(text: string): void {
  const old = document.getElementById("page-say");
  if (old) {
    sayIn(old, text);
    return;
  }
  const el = document.createElement("div");
  el.className = "sr-only";
  el.id = "page-say";
  el.setAttribute("role", "status");
  el.setAttribute("aria-live", "polite");
  document.body.append(el);
  if (text) setTimeout(() => sayIn(el, text), FIRST_SAY_MS);
}

/** Adds the live regions and the map's text to the game screen `root`. */
export function wireAccess(root: HTMLElement): Access {
  const region = (role: "status" | "alert", live: "polite" | "assertive", id: string) => {
    const el = document.createElement("div");
    el.className = "sr-only";
    el.id = id;
    el.setAttribute("role", role);
    el.setAttribute("aria-live", live);
    root.appendChild(el);
    return el;
  };
  const polite = region("status", "polite", "say");
  const urgent = region("alert", "assertive", "say-now");
  const mapText = document.createElement("section");
  mapText.className = "sr-only";
  mapText.id = "map-text";
  mapText.setAttribute("aria-label", "the cluster map as text");
  root.appendChild(mapText);

  const say = sayIn;
  let seenEvents = -1;
  let lastEvent = "";

  return {
    answer(panel, a) {
      if (a.ok) say(polite, `${panel}: ${a.message}`);
      else say(urgent, `${panel}: refused, ${a.code} ${a.reason ?? ""}: ${a.message}`);
    },
    say(panel, ok, message) {
      say(ok ? polite : urgent, `${panel}: ${message}`);
    },
    tick(s) {
      const html = mapTextHtml(s);
      if (mapText.dataset.html !== html) {
        mapText.innerHTML = html;
        mapText.dataset.html = html;
      }
      // New Warning events since the last look (the log keeps its last lines: compare by the newest one's key).
      const events = [...(s.events ?? [])];
      const key = (e: (typeof events)[number]) => `${e.time}|${e.reason}|${e.object}|${e.message}`;
      const at = events.findLastIndex((e) => key(e) === lastEvent);
      const fresh = seenEvents < 0 ? [] : events.slice(at + 1).filter((e) => e.type === "Warning");
      seenEvents = events.length;
      lastEvent = events.length ? key(events[events.length - 1]) : lastEvent;
      if (!fresh.length) return;
      const told = fresh.slice(-MAX_SAID_EVENTS).map((e) => `${e.reason} ${e.object}: ${e.message}`);
      say(polite, `Incident: ${told.join(". ")}${fresh.length > MAX_SAID_EVENTS ? `, and ${fresh.length - MAX_SAID_EVENTS} more` : ""}`);
    },
  };
}

/** The map as a list: each node with its state and pods, then the pods waiting for a node. */
export function mapTextHtml(s: State): string {
  const pods = list(s.pods);
  const podsOn = (node: string) => pods.filter((p) => p.node === node);
  const podText = (p: (typeof pods)[number]) => `${p.name} ${p.phase}${p.ready ? ", ready" : ""}${p.reason ? `, ${p.reason}` : ""}`;
  const nodes = list(s.nodes).map((n) => {
    const on = podsOn(n.name);
    const state = n.ready === "True" ? "Ready" : n.ready === "False" ? "NotReady" : "status unknown";
    const room = `CPU ${n.cpuRequested} of ${n.cpuAllocatable} millicores requested, memory ${n.memoryRequested} of ${n.memoryAllocatable} MiB`;
    const cordon = n.unschedulable ? ", cordoned" : "";
    return `<li>${esc(n.name)}, ${n.role === "control-plane" ? "control plane" : "worker"}, ${state}${cordon}; ${room}; ${on.length ? `pods: ${on.map((p) => esc(podText(p))).join("; ")}` : "no pods"}</li>`;
  });
  const pending = pods.filter((p) => !p.node);
  return `<h2>The cluster map</h2><p>${pending.length ? `Waiting for a node: ${pending.map((p) => esc(p.name)).join(", ")}` : "No pod waits for a node."}</p><ul>${nodes.join("")}</ul>`;
}
