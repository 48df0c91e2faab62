/**
 * The questions on the wire: the open question projected into the synchronised state (its right
 * answer and explanation only once revealed), the answers' counts (one map entry the host's view
 * holds until the reveal, views.ts), the guided step, and each student's exit check at the
 * debrief as a message of their own (the right answers only after their last answer).
 */
import type { Client } from "@colyseus/core";
import type { ArraySchema } from "@colyseus/schema";
import type { ExitCheckMessage } from "../../shared/protocol/serverMessages.ts";
import { TallyView, type ClusterRoomState } from "../../shared/protocol/state.ts";
import { answers, secondsLeft } from "../game/asking.ts";
import type { GameSession } from "../game/GameSession.ts";

/** The key of the open question's counts in the tally map. */
export const TALLY_KEY = "open";

function setList<T>(list: ArraySchema<T>, values: readonly T[]): void {
  if (list.length === values.length && values.every((v, i) => list[i] === v)) return;
  list.splice(0, list.length, ...values);
}

function set<T extends object, K extends keyof T>(target: T, key: K, value: T[K]): void {
  if (target[key] !== value) target[key] = value;
}

/** Writes the open question, its counts and the guided step into the state. */
export function projectQuestion(state: ClusterRoomState, session: GameSession): void {
  const open = session.quiz.open;
  const q = open ? session.quiz.question(open.question) : undefined;
  const view = state.question;
  set(view, "id", q?.id ?? "");
  set(view, "text", q?.text ?? "");
  setList(view.options, q?.options ?? []);
  const byKey = new Map([...session.players.values()].map((p) => [p.key, p.id]));
  setList(
    view.answered,
    Object.keys(open?.answers ?? {}).flatMap((key) => byKey.get(key) ?? []),
  );
  set(view, "answerers", [...session.players.values()].filter((p) => p.connected && answers(session, p)).length);
  const revealed = open?.revealed === true;
  set(view, "revealed", revealed);
  set(view, "answer", revealed && q ? q.answer : -1);
  set(view, "explain", revealed && q ? q.explain : "");
  set(view, "closesIn", secondsLeft(session, Date.now()));
  if (!q || !open) {
    state.tally.delete(TALLY_KEY);
  } else {
    if (state.tally.get(TALLY_KEY)?.question !== q.id) state.tally.set(TALLY_KEY, new TallyView({ question: q.id }));
    const counts = q.options.map((_, i) => Object.values(open.answers).filter((c) => c === i).length);
    setList(state.tally.get(TALLY_KEY)!.counts, counts);
  }
  const step = session.quiz.step();
  set(state.guide, "who", step?.who ?? "");
  set(state.guide, "does", step?.does ?? "");
  set(state.guide, "detail", step?.detail ?? "");
}

/** Whether a player receives the counts: the host always, everyone once the answer is revealed. */
export function seesTally(state: ClusterRoomState, session: GameSession, playerId: string): boolean {
  return session.players.get(playerId)?.host === true || state.question.revealed;
}

/** The player's exit check (undefined for a player who does not answer, or a scenario without one). */
export function exitCheckFor(session: GameSession, playerId: string): ExitCheckMessage | undefined {
  const p = session.players.get(playerId);
  const ids = session.quiz.file.exitCheck;
  if (!p || !answers(session, p) || ids.length === 0) return undefined;
  const questions = ids.flatMap((id) => {
    const q = session.quiz.question(id);
    return q ? [{ id, text: q.text, options: [...q.options] }] : [];
  });
  const answered: Record<string, number> = {};
  for (const a of session.answers()) if (a.kind === "exit" && a.player === p.key) answered[a.question] = a.choice;
  const done = ids.every((id) => answered[id] !== undefined);
  const review = done
    ? Object.fromEntries(ids.map((id) => [id, { answer: session.quiz.question(id)!.answer, explain: session.quiz.question(id)!.explain }]))
    : undefined;
  return { questions, answered, ...(review ? { review } : {}) };
}

/** Sends the exit check to `clients` (each their own). */
export function sendExitCheck(clients: Iterable<Client>, session: GameSession): void {
  for (const c of clients) {
    const msg = exitCheckFor(session, c.sessionId);
    if (msg) c.send("exitCheck", msg);
  }
}
