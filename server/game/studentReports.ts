/**
 * The student reports of a game, built from what the game kept: the input log (which requests
 * each player sent, from which seat), the student ledger (who held which seat when, the names
 * they wore, their refused requests), the checkpoint and exit-check answers, the scenario's
 * `teaches` declarations and "you against the bot". Pure and deterministic: the same inputs give
 * the same reports, bounded in size whatever the game.
 */
import type { AnswerRecord } from "../../shared/teaching/answers.ts";
import { concept } from "../../shared/teaching/concepts.ts";
import { TICK_MS } from "../../shared/sim/clock.ts";
import { playerOf, seatOf } from "../../shared/sim/counterfactual/holdings.ts";
import type { InputRecord } from "../../shared/sim/inputLog.ts";
import type { Scenario } from "../../shared/sim/scenarios/schema.ts";
import { seatRole } from "../../shared/sim/seats.ts";
import type { VsBotMessage } from "../../shared/protocol/serverMessages.ts";
import type { ClassReport, PractisedConcept, RefusalExample, ReportAnswer, StudentReport } from "../../shared/protocol/report.ts";
import type { LedgerStudent } from "./StudentLedger.ts";

/** Answers kept per student at most (a scenario asks a handful; the host may ask more). */
export const MAX_REPORT_ANSWERS = 50;
/** Refusals shown as examples per student at most: the first of each reason. */
export const MAX_REFUSAL_EXAMPLES = 5;

/** A question as the report needs it (from the scenario's question file). */
export interface QuestionInfo {
  text: string;
  options: readonly string[];
  concepts: readonly string[];
}

export interface ReportInput {
  room: ClassReport["room"];
  scenario: Pick<Scenario, "id" | "title" | "teaches">;
  inputLog: readonly InputRecord[];
  /** The student ledger's entries, by player key. */
  students: ReadonlyMap<string, Readonly<LedgerStudent>>;
  answers: readonly AnswerRecord[];
  question: (id: string) => QuestionInfo | undefined;
  vsBot?: VsBotMessage;
}

/** What a student did from their seats: requests by type, and the role|type pairs (for `teaches`). */
interface Doings {
  byType: Map<string, number>;
  roleActions: Set<string>;
}

/** Every student's report: those who held a seat, sent a request or answered a question; by nickname. */
export function studentReports(input: ReportInput): ClassReport {
  const doings = attribute(input.inputLog, input.students);
  const students: StudentReport[] = [];
  for (const [key, s] of input.students) {
    const did = doings.get(key);
    const answers = input.answers.filter((a) => a.player === key).slice(0, MAX_REPORT_ANSWERS);
    if (s.spans.length === 0 && !did && answers.length === 0) continue;
    students.push(reportOf(s, did, answers, input));
  }
  students.sort((a, b) => (a.nickname < b.nickname ? -1 : a.nickname > b.nickname ? 1 : 0));
  return { room: input.room, scenario: { id: input.scenario.id, title: input.scenario.title }, students };
}

/**
 * Each logged request goes to the student whose names include its actor; when several wore that
 * name (a nickname freed by a kick and taken again), to the one holding the request's seat then.
 */
function attribute(log: readonly InputRecord[], students: ReadonlyMap<string, Readonly<LedgerStudent>>): Map<string, Doings> {
  const out = new Map<string, Doings>();
  const byName = new Map<string, string[]>();
  for (const [key, s] of students) for (const name of s.names) byName.set(name, [...(byName.get(name) ?? []), key]);
  for (const rec of log) {
    if (rec.kind !== "request") continue;
    const keys = byName.get(playerOf(rec.actor));
    if (!keys) continue;
    const seat = seatOf(rec.who);
    const at = rec.tick * TICK_MS;
    const held = (key: string) => students.get(key)!.spans.some((sp) => sp.seat === seat && sp.fromMs <= at && (sp.toMs === null || at <= sp.toMs));
    const key = keys.length === 1 ? keys[0] : (keys.find(held) ?? keys[keys.length - 1]);
    let d = out.get(key);
    if (!d) out.set(key, (d = { byType: new Map(), roleActions: new Set() }));
    const type = (rec.request as { type: string }).type;
    d.byType.set(type, (d.byType.get(type) ?? 0) + 1);
    const role = seat ? seatRole(seat) : undefined;
    if (role) d.roleActions.add(`${role}|${type}`);
  }
  return out;
}

function reportOf(s: Readonly<LedgerStudent>, did: Doings | undefined, answers: readonly AnswerRecord[], input: ReportInput): StudentReport {
  const byType = Object.fromEntries([...(did?.byType ?? [])].sort(([a], [b]) => (a < b ? -1 : 1)));
  const reasons = Object.entries(s.refusals)
    .map(([reason, r]) => ({ reason, code: r.code, count: r.count }))
    .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
  const shown = answers.map((a) => answerOf(a, input.question));
  const tally = (kind: ReportAnswer["kind"]) => ({
    right: shown.filter((a) => a.kind === kind && a.correct).length,
    total: shown.filter((a) => a.kind === kind).length,
  });
  return {
    nickname: s.nickname,
    seats: s.spans.map((sp) => ({ ...sp })),
    actions: { total: [...(did?.byType.values() ?? [])].reduce((n, c) => n + c, 0), byType },
    refusals: { total: reasons.reduce((n, r) => n + r.count, 0), byReason: reasons, examples: firstOfEach(s.refusals) },
    vsBot: versusBotOf(s, input.vsBot),
    answers: shown,
    score: { checkpoint: tally("checkpoint"), exit: tally("exit") },
    concepts: practised(did, answers, input),
  };
}

/** The first refusal of each reason, in game order, at most MAX_REFUSAL_EXAMPLES. */
function firstOfEach(refusals: LedgerStudent["refusals"]): RefusalExample[] {
  return Object.values(refusals)
    .map((r) => ({ ...r.first }))
    .sort((a, b) => a.atMs - b.atMs)
    .slice(0, MAX_REFUSAL_EXAMPLES);
}

function answerOf(a: AnswerRecord, question: ReportInput["question"]): ReportAnswer {
  const q = question(a.question);
  return {
    question: a.question,
    text: q?.text ?? a.question,
    kind: a.kind,
    choice: a.choice,
    chosen: q?.options[a.choice] ?? "",
    correct: a.correct,
    atMs: a.atMs,
  };
}

/** The student's line of "you against the bot", found by any nickname they wore (the last first). */
function versusBotOf(s: Readonly<LedgerStudent>, m: VsBotMessage | undefined): StudentReport["vsBot"] {
  if (!m) return { status: "pending", summary: "Once the game is over, it is replayed with the bot in your seats to compare.", reactions: [] };
  if (m.status === "running") return { status: "pending", summary: "The game is being replayed with the bot in your seats…", reactions: [] };
  if (m.status === "refused") return { status: "none", summary: `No replay this time: ${m.message ?? "it could not be run"}.`, reactions: [] };
  const mine = [...s.names].reverse().flatMap((n) => m.players.filter((p) => p.nickname === n))[0];
  if (!mine || mine.seats.length === 0) return { status: "none", summary: "You held no seat: the bots played, so there is nothing to compare.", reactions: [] };
  return { status: "done", summary: mine.summary, reactions: mine.reactions.map((r) => ({ ...r })) };
}

/** Concepts whose declared action the student made from a seat of its role, and those of questions they answered right. */
function practised(did: Doings | undefined, answers: readonly AnswerRecord[], input: ReportInput): PractisedConcept[] {
  const how = new Map<string, Set<"did" | "answered">>();
  const add = (id: string, way: "did" | "answered") => how.set(id, (how.get(id) ?? new Set()).add(way));
  for (const [id, t] of Object.entries(input.scenario.teaches)) {
    if (t?.does.some((d) => did?.roleActions.has(`${d.seat}|${d.action}`))) add(id, "did");
  }
  for (const a of answers) if (a.correct) for (const id of input.question(a.question)?.concepts ?? []) add(id, "answered");
  return [...how]
    .flatMap(([id, ways]) => {
      const c = concept(id);
      return c ? [{ id, title: c.title, how: (["did", "answered"] as const).filter((w) => ways.has(w)) }] : [];
    })
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}
