/**
 * The room's message handling: one handler per message of the shared contract
 * (shared/protocol/messages.ts — a message type without a handler does not compile), each
 * message validated by its schema, held to the client's request rate, and answered with a
 * `result` whatever happens: malformed, refused, unknown or a bug in a handler. Nothing a client
 * sends can throw out of here. The handlers are thin: the rules are the game session's.
 */
import type { Client, Room } from "@colyseus/core";
import type { z } from "zod";
import { CLIENT_MESSAGE_SCHEMAS, CLIENT_MESSAGES, type ClientMessageType, type ParsedClientMessage } from "../../shared/protocol/messages.ts";
import type { ServerMessages, ServerMessageType } from "../../shared/protocol/serverMessages.ts";
import { badRequest, fail, type ApiResult } from "../../shared/sim/api/status.ts";
import type { Difficulty } from "../../shared/sim/bots/Bot.ts";
import { getScenario } from "../../shared/sim/scenarios/index.ts";
import type { GameSession } from "../game/GameSession.ts";
import { scenarioPods } from "../limits/roomCost.ts";
import type { RoomLimits } from "./roomLimits.ts";
import { showTruth } from "../game/truth.ts";
import { answerQuestion, askQuestion, extendQuestion, revealAnswer } from "../game/asking.ts";
import { exitCheckFor } from "./teaching.ts";
import { grantApply } from "../game/applyGrant.ts";

/** What the handlers need of their room. */
export interface RouterContext {
  session(): GameSession;
  limits: RoomLimits;
  /** A new game starts in the room: what is stored belongs to the old one. */
  resetStore(): void;
  /** Closes a kicked player's connection. */
  disconnect(player: string, why: string): void;
  /** Something changed: project it with the next loop. */
  changed(): void;
  log(line: string): void;
}

type Handlers = { [T in ClientMessageType]: (client: Client, msg: ParsedClientMessage<T>) => ApiResult };

function handlers(ctx: RouterContext): Handlers {
  const s = ctx.session;
  const byHost = (c: Client) => s().isHost(c.sessionId);
  return {
    api: (c, m) => s().request(c.sessionId, m.seat, m.request),
    // A setup step goes the same way: the simulation takes it on the machine, not the API server.
    "node.setup": (c, m) => s().request(c.sessionId, m.seat, m.request),
    "seat.take": (c, m) => s().takeSeat(c.sessionId, m.seat),
    "seat.leave": (c, m) => s().leaveSeat(c.sessionId, m.seat),
    "seat.swap": (c, m) => s().swapSeat(c.sessionId, m.from, m.to),
    "host.assign": (c, m) => s().assign(c.sessionId, m.player, m.seat, m.exclusive),
    "host.unassign": (c, m) => s().unassign(c.sessionId, m.player, m.seat),
    "host.fillBots": (c) => s().fillBots(c.sessionId),
    "host.scenario": (c, m) => {
      const next = getScenario(m.scenario);
      const dearer = next && ctx.limits.refuseGrowth(byHost(c), { pods: scenarioPods(next), speed: s().speed }, `the ${next.id} scenario`);
      if (dearer) return dearer;
      const scoring = m.noSpeedPoints === undefined ? {} : { noSpeedPoints: m.noSpeedPoints };
      const r = s().chooseScenario(c.sessionId, m.scenario, m.difficulty as Difficulty | undefined, m.seed, scoring);
      if (r.ok) ctx.resetStore();
      return r;
    },
    "host.start": (c) => s().start(c.sessionId),
    "host.pause": (c) => s().pause(c.sessionId),
    "host.resume": (c) => s().resume(c.sessionId),
    "host.speed": (c, m) =>
      ctx.limits.refuseGrowth(byHost(c), { pods: ctx.limits.pods(), speed: m.speed }, `${m.speed}× speed`) ?? s().setSpeed(c.sessionId, m.speed),
    "host.end": (c) => s().end(c.sessionId),
    "host.lock": (c, m) => s().lock(c.sessionId, m.locked),
    "host.kick": (c, m) => {
      const r = s().kick(c.sessionId, m.player);
      if (r.ok) ctx.disconnect(m.player, "removed by the host");
      return r;
    },
    "host.chaos": (c, m) => s().chaos(c.sessionId, m.failure, m.label),
    "host.truth": (c, m) => showTruth(s(), c.sessionId, m.shown),
    answer: (c, m) => {
      const r = answerQuestion(s(), c.sessionId, m.question, m.choice);
      // At the debrief the student's exit check comes back with what they answered (and, once complete, the right answers).
      const exit = r.ok && s().phase === "debrief" ? exitCheckFor(s(), c.sessionId) : undefined;
      if (exit) send(c, "exitCheck", exit);
      return r;
    },
    "host.ask": (c, m) => askQuestion(s(), c.sessionId, m.question),
    "host.reveal": (c) => revealAnswer(s(), c.sessionId),
    "host.extend": (c) => extendQuestion(s(), c.sessionId),
    "host.grantApply": (c, m) => grantApply(s(), c.sessionId, m.player, m.allowed),
  };
}

/** Sends one of the messages of the contract (shared/protocol/serverMessages.ts). */
export function send<T extends ServerMessageType>(client: Client, type: T, payload: ServerMessages[T]): void {
  client.send(type, payload);
}

export function readable(err: z.ZodError): string {
  const i = err.issues[0];
  return i ? `${i.path.length ? `${i.path.join(".")}: ` : ""}${i.message}` : "invalid";
}

/** Registers every message of the contract on `room`, and an answer for any other type. */
export function registerMessages(room: Room, ctx: RouterContext): void {
  const table = handlers(ctx);
  const handle = (client: Client, type: string, raw: unknown, run: (parsed: unknown) => ApiResult, schema?: z.ZodType): void => {
    const id = typeof (raw as { id?: unknown } | null)?.id === "number" ? (raw as { id: number }).id : undefined;
    let result: ApiResult;
    if (ctx.limits.request(client.sessionId) === "limited") {
      result = fail("TooManyRequests", "slow down: at most 10 requests a second");
    } else {
      const parsed = schema ? schema.safeParse(raw ?? {}) : { success: true as const, data: raw };
      if (!parsed.success) result = badRequest(`malformed ${type} message: ${readable(parsed.error)}`);
      else {
        try {
          result = run(parsed.data);
        } catch (err) {
          // A bug must cost one answer, not the room: the game goes on and the player is told.
          ctx.log(`room ${ctx.session().pin}: ${type} failed: ${(err as Error).stack ?? err}`);
          result = fail("InternalError", `the server could not handle this ${type} message (a bug, now logged); the game goes on`);
        }
      }
    }
    send(client, "result", { id, type, result });
    ctx.changed();
  };
  for (const type of CLIENT_MESSAGES) {
    const run = table[type] as (client: Client, msg: unknown) => ApiResult;
    room.onMessage(type, (client: Client, raw: unknown) =>
      handle(client, type, raw, (m) => run(client, m), CLIENT_MESSAGE_SCHEMAS[type] as unknown as z.ZodType),
    );
  }
  room.onMessage("*", (client: Client, type: string | number) => {
    const name = String(type).slice(0, 60);
    handle(client, name, {}, () => badRequest(`there is no message called "${name}"`));
  });
}
