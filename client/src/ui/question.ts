/**
 * The question on every screen while the game stops for it (a checkpoint's or the host's): a
 * student picks an option and waits for the reveal; the host watches the answers arrive (counts
 * per option and who has answered, not who chose what) and reveals, then resumes; alone, the
 * reveal follows the answer and the player continues. Spectators read it without answering.
 * Also the guided tour's step panel: who must act next and what they must do.
 */
import { esc } from "./dom.ts";
import { btn, type State } from "./panels/common.ts";

/** What this screen chose, by question id (the state says who answered, never what). */
const chosen = new Map<string, number>();

/** Remembers the option this player sent for a question. */
export function noteChoice(question: string, choice: number): void {
  chosen.set(question, choice);
}

/** Who looks; `team`: a team of a class, whose questions run without a host (server/game/asking.ts). */
type Me = { id: string; host: boolean; spectator: boolean; team?: boolean };

/** The question box (empty when no question is open). */
export function questionBox(s: State, me: Me): string {
  const q = s.question;
  if (!q?.id) return "";
  const solo = s.mode !== "workshop";
  const answers = !me.spectator && (solo ? me.host : !me.host);
  const mine = chosen.get(q.id) ?? (q.answered.includes(me.id) ? -2 : undefined);
  const counts = s.tally?.get("open")?.counts;
  const options = [...q.options]
    .map((text, i) => {
      const right = q.revealed && i === q.answer;
      const wrong = q.revealed && mine === i && i !== q.answer;
      const cls = `option${right ? " right" : ""}${wrong ? " wrong" : ""}${mine === i ? " mine" : ""}`;
      const count = counts && (me.host || q.revealed) ? `<span class="count">${counts[i] ?? 0}</span>` : "";
      const mark = right ? " ✓" : wrong ? " ✗" : "";
      const open = answers && mine === undefined && !q.revealed;
      return open
        ? `<button class="${cls}" data-action="answer" data-question="${esc(q.id)}" data-choice="${i}">${esc(text)}</button>`
        : `<div class="${cls}">${count}${esc(text)}${mark}</div>`;
    })
    .join("");
  const who = [...q.answered].map((id) => s.players.get(id)?.nickname ?? "?");
  const status = q.revealed
    ? `<p class="explain"><b>${mine === undefined || mine === -2 ? "" : mine === q.answer ? "Right. " : "Not quite. "}</b>${esc(q.explain)}</p>${
        me.host ? "" : `<p class="muted">${me.team ? "The game goes on by itself in a few seconds." : "The host resumes the game when the class is ready."}</p>`
      }`
    : answers && mine !== undefined
      ? `<p class="muted">Your answer is in. ${solo ? "" : me.team ? "The right one shows once your whole team has answered." : "Wait for the host to reveal the right one."}</p>`
      : me.spectator
        ? `<p class="muted">Spectators see the question; the players answer it.</p>`
        : "";
  const host =
    me.host && !solo ? `<p class="muted answered">${q.answered.length} of ${q.answerers} answered${who.length ? `: ${who.map(esc).join(", ")}` : ""}</p>` : "";
  const controls = !me.host
    ? ""
    : q.revealed
      ? btn(solo ? "Continue" : "Resume the game", { action: "host.resume" }, "primary")
      : solo
        ? ""
        : `${btn("Reveal the answer", { action: "host.reveal" }, "primary")} ${q.closesIn ? btn("+30 s", { action: "host.extend" }) : ""}`;
  // The class's host looking into one team's game is not held there by its question: the way back
  // (the top bar's, under the overlay) is here too; the team's question goes on without them.
  const away = me.host && me.team ? ` ${btn("Back to the class", { action: "leave" })}` : "";
  return `<div class="overlay question-overlay"><div class="box question" id="question-box">
    <div class="muted label">The game is paused for a question${q.closesIn && !q.revealed ? ` · <span class="closes">${q.closesIn} s left to answer</span>` : ""}</div>
    <h2>${esc(q.text)}</h2>
    <div class="options">${options}</div>${status}${host}
    <div class="controls">${controls}${away}</div></div></div>`;
}

/** The guided tour's current step, as a panel at the top of the side column (empty: no step). */
export function guidePanel(s: State): string {
  const g = s.guide;
  if (!g?.who) return "";
  return `<div class="panel guide" id="guide"><h3><span>Next step: ${esc(g.who)}</span></h3><p>${esc(g.who.charAt(0).toUpperCase() + g.who.slice(1))} must ${esc(g.does)}.</p>${
    g.detail ? `<p class="muted">Last: ${esc(g.detail)}</p>` : ""
  }</div>`;
}
