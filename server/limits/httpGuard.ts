/**
 * The front door of every HTTP request, before any route sees it: the client's address is
 * stamped on the request (Colyseus' matchmaker reads X-Real-IP, which is otherwise whatever the
 * client wrote), a gate may answer it first (the PIN guard on the matchmaker's join routes), and
 * no route receives a body over its limit — a declared Content-Length over it
 * is answered 413 at once, and the matchmaker's body (create and join options) is read here,
 * counted as it arrives, so a chunked upload cannot grow past the limit either.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { EventEmitter } from "node:events";
import { stampAddress } from "./clientAddress.ts";

/** Largest request body any route accepts, bytes (the Kubernetes API's manifests are the largest). */
export const MAX_BODY_BYTES = 64 * 1024;
/** Largest body of a matchmaker request (create or join options: a few short fields), bytes. */
export const MATCHMAKE_BODY_BYTES = 4 * 1024;
/**
 * Bytes of an oversized upload read and thrown away so the client gets to read its 413 (a client
 * still sending when the connection closes sees a broken pipe, not the answer); past this the
 * connection is cut.
 */
const DRAIN_BYTES = 8 * 1024 * 1024;

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

const isMatchmake = (req: IncomingMessage) => req.method === "POST" && (req.url ?? "").startsWith("/matchmake/");

/** The limit a request's body is held to. */
export function bodyLimitOf(req: IncomingMessage): number {
  return isMatchmake(req) ? MATCHMAKE_BODY_BYTES : MAX_BODY_BYTES;
}

/** Answers 413 and throws the rest of the upload away (or cuts it off when it is huge). */
function tooLarge(req: IncomingMessage, res: ServerResponse, limit: number, read = 0): void {
  const message = `the request body is larger than ${limit / 1024} KB: send less`;
  const cut = Number(req.headers["content-length"] ?? 0) > DRAIN_BYTES;
  res.writeHead(413, { "Content-Type": "application/json", ...(cut ? { Connection: "close" } : {}) });
  // A Kubernetes Status (kubectl prints its message) that the game's clients read as { message } too.
  res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason: "RequestEntityTooLarge", code: 413 }));
  if (cut) return void res.on("finish", () => req.socket.destroy());
  let drained = read;
  req.on("data", (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_BYTES) req.socket.destroy();
  });
  req.on("error", () => undefined);
}

/** Reads a matchmaker body up to its limit; undefined (and answered 413) when it is larger. */
function readBody(req: IncomingMessage, res: ServerResponse, limit: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off("data", onData);
        tooLarge(req, res, limit, size);
        resolve(undefined);
      } else chunks.push(chunk);
    };
    req.on("data", onData);
    req.on("end", () => size <= limit && resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", () => resolve(undefined));
  });
}

/** A check that may answer a request itself before any route (returning true): the matchmaker's routes are Colyseus', without middleware. */
export type Gate = (req: IncomingMessage, res: ServerResponse, address: string) => boolean;

export interface GuardOptions {
  /** Reverse proxies in front of the server, believed in X-Forwarded-For (limits/clientAddress.ts). */
  trustedProxies: number;
  gate?: Gate;
}

/**
 * Puts the guard in front of every request handler `server` has now (call it once the
 * server's routes are bound), and stamps WebSocket upgrades with the client's address.
 */
export function guardHttp(server: EventEmitter, opts: GuardOptions): void {
  const handlers = server.listeners("request") as Listener[];
  server.removeAllListeners("request");
  const pass = (req: IncomingMessage, res: ServerResponse) => {
    for (const handler of handlers) handler.call(server, req, res);
  };
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const address = stampAddress(req, opts.trustedProxies);
    if (opts.gate?.(req, res, address)) return;
    const limit = bodyLimitOf(req);
    if (Number(req.headers["content-length"] ?? 0) > limit) return tooLarge(req, res, limit);
    if (!isMatchmake(req)) return pass(req, res);
    // Colyseus' matchmaker reads a body it finds on the request instead of the stream.
    void readBody(req, res, limit).then((body) => {
      if (body === undefined) return;
      // No body at all asks with no options, as an empty JSON object does.
      (req as IncomingMessage & { body?: string }).body = body === "" ? "{}" : body;
      pass(req, res);
    });
  });
  server.prependListener("upgrade", (req: IncomingMessage) => void stampAddress(req, opts.trustedProxies));
}
