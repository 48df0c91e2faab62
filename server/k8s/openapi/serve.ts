/**
 * The OpenAPI routes, public like discovery: /openapi/v2 (protobuf when asked for, JSON
 * otherwise), /openapi/v3 (the index) and /openapi/v3/<group version>, each built and gzipped
 * once. Every answer carries its hash as ETag (an unchanged document is a 304); a v3 document fetched with its current
 * ?hash= may be cached for good, and an out-of-date hash is redirected to the current one, as
 * the real API server does.
 */
import type { Request, Response } from "express";
import { fail } from "../../../shared/sim/api/status.ts";
import { sendStatus } from "../http.ts";
import { openApiDocuments, type OpenApiDocuments, type Served } from "./documents.ts";

/** A year, in seconds: how long a hashed v3 document may be kept. */
const IMMUTABLE_MAX_AGE_SEC = 365 * 24 * 3600;

function send(req: Request, res: Response, doc: Served, immutable = false): void {
  // The documents are large (the v2 one ~100 KB) and compress well: gzipped when the client takes it, as kubectl does.
  const gzip = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
  const etag = gzip ? `"${doc.etag}-gzip"` : `"${doc.etag}"`;
  res.setHeader("Content-Type", doc.contentType);
  res.setHeader("ETag", etag);
  res.setHeader("Vary", "Accept, Accept-Encoding");
  if (gzip) res.setHeader("Content-Encoding", "gzip");
  if (immutable) {
    res.setHeader("Cache-Control", `public, immutable, max-age=${IMMUTABLE_MAX_AGE_SEC}`);
    res.setHeader("Expires", new Date(Date.now() + IMMUTABLE_MAX_AGE_SEC * 1000).toUTCString());
  }
  // As Go's http.ServeContent does, whatever Cache-Control the request carries (fetch adds no-cache).
  const known = String(req.headers["if-none-match"] ?? "")
    .split(",")
    .map((t) => t.trim().replace(/^W\//, ""));
  if (known.includes(etag) || known.includes("*")) res.status(304).end();
  else res.status(200).send(gzip ? doc.gzipped : doc.body);
}

/** Whether the Accept header allows JSON: none, any type, any application type, or JSON itself. */
const acceptsJson = (accept: string) => accept === "" || /(^|,)\s*(\*\/\*|application\/\*|application\/json)/.test(accept);

/** Serves /openapi/<rest>; `rest` is the path after "openapi". */
export function serveOpenApi(rest: string[], req: Request, res: Response): void {
  const docs = openApiDocuments();
  const accept = String(req.headers.accept ?? "");
  if (rest.length === 1 && rest[0] === "v2") send(req, res, accept.includes("com.github.proto-openapi.spec.v2") ? docs.v2Proto : docs.v2Json);
  else if (rest.length === 1 && rest[0] === "v3") send(req, res, docs.v3Index);
  else groupVersion(rest, docs, accept, req, res);
}

function groupVersion(rest: string[], docs: OpenApiDocuments, accept: string, req: Request, res: Response): void {
  const key = rest.slice(1).join("/");
  const doc = rest[0] === "v3" ? docs.v3.get(key) : undefined;
  const hash = typeof req.query.hash === "string" ? req.query.hash : undefined;
  if (!doc) {
    const served = `/openapi/v2, /openapi/v3 and /openapi/v3/{${[...docs.v3.keys()].join(",")}}`;
    sendStatus(res, fail("NotFound", `the server could not find the requested resource: this game's API serves ${served}`));
  } else if (!acceptsJson(accept)) {
    sendStatus(res, { code: 406, reason: "NotAcceptable", message: "the OpenAPI v3 documents are served as application/json only" });
  } else if (hash !== undefined && hash !== doc.etag) {
    // Relative to this room's API (/k8s/<PIN>), which the client's server URL already includes.
    res.setHeader("Location", `${req.baseUrl}/openapi/v3/${key}?hash=${doc.etag}`);
    res.status(301).end();
  } else send(req, res, doc, hash !== undefined);
}
