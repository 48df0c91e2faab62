/**
 * Every frame a client sends, before Colyseus reads it. Each one counts toward the client's flood
 * cut, whatever it is: a message of any type, a request, a ping, garbage. A frame Colyseus would
 * drop in silence (an unknown protocol code, an input frame this game does not use, a second
 * join) or answer by hanging up (a message whose payload is not MessagePack) is answered here
 * with a `result` that says what is wrong, and goes no further. The rest go on to Colyseus, which
 * answers them (a ping with a ping, a request with its response, a message through its handler).
 */
import { ClientState, CloseCode, Protocol, type Client, type ClientPrivate, type Room } from "@colyseus/core";
import { decode } from "@colyseus/schema";
import { unpack } from "msgpackr";
import { badRequest, fail, type ApiResult } from "../../shared/sim/api/status.ts";

/** The low five bits of a frame's first byte are its protocol code (the rest are modifiers). */
const PROTOCOL_CODE_MASK = 0b11111;
/** WebSocket readyState of an open connection. */
const WS_OPEN = 1;
/** What a frame that names no message type is answered as. */
export const FRAME_TYPE = "frame";

/** Why a frame is refused: the message type it named (or FRAME_TYPE) and what to do instead. */
export interface FrameProblem {
  type: string;
  message: string;
}

/** Colyseus' entry point for every frame of a joined client (private in its typings). */
interface FrameEntry {
  _onMessage(client: Client, frame: Buffer): void;
}

/** The type a message frame names, read as Colyseus reads it. */
function messageType(frame: Buffer, it: { offset: number }): string {
  return String(decode.stringCheck(frame, it) ? decode.string(frame, it) : decode.number(frame, it));
}

/** What is wrong with a frame Colyseus would not answer, or undefined when Colyseus will. */
export function inspectFrame(frame: Buffer, joining: boolean): FrameProblem | undefined {
  if (frame.length === 0) return { type: FRAME_TYPE, message: "an empty frame: every frame starts with a protocol code" };
  const code = frame[0] & PROTOCOL_CODE_MASK;
  switch (code) {
    case Protocol.ROOM_DATA: {
      const it = { offset: 1 };
      let type = FRAME_TYPE;
      try {
        type = messageType(frame, it);
        if (frame.length > it.offset) unpack(frame.subarray(it.offset));
        return undefined;
      } catch {
        return { type, message: `malformed ${type} message: its payload is not MessagePack (send messages with room.send)` };
      }
    }
    case Protocol.ROOM_REQUEST:
    case Protocol.ROOM_DATA_BYTES:
    case Protocol.PING:
    case Protocol.LEAVE_ROOM:
      return undefined;
    case Protocol.JOIN_ROOM:
      return joining ? undefined : { type: FRAME_TYPE, message: "you have already joined this room" };
    case Protocol.ROOM_INPUT_RELIABLE:
    case Protocol.ROOM_INPUT_UNRELIABLE:
      return { type: FRAME_TYPE, message: "this game takes no input frames: send messages with room.send" };
    default:
      return { type: FRAME_TYPE, message: `protocol code ${code} is not one a client sends here: send messages with room.send` };
  }
}

/** The answer every refused frame gets, in the shape of every other answer (docs/PROTOCOL.md). */
function answer(client: Client, type: string, result: ApiResult): void {
  client.send("result", { type, result });
}

/**
 * Puts the guard in front of every frame the room receives from its clients. `count` counts one
 * frame toward the client's flood cut and says false once it is over: the client is then told
 * and disconnected (close code 4002), and the room plays on.
 */
export function guardFrames(room: Room, count: (client: Client) => boolean): void {
  const entry = room as unknown as FrameEntry;
  const deliver = entry._onMessage.bind(room);
  entry._onMessage = (client: Client, frame: Buffer) => {
    // A client already leaving, or cut off, is heard no more.
    if (client.state === ClientState.LEAVING || (client as Client & ClientPrivate).readyState !== WS_OPEN) return;
    if (!count(client)) {
      answer(client, FRAME_TYPE, fail("TooManyRequests", "too many messages: you have been disconnected"));
      return client.leave(CloseCode.WITH_ERROR, "too many messages");
    }
    const problem = inspectFrame(frame, client.state === ClientState.JOINING);
    if (problem) return answer(client, problem.type, badRequest(problem.message));
    deliver(client, frame);
  };
}
