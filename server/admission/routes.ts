/**
 * The HTTP doors that tell whether a PIN is live, each behind the PIN guard: the PIN look-up, the
 * debrief and student-report downloads (which also need a token: the host's for all of it, a
 * player's for their own row), the matchmaker's join routes (refused outright while the client
 * is out of guesses) and the rooms' Kubernetes API (whose kubectl tokens still work while the
 * guard refuses strangers).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Request, RequestHandler, Response } from "express";
import type { Debrief } from "../game/debrief.ts";
import type { ClassReport } from "../../shared/protocol/report.ts";
import { bearer } from "../k8s/http.ts";
import { addressOf } from "../limits/clientAddress.ts";
import { sendRefusal, type PinGuard, type Refusal } from "./PinGuard.ts";

const PIN = /^\d{6}$/;

export interface LiveRoom {
  roomId: string;
  /** `kind: "class"` for a class (team mode); absent for a game. */
  metadata: { mode: string; scenario: string; phase: string; kind?: string };
}

/** What a saved game's PIN finds while no process runs it (its process died and another is taking it over). */
const MOVING = { moving: true } as const;

/**
 * `GET /api/pin/:pin`: the room id of a live game, for joinById. A game saved in the store that no
 * room runs at the moment (`saved`) answers 503 "moving" (Retry-After: 1), and its PIN is no wrong
 * guess: clients look it up again and again while failover brings it back (client/src/net/rejoin.ts).
 */
export function pinLookup(guard: PinGuard, find: (pin: string) => Promise<LiveRoom | undefined>, saved?: (pin: string) => Promise<boolean>): RequestHandler {
  return async (req, res) => {
    const pin = String(req.params.pin);
    if (!PIN.test(pin)) return void res.status(400).json({ message: "a PIN has 6 digits" });
    const looked = await guard.lookUp(addressOf(req), pin, async (p) => (await find(p)) ?? ((await saved?.(p).catch(() => false)) ? MOVING : undefined));
    if ("refused" in looked) return sendRefusal(res, looked.refused);
    if ("missing" in looked) return void res.status(404).json({ message: `no game with PIN ${pin} is running: check the PIN on the host's screen` });
    const room = looked.found;
    if ("moving" in room) {
      res.setHeader("Retry-After", "1");
      return void res.status(503).json({ moving: true, message: `the game with PIN ${pin} is moving to another server: it is back in a few seconds` });
    }
    const { mode, scenario, phase, kind } = room.metadata;
    res.json({ roomId: room.roomId, mode, scenario, phase, kind: kind === "class" ? "class" : "game" });
  };
}

/** The token a debrief request carries: `Authorization: Bearer …`, or `?token=` (what a download link can carry). */
function tokenOf(req: Request): string | undefined {
  const q = req.query.token;
  return bearer(req) ?? (typeof q === "string" && q.length > 0 && q.length <= 100 ? q : undefined);
}

/** A download's checks, in order: format, PIN, token (401 before the PIN is even looked up), the live game. */
async function downloadOf(
  guard: PinGuard,
  find: (pin: string) => Promise<{ roomId: string } | undefined>,
  what: string,
  req: Request,
  res: Response,
): Promise<{ pin: string; format: "json" | "csv"; roomId: string; token: string } | undefined> {
  const pin = String(req.params.pin);
  const format = String(req.params.format);
  if (format !== "json" && format !== "csv") return void res.status(400).json({ message: `the ${what} comes as .json or .csv` });
  if (!PIN.test(pin)) return void res.status(400).json({ message: "a PIN has 6 digits" });
  const token = tokenOf(req);
  if (!token)
    return void res.status(401).json({
      message: `the ${what} is for the game's host and players: open it from the game, or add your kubectl token (?token=… or Authorization: Bearer …)`,
    });
  const looked = await guard.lookUp(addressOf(req), pin, find);
  if ("refused" in looked) return void sendRefusal(res, looked.refused);
  if ("missing" in looked) return void res.status(404).json({ message: `no game with PIN ${pin}` });
  return { pin, format, roomId: looked.found.roomId, token };
}

/** What a room answers a token it does not know. */
const UNKNOWN_TOKEN = "this token is not valid in this game: use the game's download links, or your kubectl token";

/**
 * `GET /api/rooms/:pin/debrief.(json|csv)`: the host token reads all of it, a player's kubectl
 * token their own row; no token, 401 before the PIN is even looked up.
 */
export function debriefDownload(
  guard: PinGuard,
  find: (pin: string) => Promise<{ roomId: string } | undefined>,
  debriefFor: (roomId: string, token: string) => Promise<Debrief | undefined>,
  csvOf: (d: Debrief) => string,
): RequestHandler {
  return async (req, res) => {
    const dl = await downloadOf(guard, find, "debrief", req, res);
    if (!dl) return;
    const d = await debriefFor(dl.roomId, dl.token);
    if (!d) return void res.status(401).json({ message: UNKNOWN_TOKEN });
    res.setHeader("Cache-Control", "private, no-store");
    if (dl.format === "csv") res.type("text/csv").attachment(`cluster-crew-${dl.pin}.csv`).send(csvOf(d));
    else res.attachment(`cluster-crew-${dl.pin}.json`).json(d);
  };
}

/** What a room answers a report request: the reports, or a refusal (403/404 with the reason); undefined for a token it does not know. */
export type ReportReply = ClassReport | { code: 403 | 404; message: string } | undefined;

/**
 * `GET /api/rooms/:pin/report.(json|csv)[?student=<nickname>]`: the student reports, beside the
 * debrief and under the same rules — the host token reads every student's (or the one asked
 * for), a player's kubectl token only their own; another student's is refused with 403.
 */
export function reportDownload(
  guard: PinGuard,
  find: (pin: string) => Promise<{ roomId: string } | undefined>,
  reportFor: (roomId: string, token: string, student: string | undefined) => Promise<ReportReply>,
  csvOf: (r: ClassReport) => string,
): RequestHandler {
  return async (req, res) => {
    const q = req.query.student;
    if (q !== undefined && (typeof q !== "string" || q.length === 0 || q.length > 100))
      return void res.status(400).json({ message: "?student= names one student by nickname" });
    const dl = await downloadOf(guard, find, "student report", req, res);
    if (!dl) return;
    const r = await reportFor(dl.roomId, dl.token, q);
    if (!r) return void res.status(401).json({ message: UNKNOWN_TOKEN });
    if ("code" in r) return void res.status(r.code).json({ message: r.message });
    res.setHeader("Cache-Control", "private, no-store");
    const name = `cluster-crew-${dl.pin}-report${q === undefined ? "" : `-${q.replace(/[^A-Za-z0-9_-]/g, "_")}`}`;
    if (dl.format === "csv") res.type("text/csv").attachment(`${name}.csv`).send(csvOf(r));
    else res.attachment(`${name}.json`).json(r);
  };
}

/** Matchmaker methods that join an existing game (reconnect and create name no PIN). */
const JOIN_ROUTE = /^\/matchmake\/(join|joinById|joinOrCreate)\//;

/**
 * For the HTTP guard's gate (limits/httpGuard.ts): answers a matchmaker join itself — 429 with Retry-After —
 * while the client may not guess a PIN; the matchmaker's routes are Colyseus', without middleware.
 */
export function matchmakeGate(guard: PinGuard): (req: IncomingMessage, res: ServerResponse, address: string) => boolean {
  return (req, res, address) => {
    if (req.method !== "POST" || !JOIN_ROUTE.test(req.url ?? "")) return false;
    const r = guard.refusal(address);
    if (!r) return false;
    res.writeHead(429, {
      "Content-Type": "application/json",
      "Retry-After": String(r.retryAfterSec),
      "Access-Control-Allow-Origin": String(req.headers.origin ?? "*"),
    });
    res.end(JSON.stringify({ code: 429, error: r.message, message: r.message }));
    return true;
  };
}

/**
 * The rooms' Kubernetes API's PIN look-up: a stranger's request is a guess like any other; a
 * request with a token valid in that game is answered even while the guard refuses strangers.
 */
export function guardedRoomOf(
  guard: PinGuard,
  find: (pin: string) => Promise<string | undefined>,
  knows: (roomId: string, token: string) => Promise<boolean>,
): (pin: string, req: Request) => Promise<string | undefined | Refusal> {
  return async (pin, req) => {
    const token = bearer(req);
    const looked = await guard.lookUp(addressOf(req), pin, find, token ? (roomId) => knows(roomId, token) : undefined);
    if ("refused" in looked) return looked.refused;
    return "found" in looked ? looked.found : undefined;
  };
}
