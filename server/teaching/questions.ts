/**
 * Questions as data: each scenario's question file (server/teaching/questions/<scenario>.json)
 * holds its bank of multiple-choice questions, the prediction checkpoints that pause the game to
 * ask one (at a game second, when an event is recorded, or when an API request is answered) and
 * the 3–5 questions of the exit check at the debrief. Validated here with zod and with the rules
 * a schema cannot say (unique ids, answers in range, references that exist, known concepts).
 * Server-side only: the files hold the right answers, which no client may receive before the reveal.
 */
import { readdirSync, readFileSync } from "node:fs";
import { z } from "zod";
import { CONCEPT_IDS } from "../../shared/teaching/concepts.ts";

/** Fewest and most options a question offers. */
export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 5;
/** Fewest and most questions in a scenario's exit check. */
export const MIN_EXIT = 3;
export const MAX_EXIT = 5;

const id = z.string().regex(/^[a-z0-9-]{1,60}$/, "ids use lowercase letters, digits and -");

export const QuestionSchema = z.object({
  id,
  text: z.string().min(1).max(300),
  options: z.array(z.string().min(1).max(160)).min(MIN_OPTIONS).max(MAX_OPTIONS),
  /** Index of the right option. */
  answer: z.number().int().min(0),
  /** Why the answer is right, in a sentence or two (shown at the reveal). */
  explain: z.string().min(1).max(600),
  /** Concept ids (shared/teaching/concepts.ts) the question checks. */
  concepts: z.array(z.string()).min(1),
});
export type Question = z.infer<typeof QuestionSchema>;

/** An event recorded by the simulation: its reason, and optionally its object and a piece of its message. */
const EventMatch = z.object({ reason: z.string().min(1), object: z.string().optional(), message: z.string().optional() });
/** An API request answered with success: its type (shared/sim/api/requests.ts), optionally a piece of its answer. */
const RequestMatch = z.object({ type: z.string().min(1), message: z.string().optional() });

/** When something happens: at a game second, when an event is recorded, or when a request succeeds. */
export const MomentSchema = z.union([
  z.object({ sec: z.number().min(0) }).strict(),
  z.object({ event: EventMatch }).strict(),
  z.object({ request: RequestMatch }).strict(),
]);
export type Moment = z.infer<typeof MomentSchema>;

export const CheckpointSchema = z.object({
  id,
  question: id,
  at: MomentSchema,
  /**
   * A guided step (the first-pod tour): once the question is answered, the step panel shows who
   * must act and what they must do, until `until` happens.
   */
  step: z.object({ who: z.string().min(1).max(60), does: z.string().min(1).max(200), until: MomentSchema }).optional(),
});
export type Checkpoint = z.infer<typeof CheckpointSchema>;

export const QuestionFileSchema = z.object({
  scenario: z.string().regex(/^[a-z0-9-]+$/),
  questions: z.array(QuestionSchema).min(1),
  checkpoints: z.array(CheckpointSchema),
  exitCheck: z.array(id),
});
export type QuestionFile = z.infer<typeof QuestionFileSchema>;

/** Whether concept ids are checked against the catalogue (on: shared/teaching/concepts.ts has landed). */
export const CHECK_CONCEPTS = true;

/** What is wrong with a question file, in words (empty: nothing). */
export function questionFileProblems(raw: unknown, knownConcepts: readonly string[] = CHECK_CONCEPTS ? CONCEPT_IDS : []): string[] {
  const parsed = QuestionFileSchema.safeParse(raw);
  if (!parsed.success) return parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  const f = parsed.data;
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const q of f.questions) {
    if (ids.has(q.id)) problems.push(`question id ${q.id} is used twice`);
    ids.add(q.id);
    if (q.answer >= q.options.length) problems.push(`${q.id}: answer ${q.answer} is not one of its ${q.options.length} options`);
    if (new Set(q.options).size !== q.options.length) problems.push(`${q.id}: two options say the same`);
    const known = new Set(knownConcepts);
    for (const c of q.concepts) if (knownConcepts.length && !known.has(c)) problems.push(`${q.id}: unknown concept ${c}`);
  }
  const cps = new Set<string>();
  for (const cp of f.checkpoints) {
    if (cps.has(cp.id) || ids.has(cp.id)) problems.push(`checkpoint id ${cp.id} is used twice`);
    cps.add(cp.id);
    if (!ids.has(cp.question)) problems.push(`checkpoint ${cp.id} asks ${cp.question}, which is not in the file`);
  }
  if (f.exitCheck.length < MIN_EXIT || f.exitCheck.length > MAX_EXIT)
    problems.push(`the exit check has ${f.exitCheck.length} questions: it needs ${MIN_EXIT} to ${MAX_EXIT}`);
  if (new Set(f.exitCheck).size !== f.exitCheck.length) problems.push("the exit check names a question twice");
  for (const q of f.exitCheck) if (!ids.has(q)) problems.push(`the exit check names ${q}, which is not in the file`);
  return problems;
}

/** Where the question files are: one `<scenario-id>.json` per scenario, read as they are (a new file needs no import). */
export const QUESTIONS_DIR = new URL("./questions/", import.meta.url);

/** Every question file's parsed JSON, by file name. */
export function rawQuestionFiles(): Map<string, unknown> {
  const files = readdirSync(QUESTIONS_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort();
  return new Map(files.map((f) => [f, JSON.parse(readFileSync(new URL(f, QUESTIONS_DIR), "utf8")) as unknown]));
}

let bank: ReadonlyMap<string, QuestionFile> | undefined;

function load(): ReadonlyMap<string, QuestionFile> {
  if (!bank) {
    bank = new Map(
      [...rawQuestionFiles()].map(([file, raw]) => {
        const problems = questionFileProblems(raw);
        if (problems.length) throw new Error(`${file} is invalid: ${problems.join("; ")}`);
        const f = QuestionFileSchema.parse(raw);
        if (file !== `${f.scenario}.json`) throw new Error(`${file} holds the questions of ${f.scenario}: name it ${f.scenario}.json`);
        return [f.scenario, f];
      }),
    );
  }
  return bank;
}

/** A scenario's questions, checkpoints and exit check (none for a scenario without a file). */
export function questionsOf(scenario: string): QuestionFile {
  return load().get(scenario) ?? { scenario, questions: [], checkpoints: [], exitCheck: [] };
}

/** Scenarios that have a question file. */
export function scenariosWithQuestions(): string[] {
  return [...load().keys()];
}

/** One question of a scenario's bank. */
export function questionOf(scenario: string, question: string): Question | undefined {
  return questionsOf(scenario).questions.find((q) => q.id === question);
}
