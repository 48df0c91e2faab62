/**
 * Getting into a game, tried as an attacker would on real sockets: every matchmaker route without
 * the PIN, with a wrong one or with another game's is refused before a seat is reserved; PIN
 * guessing is limited per address and per process (real server processes); the debrief needs a
 * token.
 */
import { expect } from "chai";
import "../../server/polyfill.ts";
import { Client, type Room } from "@colyseus/sdk";
import { ask, create, gameServer, join, serverRoom, until, type Joined } from "../support/gameServer.ts";
import { ServerProcess } from "../support/serverProcess.ts";
import type { ClusterRoom } from "../../server/room/ClusterRoom.ts";
import { PIN_GUESS_BURST_PER_ADDRESS } from "../../server/admission/PinGuard.ts";

/** What a room has let in: connected clients, seats reserved and not yet taken, and players. */
function occupancy(room: ClusterRoom) {
  return {
    clients: room.clients.length,
    reserved: Object.keys((room as unknown as { _reservedSeats: object })._reservedSeats).length,
    players: room.session.players.size,
  };
}

/** A PIN no live game has (the neighbours of a live PIN, checked). */
function wrongPin(pin: string, step = 1): string {
  return String((Number(pin) + step) % 1_000_000).padStart(6, "0");
}

async function refused(attempt: Promise<unknown>): Promise<string> {
  return attempt.then(
    () => "let in",
    (err: Error) => err.message,
  );
}

async function post(base: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) });
  return { status: res.status, retryAfter: res.headers.get("retry-after"), body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  return { status: res.status, retryAfter: res.headers.get("retry-after"), body: (await res.json().catch(() => ({}))) as Record<string, any> };
}

describe("joining a game needs its PIN, checked before any seat is reserved", function () {
  this.timeout(60_000);
  let host: Joined;
  let other: Joined;
  let room: ClusterRoom;
  let base: string;
  let port: number;
  before(async () => {
    ({ port } = await gameServer());
    base = `http://127.0.0.1:${port}`;
    host = await create({ mode: "workshop", scenario: "first-pod", nickname: "Teacher" });
    other = await create({ mode: "workshop", scenario: "first-pod", nickname: "Other" });
    room = await serverRoom(host.room.roomId);
  });
  after(async () => {
    await host.room.leave();
    await other.room.leave();
  });

  const sdk = () => new Client(`ws://127.0.0.1:${port}`);
  const attempts: [string, () => Promise<Room>, RegExp][] = [
    ['client.join("cluster")', () => sdk().join("cluster", { nickname: "Eve" }), /needs its PIN/],
    ['client.join("cluster") with the PIN', () => sdk().join("cluster", { pin: host.welcome.pin, nickname: "Eve" }), /no rooms found/],
    ['client.joinOrCreate("cluster")', () => sdk().joinOrCreate("cluster", { nickname: "Eve" }), /needs its PIN/],
    ["client.joinById without a PIN", () => sdk().joinById(host.room.roomId, { nickname: "Eve" }), /needs its PIN/],
    ["client.joinById with a wrong PIN", () => sdk().joinById(host.room.roomId, { pin: wrongPin(host.welcome.pin), nickname: "Eve" }), /no game with PIN/],
    [
      "client.joinById with another game's PIN",
      () => sdk().joinById(host.room.roomId, { pin: other.welcome.pin, nickname: "Eve" }),
      /full|not available|refused/,
    ],
    ["client.joinById passing as a creation", () => sdk().joinById(host.room.roomId, { mode: "workshop", nickname: "Eve" }), /full|not available|refused/],
  ];
  for (const [what, attempt, why] of attempts) {
    it(`${what} is refused and leaves no seat behind`, async () => {
      const before = occupancy(room);
      expect(await refused(attempt())).to.match(why);
      expect(occupancy(room)).to.deep.equal({ ...before, reserved: 0 });
    });
  }

  it("the matchmaker's HTTP routes refuse the same way, answering why", async () => {
    const before = occupancy(room);
    const routes: [string, unknown, number][] = [
      ["/matchmake/join/cluster", { nickname: "Eve" }, 403],
      ["/matchmake/joinOrCreate/cluster", {}, 403],
      [`/matchmake/joinById/${host.room.roomId}`, {}, 403],
      [`/matchmake/joinById/${host.room.roomId}`, { pin: "12345" }, 400],
      [`/matchmake/joinById/${host.room.roomId}`, { pin: wrongPin(host.welcome.pin, 2), nickname: "Eve" }, 404],
      ["/matchmake/create/cluster", { restore: `pin-${host.welcome.pin}` }, 400],
      ["/matchmake/create/cluster", { mode: "workshop", pin: host.welcome.pin, restore: `pin-${host.welcome.pin}` }, 400],
    ];
    for (const [path, body, status] of routes) {
      const r = await post(base, path, body);
      expect(r.status, `${path} ${JSON.stringify(body)}: ${JSON.stringify(r.body)}`).to.equal(status);
      expect(String(r.body.error)).to.have.length.greaterThan(10);
      expect(r.body).to.not.have.property("sessionId");
    }
    expect(occupancy(room)).to.deep.equal({ ...before, reserved: 0 });
  });

  it("with the PIN a player gets in, with a key to come back with; creating needs no PIN", async () => {
    const ada = await join(host.welcome.pin, { nickname: "Ada" });
    expect(ada.welcome.playerKey).to.match(/^[0-9a-f-]{36}$/);
    expect(ada.welcome.nickname).to.equal("Ada");
    await ada.room.leave();
  });

  it("a solo game takes only its player's host token and spectators with its PIN", async () => {
    const solo = await create({ mode: "solo", scenario: "first-pod", seat: "scheduler", nickname: "You" });
    const soloRoom = await serverRoom(solo.room.roomId);
    const before = occupancy(soloRoom);
    expect(await refused(sdk().joinById(solo.room.roomId, { pin: solo.welcome.pin, nickname: "Eve" }))).to.match(/private game/);
    expect(occupancy(soloRoom)).to.deep.equal({ ...before, reserved: 0 });
    const watcher = await join(solo.welcome.pin, { nickname: "Watcher", spectate: true });
    expect(watcher.welcome.host).to.equal(false);
    // The watcher keeps the room open while its player leaves and comes back by their key (the host token).
    await solo.room.leave();
    await until(() => soloRoom.session.players.size === 1, 3000, "the player gone");
    const back = await join(solo.welcome.pin, { playerKey: solo.welcome.playerKey });
    expect(back.welcome.host).to.equal(true);
    expect(soloRoom.session.players.get(back.welcome.playerId)!.seats).to.deep.equal(["scheduler"]);
    await watcher.room.leave();
    await back.room.leave();
  });

  it("a dropped player still comes back with the reconnection token", async () => {
    const ada = await join(host.welcome.pin, { nickname: "Ada Again" });
    expect((await ask(ada, "seat.take", { seat: "scheduler" })).code).to.equal(200);
    (ada.room as any).reconnection.minUptime = 0;
    const back = new Promise((r) => ada.room.onReconnect(() => r(undefined)));
    (ada.room.connection.transport as any).ws.terminate();
    await back;
    await until(() => room.session.players.get(ada.welcome.playerId)?.connected === true, 5000, "Ada reconnected");
    expect(room.session.players.get(ada.welcome.playerId)!.seats).to.deep.equal(["scheduler"]);
    await ada.room.leave();
  });
});

describe("the debrief needs the host's token, or a player's own for their own row", function () {
  this.timeout(60_000);

  it("answers the host all of it, a player their row, anyone else 401", async () => {
    const { port } = await gameServer();
    const host = await create({ mode: "workshop", scenario: "first-pod", nickname: "Teacher" });
    const ada = await join(host.welcome.pin, { nickname: "Ada" });
    const bo = await join(host.welcome.pin, { nickname: "Bo" });
    await ask(ada, "seat.take", { seat: "kubelet:node-1" });
    await ask(bo, "seat.take", { seat: "scheduler" });
    const other = await create({ mode: "workshop", scenario: "first-pod", nickname: "Other" });
    const url = (pin: string, format = "json") => `http://127.0.0.1:${port}/api/rooms/${pin}/debrief.${format}`;
    const pin = host.welcome.pin;

    const full = await get(url(pin), { Authorization: `Bearer ${host.welcome.hostToken}` });
    expect(full.status).to.equal(200);
    expect(full.body.players.map((p: any) => p.nickname).sort()).to.deep.equal(["Ada", "Bo", "Teacher"]);
    expect(full.body.outcome.seats).to.have.property("scheduler");

    const own = await get(`${url(pin)}?token=${encodeURIComponent(ada.welcome.apiToken!)}`);
    expect(own.status).to.equal(200);
    expect(own.body.players).to.deep.equal([{ nickname: "Ada", seats: ["kubelet:node-1"] }]);
    expect(own.body.outcome.seats).to.not.have.property("scheduler");
    expect(Object.keys(own.body.outcome.seats.kubelets)).to.deep.equal(["node-1"]);
    expect(own.body.timeline, "the team's timeline is everyone's").to.be.an("array");
    const csv = await fetch(`${url(pin, "csv")}?token=${encodeURIComponent(ada.welcome.apiToken!)}`);
    expect(csv.status).to.equal(200);

    expect((await get(url(pin))).status, "no token").to.equal(401);
    expect((await get(url(wrongPin(pin)))).status, "no token, unknown PIN: the same answer").to.equal(401);
    expect((await get(url(pin), { Authorization: `Bearer ${other.welcome.hostToken}` })).status, "another game's host").to.equal(401);
    expect((await get(`${url(pin)}?token=${pin}.not-a-token`)).status).to.equal(401);

    expect((await ask(host, "host.kick", { player: ada.welcome.playerId })).code).to.equal(200);
    expect((await get(`${url(pin)}?token=${encodeURIComponent(ada.welcome.apiToken!)}`)).status, "a kicked player's token").to.equal(401);
    for (const j of [bo, host, other]) await j.room.leave();
  });
});

describe("PIN guessing is limited per client address and per process", function () {
  this.timeout(90_000);
  let server: ServerProcess | undefined;
  afterEach(async () => {
    await server?.stop("SIGKILL");
    server = undefined;
  });

  async function workshopOn(s: ServerProcess) {
    const room = await new Client(s.ws).create("cluster", { mode: "workshop", scenario: "first-pod", nickname: "Teacher" });
    room.onMessage("result", () => {});
    return { room, welcome: await new Promise<{ pin: string; hostToken: string }>((r) => room.onMessage("welcome", r)) };
  }

  it(`an address that tried ${PIN_GUESS_BURST_PER_ADDRESS} wrong PINs gets 429 with Retry-After on every door, even for a live PIN`, async () => {
    server = await ServerProcess.start({});
    const { welcome } = await workshopOn(server);
    const pin = welcome.pin;
    for (let i = 1; i <= PIN_GUESS_BURST_PER_ADDRESS; i++) expect((await get(`${server.url}/api/pin/${wrongPin(pin, i)}`)).status).to.equal(404);
    const limited = await get(`${server.url}/api/pin/${wrongPin(pin, PIN_GUESS_BURST_PER_ADDRESS + 1)}`);
    expect(limited.status).to.equal(429);
    expect(Number(limited.retryAfter)).to.be.at.least(1);
    expect(limited.body.message).to.match(/too many wrong PINs from your network address/);
    expect((await get(`${server.url}/api/pin/${pin}`)).status, "the live PIN tells nothing either").to.equal(429);
    expect((await get(`${server.url}/api/pin/${pin}`, { "X-Forwarded-For": "203.0.113.9" })).status, "a made-up X-Forwarded-For").to.equal(429);
    const k8s = await get(`${server.url}/k8s/${wrongPin(pin, PIN_GUESS_BURST_PER_ADDRESS + 2)}/version`);
    expect(k8s.status).to.equal(429);
    expect(k8s.body).to.include({ kind: "Status", reason: "TooManyRequests" });
    expect(k8s.retryAfter).to.match(/^\d+$/);
    const joinAttempt = await post(server.url, `/matchmake/joinById/whatever`, { pin, nickname: "Eve" });
    expect(joinAttempt.status).to.equal(429);
    expect(joinAttempt.retryAfter).to.match(/^\d+$/);
    expect(String(joinAttempt.body.error)).to.match(/too many wrong PINs/);
    expect(await refused(new Client(server.ws).join("cluster", { pin, nickname: "Eve" }))).to.match(/too many wrong PINs/);
    const debrief = await get(`${server.url}/api/rooms/${pin}/debrief.json?token=x`);
    expect(debrief.status).to.equal(429);
    // The game's own kubectl token still works meanwhile.
    expect((await get(`${server.url}/k8s/${pin}/api/v1/nodes`, { Authorization: `Bearer ${welcome.hostToken}` })).status).to.equal(200);
  });

  it("wrong PINs from many addresses hit the process's total (behind a trusted proxy)", async () => {
    server = await ServerProcess.start({ TRUST_PROXY: "1", PIN_GUESSES_PER_MINUTE: "30" });
    const { welcome } = await workshopOn(server);
    const pin = welcome.pin;
    const from = (i: number) => ({ "X-Forwarded-For": `198.51.100.${i % 250}, 10.1.${Math.floor(i / 250)}.${i % 250}` });
    // 30 a minute allows a burst of 60, each from an address of its own.
    for (let i = 1; i <= 60; i++) expect((await get(`${server.url}/api/pin/${wrongPin(pin, i)}`, from(i))).status, `guess ${i}`).to.equal(404);
    const limited = await get(`${server.url}/api/pin/${wrongPin(pin, 61)}`, from(61));
    expect(limited.status).to.equal(429);
    expect(limited.body.message).to.match(/too many wrong PINs right now/);
    expect((await get(`${server.url}/api/pin/${pin}`, from(62))).status, "a fresh address with the live PIN").to.equal(429);
    expect((await get(`${server.url}/k8s/${pin}/api/v1/nodes`, { ...from(63), Authorization: `Bearer ${welcome.hostToken}` })).status).to.equal(200);
  });

  it("refuses a TRUST_PROXY that is not a number of proxies", async () => {
    const failed = await ServerProcess.start({ TRUST_PROXY: "yes" }).then(
      (s) => s.stop("SIGKILL").then(() => "started"),
      (err: Error) => err.message,
    );
    expect(failed).to.match(/TRUST_PROXY must be the number of reverse proxies/);
  });
});
