/**
 * GET /metrics on a real server process: off without METRICS_TOKEN, refused without the token,
 * and reading it changes nothing (a reader cannot reset what the load test or an operator sees).
 */
import { expect } from "chai";
import { ServerProcess } from "../support/serverProcess.ts";

const TOKEN = "s3cret-metrics-token";

async function metrics(server: ServerProcess, authorization?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}/metrics`, { headers: authorization ? { Authorization: authorization } : {} });
  return { status: res.status, body: await res.json() };
}

describe("GET /metrics", function () {
  this.timeout(60_000);
  const servers: ServerProcess[] = [];
  const start = async (env: Record<string, string>) => {
    const s = await ServerProcess.start({ REDIS_URL: "", ...env });
    servers.push(s);
    return s;
  };
  after(async () => {
    for (const s of servers) await s.stop("SIGKILL");
  });

  it("is off without METRICS_TOKEN, saying how to turn it on", async () => {
    const s = await start({ METRICS_TOKEN: "" });
    const m = await metrics(s, "Bearer anything");
    expect(m.status).to.equal(403);
    expect(m.body.message).to.match(/METRICS_TOKEN/);
    expect(m.body).to.not.have.property("cpuPercent");
  });

  it("refuses a request without the token or with another one", async () => {
    const s = await start({ METRICS_TOKEN: TOKEN });
    for (const authorization of [undefined, "Bearer wrong", `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
      const m = await metrics(s, authorization);
      expect(m.status, String(authorization)).to.equal(401);
      expect(m.body).to.not.have.property("cpuPercent");
    }
    const m = await metrics(s, `Bearer ${TOKEN}`);
    expect(m.status).to.equal(200);
    expect(m.body).to.include.keys("window", "eventLoopDelayMs", "cpuPercent", "rssMiB");
  });

  it("does not reset its figures when read: two reads of one window agree", async () => {
    const s = await start({ METRICS_TOKEN: TOKEN });
    const end = Date.now() + 30_000;
    for (;;) {
      const first = (await metrics(s, `Bearer ${TOKEN}`)).body;
      const second = (await metrics(s, `Bearer ${TOKEN}`)).body;
      // Two reads inside one complete window (a new window may close between them: read again).
      if (first.window?.seq >= 1 && first.window.seq === second.window.seq) {
        expect(second.eventLoopDelayMs).to.deep.equal(first.eventLoopDelayMs);
        expect(second.cpuPercent).to.equal(first.cpuPercent);
        // The start-up's delays are in the figures, not wiped by the first read.
        expect(first.eventLoopDelayMs.max).to.be.greaterThan(0);
        return;
      }
      if (Date.now() > end) throw new Error(`no two reads of one complete window: ${JSON.stringify([first, second])}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  });
});
