/**
 * `GET /api/pin/:pin` while a game moves to another process (failover): a saved game with no room
 * answers 503 "moving" with Retry-After, and however often its players' clients look it up it
 * never counts as a wrong PIN — while unknown PINs still do.
 */
import { expect } from "chai";
import type { Request, Response } from "express";
import { PIN_GUESS_BURST_PER_ADDRESS, PinGuard } from "../../server/admission/PinGuard.ts";
import { pinLookup } from "../../server/admission/routes.ts";
import { CLIENT_ADDRESS_HEADER } from "../../server/limits/clientAddress.ts";

const SAVED = "424242";

/** Calls the route as Express would, from one client address; the status, headers and body it answered. */
async function lookUp(route: ReturnType<typeof pinLookup>, pin: string) {
  const out = { status: 200, headers: {} as Record<string, string>, body: undefined as any };
  const res = {
    status(code: number) {
      out.status = code;
      return res;
    },
    setHeader(name: string, value: string) {
      out.headers[name.toLowerCase()] = value;
      return res;
    },
    json(body: unknown) {
      out.body = body;
      return res;
    },
  };
  const req = { params: { pin }, headers: { [CLIENT_ADDRESS_HEADER]: "10.0.0.9" } };
  await route(req as unknown as Request, res as unknown as Response, () => {});
  return out;
}

describe("the PIN of a game that is moving to another process", () => {
  it("answers 503 moving with Retry-After, and is never counted as a wrong guess", async () => {
    const route = pinLookup(
      new PinGuard(),
      async () => undefined,
      async (pin) => pin === SAVED,
    );
    for (let i = 0; i < PIN_GUESS_BURST_PER_ADDRESS * 3; i++) {
      const r = await lookUp(route, SAVED);
      expect(r.status, `look-up ${i}`).to.equal(503);
      expect(r.body).to.deep.include({ moving: true });
      expect(r.headers["retry-after"]).to.equal("1");
    }
    // Unknown PINs from the same address still count, and run out.
    const answers: number[] = [];
    for (let i = 0; i < PIN_GUESS_BURST_PER_ADDRESS + 1; i++) answers.push((await lookUp(route, String(100_000 + i))).status);
    expect(answers.slice(0, PIN_GUESS_BURST_PER_ADDRESS).every((s) => s === 404)).to.equal(true);
    expect(answers.at(-1)).to.equal(429);
  });
});
