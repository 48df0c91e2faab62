/**
 * The student report in the debrief: a student's own — seats held and when, requests by kind,
 * refused ones with the reasons in words, how fast their seats reacted against the bot, their
 * checkpoint and exit-check answers, and the concepts practised — with its downloads; for the
 * host, a table of every student, each one's report a click away, and the class downloads.
 */
import type { ClassReport, RefusalExample, SeatReaction, StudentReport } from "../../../shared/protocol/report.ts";
import { concept } from "../../../shared/teaching/concepts.ts";
import { clock, esc } from "./dom.ts";

/** A refusal's reason (the API server's Status reason), in words a learner reads. */
const REASON_WORDS: Record<string, string> = {
  BadRequest: "the request was malformed",
  Unauthorized: "the API server did not know who was asking (authentication)",
  Forbidden: "your component may not make that request (permission)",
  NotFound: "what it named was not there",
  MethodNotAllowed: "that cannot be done to this object",
  Conflict: "it clashed with the cluster's state at that moment",
  Invalid: "the API server found it invalid (validation)",
  TooManyRequests: "too many requests at once",
  ServiceUnavailable: "the control plane could not answer then",
  InternalError: "the API server failed on it",
};

/** What makes the report worth fetching again: "you against the bot" arriving, the exit check's review. */
export interface ReportSource {
  onVsBot(cb: () => void): void;
  onExitCheck?(cb: (m: { review?: unknown }) => void): void;
}

/**
 * Fills `el` with the report — the host's table, or a student's own (also a solo player's, who
 * hosts their game: `me` is their nickname) — again whenever "you against the bot" has news, and
 * once the exit check is answered whole (its answers are in the report only then, right or wrong).
 */
export function mountReport(el: HTMLElement, pin: string, token: string | undefined, host: boolean, me: string, source?: ReportSource): void {
  const url = (format: string, student?: string) =>
    `/api/rooms/${encodeURIComponent(pin)}/report.${format}?token=${encodeURIComponent(token ?? "")}${student === undefined ? "" : `&student=${encodeURIComponent(student)}`}`;
  let shown: string | undefined;
  let latest = 0;
  const load = async () => {
    // Only the latest answer is shown: an older one arriving late would undo "you against the bot".
    const mine = ++latest;
    const res = await fetch(url("json"), { cache: "no-store" });
    if (mine !== latest) return;
    if (!res.ok) {
      el.innerHTML = `<h3>${host ? "Students' reports" : "Your report"}</h3><p class="muted">Not available: ${esc(((await res.json()) as { message?: string }).message ?? res.status)}</p>`;
      return;
    }
    const r = (await res.json()) as ClassReport;
    if (mine !== latest) return;
    const alone = r.students.length === 1 && r.students[0].nickname === me;
    el.innerHTML = host && !alone ? classHtml(r, url) : ownHtml(r.students[0], url);
    if (shown !== undefined) showStudent(el, r, shown, url);
    for (const b of el.querySelectorAll<HTMLButtonElement>("[data-student]"))
      b.addEventListener("click", () => {
        shown = b.dataset.student!;
        showStudent(el, r, shown, url);
      });
  };
  void load();
  source?.onVsBot(() => void load());
  source?.onExitCheck?.((m) => {
    if (m.review) void load();
  });
}

type Url = (format: string, student?: string) => string;

function showStudent(el: HTMLElement, r: ClassReport, nickname: string, url: Url): void {
  const s = r.students.find((x) => x.nickname === nickname);
  const box = el.querySelector<HTMLElement>("#report-student");
  if (!s || !box) return;
  box.innerHTML = `<h4>${esc(s.nickname)}</h4>${studentHtml(s)}${downloads(url, s.nickname, "this report")}`;
  box.scrollIntoView({ block: "nearest" });
}

/** A student's own report, or a line saying there is nothing to report. */
function ownHtml(s: StudentReport | undefined, url: Url): string {
  const title = "<h3>Your report</h3>";
  if (!s) return `${title}<p class="muted">You held no seat and answered no question, so there is nothing to report.</p>`;
  return `${title}${studentHtml(s)}${downloads(url, undefined, "your report")}`;
}

function downloads(url: Url, student: string | undefined, what: string): string {
  return `<p class="report-links">Download ${what}: <a href="${esc(url("json", student))}" download>JSON</a> <a href="${esc(url("csv", student))}" download>CSV</a></p>`;
}

/** The host's view: one row a student, each with their report a click away; the class downloads. */
function classHtml(r: ClassReport, url: Url): string {
  const title = `<h3>Students' reports (${r.students.length})</h3>`;
  if (r.students.length === 0) return `${title}<p class="muted">No student held a seat or answered a question.</p>`;
  const rows = r.students
    .map(
      (s) => `<tr><td><b>${esc(s.nickname)}</b></td><td>${esc(s.seats.map((x) => x.seat).join(", ") || "—")}</td><td>${s.actions.total}</td>
        <td>${s.refusals.total}</td><td>${esc(s.vsBot.reactions.map(reactionShort).filter(Boolean).join("; ") || (s.vsBot.status === "pending" ? "…" : "—"))}</td>
        <td>${right(s.score.checkpoint)}</td><td>${right(s.score.exit)}</td><td>${s.concepts.length}</td>
        <td class="report-open"><button data-student="${esc(s.nickname)}">View</button> <a href="${esc(url("json", s.nickname))}" download>JSON</a></td></tr>`,
    )
    .join("");
  return `${title}<table class="report-class"><tr><th>Student</th><th>Seats</th><th>Actions</th><th>Refused</th><th>Against the bot</th><th>Checkpoints</th><th>Exit check</th><th>Concepts</th><th></th></tr>${rows}</table>
    <p class="report-links">Download every student: <a href="${esc(url("csv"))}" download>class CSV</a> <a href="${esc(url("json"))}" download>class JSON</a></p>
    <div id="report-student"></div>`;
}

const right = (t: { right: number; total: number }) => (t.total ? `${t.right}/${t.total}` : "—");
const value = (r: SeatReaction, x: number | null) => (x === null ? "never" : r.unit === "s" ? `${x} s` : `${x}`);
/** Neither game had anything to time in that seat (no pod to bind, replace or start). */
const untimed = (r: SeatReaction) => r.you === null && r.bot === null;
const reactionShort = (r: SeatReaction) => (untimed(r) ? "" : `${r.seat} ${value(r, r.you)} (bot ${value(r, r.bot)})`);

/** One student's report, readable: a row per part. */
export function studentHtml(s: StudentReport): string {
  const row = (label: string, html: string) => `<tr><th>${label}</th><td>${html}</td></tr>`;
  const seats = s.seats.map((x) => `${esc(x.seat)} <span class="muted">${clock(x.fromMs)}–${x.toMs === null ? "end" : clock(x.toMs)}</span>`).join(" · ");
  const kinds = Object.entries(s.actions.byType)
    .map(([type, n]) => `${esc(type)} ×${n}`)
    .join(", ");
  return `<table class="report">
    ${row("Seats held", seats || '<span class="muted">none</span>')}
    ${row("Requests sent", s.actions.total ? `${s.actions.total}: ${kinds}` : '<span class="muted">none</span>')}
    ${row("Refused", refusalsHtml(s))}
    ${row("Against the bot", vsBotHtml(s))}
    ${row("Answers", answersHtml(s))}
    ${row("Concepts practised", conceptsHtml(s))}
  </table>`;
}

function refusalsHtml(s: StudentReport): string {
  if (s.refusals.total === 0) return '<span class="muted">none: the API server accepted every request</span>';
  const reasons = s.refusals.byReason
    .map((r) => `<li>${r.count} × <b>${esc(r.reason)}</b> (${r.code}): ${esc(REASON_WORDS[r.reason] ?? r.reason)}</li>`)
    .join("");
  const example = (e: RefusalExample) => `<li><b>${clock(e.atMs)}</b> ${esc(e.seat)} ${esc(e.type)}: ${esc(e.message)}</li>`;
  return `${s.refusals.total} in all<ul>${reasons}</ul><details><summary>${s.refusals.examples.length === 1 ? "What the API server answered" : "The first of each reason, as the API server answered"}</summary><ul>${s.refusals.examples.map(example).join("")}</ul></details>`;
}

function vsBotHtml(s: StudentReport): string {
  const v = s.vsBot;
  if (v.status !== "done") return `<span class="muted">${esc(v.summary)}</span>`;
  const line = (r: SeatReaction) =>
    untimed(r)
      ? `<li>${esc(r.seat)}: ${esc(r.measure)} — <span class="muted">it never happened, with you or with the bot</span></li>`
      : `<li>${esc(r.seat)}: ${esc(r.measure)} — <b>${value(r, r.you)}</b> with you, ${value(r, r.bot)} with the bot</li>`;
  const reactions = v.reactions.map(line).join("");
  return `${esc(v.summary)}${reactions ? `<ul>${reactions}</ul><span class="muted">Averages over the whole game, the bot's stretches included.</span>` : ""}`;
}

function answersHtml(s: StudentReport): string {
  if (s.answers.length === 0) return '<span class="muted">no question answered</span>';
  const score = (label: string, t: { right: number; total: number }) => (t.total ? `${label} ${t.right} of ${t.total} right` : "");
  const tally = [score("checkpoints", s.score.checkpoint), score("exit check", s.score.exit)].filter(Boolean).join(" · ");
  const line = (a: StudentReport["answers"][number]) =>
    `<li class="${a.correct ? "ok" : "bad"}">${a.correct ? "✓" : "✗"} ${esc(a.text)} — ${a.chosen ? `you answered “${esc(a.chosen)}”` : `option ${a.choice + 1}`} <span class="muted">(${a.kind === "exit" ? "exit check" : `checkpoint at ${clock(a.atMs)}`})</span></li>`;
  return `${tally}<ul>${s.answers.map(line).join("")}</ul>`;
}

function conceptsHtml(s: StudentReport): string {
  if (s.concepts.length === 0) return '<span class="muted">none in this game</span>';
  const how = (h: readonly string[]) => h.map((x) => (x === "did" ? "did it" : "answered right")).join(", ");
  return s.concepts
    .map((c) => `<span class="chip" title="${esc(concept(c.id)?.meaning ?? "")}">${esc(c.title)} <span class="muted">(${how(c.how)})</span></span>`)
    .join(" ");
}
