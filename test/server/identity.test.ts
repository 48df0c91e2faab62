import { expect } from "chai";
import { GameSession, type Player } from "../../server/game/GameSession.ts";
import { MAX_MEMBERS } from "../../server/game/Roster.ts";
import { looksAlike, nicknameProblem, normaliseNickname } from "../../server/admission/nicknames.ts";
import type { ApiResult } from "../../shared/sim/api/status.ts";

const workshop = () => new GameSession({ mode: "workshop", scenario: "node-down", difficulty: "normal", seed: 1 });
const player = (r: Player | ApiResult) => {
  if ("ok" in r) throw new Error(`refused: ${r.message}`);
  return r;
};
const refusal = (r: Player | ApiResult) => {
  if (!("ok" in r)) throw new Error(`${r.nickname} was let in`);
  return r;
};

/** A workshop with its host and Ada, who plays the scheduler and has a kubectl token. */
function withAda() {
  const s = workshop();
  player(s.join("h", "Teacher", { host: true, now: 0 }));
  const ada = player(s.join("a", "Ada", { now: 0 }));
  s.takeSeat("a", "scheduler");
  const token = s.apiTokenOf("a")!;
  return { s, ada, token };
}

describe("player identity", () => {
  it("gives every player a secret key; the nickname is only a label", () => {
    const { s, ada } = withAda();
    expect(ada.key).to.match(/^[0-9a-f-]{36}$/);
    expect(ada.key).to.not.equal(player(s.join("b", "Bo", { now: 0 })).key);
    expect(s.players.get("h")!.key, "the host's key is the host token").to.equal(s.hostToken);
  });

  it("a player coming back with their key gets their seats and kubectl token back", () => {
    const { s, ada, token } = withAda();
    s.remove("a");
    const back = player(s.join("a2", undefined, { key: ada.key, now: 0 }));
    expect(back.nickname).to.equal("Ada");
    expect(back.seats).to.deep.equal(["scheduler"]);
    expect(s.apiTokenOf("a2")).to.equal(token);
  });

  const takeovers: [string, (s: GameSession) => void][] = [
    ["while she is away", (s) => s.disconnect("a")],
    ["after she has left", (s) => s.remove("a")],
  ];
  for (const [when, leave] of takeovers) {
    it(`taking Ada's nickname ${when} is refused: no seats, no token`, () => {
      const { s, token } = withAda();
      leave(s);
      const r = refusal(s.join("x", "Ada", { now: 0 }));
      expect(r.code).to.equal(409);
      expect(r.message).to.match(/already called Ada/);
      expect(s.players.has("x")).to.equal(false);
      expect(s.apiCaller(token)!.name, "her token is still hers").to.equal("Ada");
    });
  }

  it("an away player's key replaces the away connection; a connected one is refused", () => {
    const { s, ada } = withAda();
    expect(refusal(s.join("a2", undefined, { key: ada.key, now: 0 })).message).to.match(/another window/);
    s.disconnect("a");
    const back = player(s.join("a2", undefined, { key: ada.key, now: 0 }));
    expect(back.seats).to.deep.equal(["scheduler"]);
    expect(s.players.has("a")).to.equal(false);
    expect(s.holders("scheduler").map((p) => p.id)).to.deep.equal(["a2"]);
  });

  it("a visit as a spectator leaves the seats the player had for their next visit", () => {
    const { s, ada } = withAda();
    s.remove("a");
    expect(player(s.join("a2", undefined, { key: ada.key, spectator: true, now: 0 })).seats).to.deep.equal([]);
    s.remove("a2");
    expect(player(s.join("a3", undefined, { key: ada.key, now: 0 })).seats).to.deep.equal(["scheduler"]);
  });

  it(`remembers at most ${MAX_MEMBERS} players: then only returning keys and the host get in`, () => {
    const { s, ada } = withAda();
    s.remove("h");
    // Names far enough apart not to look alike: three letters with no look-alikes among them.
    const letters = "bcdfghjkpqstvwxz";
    const name = (i: number) => `Student ${letters[i % 16]}${letters[Math.floor(i / 16) % 16]}${letters[Math.floor(i / 256)]}`;
    for (let i = Object.keys(s.snapshot().roster.members).length; i < MAX_MEMBERS; i++) player(s.join(`p${i}`, name(i), { now: 0 }));
    const r = refusal(s.join("late", "Latecomer", { now: 0 }));
    expect(r.code).to.equal(503);
    s.remove("a");
    expect(player(s.join("a2", undefined, { key: ada.key, now: 0 })).seats).to.deep.equal(["scheduler"]);
    expect(player(s.join("h2", "Teacher", { host: true, now: 0 })).host).to.equal(true);
  });

  it("a key the room never issued makes a newcomer, with a fresh key", () => {
    const { s } = withAda();
    const made = player(s.join("z", "Zoe", { key: "00000000-0000-4000-8000-000000000000", now: 0 }));
    expect(made.key).to.not.equal("00000000-0000-4000-8000-000000000000");
    expect(made.seats).to.deep.equal([]);
  });

  it("a locked room admits only returning keys and the host", () => {
    const { s, ada } = withAda();
    s.remove("a");
    expect(s.lock("h", true).ok).to.equal(true);
    s.remove("h");
    expect(refusal(s.join("n", "Newbie", { now: 0 })).message).to.match(/locked/);
    expect(refusal(s.join("n", "Ada", { now: 0 })).code).to.equal(403);
    expect(player(s.join("a2", undefined, { key: ada.key, now: 0 })).seats).to.deep.equal(["scheduler"]);
    expect(player(s.join("h2", "Teacher", { host: true, now: 0 })).host).to.equal(true);
  });

  it("a kicked player's key and token stop working at once; the nickname is free again", () => {
    const { s, ada, token } = withAda();
    expect(s.kick("h", "a").ok).to.equal(true);
    expect(s.apiCaller(token)).to.equal(undefined);
    expect(s.apiRequest(token, { type: "scale", deployment: "web", replicas: 2 }).code).to.equal(401);
    const r = refusal(s.join("a2", undefined, { key: ada.key, now: 0 }));
    expect(r.code).to.equal(403);
    expect(r.message).to.match(/removed you/);
    const someoneElse = player(s.join("a3", "Ada", { now: 0 }));
    expect(someoneElse.seats).to.deep.equal([]);
    expect(s.apiTokenOf("a3")).to.not.equal(token);
  });

  it("keeps keys, seats and tokens through a save and restore", () => {
    const { s, ada, token } = withAda();
    s.kick("h", player(s.join("k", "Kim", { now: 0 })).id);
    const saved = JSON.parse(JSON.stringify(s.snapshot()));
    expect(JSON.stringify(saved)).to.not.include("seatsByNickname");
    saved.sim.cluster.objects = s.sim.state.allObjects();
    const back = new GameSession(saved.options, saved);
    expect(back.apiCaller(token)).to.deep.include({ name: "Ada", seats: ["scheduler"] });
    expect(refusal(back.join("x", "Ada", { now: 0 })).code).to.equal(409);
    expect(player(back.join("a2", undefined, { key: ada.key, now: 0 })).seats).to.deep.equal(["scheduler"]);
    expect(refusal(back.join("k2", "Kim", { key: s.snapshot().roster.kicked[0], now: 0 })).code).to.equal(403);
  });
});

describe("nicknames", () => {
  it("are normalised (NFKC, spaces collapsed)", () => {
    expect(normaliseNickname("  Ａｄａ　 Lovelace ")).to.equal("Ada Lovelace");
    expect(normaliseNickname("Jose\u0301")).to.equal("José");
  });

  const lookAlikes: [string, string][] = [
    ["Teacher", "teacher"],
    ["Teacher", "TEACHER"],
    ["Bop", "Вор"], // all Cyrillic
    ["Ian", "lan"],
    ["Jim", "Jirn"],
    ["Bob1", "Bobl"],
    ["Zoë", "Zoe"],
    ["Ada", "A.da"],
    ["Ada", "Ａｄａ"],
  ];
  for (const [a, b] of lookAlikes) it(`"${b}" looks like "${a}"`, () => expect(looksAlike(a, b)).to.equal(true));

  const different: [string, string][] = [
    ["Ada", "Adam"],
    ["Bo", "Bob"],
    ["Teacher", "Preacher"],
  ];
  for (const [a, b] of different) it(`"${b}" does not look like "${a}"`, () => expect(looksAlike(a, b)).to.equal(false));

  it("refuses letters of two alphabets in one name, saying why", () => {
    expect(nicknameProblem("Теacher", [], { host: false })).to.match(/mixes Cyrillic and Latin letters.*one alphabet/);
    expect(nicknameProblem("Αda", [], { host: false })).to.match(/Greek and Latin/);
    expect(nicknameProblem("山田たろう", [], { host: false }), "Japanese mixes its scripts").to.equal(undefined);
    expect(nicknameProblem("Kim 민준", [], { host: false }), "Korean with Latin").to.equal(undefined);
  });

  it("refuses look-alikes of the host for everyone but the host", () => {
    for (const name of ["Host", "host", "H0st", "HOST", "Ηοst", "The Host", "Admin"]) {
      expect(nicknameProblem(name, [], { host: false }), name).to.match(/only the host may use|one alphabet/);
    }
    expect(nicknameProblem("Host", [], { host: true })).to.equal(undefined);
    expect(nicknameProblem("Hostess", [], { host: false })).to.equal(undefined);
  });

  it("in a room: look-alikes of a player's name in other scripts are refused, saying why", () => {
    const { s } = withAda();
    expect(refusal(s.join("x", "Теacher", { now: 0 })).message).to.match(/mixes Cyrillic and Latin letters/);
    player(s.join("v", "Вор", { now: 0 }));
    const r = refusal(s.join("b", "Bop", { now: 0 }));
    expect(r.code).to.equal(409);
    expect(r.message).to.match(/already called Вор, which looks the same as "Bop"/);
  });
});
