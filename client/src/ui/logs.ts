/**
 * The three panes under the map: the API server's requests, the etcd panel (etcdPanel.ts) and the
 * cluster's events, newest first. An API log line is cut to one line; a click opens it whole (and closes it
 * again), and it stays open while newer lines arrive.
 */
import type { LogLine } from "../../../shared/protocol/state.ts";
import { clock, esc, render } from "./dom.ts";
import { etcdPanel } from "./etcdPanel.ts";
import type { State, Ui } from "./panels/common.ts";

/** Lines each pane shows. */
const LOG_LINES = 14;

/** The most API log lines kept open at once (older choices are forgotten first). */
const MAX_OPEN_LINES = 20;

/** A line's identity across re-renders (its index moves as lines arrive). */
const lineKey = (l: LogLine) => `${l.time}|${l.actor || l.user}|${l.verb}|${l.path}|${l.code}`;

/** Opens or closes an API log line, by its key. */
export function toggleLogLine(ui: Ui, key: string): void {
  ui.openLog ??= new Set();
  if (!ui.openLog.delete(key)) ui.openLog.add(key);
  while (ui.openLog.size > MAX_OPEN_LINES) ui.openLog.delete(ui.openLog.values().next().value!);
}

export function renderLogs(app: HTMLElement, s: State, ui: Ui): void {
  const api = [...(s.apiLog ?? [])]
    .slice(-LOG_LINES)
    .reverse()
    .map((l) => {
      const key = lineKey(l);
      const open = ui.openLog?.has(key);
      return `<div class="code${String(l.code)[0]} line ${open ? "open" : ""}" data-action="log.open" data-line="${esc(key)}" title="${open ? "click to fold" : "click to read the whole line"}">${clock(l.time)} ${esc(l.actor || l.user)} ${esc(l.verb)} ${esc(l.path.replace("/api/v1/namespaces/default", ""))} → ${l.code} ${esc(l.message)}</div>`;
    });
  render(app.querySelector("#apilog")!, `<b>API log</b> <span class="muted">click a line to read it whole</span>${api.join("")}`);
  render(app.querySelector("#etcd")!, etcdPanel(s));
  render(
    app.querySelector("#events")!,
    `<b>Events</b>${[...(s.events ?? [])]
      .slice(-LOG_LINES)
      .reverse()
      .map((e) => `<div class="${e.type === "Warning" ? "warn" : ""}">${clock(e.time)} ${esc(e.reason)} ${esc(e.object)}: ${esc(e.message)}</div>`)
      .join("")}`,
  );
}
