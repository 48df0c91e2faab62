/**
 * The welcome a player receives on joining: who they are in this game (their secret key to come
 * back with, the host's token for the host, their kubectl token) and the scenario's texts.
 */
import type { AskedQuestion, Welcome } from "../../shared/protocol/serverMessages.ts";
import type { GameSession } from "../game/GameSession.ts";
import { questionsOf, scenariosWithQuestions } from "../teaching/questions.ts";

/** Every scenario's questions as the host may ask them: text and options, never the answer. */
function questionBanks(): Record<string, AskedQuestion[]> {
  return Object.fromEntries(
    scenariosWithQuestions().map((id) => [id, questionsOf(id).questions.map((q) => ({ id: q.id, text: q.text, options: [...q.options] }))]),
  );
}

export function welcomeOf(session: GameSession, playerId: string, playerKey: string, nickname: string, host: boolean): Welcome {
  const sc = session.sim.scenario;
  return {
    playerId,
    // The player's identity: kept by the client (per PIN) and sent back as playerKey to come back.
    playerKey,
    nickname,
    host,
    hostToken: host ? session.hostToken : undefined,
    apiToken: session.apiTokenOf(playerId),
    pin: session.pin,
    scenario: { id: sc.id, title: sc.title, summary: sc.summary, intro: sc.intro, debrief: sc.debrief, hints: sc.hints, win: sc.win },
    ...(host ? { questions: questionBanks() } : {}),
  };
}
