/**
 * The exit check at the debrief: the scenario's 3–5 questions on each student's own screen, one
 * at a time (the debrief below stays in view). Each answer is sent once; after the last one the
 * room sends the right answers, and every question shows whether it was right, with the explanation.
 */
import type { ExitCheckMessage } from "../../../shared/protocol/serverMessages.ts";
import type { Answer } from "../net/connection.ts";
import { esc } from "./dom.ts";

/** What the exit check needs of the connection. */
export interface ExitCheckSource {
  exitCheck?: ExitCheckMessage;
  onExitCheck(cb: (m: ExitCheckMessage) => void): void;
  send(type: "answer", payload: { question: string; choice: number }): Promise<Answer>;
}

function html(m: ExitCheckMessage, error: string): string {
  const next = m.questions.findIndex((q) => m.answered[q.id] === undefined);
  // One question at a time until all are answered; then all of them, each with its verdict.
  const shown = next >= 0 ? [m.questions[next]] : m.questions;
  const items = shown.map((q) => {
    const mine = m.answered[q.id];
    const review = m.review?.[q.id];
    const options = q.options
      .map((text, i) => {
        if (mine === undefined) return `<button class="option" data-exit="${esc(q.id)}" data-choice="${i}">${esc(text)}</button>`;
        const right = review?.answer === i;
        const wrong = review !== undefined && mine === i && !right;
        return `<div class="option${mine === i ? " mine" : ""}${right ? " right" : ""}${wrong ? " wrong" : ""}">${esc(text)}${right ? " ✓" : wrong ? " ✗" : ""}</div>`;
      })
      .join("");
    const verdict = review ? `<p class="explain"><b>${mine === review.answer ? "Right." : "Not quite."}</b> ${esc(review.explain)}</p>` : "";
    return `<li class="exit-question" data-question="${esc(q.id)}"><p>${esc(q.text)}</p><div class="options">${options}</div>${verdict}</li>`;
  });
  const score = m.review ? `${m.questions.filter((q) => m.answered[q.id] === m.review![q.id]?.answer).length} of ${m.questions.length} right` : "";
  return `<h3>Check your understanding</h3>
    <p class="muted">${next >= 0 ? `Question ${next + 1} of ${m.questions.length}: the right answers show once you have answered them all.` : score}</p>
    <ul class="exit-list">${items.join("")}</ul>${error ? `<p class="bad">${esc(error)}</p>` : ""}`;
}

/** Shows the exit check in `el` (nothing for the host, spectators and watchers: they receive none). */
export function mountExitCheck(el: HTMLElement, source: ExitCheckSource): void {
  let error = "";
  const draw = () => {
    if (source.exitCheck) el.innerHTML = html(source.exitCheck, error);
  };
  source.onExitCheck(draw);
  el.addEventListener("click", async (e) => {
    const b = (e.target as HTMLElement).closest<HTMLElement>("[data-exit]");
    if (!b) return;
    const a = await source.send("answer", { question: b.dataset.exit!, choice: Number(b.dataset.choice) });
    error = a.ok ? "" : a.message;
    draw();
  });
  draw();
}
