/**
 * The question box (client/src/ui/question.ts) over a real session's projected state: what each
 * person in the room is offered while a checkpoint's question is open.
 */
import { expect } from "chai";
import { questionBox } from "../../client/src/ui/question.ts";
import type { State } from "../../client/src/ui/panels/common.ts";
import { hostless } from "../../server/game/asking.ts";
import { GameSession, type Player } from "../../server/game/GameSession.ts";
import { projectQuestion } from "../../server/room/teaching.ts";
import { ClusterRoomState } from "../../shared/protocol/state.ts";

/** A started workshop of node-down paused at its first checkpoint, as the room's state shows it. */
function atCheckpoint(team: boolean): State {
  const s = new GameSession({ mode: "workshop", scenario: "node-down", difficulty: "normal", seed: 7, questions: true });
  if (team) hostless.add(s);
  s.join("h", "Host", { host: true, now: 0 }) as Player;
  s.join("a", "Ada", { now: 0 }) as Player;
  s.start("h");
  s.start("h");
  for (let i = 0; i < 400 && s.phase === "running"; i++) s.advance(1000);
  expect(s.quiz.open, "a checkpoint's question").to.not.equal(undefined);
  const state = new ClusterRoomState();
  Object.assign(state, { mode: "workshop" });
  projectQuestion(state, s);
  return state as unknown as State;
}

const actions = (html: string) => [...html.matchAll(/data-action="([^"]+)"/g)].map((m) => m[1]);

describe("the question box", () => {
  it("offers the class's host in a team's game the way back to the class beside Reveal, under the overlay that hides the top bar's", () => {
    const html = questionBox(atCheckpoint(true), { id: "h", host: true, spectator: false, team: true });
    expect(actions(html)).to.include.members(["host.reveal", "leave"]);
    expect(html).to.match(/Back to the class/);
  });

  it("keeps a workshop's own host, and a team's student, where they are", () => {
    expect(actions(questionBox(atCheckpoint(false), { id: "h", host: true, spectator: false }))).to.not.include("leave");
    const student = actions(questionBox(atCheckpoint(true), { id: "a", host: false, spectator: false, team: true }));
    expect(student).to.include("answer").and.not.include("leave");
  });
});
