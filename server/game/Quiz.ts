/**
 * A game's questions (server/teaching/questions.ts): the scenario's prediction checkpoints, fired
 * when their moment comes (a game second, an event recorded or a request answered in a tick), the
 * question open on every screen and its answers, the guided step a revealed checkpoint leaves
 * (who must act, until they have), and every answer given — checkpoint and exit check — as the
 * student report reads them. It lives outside the simulation: a question pauses the game the way
 * the host's pause does, so the same seed and inputs give the same game with or without them.
 */
import { badRequest, conflict, notFound, ok, type ApiResult } from "../../shared/sim/api/status.ts";
import type { Move } from "./phases.ts";
import type { Simulation } from "../../shared/sim/Simulation.ts";
import type { AnswerRecord } from "../../shared/teaching/answers.ts";
import { questionsOf, type Checkpoint, type Moment, type Question, type QuestionFile } from "../teaching/questions.ts";

export type { AnswerRecord };

/** The question on every screen, with the answers given so far (by player key). */
export interface OpenQuestion {
  question: string;
  /** The checkpoint that asked it; absent when the host asked it from the bank. */
  checkpoint?: string;
  /** What set it off (the event's or the request's message), for the step panel. */
  detail: string;
  answers: Record<string, number>;
  revealed: boolean;
  /** Wall-clock ms at which a workshop's question stops taking answers and reveals itself (set by the room, asking.ts). */
  closesAt?: number;
}

/** A guided step: after its checkpoint's question, who must act and what they must do, until they have. */
export interface GuideStep {
  checkpoint: string;
  who: string;
  does: string;
  detail: string;
}

/** What is saved of the questions with the game. */
export interface QuizSnapshot {
  fired: string[];
  queue: { checkpoint: string; detail: string }[];
  open?: OpenQuestion;
  /** Steps whose component has not acted yet. */
  awaiting: GuideStep[];
  answers: AnswerRecord[];
}

/** What happened in the ticks since the last look: events (reason, object, message) and successful requests (type, message). */
interface Happened {
  now: number;
  events: { reason: string; object: string; message: string }[];
  requests: { type: string; message: string }[];
}

export class Quiz {
  readonly file: QuestionFile;
  private readonly fired: Set<string>;
  private queue: QuizSnapshot["queue"];
  open?: OpenQuestion;
  private awaiting: GuideStep[];
  /** Every answer given in this game, in order. */
  readonly answers: AnswerRecord[];
  private eventRevision: number;
  private requests: number;
  /** The game stops at the scenario's checkpoints (off: only the host's questions and the exit check). */
  readonly checkpoints: boolean;

  /** Questions for `sim`'s scenario (its checkpoints only when `checkpoints`); with `saved`, as they were when the game was saved. */
  constructor(sim: Simulation, saved?: QuizSnapshot, checkpoints = false) {
    this.checkpoints = checkpoints;
    this.file = questionsOf(sim.scenario.id);
    this.fired = new Set(saved?.fired ?? []);
    this.queue = [...(saved?.queue ?? [])];
    // A restarted room gives the open question a fresh time to answer (the old deadline is wall time of another process).
    this.open = saved?.open ? { ...saved.open } : undefined;
    delete this.open?.closesAt;
    this.awaiting = [...(saved?.awaiting ?? [])];
    this.answers = [...(saved?.answers ?? [])];
    // Whatever happened before now has been looked at (a restored game starts from its save).
    this.eventRevision = sim.state.revision;
    this.requests = sim.api.requestCount;
  }

  question(id: string): Question | undefined {
    return this.file.questions.find((q) => q.id === id);
  }

  private checkpoint(id: string | undefined): Checkpoint | undefined {
    return this.file.checkpoints.find((c) => c.id === id);
  }

  /**
   * After a tick: fires the checkpoints whose moment came, ends the steps whose component acted,
   * and opens the next question when none is open. True when a question waits for answers (the
   * game must pause).
   */
  observe(sim: Simulation): boolean {
    const waiting = (this.checkpoints && this.file.checkpoints.some((c) => !this.fired.has(c.id))) || this.awaiting.length > 0;
    if (!waiting) return this.open !== undefined;
    const seen = this.happened(sim);
    for (const cp of this.file.checkpoints) {
      if (this.fired.has(cp.id)) continue;
      const detail = matches(cp.at, seen);
      if (detail === undefined) continue;
      this.fired.add(cp.id);
      this.queue.push({ checkpoint: cp.id, detail });
      if (cp.step) this.awaiting.push({ checkpoint: cp.id, who: cp.step.who, does: cp.step.does, detail });
    }
    this.awaiting = this.awaiting.filter((s) => matches(this.checkpoint(s.checkpoint)!.step!.until, seen) === undefined);
    if (!this.open) this.openNext();
    return this.open !== undefined;
  }

  /** The events recorded and requests answered since the last look. */
  private happened(sim: Simulation): Happened {
    const seen: Happened = { now: sim.now, events: [], requests: [] };
    if (sim.state.revision > this.eventRevision) {
      for (const e of sim.state.events.values())
        if (e.metadata.resourceVersion > this.eventRevision) seen.events.push({ reason: e.reason, object: e.involvedObject.name, message: e.message });
      this.eventRevision = sim.state.revision;
    }
    const total = sim.api.requestCount;
    const audit = sim.api.recentAudit();
    for (const a of audit.slice(Math.max(0, audit.length - (total - this.requests))))
      if (a.code < 300) seen.requests.push({ type: a.type, message: a.message });
    this.requests = total;
    return seen;
  }

  private openNext(): void {
    const next = this.queue.shift();
    const cp = this.checkpoint(next?.checkpoint);
    if (next && cp) this.open = { question: cp.question, checkpoint: cp.id, detail: next.detail, answers: {}, revealed: false };
  }

  /** The step the players are shown: the latest one whose question has been answered and whose component has not acted yet. */
  step(): GuideStep | undefined {
    const asked = (s: GuideStep) => this.open?.checkpoint !== s.checkpoint && !this.queue.some((q) => q.checkpoint === s.checkpoint);
    return this.awaiting.filter(asked).at(-1);
  }

  /** The host asks a question of the bank now. */
  ask(question: string): ApiResult {
    const q = this.question(question);
    if (!q)
      return notFound(`there is no question ${question} in this scenario; its questions are ${this.file.questions.map((x) => x.id).join(", ") || "none"}`);
    if (this.open) return conflict("a question is already open: reveal its answer and resume first");
    this.open = { question, detail: "", answers: {}, revealed: false };
    return ok(`asking: ${q.text}`);
  }

  /** A player's answer to the open question (`exit`: to a question of the exit check, at the debrief). */
  answer(player: string, question: string, choice: number, atMs: number, exit: boolean): ApiResult {
    const q = this.question(question);
    if (exit) {
      if (!q || !this.file.exitCheck.includes(question)) return notFound(`${question} is not a question of this game's exit check`);
      if (this.answers.some((a) => a.kind === "exit" && a.player === player && a.question === question))
        return conflict("you have already answered this question: one answer each");
    } else {
      if (!this.open) return conflict("there is no question to answer right now");
      if (this.open.question !== question) return conflict("that question is no longer asked: answer the one on your screen");
      if (this.open.revealed) return conflict("the answer has been revealed: this question takes no more answers");
      if (this.open.answers[player] !== undefined) return conflict("you have already answered this question: one answer each");
    }
    if (!q || choice >= q.options.length) return badRequest(`pick one of the ${q?.options.length ?? 0} options (0 to ${(q?.options.length ?? 1) - 1})`);
    if (!exit) this.open!.answers[player] = choice;
    this.answers.push({ player, question, kind: exit ? "exit" : "checkpoint", choice, correct: choice === q.answer, atMs });
    return ok(exit ? "answer recorded" : "answer recorded: wait for the reveal");
  }

  /** Shows everyone the right answer and why. */
  reveal(): ApiResult {
    if (!this.open) return conflict("there is no question to reveal");
    if (this.open.revealed) return conflict("the answer is already revealed: resume the game when you are ready");
    this.open.revealed = true;
    const q = this.question(this.open.question)!;
    return ok(`the answer: ${q.options[q.answer]}`);
  }

  /** Why the host's move must wait (resuming while a question still takes answers), or undefined; the game's end closes every question. */
  holds(move: Move, solo: boolean): ApiResult | undefined {
    if (move === "end") this.end();
    if (move !== "resume" || !this.open || this.open.revealed) return undefined;
    return conflict(solo ? "answer the question first" : "the players are still answering: reveal the answer first");
  }

  /** The open question is done with; true when another checkpoint's question opens at once (the game stays paused). */
  close(): boolean {
    this.open = undefined;
    this.openNext();
    return this.open !== undefined;
  }

  /** The game is over: no question stays open (the exit check takes over). */
  end(): void {
    this.open = undefined;
    this.queue = [];
    this.awaiting = [];
  }

  snapshot(): QuizSnapshot {
    return {
      fired: [...this.fired],
      queue: this.queue.map((q) => ({ ...q })),
      ...(this.open ? { open: { ...this.open, answers: { ...this.open.answers } } } : {}),
      awaiting: this.awaiting.map((s) => ({ ...s })),
      answers: this.answers.map((a) => ({ ...a })),
    };
  }
}

/** What set a moment off in `seen` (a message, or "" for a game second), or undefined when it has not come. */
export function matches(m: Moment, seen: Happened): string | undefined {
  if ("sec" in m) return seen.now >= m.sec * 1000 ? "" : undefined;
  if ("event" in m) {
    const e = m.event;
    const hit = seen.events.find(
      (x) => x.reason === e.reason && (e.object === undefined || x.object === e.object) && (e.message === undefined || x.message.includes(e.message)),
    );
    return hit?.message;
  }
  const r = m.request;
  return seen.requests.find((x) => x.type === r.type && (r.message === undefined || x.message.includes(r.message)))?.message;
}
