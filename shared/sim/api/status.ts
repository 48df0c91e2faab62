/**
 * Answers of the API server, shaped like Kubernetes' Status: a code, a machine reason and a
 * message a learner can act on.
 */

export type FailureReason =
  | "BadRequest"
  | "Unauthorized"
  | "Forbidden"
  | "NotFound"
  | "MethodNotAllowed"
  | "Conflict"
  | "AlreadyExists"
  | "Invalid"
  | "TooManyRequests"
  | "ServiceUnavailable"
  | "InternalError";

const CODES: Record<FailureReason, number> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  Conflict: 409,
  AlreadyExists: 409,
  Invalid: 422,
  TooManyRequests: 429,
  ServiceUnavailable: 503,
  InternalError: 500,
};

export interface ApiSuccess {
  ok: true;
  code: 200 | 201;
  message: string;
  /** The name of the object a create made (its name is chosen by the API server). */
  name?: string;
}

/** One field a 422 is about, as Kubernetes lists it in a Status' details.causes. */
export interface FieldCause {
  field: string;
  message: string;
}

export interface ApiFailure {
  ok: false;
  code: number;
  reason: FailureReason;
  message: string;
  /** For a 422: every failing field, one cause each. */
  causes?: FieldCause[];
}

export type ApiResult = ApiSuccess | ApiFailure;

export function ok(message: string, code: 200 | 201 = 200, name?: string): ApiSuccess {
  return name === undefined ? { ok: true, code, message } : { ok: true, code, message, name };
}

export function fail(reason: FailureReason, message: string): ApiFailure {
  return { ok: false, code: CODES[reason], reason, message };
}

export const badRequest = (m: string) => fail("BadRequest", m);
export const unauthorized = (m: string) => fail("Unauthorized", m);
export const forbidden = (m: string) => fail("Forbidden", m);
export const notFound = (m: string) => fail("NotFound", m);
export const conflict = (m: string) => fail("Conflict", m);
export const invalid = (m: string) => fail("Invalid", m);
export const unavailable = (m: string) => fail("ServiceUnavailable", m);
export const alreadyExists = (m: string) => fail("AlreadyExists", m);

/** A 422 naming each failing field: "spec.selector: Required value; …". */
export function invalidFields(causes: FieldCause[]): ApiFailure {
  return { ...invalid(causes.map((c) => `${c.field}: ${c.message}`).join("; ")), causes };
}

/** "403 Forbidden: …" — how the game prints an answer. */
export function describeResult(r: ApiResult): string {
  return r.ok ? `${r.code} OK: ${r.message}` : `${r.code} ${r.reason}: ${r.message}`;
}
