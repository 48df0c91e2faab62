import { parseArgs } from "node:util";
import { GameSession, type SessionSnapshot } from "../game/GameSession.ts";
import { Persistence } from "../game/Persistence.ts";
import { RedisStore } from "../store/RedisStore.ts";
import { REQUESTS_PER_SECOND } from "../limits/RateLimiter.ts";
import { MAX_INPUT_LOG_CHARS } from "../../shared/sim/Simulation.ts";
import { benchRedis, pct } from "./support.ts";
import { RoomLimits } from "../room/roomLimits.ts";
import { nextRequest } from "./seatPlayers.ts";

const { values } = parseArgs({
  options: {
    redis: { type: "string" },
    scenario: { type: "string", multiple: true },
    speed: { type: "string", default: "4" },
    players: { type: "string", default: "60" },
    rates: { type: "string", default: "1,10,20" },
  },
});

/** The room's loop, ms of wall time: one save per loop, as ClusterRoom saves. */
const LOOP_MS = 100;
const KiB = 1024;
const MiB = 1024 * 1024;
const fmt = (bytes: number) => (bytes >= MiB ? `${(bytes / MiB).toFixed(2)} MiB` : `${(bytes / KiB).toFixed(0)} KiB`);
const ms = (x: number) => `${x.toFixed(2)} ms`;

interface Run {
  scenario: string;
  rate: number;
}

async function measure(store: RedisStore, run: Run, speed: number, playerCount: number): Promise<void> {
  const session = new GameSession({ mode: "workshop", scenario: run.scenario, difficulty: "normal", seed: 7 });
  const key = `bench-saved-${process.pid}-${session.pin}`;
  await store.dropRoom(key);
  let now = Date.now();
  session.join("host", "Host", { host: true, now });
  const seats = session.sim.seats();
  const players = Array.from({ length: playerCount }, (_, i) => ({ id: `p${i}`, seat: seats[i % seats.length], sent: 0, owed: i / playerCount }));
  for (const p of players) {
    session.join(p.id, `Student ${p.id.slice(1)}`, { now });
    session.takeSeat(p.id, p.seat);
  }
  session.start("host");
  session.start("host");
  session.setSpeed("host", speed);
  const source = { sim: session.sim, state: () => JSON.stringify(session.snapshot({ inputLog: false })) };
  const persistence = new Persistence(store, key, source, (line) => console.error(line));
  persistence.capture();
  await persistence.flush();

  const capture: number[] = [];
  const commit: number[] = [];
  let sent = 0;
  let largestState = 0;
  let fullAt: number | undefined;
  const socketShare = Math.min(run.rate, REQUESTS_PER_SECOND);
  // The room's per-client request limit, as ClusterRoom applies it to messages.
  const limits = new RoomLimits(() => session);
  while (session.phase === "running") {
    now += LOOP_MS;
    for (const p of players) {
      p.owed += (run.rate * LOOP_MS) / 1000;
      for (; p.owed >= 1; p.owed--) {
        const request = nextRequest(session, p.seat, p.sent++);
        // Up to the socket's limit through the room's messages, the rest through kubectl.
        const viaSocket = p.sent % run.rate < socketShare;
        if (viaSocket && limits.request(p.id, now) === "ok") session.request(p.id, p.seat, request);
        else if (!viaSocket) session.apiRequest(session.apiTokenOf(p.id)!, request as never);
        sent++;
      }
    }
    session.advance(LOOP_MS);
    if (fullAt === undefined && session.sim.inputsDropped > 0) fullAt = session.sim.now / 1000;
    const a = performance.now();
    persistence.capture();
    const b = performance.now();
    await persistence.flush();
    const c = performance.now();
    capture.push(b - a);
    commit.push(c - b);
    if (capture.length % 50 === 0) largestState = Math.max(largestState, Buffer.byteLength(source.state()));
  }
  await persistence.drain(30_000);

  const game = (await store.loadGame(key)) ?? "";
  const log = await store.loadInputs(key);
  const logBytes = log.reduce((n, line) => n + Buffer.byteLength(line), 0);
  const t0 = performance.now();
  const loaded = await Persistence.load<SessionSnapshot>(store, key, (s) => s.sim);
  const t1 = performance.now();
  new GameSession(loaded.state.options, loaded.state);
  const t2 = performance.now();
  // The old way: every save deep-copied the whole log into the game state and serialised it.
  const s0 = performance.now();
  const inline = JSON.stringify(structuredClone(session.snapshot()));
  const inlineMs = performance.now() - s0;
  capture.sort((x, y) => x - y);
  commit.sort((x, y) => x - y);
  const wallSec = capture.length / (1000 / LOOP_MS);
  const sim = session.sim;
  console.log(
    `${run.scenario} at ${speed}×, ${playerCount} players × ${run.rate} requests/s (${session.sim.durationTicks / 10} s of game in ${wallSec} s of wall time, ${capture.length} saves)`,
  );
  console.log(
    `  requests sent          ${sent.toLocaleString("en")}; input records ${sim.inputLog.length.toLocaleString("en")}${fullAt !== undefined ? `; log full at ${fullAt} s of game, ${sim.inputsDropped.toLocaleString("en")} inputs not recorded (replays refused)` : " (complete)"}`,
  );
  console.log(`  saved game state       ${fmt(Buffer.byteLength(game))} at the end (largest sampled ${fmt(largestState)})`);
  console.log(
    `  saved input log        ${fmt(logBytes)} in ${log.length.toLocaleString("en")} records (cap ${fmt(MAX_INPUT_LOG_CHARS)}), ${(logBytes / Math.max(1, log.length)).toFixed(0)} bytes a record`,
  );
  console.log(
    `  save (every ${LOOP_MS} ms)     capture median ${ms(pct(capture, 0.5))} p95 ${ms(pct(capture, 0.95))}; commit median ${ms(pct(commit, 0.5))} p95 ${ms(pct(commit, 0.95))}`,
  );
  console.log(`  restore                read ${ms(t1 - t0)} (state, log and objects), rebuild ${ms(t2 - t1)}`);
  console.log(
    `  log inside the state   ${fmt(Buffer.byteLength(inline))}, copied and serialised in ${ms(inlineMs)} (every save's cost before the log was appended)`,
  );
  await store.dropRoom(key);
}

async function main(): Promise<void> {
  const redis = await benchRedis(values.redis);
  const store = await RedisStore.connect({ url: redis.url });
  console.log(`node ${process.version}, Redis at ${store.describe}`);
  const scenarios = values.scenario ?? ["large-cluster", "free-play"];
  const rates = values.rates.split(",").map(Number);
  try {
    for (const scenario of scenarios) for (const rate of rates) await measure(store, { scenario, rate }, Number(values.speed), Number(values.players));
  } finally {
    await store.close();
    redis.stop();
  }
}

await main();
