/**
 * A class (team mode) on Redis survives what a single game survives: a restart of its server
 * process (SIGTERM, then a new process on the same Redis) and the loss of the process holding the
 * class room (kill -9 of one of two). Real processes, real Redis, real sockets; the host and
 * students follow their class as the browser does (client/src/net/rejoin.ts), students back in
 * their teams through the class's tickets.
 */
import { expect } from "chai";
import "../../server/polyfill.ts";
import { createClient } from "redis";
import { RedisServer } from "../support/redisServer.ts";
import { ServerProcess } from "../support/serverProcess.ts";
import { until } from "../support/gameServer.ts";
import { createClass, followClass, joinClass, tell, type ClassMember } from "../support/classClient.ts";

/** How long a class may take to come back after a restart or a kill (a loaded 2-core machine), ms. */
const BACK_WITHIN_MS = 30_000;

const teamsOf = (m: ClassMember) => [...((m.room.state as any).teams ?? [])] as any[];
/** Every team of the class, as the class sees it now, in one of these phases. */
const allTeams = (m: ClassMember, phases: string[]) => teamsOf(m).length >= 2 && teamsOf(m).every((t) => phases.includes(t.phase));

/** A class of `teams` teams with a student in each of the first two, started; the students follow their class. */
async function startedClass(via: ServerProcess, join: ServerProcess, teams = 2) {
  const host = await createClass(via.ws, { scenario: "first-pod", teams });
  await until(() => teamsOf(host).length === teams, 15_000, `${teams} teams`);
  const kids: ClassMember[] = [];
  for (const [i, team] of ["t1", "t2"].entries()) {
    const k = await joinClass(join.url, join.ws, host.welcome.pin, { nickname: `Kid${i}` });
    expect((await tell(k, "team.choose", { team })).code).to.equal(200);
    await until(() => k.team !== undefined, 15_000, `Kid${i} in ${team}`);
    kids.push(k);
  }
  await until(() => teamsOf(host).filter((t) => t.players === 1).length === 2, 15_000, "a student in each of two teams");
  await tell(host, "host.start");
  await tell(host, "host.start");
  await until(() => allTeams(host, ["running"]), 20_000, "every team running");
  return { host, kids };
}

/** The host's controls act on every team again: pause, then resume, seen by the class and in each student's team room. */
async function controlsReachEveryTeam(host: ClassMember, kids: ClassMember[]): Promise<void> {
  const resume = await tell(host, "host.resume");
  expect(resume.code, resume.message).to.equal(200);
  expect(resume.message).to.match(/every team/);
  await until(() => allTeams(host, ["running"]), 20_000, `every team running (${teamsOf(host).map((t) => t.phase)})`);
  await until(() => kids.every((k) => (k.team?.room.state as any)?.phase === "running"), 20_000, "every student's team room running");
  const pause = await tell(host, "host.pause");
  expect(pause.code, pause.message).to.equal(200);
  await until(() => allTeams(host, ["paused"]), 20_000, "every team paused");
  await until(() => kids.every((k) => (k.team?.room.state as any)?.phase === "paused"), 20_000, "every student's team room paused");
}

/** Which process (by public address port) each room id is on, from Colyseus' directory in Redis. */
async function portOfRooms(redisUrl: string): Promise<Map<string, number>> {
  const redis = createClient({ url: redisUrl });
  await redis.connect();
  try {
    const all = await redis.hGetAll("roomcaches");
    return new Map(Object.entries(all).map(([id, json]) => [id, Number(String((JSON.parse(json) as { publicAddress?: string }).publicAddress).split(":")[1])]));
  } finally {
    await redis.quit();
  }
}

describe("a class survives a restart and the loss of its process (Redis)", function () {
  this.timeout(180_000);
  let redis: RedisServer;
  const started: ServerProcess[] = [];
  const start = async () => {
    const s = await ServerProcess.start({ REDIS_URL: redis.url });
    started.push(s);
    return s;
  };
  beforeEach(async () => {
    redis = await RedisServer.start();
  });
  afterEach(async () => {
    for (const s of started.splice(0)) await s.stop("SIGKILL");
    await redis.destroy();
  });

  it("comes back after a restart: same PIN, teams and students' teams; the host is host; controls act on every team", async () => {
    const c = await start();
    const { host, kids } = await startedClass(c, c);
    const pin = host.welcome.pin;
    const teams = teamsOf(host).map((t) => t.id);
    const teamPins = kids.map((k) => (k.team!.room.state as any).pin as string);
    const keys = kids.map((k) => k.team!.welcome.playerKey);
    const hostToken = host.welcome.hostToken!;
    expect(await c.stop("SIGTERM"), c.output).to.equal(0);

    const d = await start();
    const res = await fetch(`${d.url}/api/pin/${pin}`);
    const body = (await res.json()) as { roomId?: string; kind?: string; message?: string };
    expect(res.status, body.message).to.equal(200);
    expect(body.kind).to.equal("class");
    expect(d.output).to.match(new RegExp(`restored class with PIN ${pin}`));

    // The host comes back with the host token, each student with their class key (as the browser keeps them).
    const again = await joinClass(d.url, d.ws, pin, { playerKey: hostToken }, false);
    expect(again.welcome.host, "the host is host again").to.equal(true);
    expect(again.welcome.pin).to.equal(pin);
    const back: ClassMember[] = [];
    for (const k of kids) back.push(await joinClass(d.url, d.ws, pin, { playerKey: k.welcome.playerKey }));
    for (const [i, k] of back.entries()) {
      expect(k.welcome.studentId, "the same student").to.equal(kids[i].welcome.studentId);
      await until(() => k.team !== undefined, BACK_WITHIN_MS, `Kid${i} back in a team`);
      expect(k.team!.welcome.team?.id, "the same team").to.equal(["t1", "t2"][i]);
      expect((k.team!.room.state as any).pin, "the same team game").to.equal(teamPins[i]);
      expect(k.team!.welcome.playerKey, "the same player in it").to.equal(keys[i]);
    }
    const state = again.room.state as any;
    expect(state.pin).to.equal(pin);
    await until(() => teamsOf(again).length === 2 && teamsOf(again).every((t) => t.players === 1), BACK_WITHIN_MS, "both teams report to the class again");
    expect(teamsOf(again).map((t) => t.id)).to.deep.equal(teams);
    expect([...state.students.values()].map((s: any) => s.team).sort()).to.deep.equal(["t1", "t2"]);
    // A running game comes back paused, for the host to resume.
    expect(allTeams(again, ["paused"]), `teams ${teamsOf(again).map((t) => t.phase)}`).to.equal(true);
    await controlsReachEveryTeam(again, back);
  });

  it("a class that ended stays ended after a restart, its debrief sent again to the host", async () => {
    const c = await start();
    const { host } = await startedClass(c, c);
    const pin = host.welcome.pin;
    expect((await tell(host, "host.end")).code).to.equal(200);
    await until(() => (host.room.state as any).phase === "debrief" && host.debrief !== undefined, 20_000, "the class over, its debrief out");
    expect(await c.stop("SIGTERM"), c.output).to.equal(0);
    const d = await start();
    const again = await joinClass(d.url, d.ws, pin, { playerKey: host.welcome.hostToken }, false);
    expect(again.welcome.host).to.equal(true);
    await until(
      () => (again.room.state as any).phase === "debrief" && again.debrief !== undefined,
      BACK_WITHIN_MS,
      "the restored class over, its debrief sent",
    );
    expect(allTeams(again, ["debrief"])).to.equal(true);
  });

  it("kill -9 of the process holding the class room: the class is restored on the survivor and its teams report to it", async () => {
    const [a, b] = [await start(), await start()];
    const servers = [a, b];
    // Four teams: spread over both processes, so the killed one holds the class and team rooms too.
    const { host, kids } = await startedClass(a, b, 4);
    const pin = host.welcome.pin;
    const where = await portOfRooms(redis.url);
    const victim = servers.find((s) => s.port === where.get(host.room.roomId))!;
    const survivor = servers.find((s) => s !== victim)!;
    const live = () => [survivor];
    const hostMoves = followClass(host, live, false);
    const kidMoves = kids.map((k) => followClass(k, live));
    const teamRooms = teamsOf(host).map((t) => t.roomId as string);
    console.log(`      class on :${victim.port}; team rooms on ${teamRooms.map((id) => `:${where.get(id)}`).join(", ")}`);
    expect(
      teamRooms.some((id) => where.get(id) === victim.port),
      "a team room on the killed process",
    ).to.equal(true);
    const teamPins = kids.map((k) => (k.team!.room.state as any).pin as string);
    const keys = kids.map((k) => k.team!.welcome.playerKey);

    await victim.stop("SIGKILL");
    await until(() => hostMoves.moved > 0 && kidMoves.every((m) => m.moved > 0), BACK_WITHIN_MS, "host and students in the restored class");
    expect(host.welcome.host).to.equal(true);
    expect((host.room.state as any).pin).to.equal(pin);
    expect((await portOfRooms(redis.url)).get(host.room.roomId), "the class runs on the survivor").to.equal(survivor.port);
    // Every team reports to the restored class (those that ran on the killed process restored too).
    await until(
      () => teamsOf(host).length === 4 && teamsOf(host).every((t) => ["running", "paused"].includes(t.phase) && t.nodes.length > 0),
      BACK_WITHIN_MS,
      `both teams report to the restored class (${teamsOf(host).map((t) => t.phase)})`,
    );
    // Each student is in their team's game again (restored on the survivor if it ran on the killed process), in the same seats.
    await until(
      () => kids.every((k, i) => k.team?.room.connection.isOpen && (k.team.room.state as any)?.pin === teamPins[i]),
      BACK_WITHIN_MS,
      "every student in their team's game",
    );
    expect(kids.map((k) => k.team!.welcome.playerKey)).to.deep.equal(keys);
    // The class's view of its teams' rooms follows their reports (projected twice a second).
    let now = await portOfRooms(redis.url);
    for (const end = Date.now() + BACK_WITHIN_MS; Date.now() < end && !teamsOf(host).every((t) => now.get(t.roomId) === survivor.port); ) {
      await new Promise((r) => setTimeout(r, 200));
      now = await portOfRooms(redis.url);
    }
    for (const t of teamsOf(host))
      expect(
        now.get(t.roomId),
        `team ${t.id} runs on the survivor (class sees ${teamsOf(host).map((x) => `${x.id}:${x.roomId}`)}; directory ${[...now].map(([id, p]) => `${id}@${p}`)})`,
      ).to.equal(survivor.port);
    // Pause first (teams on the survivor still run; restored ones came back paused), then the round trip.
    const pause = await tell(host, "host.pause");
    expect(pause.code, pause.message).to.not.equal(503);
    await until(() => allTeams(host, ["paused"]), BACK_WITHIN_MS, "every team paused");
    await controlsReachEveryTeam(host, kids);
  });
});
