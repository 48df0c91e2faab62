/**
 * Raw frames on a real socket: every frame a client can put on the wire — a message of an unknown
 * type, a request, a ping, garbage, a frame of a protocol code nobody uses — counts toward the
 * flood cut, and every malformed one is answered with a `result` the client can show, while the
 * client stays connected and the room plays on.
 */
import { expect } from "chai";
import { getMessageBytes, Protocol } from "@colyseus/core";
import { FLOOD_LIMIT } from "../../server/limits/RateLimiter.ts";
import { MAX_FRAME_BYTES } from "../../server/app.ts";
import { runningWorkshop, until, type Joined } from "../support/gameServer.ts";

const sendRaw = (j: Joined, frame: Uint8Array) => (j.room.connection as unknown as { send(d: Uint8Array): void }).send(frame);
const state = (j: Joined) => j.room.state as { time: number };

/** Sends one frame and waits for its answer. */
async function answerTo(j: Joined, send: () => void): Promise<{ type: string; result: { ok: boolean; code: number; message: string } }> {
  const before = j.results.length;
  send();
  await until(() => j.results.length > before, 3000, "an answer");
  return j.results[before];
}

const FRAMES: { what: string; frame: () => Uint8Array; says: RegExp }[] = [
  { what: "an empty frame", frame: () => new Uint8Array(0), says: /empty frame/ },
  { what: "a protocol code nobody uses", frame: () => new Uint8Array([31, 1, 2, 3]), says: /protocol code 31 is not one a client sends/ },
  { what: "a text frame", frame: () => new TextEncoder().encode("hello"), says: /protocol code 8 is not one a client sends/ },
  { what: "an input frame", frame: () => new Uint8Array([Protocol.ROOM_INPUT_RELIABLE, 0, 1]), says: /takes no input frames/ },
  { what: "a second join", frame: () => new Uint8Array([Protocol.JOIN_ROOM]), says: /already joined/ },
  {
    what: "a message whose payload is not MessagePack",
    frame: () => getMessageBytes.raw(Protocol.ROOM_DATA, "api", undefined, new Uint8Array([0x81])),
    says: /malformed api message: its payload is not MessagePack/,
  },
  { what: "a server-to-client code", frame: () => new Uint8Array([Protocol.ROOM_STATE_PATCH, 0]), says: /protocol code 15/ },
];

describe("raw frames", function () {
  this.timeout(30_000);

  for (const { what, frame, says } of FRAMES) {
    it(`answers ${what} with a 400 result and keeps the client`, async () => {
      const { host, student } = await runningWorkshop("first-pod");
      const answer = await answerTo(student, () => sendRaw(student, frame()));
      expect(answer.result.ok).to.equal(false);
      expect(answer.result.code).to.equal(400);
      expect(answer.result.message).to.match(says);
      expect(student.room.connection.isOpen).to.equal(true);
      const t = state(host).time;
      await until(() => state(host).time > t, 3000, "the game to go on");
      await student.room.leave();
      await host.room.leave();
    });
  }

  it("answers a message of an unknown type, and one of raw bytes", async () => {
    const { host, student } = await runningWorkshop("first-pod");
    expect((await answerTo(student, () => student.room.send("bogus", {}))).result.message).to.match(/no message called "bogus"/);
    expect((await answerTo(student, () => student.room.sendBytes("bytes", new Uint8Array([1, 2])))).result.message).to.match(/no message called "bytes"/);
    await student.room.leave();
    await host.room.leave();
  });

  it("answers a request of an unknown type (the SDK's promise rejects with the reason) and a ping", async () => {
    const { host, student } = await runningWorkshop("first-pod");
    const err = await student.room.request("bogus", {}).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).to.match(/no onMessage\("bogus"\) handler/);
    const ms = await new Promise<number>((r) => student.room.ping(r));
    expect(ms).to.be.a("number");
    await student.room.leave();
    await host.room.leave();
  });

  // Each kind of frame alone, past the flood limit in one window, cuts the client off (4002).
  const FLOODS: { what: string; send: (j: Joined) => void }[] = [
    { what: "pings", send: (j) => sendRaw(j, new Uint8Array([Protocol.PING])) },
    { what: "requests of an unknown type", send: (j) => void j.room.request("bogus", {}).catch(() => undefined) },
    { what: "messages of an unknown type", send: (j) => j.room.send("bogus", {}) },
    { what: "garbage frames", send: (j) => sendRaw(j, new Uint8Array([31, 31, 31])) },
  ];
  for (const { what, send } of FLOODS) {
    it(`counts ${what} toward the flood cut`, async () => {
      const { host, student } = await runningWorkshop("first-pod");
      const gone = new Promise<number>((r) => student.room.onLeave((code) => r(code)));
      for (let i = 0; i <= FLOOD_LIMIT + 10; i++) send(student);
      expect(await gone).to.equal(4002);
      const t = state(host).time;
      await until(() => state(host).time > t, 3000, "the game to go on");
      await host.room.leave();
    });
  }

  it("closes the socket of a frame over the size limit (the WebSocket's maxPayload), and the room plays on", async () => {
    const { host, student } = await runningWorkshop("first-pod");
    const gone = new Promise<number>((r) => student.room.onLeave((code) => r(code)));
    sendRaw(student, getMessageBytes.raw(Protocol.ROOM_DATA, "api", { pad: "x".repeat(MAX_FRAME_BYTES) }));
    expect(await gone).to.equal(1009);
    const t = state(host).time;
    await until(() => state(host).time > t, 3000, "the game to go on");
    await host.room.leave();
  });
});
