/**
 * GET …/pods/<name>/log, what `kubectl logs` reads: the pod's log from the room (podLogs.ts), as
 * the API server proxies it from the kubelet in Kubernetes. Honours tailLines (default
 * DEFAULT_TAIL_LINES), sinceSeconds, sinceTime, timestamps and limitBytes; `follow` keeps the
 * answer open and sends new lines as the container prints them, asking the room again every
 * FOLLOW_POLL_MS, for at most MAX_FOLLOW_MS and counted as one of the caller's watches.
 */
import type { Request, Response } from "express";
import { fail } from "../../shared/sim/api/status.ts";
import type { GameClock } from "./convert.ts";
import { sendStatus, type Log } from "./http.ts";
import type { TokenLimits } from "./limits.ts";
import type { LogLine, PodLog } from "./podLogs.ts";

/** Lines sent when kubectl does not say --tail (the whole kept log is at most MAX_LOG_LINES anyway). */
export const DEFAULT_TAIL_LINES = 500;
/** How often a followed log asks the room for new lines, ms. */
export const FOLLOW_POLL_MS = 1_000;
/** Longest a followed log stays open, ms (as a watch: 30 minutes). */
export const MAX_FOLLOW_MS = 30 * 60_000;

export interface LogWant {
  container?: string;
  previous?: boolean;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** A line as the container wrote it: nginx's date and time (UTC), then the text. */
function written(l: LogLine, clock: GameClock, timestamps: boolean): string {
  const d = new Date(clock.wall(l.at));
  const own = `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  // kubectl logs --timestamps: the runtime's own RFC 3339 time in front of each line.
  return `${timestamps ? `${d.toISOString().replace("Z", "000000Z")} ` : ""}${own} ${l.text}\n`;
}

function intQuery(req: Request, name: string): number | undefined | "bad" {
  const v = req.query[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 ? n : "bad";
}

export async function serveLog(
  fetchLog: (want: LogWant) => Promise<PodLog | undefined>,
  limits: TokenLimits,
  token: string,
  room: string,
  clock: GameClock,
  req: Request,
  res: Response,
  log: Log,
): Promise<void> {
  const tail = intQuery(req, "tailLines");
  const sinceSeconds = intQuery(req, "sinceSeconds");
  const limitBytes = intQuery(req, "limitBytes");
  const sinceTime = req.query.sinceTime === undefined ? undefined : Date.parse(String(req.query.sinceTime));
  if (tail === "bad" || sinceSeconds === "bad" || limitBytes === "bad" || Number.isNaN(sinceTime))
    return sendStatus(res, fail("BadRequest", "tailLines, sinceSeconds and limitBytes are whole numbers, sinceTime an RFC 3339 time"));
  const want: LogWant = { container: req.query.container ? String(req.query.container) : undefined, previous: req.query.previous === "true" };
  const first = await fetchLog(want);
  if (!first) return sendStatus(res, fail("Unauthorized", "this token is not valid in this game"));
  if (!first.ok) {
    log(first.code, first.message);
    return sendStatus(res, first);
  }
  // Game time of the earliest line wanted (the clock maps game time to the wall 1:1).
  const from = Math.max(
    sinceSeconds === undefined ? -Infinity : clock.gameNow - sinceSeconds * 1000,
    sinceTime === undefined ? -Infinity : clock.gameNow - (clock.wallNow - sinceTime),
  );
  const timestamps = req.query.timestamps === "true";
  let lines = first.lines.filter((l) => l.at >= from);
  lines = lines.slice(-(tail ?? DEFAULT_TAIL_LINES) || lines.length);
  let text = lines.map((l) => written(l, clock, timestamps)).join("");
  if (limitBytes !== undefined) text = Buffer.from(text).subarray(0, limitBytes).toString();
  log(200, `log of ${first.container}: ${lines.length} lines${req.query.follow === "true" ? ", following" : ""}`);
  res.status(200).type("text/plain; charset=utf-8");
  if (req.query.follow !== "true" || !first.live) return void res.send(text);

  const opened = limits.openWatch(token, room);
  if ("refused" in opened) return void res.send(`${text}(not following: ${opened.refused})\n`);
  res.write(text);
  // Where the log stood: the last line sent and how many lines share its time (several can).
  let lastAt = first.lines.at(-1)?.at ?? -Infinity;
  let atLast = first.lines.filter((l) => l.at === lastAt).length;
  const started = Date.now();
  let closed = false;
  res.on("close", () => void (closed = true));
  try {
    while (!closed && Date.now() - started < MAX_FOLLOW_MS) {
      await new Promise((r) => setTimeout(r, FOLLOW_POLL_MS));
      if (closed) break;
      const next = await fetchLog({ container: want.container });
      if (!next?.ok) break;
      const fresh = next.lines.filter((l) => l.at > lastAt);
      const same = next.lines.filter((l) => l.at === lastAt).slice(atLast);
      const out = [...same, ...fresh];
      if (out.length) {
        res.write(out.map((l) => written(l, clock, timestamps)).join(""));
        lastAt = out.at(-1)!.at;
        atLast = next.lines.filter((l) => l.at === lastAt).length;
      }
      if (!next.live) break;
    }
  } finally {
    opened.close();
    res.end();
  }
}
