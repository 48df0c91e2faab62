/**
 * The API server's four checks, as the API log shows them: every request is first
 * authenticated (who is calling?), then authorised (may that caller make this request?), then
 * validated against the cluster as it is (can it be done?), and only then stored in etcd at a
 * new revision. A request refused at one check never reaches the next, so nothing is stored.
 * The record is three small numbers per log line; the words are made here, on whichever side
 * shows them (the client's API log, tests).
 */
import { describeVerb } from "./authorize.ts";
import type { RequestType } from "./requests.ts";

/** The checks, in the order the API server makes them. */
export const CHECKS = ["identity", "permission", "validation", "stored"] as const;
export type Check = (typeof CHECKS)[number];

/** How far a request went through the checks, and what it stored. */
export interface RequestStages {
  /** The check that refused it; "" when it passed every one. */
  refusedAt: Check | "";
  /** The etcd revision of its last write (0: it stored nothing). */
  revision: number;
  /** How many keys it wrote (their revisions run up to `revision`). */
  writes: number;
}

/** A request that passed every check and stored nothing (a read). */
export const READ_STAGES: RequestStages = { refusedAt: "", revision: 0, writes: 0 };

/** The wire form of `refusedAt`: 0 for none, else 1 + the check's index (one byte per log line). */
export const refusedCode = (refusedAt: Check | ""): number => (refusedAt === "" ? 0 : CHECKS.indexOf(refusedAt) + 1);
/** `refusedAt` back from its wire form (an unknown code reads as none). */
export const refusedAtOf = (code: number): Check | "" => CHECKS[code - 1] ?? "";

/** What one check said about one request. */
export interface CheckVerdict {
  check: Check;
  /** passed; refused (the request stopped here); skipped (an earlier check refused it). */
  verdict: "passed" | "refused" | "skipped";
  text: string;
}

/** The API log line the verdicts are read from (an AuditEntry or a LogLine with decoded stages). */
export interface StagedLine extends RequestStages {
  user: string;
  /** The request type, "read" (kubectl's reads) or "invalid" (a request that could not be read). */
  type: string;
  code: number;
  message: string;
}

/** Requests that read and never write, even when they succeed. */
const READS: ReadonlySet<string> = new Set(["read", "syncRules"]);

function passedText(check: Check, line: StagedLine): string {
  switch (check) {
    case "identity":
      return line.user === "anonymous" ? "anonymous" : `authenticated as ${line.user}`;
    case "permission":
      if (line.type === "read") return `${line.user} may read: everyone in the game may read the cluster`;
      if (line.type === "invalid") return "nothing to authorise: the request could not be read";
      return `${line.user} may ${describeVerb({ type: line.type as RequestType })}`;
    case "validation":
      return "valid: the request makes sense against the cluster as it is";
    case "stored":
      if (line.writes === 0) return READS.has(line.type) ? "read only: nothing stored" : "nothing changed: nothing stored";
      if (line.writes === 1) return `written to etcd at revision ${line.revision}`;
      return `${line.writes} keys written to etcd, revisions ${line.revision - line.writes + 1}–${line.revision}`;
  }
}

/** What each of the four checks said about a request, in order. */
export function checkVerdicts(line: StagedLine): CheckVerdict[] {
  const stop = line.refusedAt === "" ? CHECKS.length : CHECKS.indexOf(line.refusedAt);
  return CHECKS.map((check, i): CheckVerdict => {
    if (i < stop) return { check, verdict: "passed", text: passedText(check, line) };
    if (i > stop) return { check, verdict: "skipped", text: check === "stored" ? "nothing stored" : "not reached" };
    return { check, verdict: "refused", text: refusalText(check, line) };
  });
}

const CODE_WORDS: Record<number, string> = {
  400: "bad request",
  401: "unauthenticated",
  403: "forbidden",
  404: "not found",
  409: "conflict",
  422: "invalid",
  429: "too many requests",
  500: "internal error",
  503: "unavailable",
};

function refusalText(check: Check, line: StagedLine): string {
  const head = `${line.code} ${CODE_WORDS[line.code] ?? "refused"}`;
  return check === "stored" ? `${head}, nothing stored: ${line.message}` : `${head}: ${line.message}`;
}
