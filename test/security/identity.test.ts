/**
 * A player is their secret key, not their nickname — tried on real sockets and the real HTTP
 * Kubernetes API: taking over an away or departed player's nickname gets no seats and no token, a
 * locked room lets in only returning keys, a kicked player's token is refused at once, and
 * look-alike nicknames are refused with the reason.
 */
import { expect } from "chai";
import { ask, create, gameServer, join, serverRoom, until, type Joined } from "../support/gameServer.ts";
import type { ClusterRoom } from "../../server/room/ClusterRoom.ts";

async function refusal(attempt: Promise<Joined>): Promise<string> {
  return attempt.then(
    async (j) => {
      await j.room.leave();
      return `let in as ${j.welcome.nickname}`;
    },
    (err: Error) => err.message,
  );
}

/** The real Kubernetes API over HTTP, as curl or kubectl would call it. */
async function kubectl(pin: string, token: string, path = "/api/v1/pods"): Promise<number> {
  const { port } = await gameServer();
  return (await fetch(`http://127.0.0.1:${port}/k8s/${pin}${path}`, { headers: { Authorization: `Bearer ${token}` } })).status;
}

/** Drops a client's socket without letting the SDK reconnect: the player is away. */
async function dropAway(j: Joined, room: ClusterRoom): Promise<void> {
  (j.room as any).reconnection.enabled = false;
  (j.room.connection.transport as any).ws.terminate();
  await until(() => room.session.players.get(j.welcome.playerId)?.connected === false, 5000, "the player away");
}

describe("a player's identity is their key, not their nickname", function () {
  this.timeout(60_000);
  let host: Joined;
  let ada: Joined;
  let room: ClusterRoom;
  let pin: string;
  beforeEach(async () => {
    host = await create({ mode: "workshop", scenario: "node-down", nickname: "Teacher" });
    pin = host.welcome.pin;
    room = await serverRoom(host.room.roomId);
    ada = await join(pin, { nickname: "Ada" });
    expect((await ask(ada, "seat.take", { seat: "scheduler" })).code).to.equal(200);
  });
  afterEach(async () => {
    for (const r of [...room.clients]) r.leave();
    await until(() => room.clients.length === 0, 3000, "the room empty").catch(() => undefined);
  });

  it("while Ada is away, her nickname gets neither her seats nor her token; her key does", async () => {
    await dropAway(ada, room);
    expect(await refusal(join(pin, { nickname: "Ada" }))).to.match(/already called Ada/);
    expect(await refusal(join(pin, { nickname: "ada" }))).to.match(/already called Ada/);
    expect(room.session.players.size, "nobody new in the room").to.equal(2);
    const back = await join(pin, { nickname: "Ada", playerKey: ada.welcome.playerKey });
    expect(back.welcome.apiToken).to.equal(ada.welcome.apiToken);
    expect(room.session.players.get(back.welcome.playerId)!.seats).to.deep.equal(["scheduler"]);
    expect(room.session.players.has(ada.welcome.playerId), "the away connection is replaced").to.equal(false);
  });

  it("after Ada has left, a newcomer under her name is refused, and under another gets nothing of hers", async () => {
    await ada.room.leave();
    await until(() => room.session.players.size === 1, 3000, "Ada gone");
    expect(await refusal(join(pin, { nickname: "Ada" }))).to.match(/already called Ada/);
    const eve = await join(pin, { nickname: "Eve" });
    expect(eve.welcome.apiToken).to.not.equal(ada.welcome.apiToken);
    expect(room.session.players.get(eve.welcome.playerId)!.seats).to.deep.equal([]);
    expect(await kubectl(pin, ada.welcome.apiToken!), "Ada's kubeconfig is still Ada's").to.equal(200);
  });

  it("a locked room lets in only returning keys and the host", async () => {
    await ada.room.leave();
    expect((await ask(host, "host.lock", { locked: true })).code).to.equal(200);
    const before = room.clients.length;
    expect(await refusal(join(pin, { nickname: "Bo" }))).to.match(/locked/);
    expect(room.clients.length, "refused before a seat").to.equal(before);
    const back = await join(pin, { playerKey: ada.welcome.playerKey });
    expect(back.welcome.nickname).to.equal("Ada");
    expect(room.session.players.get(back.welcome.playerId)!.seats).to.deep.equal(["scheduler"]);
    expect(await refusal(join(pin, { playerKey: host.welcome.playerKey })), "one connection per key").to.match(/another window/);
    await host.room.leave();
    await until(() => room.session.players.size === 1, 3000, "the host gone");
    const hostAgain = await join(pin, { playerKey: host.welcome.playerKey });
    expect(hostAgain.welcome.host, "the host's key is the host token").to.equal(true);
  });

  it("a kicked player's kubectl token is refused at once (401) and their key is no way back", async () => {
    expect(await kubectl(pin, ada.welcome.apiToken!)).to.equal(200);
    expect((await ask(host, "host.kick", { player: ada.welcome.playerId })).code).to.equal(200);
    expect(await kubectl(pin, ada.welcome.apiToken!)).to.equal(401);
    expect(await refusal(join(pin, { nickname: "Ada", playerKey: ada.welcome.playerKey }))).to.match(/removed you/);
  });

  const lookAlikes: [string, RegExp][] = [
    ["Теacher", /mixes Cyrillic and Latin letters/],
    ["TEACHER", /already called Teacher/],
    ["Host", /only the host may use/],
    ["H0st", /only the host may use/],
    ["Ηоѕt", /one alphabet|only the host/],
    ["Аda", /one alphabet/],
  ];
  for (const [name, why] of lookAlikes) {
    it(`refuses the nickname "${name}", saying why`, async () => {
      expect(await refusal(join(pin, { nickname: name }))).to.match(why);
    });
  }
});
