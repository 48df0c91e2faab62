/**
 * The class room's message handling: one handler per message of the class's contract
 * (shared/protocol/classMessages.ts — a message without a handler does not compile), each
 * validated by its schema, held to the client's request rate and answered with a `result`
 * whatever happens. The handlers are thin: the rules are ClassSession's. A handler may also send
 * `team.join` to the asker (a team picked, a team opened) or to a student the host moved.
 */
import type { Client, Room } from "@colyseus/core";
import type { z } from "zod";
import { CLASS_MESSAGE_SCHEMAS, CLASS_MESSAGES, type ClassMessageType, type ParsedClassMessage, type TeamJoin } from "../../shared/protocol/classMessages.ts";
import { badRequest, fail, type ApiResult } from "../../shared/sim/api/status.ts";
import type { ClassSession, Dispatch } from "../game/ClassSession.ts";
import { readable } from "./messageRouter.ts";
import type { RoomLimits } from "./roomLimits.ts";

export interface ClassRouterContext {
  session: ClassSession;
  limits: RoomLimits;
  /** Something changed: project it now. */
  changed(): void;
  log(line: string): void;
}

/** A handler's answer: the result, and the team.join messages it sends. */
interface Answer {
  result: ApiResult;
  join?: TeamJoin;
  send?: Dispatch | Dispatch[];
}

type Handlers = { [T in ClassMessageType]: (client: Client, msg: ParsedClassMessage<T>) => Promise<Answer> | Answer };

function handlers(s: ClassSession): Handlers {
  const id = (c: Client) => c.sessionId;
  return {
    "team.choose": (c, m) => s.choose(id(c), m.team),
    "host.start": async (c, m) => ({ result: await s.control(id(c), "start", m.team) }),
    "host.pause": async (c, m) => ({ result: await s.control(id(c), "pause", m.team) }),
    "host.resume": async (c, m) => ({ result: await s.control(id(c), "resume", m.team) }),
    "host.end": async (c, m) => ({ result: await s.control(id(c), "end", m.team) }),
    "host.speed": async (c, m) => ({ result: await s.speed(id(c), m.speed, m.team) }),
    "host.chaos": async (c, m) => ({ result: await s.chaos(id(c), m.failure, m.label, m.team) }),
    "host.moveStudent": (c, m) => s.moveStudent(id(c), m.student, m.team),
    "host.board": (c, m) => ({ result: s.setBoard(id(c), m.board) }),
    "host.balance": (c) => s.balance(id(c)),
    "host.openTeam": (c, m) => s.openTeam(id(c), m.team),
  };
}

/** Registers every message of the class's contract on `room`, and an answer for any other type. */
export function registerClassMessages(room: Room, ctx: ClassRouterContext): void {
  const table = handlers(ctx.session);
  const handle = async (client: Client, type: string, raw: unknown, run: (parsed: unknown) => Promise<Answer> | Answer, schema?: z.ZodType) => {
    let answer: Answer;
    if (ctx.limits.request(client.sessionId) === "limited") answer = { result: fail("TooManyRequests", "slow down: at most 10 requests a second") };
    else {
      const parsed = schema ? schema.safeParse(raw ?? {}) : { success: true as const, data: raw };
      if (!parsed.success) answer = { result: badRequest(`malformed ${type} message: ${readable(parsed.error)}`) };
      else {
        try {
          answer = await run(parsed.data);
        } catch (err) {
          ctx.log(`class ${ctx.session.pin}: ${type} failed: ${(err as Error).stack ?? err}`);
          answer = { result: fail("InternalError", `the server could not handle this ${type} message (a bug, now logged); the class goes on`) };
        }
      }
    }
    client.send("result", { type, result: answer.result });
    if (answer.join) client.send("team.join", answer.join);
    for (const d of [answer.send ?? []].flat()) room.clients.getById(d.clientId)?.send("team.join", d.join);
    ctx.changed();
  };
  for (const type of CLASS_MESSAGES) {
    const run = table[type] as (client: Client, msg: unknown) => Promise<Answer> | Answer;
    room.onMessage(
      type,
      (client: Client, raw: unknown) => void handle(client, type, raw, (m) => run(client, m), CLASS_MESSAGE_SCHEMAS[type] as unknown as z.ZodType),
    );
  }
  room.onMessage("*", (client: Client, type: string | number) => {
    const name = String(type).slice(0, 60);
    void handle(client, name, {}, () => ({ result: badRequest(`there is no message called "${name}"`) }));
  });
}
