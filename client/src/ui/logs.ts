/**
 * The three log panes under the map: the API server's requests, etcd's writes and the cluster's
 * events, newest first. An API log line is cut to one line with four marks for the API server's
 * checks; a click (or Enter/Space) opens it whole with each check's verdict — identity,
 * permission, validation, stored at revision N — and it stays open while newer lines arrive.
 */
import type { LogLine } from "../../../shared/protocol/state.ts";
import { checkVerdicts, refusedAtOf, type CheckVerdict, type StagedLine } from "../../../shared/sim/api/stages.ts";
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

/** A line's record of the four checks, decoded from the wire (shared/sim/api/stages.ts). */
const stagedOf = (l: LogLine): StagedLine => ({
  user: l.user,
  type: l.type,
  code: l.code,
  message: l.message,
  refusedAt: refusedAtOf(l.refused),
  revision: l.revision,
  writes: l.writes,
});

const MARK: Record<CheckVerdict["verdict"], string> = { passed: "✓", refused: "✗", skipped: "·" };

/** The four marks on a folded line: how far the request went (✓ passed, ✗ refused, · not reached). */
function gauge(verdicts: readonly CheckVerdict[]): string {
  const title = verdicts.map((v) => `${v.check} ${v.verdict}`).join(", ");
  return `<span class="gauge" title="${esc(title)}">${verdicts.map((v) => `<i class="${v.verdict}">${MARK[v.verdict]}</i>`).join("")}</span>`;
}

/** An opened line: identity → permission → validation → stored, each with its verdict. */
function checksOf(verdicts: readonly CheckVerdict[]): string {
  const items = verdicts.map((v) => `<li class="${v.verdict}"><b>${MARK[v.verdict]} ${v.check}</b> ${esc(v.text)}</li>`);
  return `<ol class="checks" aria-label="the API server's four checks">${items.join("")}</ol>`;
}

function apiLine(l: LogLine, ui: Ui): string {
  const key = lineKey(l);
  const open = ui.openLog?.has(key) ?? false;
  const verdicts = checkVerdicts(stagedOf(l));
  // Opened, a refusal's message is said once, under the check that refused it.
  const message = open && l.refused ? "" : ` ${esc(l.message)}`;
  const head = `${clock(l.time)} ${gauge(verdicts)} ${esc(l.actor || l.user)} ${esc(l.verb)} ${esc(l.path.replace("/api/v1/namespaces/default", ""))} → ${l.code}${message}`;
  const attrs = `data-action="log.open" data-line="${esc(key)}" data-fold="log|${esc(key)}" role="button" tabindex="0" aria-expanded="${open}"`;
  const title = open ? "click to fold" : "click to see the API server's four checks";
  return `<div class="code${String(l.code)[0]} line ${open ? "open" : ""}" ${attrs} title="${title}">${head}${open ? checksOf(verdicts) : ""}</div>`;
}

export function renderLogs(app: HTMLElement, s: State, ui: Ui): void {
  const api = [...(s.apiLog ?? [])]
    .slice(-LOG_LINES)
    .reverse()
    .map((l) => apiLine(l, ui));
  render(
    app.querySelector("#apilog")!,
    `<b>API log</b> <span class="muted">every request: who → may it → valid → stored; open a line for the checks</span>${api.join("")}`,
  );
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
