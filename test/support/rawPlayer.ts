/**
 * A client that speaks the wire protocol by hand, over a real socket: it asks the matchmaker for
 * a seat over HTTP (from any client address, when the server trusts X-Forwarded-For), joins with
 * a WebSocket, sends messages and reads only the `result`s — it never decodes the room's state,
 * so a test can hold many heavy rooms without the test process paying for their patches.
 */
import { getMessageBytes, Protocol } from "@colyseus/core";
import { decode } from "@colyseus/schema";
import { unpack } from "msgpackr";
import { WebSocket } from "ws";
import { until } from "./gameServer.ts";

export interface MatchmakeAnswer {
  status: number;
  body: { roomId?: string; sessionId?: string; processId?: string; message?: string; error?: string; code?: number };
}

/** POST /matchmake/<method>/cluster as the client at `address` (the server needs TRUST_PROXY=1). */
export async function matchmake(httpUrl: string, method: string, options: unknown, address?: string): Promise<MatchmakeAnswer> {
  const res = await fetch(`${httpUrl}/matchmake/${method}/cluster`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(address ? { "x-forwarded-for": address } : {}) },
    body: JSON.stringify(options),
  });
  return { status: res.status, body: (await res.json()) as MatchmakeAnswer["body"] };
}

export interface Result {
  type: string;
  result: { ok: boolean; code: number; message: string };
}

export class RawPlayer {
  readonly results: Result[] = [];
  private constructor(private readonly ws: WebSocket) {}

  /** Joins with a seat reservation from the matchmaker. */
  static async join(wsUrl: string, seat: MatchmakeAnswer["body"]): Promise<RawPlayer> {
    const ws = new WebSocket(`${wsUrl}/${seat.processId}/${seat.roomId}?sessionId=${seat.sessionId}`);
    const p = new RawPlayer(ws);
    let joined = false;
    ws.on("message", (data: Buffer) => {
      if (data[0] === Protocol.JOIN_ROOM && !joined) {
        joined = true;
        ws.send(new Uint8Array([Protocol.JOIN_ROOM]));
      } else if (data[0] === Protocol.ROOM_DATA) {
        const it = { offset: 1 };
        const type = decode.stringCheck(data, it) ? decode.string(data, it) : String(decode.number(data, it));
        if (type === "result") p.results.push(unpack(data.subarray(it.offset)) as Result);
      }
    });
    await until(() => joined, 10_000, "the room to accept the raw player");
    return p;
  }

  send(type: string, message: unknown = {}): void {
    this.ws.send(getMessageBytes.raw(Protocol.ROOM_DATA, type, message));
  }

  /** Sends a message and waits for its result. */
  async ask(type: string, message: unknown = {}): Promise<Result["result"]> {
    const before = this.results.length;
    this.send(type, message);
    await until(() => this.results.length > before, 10_000, `an answer to ${type}`);
    return this.results[before].result;
  }

  close(): void {
    this.ws.close();
  }
}
