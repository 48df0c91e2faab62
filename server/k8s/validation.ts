/**
 * The Kubernetes API server's own validation of what a write sends, applied before anything
 * reaches the game: object names, labels and annotations (apimachinery's ObjectMeta rules) and a
 * pod's container names and images. A body that breaks a rule is refused with 422 and the
 * message a real API server gives (`metadata.labels: Invalid value: "…": must be no more than 63
 * characters`), so no oversized or malformed string is ever handed to the game, stored or logged.
 * Values are quoted shortened in answers: a refusal never repeats a 60 KB label back.
 */
import { invalid, type ApiFailure } from "../../shared/sim/api/status.ts";

type Any = Record<string, any>;

/** A refusal, with the field it is about (kubectl prints it). */
export type FieldRefusal = ApiFailure & { field: string };

/** Longest label value and label-key name part (Kubernetes' LabelValueMaxLength, qualified name). */
export const MAX_LABEL_LENGTH = 63;
/** Longest DNS-1123 subdomain: object names and label-key prefixes (Kubernetes' DNS1123SubdomainMaxLength). */
export const MAX_SUBDOMAIN_LENGTH = 253;
/** Most bytes all annotations of an object may hold together (Kubernetes' TotalAnnotationSizeLimitB). */
export const MAX_ANNOTATIONS_BYTES = 256 * 1024;
/** Longest value quoted back in an answer, characters; longer ones are shortened with "…". */
export const MAX_QUOTED = 40;

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const LABEL_VALUE_RULE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const NAME_PART_RULE =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const SUBDOMAIN_RULE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS_LABEL_RULE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

/** A value as an answer may show it: JSON-quoted, shortened past MAX_QUOTED characters. */
export function quoted(value: unknown): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  return text.length <= MAX_QUOTED ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, MAX_QUOTED))}… (${text.length.toLocaleString("en")} characters)`;
}

/** kubectl prints a refusal as `The Pod "x" is invalid: <field>: <message>`. */
const refusal = (field: string, message: string): FieldRefusal => ({ ...invalid(message), field });
const invalidValue = (field: string, value: unknown, why: string) => refusal(field, `Invalid value: ${quoted(value)}: ${why}`);

/** Why `name` is not a DNS-1123 subdomain (an object name), or undefined. */
function subdomainProblem(name: string): string | undefined {
  if (name.length > MAX_SUBDOMAIN_LENGTH) return `must be no more than ${MAX_SUBDOMAIN_LENGTH} characters`;
  return SUBDOMAIN.test(name) ? undefined : SUBDOMAIN_RULE;
}

/** Whether a name in a URL could name an object at all (one that cannot is simply not found). */
export function isObjectName(name: string): boolean {
  return name.length > 0 && subdomainProblem(name) === undefined;
}

/** A label or annotation key: an optional DNS-subdomain prefix and "/", then a name part. */
function keyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf("/");
  const [prefix, name] = slash >= 0 ? [key.slice(0, slash), key.slice(slash + 1)] : [undefined, key];
  if (prefix !== undefined) {
    if (prefix === "") return "prefix part must be non-empty";
    const p = subdomainProblem(prefix);
    if (p) return `prefix part ${p}`;
  }
  if (name === "") return "name part must be non-empty";
  if (name.length > MAX_LABEL_LENGTH) return `name part must be no more than ${MAX_LABEL_LENGTH} characters`;
  return NAME_PART.test(name) ? undefined : NAME_PART_RULE;
}

function labelsProblem(labels: unknown): FieldRefusal | undefined {
  const field = "metadata.labels";
  if (labels === undefined || labels === null) return undefined;
  if (typeof labels !== "object" || Array.isArray(labels)) return invalidValue(field, labels, "labels are a map of strings to strings");
  for (const [key, value] of Object.entries(labels as Any)) {
    const k = keyProblem(key);
    if (k) return invalidValue(field, key, k);
    if (typeof value !== "string") return invalidValue(field, value, "a label's value must be a string");
    if (value.length > MAX_LABEL_LENGTH) return invalidValue(field, value, `must be no more than ${MAX_LABEL_LENGTH} characters`);
    if (!LABEL_VALUE.test(value)) return invalidValue(field, value, LABEL_VALUE_RULE);
  }
  return undefined;
}

function annotationsProblem(annotations: unknown): FieldRefusal | undefined {
  const field = "metadata.annotations";
  if (annotations === undefined || annotations === null) return undefined;
  if (typeof annotations !== "object" || Array.isArray(annotations)) return invalidValue(field, annotations, "annotations are a map of strings to strings");
  let bytes = 0;
  for (const [key, value] of Object.entries(annotations as Any)) {
    const k = keyProblem(key.toLowerCase());
    if (k) return invalidValue(field, key, k);
    if (typeof value !== "string") return invalidValue(field, value, "an annotation's value must be a string");
    bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  return bytes > MAX_ANNOTATIONS_BYTES ? refusal(field, `Too long: must have at most ${MAX_ANNOTATIONS_BYTES} bytes`) : undefined;
}

/** An object's metadata: name, generateName, namespace, labels and annotations. */
export function metadataProblem(metadata: unknown): FieldRefusal | undefined {
  if (metadata === undefined || metadata === null) return undefined;
  if (typeof metadata !== "object" || Array.isArray(metadata)) return invalidValue("metadata", metadata, "metadata must be an object");
  const m = metadata as Any;
  for (const field of ["name", "generateName", "namespace"] as const) {
    const value = m[field];
    if (value === undefined || value === "") continue;
    if (typeof value !== "string") return invalidValue(`metadata.${field}`, value, "must be a string");
    // generateName is a prefix: the server adds five characters, so a trailing '-' is fine.
    const name = field === "generateName" ? `${value}x` : value;
    const p = field === "namespace" ? dnsLabelProblem(name) : subdomainProblem(name);
    if (p) return invalidValue(`metadata.${field}`, value, p);
  }
  return labelsProblem(m.labels) ?? annotationsProblem(m.annotations);
}

function dnsLabelProblem(name: string): string | undefined {
  if (name.length > MAX_LABEL_LENGTH) return `must be no more than ${MAX_LABEL_LENGTH} characters`;
  return DNS_LABEL.test(name) ? undefined : DNS_LABEL_RULE;
}

/** A pod's containers: each has a DNS-label name and an image. */
export function containersProblem(spec: unknown): FieldRefusal | undefined {
  if (spec === undefined || spec === null) return undefined;
  if (typeof spec !== "object" || Array.isArray(spec)) return invalidValue("spec", spec, "spec must be an object");
  const containers = (spec as Any).containers;
  if (containers === undefined) return undefined;
  if (!Array.isArray(containers)) return invalidValue("spec.containers", containers, "containers are a list");
  for (const [i, c] of containers.entries()) {
    const at = `spec.containers[${i}]`;
    if (typeof c !== "object" || c === null) return invalidValue(at, c, "a container is an object");
    if (typeof c.name !== "string" || c.name === "") return refusal(`${at}.name`, "Required value");
    const p = dnsLabelProblem(c.name);
    if (p) return invalidValue(`${at}.name`, c.name, p);
    if (typeof c.image !== "string" || c.image === "") return refusal(`${at}.image`, "Required value");
    if (c.image.trim() !== c.image) return invalidValue(`${at}.image`, c.image, "must not have leading or trailing whitespace");
  }
  return undefined;
}

/** Everything the API server checks in an object body before it acts on it. */
export function bodyProblem(body: unknown, kind: string): FieldRefusal | undefined {
  if (body === undefined || body === null || typeof body !== "object" || Array.isArray(body)) return undefined;
  const b = body as Any;
  return metadataProblem(b.metadata) ?? (kind === "Pod" ? containersProblem(b.spec) : undefined);
}
