/**
 * The questions' rules for players and host (messages answer, host.ask, host.reveal): who
 * answers (the players of a workshop; the player of a solo or watch game, whose answer reveals
 * itself), who asks and reveals (the host), and when (checkpoints and the host's questions during
 * the game, the exit check at the debrief). The questions themselves are the session's Quiz.
 */
import { conflict, forbidden, notFound, type ApiResult } from "../../shared/sim/api/status.ts";
import type { GameSession, Player } from "./GameSession.ts";

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
  // Alone, the player's answer is the whole class's: the reveal follows at once.
  if (r.ok && !exit && session.options.mode !== "workshop") session.quiz.reveal();
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

/** The host shows everyone the right answer and its explanation. */
export function revealAnswer(session: GameSession, id: string): ApiResult {
  if (!session.isHost(id)) return forbidden("only the host can reveal the answer");
  return session.quiz.reveal();
}
