/**
 * The questions' rules for players and host (messages answer, host.ask, host.reveal): who
 * answers (the players of a workshop; the player of a solo or watch game, whose answer reveals
 * itself), who asks and reveals (the host), and when (checkpoints and the host's questions during
 * the game, the exit check at the debrief). The questions themselves are the session's Quiz.
 */
import { conflict, forbidden, notFound, ok, type ApiResult } from "../../shared/sim/api/status.ts";
import type { GameSession, Player } from "./GameSession.ts";
import { CLASS_HOST } from "./sessionTypes.ts";

/** Whether this player answers the questions: not spectators; in a workshop not the host (who asks). */
export function answers(session: GameSession, p: Player | undefined): boolean {
  if (!p || p.spectator) return false;
  return session.options.mode === "workshop" ? !p.host : p.host;
}

/** A player's answer to the open question, or (at the debrief) to a question of the exit check. */
export function answerQuestion(session: GameSession, id: string, question: string, choice: number): ApiResult {
  const p = session.players.get(id);
  if (!p) return notFound("you are not in this room");
  if (p.spectator) return forbidden("spectators see the questions but do not answer them");
  if (!answers(session, p)) return forbidden("the host asks and reveals: the players answer");
  const exit = session.phase === "debrief";
  if (!exit && session.phase !== "paused") return conflict("there is no question to answer right now");
  const r = session.quiz.answer(p.key, question, choice, session.sim.now, exit);
  // Alone, the player's answer is the whole class's: the reveal follows at once. A team of a class
  // has no host beside it: its answer shows once every player there has answered.
  if (r.ok && !exit && (session.options.mode !== "workshop" || (hostless.has(session) && everyoneAnswered(session)))) session.quiz.reveal();
  return r;
}

/** The host pauses the game and asks a question of the scenario's bank. */
export function askQuestion(session: GameSession, id: string, question: string): ApiResult {
  if (!session.isHost(id)) return forbidden("only the host can ask the class a question");
  if (session.phase !== "running" && session.phase !== "paused")
    return conflict(
      session.phase === "debrief" ? "the game is over: the exit check is on the players' screens" : "questions are asked during the game: start it first",
    );
  const r = session.quiz.ask(question);
  if (r.ok) session.phase = "paused";
  return r;
}

/**
 * Games whose questions run without a host: a class's teams (server/room/teamLink.ts), whose host
 * is in the class room with twelve teams to watch. The answer shows once everyone has answered (or
 * the time is up), and the game goes on by itself once the players have had time to read it.
 */
export const hostless = new WeakSet<GameSession>();

/** How long a hostless game shows a revealed answer before it goes on, ms. */
export const READ_ANSWER_MS = 12_000;

/** When each hostless game's revealed question gives way to the game (wall-clock ms). */
const goesOnAt = new WeakMap<object, number>();

function everyoneAnswered(session: GameSession): boolean {
  const open = session.quiz.open;
  const answering = [...session.players.values()].filter((p) => p.connected && answers(session, p));
  return open !== undefined && answering.length > 0 && answering.every((p) => open.answers[p.key] !== undefined);
}

/** A hostless game's revealed question, read: the game goes on (or the next question opens). */
function goOn(session: GameSession, now: number): boolean {
  const open = session.quiz.open;
  if (!open?.revealed || !hostless.has(session) || session.phase !== "paused") return false;
  const at = goesOnAt.get(open) ?? now + READ_ANSWER_MS;
  goesOnAt.set(open, at);
  return now >= at && session.resume(CLASS_HOST).ok;
}

/** How long a workshop's class has to answer a question before it reveals itself, ms. */
export const ANSWER_MS = 90_000;
/** How much longer the host's "more time" gives, ms. */
export const EXTEND_MS = 30_000;

/**
 * The room's clock on the open question (called every loop with wall time): in a workshop the
 * answers close and the answer shows when the time is up. True when what the screens show changed
 * (the seconds left, or the reveal).
 */
export function timeQuestion(session: GameSession, now: number): boolean {
  const open = session.quiz.open;
  if (goOn(session, now)) return true;
  if (!open || open.revealed || session.options.mode !== "workshop") return false;
  // A class's team that no student plays in (bots only, the host perhaps watching): no one to ask,
  // so the game goes on at once rather than standing still for the answer time.
  if (hostless.has(session) && ![...session.players.values()].some((p) => answers(session, p))) {
    session.quiz.reveal();
    return session.resume(CLASS_HOST).ok;
  }
  if (open.closesAt === undefined) open.closesAt = now + ANSWER_MS;
  if (now >= open.closesAt) return session.quiz.reveal().ok;
  const left = secondsLeft(session, now);
  if (shown.get(session) === left) return false;
  shown.set(session, left);
  return true;
}

/** The seconds left each session's screens were last told. */
const shown = new WeakMap<GameSession, number>();

/** Whole seconds left to answer the open question (0: no deadline). */
export function secondsLeft(session: GameSession, now: number): number {
  const closesAt = session.quiz.open?.closesAt;
  return closesAt === undefined || session.quiz.open?.revealed ? 0 : Math.max(0, Math.ceil((closesAt - now) / 1000));
}

/** The host gives the class more time to answer. */
export function extendQuestion(session: GameSession, id: string): ApiResult {
  if (!session.isHost(id)) return forbidden("only the host can give more time");
  const open = session.quiz.open;
  if (!open || open.revealed) return conflict("there is no question taking answers");
  if (open.closesAt === undefined) return conflict("this question has no time limit");
  open.closesAt += EXTEND_MS;
  return ok(`${EXTEND_MS / 1000} s more to answer`);
}

/** The host shows everyone the right answer and its explanation. */
export function revealAnswer(session: GameSession, id: string): ApiResult {
  if (!session.isHost(id)) return forbidden("only the host can reveal the answer");
  return session.quiz.reveal();
}
