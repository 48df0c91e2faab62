/**
 * The last error handler of the HTTP routes: every failure is answered in JSON, never with
 * Express' HTML page and stack trace. A store or directory outage is 503 "the store is
 * unreachable" (try again later); anything else is a 500 that names no internals and is logged.
 */
import type { ErrorRequestHandler } from "express";
import { StoreUnavailable } from "../store/ClusterStore.ts";

/** What a client is told when the store (or the room directory on it) does not answer. */
export function unreachableMessage(err: StoreUnavailable): string {
  return err.message.startsWith("the store is unreachable") ? err.message : `the store is unreachable (${err.message}): try again in a moment`;
}

export function jsonErrors(log: (line: string) => void): ErrorRequestHandler {
  return (err: Error & { status?: number; statusCode?: number; expose?: boolean }, req, res, _next) => {
    if (res.headersSent) return void res.end();
    if (err instanceof StoreUnavailable) {
      res.setHeader("Retry-After", "5");
      return void res.status(503).json({ message: unreachableMessage(err) });
    }
    // Errors Express made itself for the request (a malformed or oversized body) keep their 4xx.
    const status = err.status ?? err.statusCode;
    if (typeof status === "number" && status >= 400 && status < 500) {
      return void res.status(status).json({ message: err.expose ? err.message : "the request is malformed" });
    }
    log(`${req.method} ${req.path} failed: ${err.stack ?? err}`);
    res.status(500).json({ message: "the server could not answer this request (a bug, now logged)" });
  };
}
