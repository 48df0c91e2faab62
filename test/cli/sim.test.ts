import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { scenarioIds } from "../../shared/sim/scenarios/index.ts";
import { simCommand, UsageError } from "../../server/cli/simArgs.ts";

function sim(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "server/cli/sim.ts", ...args], { encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("npm run sim", () => {
  it("--list prints the scenario ids, one a line", () => {
    const r = sim("--list");
    expect(r.code).to.equal(0);
    expect(r.out.trim().split("\n")).to.deep.equal(scenarioIds());
  });

  it("--json prints one JSON object with the outcome and per-seat figures", () => {
    const r = sim("--scenario", "first-pod", "--seed", "4", "--json");
    expect(r.code, r.err).to.equal(0);
    const o = JSON.parse(r.out);
    for (const key of ["scenario", "seed", "won", "availability", "served", "dropped", "timedOut", "revision", "ticks", "seats"])
      expect(o).to.have.property(key);
    expect(o).to.include({ scenario: "first-pod", seed: 4, ticks: 1800, won: true });
    expect(o.availability).to.be.within(0, 1);
    expect(o.seats.kubelets).to.have.keys(["node-1", "node-2", "node-3"]);
  });

  it("the same arguments print byte-identical output", () => {
    const args = ["--scenario", "node-down", "--seed", "11", "--bots", "hard", "--ticks", "900", "--json"];
    const a = sim(...args);
    const b = sim(...args);
    expect(a.code).to.equal(0);
    expect(a.out).to.equal(b.out);
    expect(JSON.parse(a.out).ticks).to.equal(900);
  });

  it("--bots-off takes roles and the seats of the scenario, including workers its script adds", () => {
    expect(sim("--scenario", "node-down", "--ticks", "10", "--bots-off", "kubelet,scheduler").code).to.equal(0);
    expect(sim("--scenario", "first-pod", "--ticks", "10", "--bots-off", "kube-proxy:node-2").code).to.equal(0);
    expect(sim("--scenario", "scale-out", "--ticks", "10", "--bots-off", "kubelet:node-3").code).to.equal(0);
  });

  it("prints a readable summary without --json, with the score in its parts", () => {
    const r = sim("--scenario", "control-plane-ha", "--seed", "1");
    expect(r.code).to.equal(0);
    expect(r.out).to.match(/^WON: /m);
    expect(r.out).to.match(/control-plane node cp-1 fails — recovered after/);
    const m = r.out.match(/^score (\d+)\/1000 = goal (\d+) \+ availability (\d+) \+ recovery (\d+) \+ penalties (-?\d+)$/m);
    expect(m, r.out).to.not.equal(null);
    const [total, ...parts] = m!.slice(1).map(Number);
    expect(parts.reduce((a, b) => a + b, 0)).to.equal(total);
    expect(parts[0]).to.equal(510);
  });

  it("--json holds score and scoreParts that add up to it", () => {
    const o = JSON.parse(sim("--scenario", "node-down", "--seed", "1", "--bots-off", "scheduler", "--json").out);
    expect(o.won).to.equal(false);
    expect(o.scoreParts).to.have.keys(["outcome", "availability", "recovery", "penalties"]);
    expect(o.scoreParts.outcome + o.scoreParts.availability + o.scoreParts.recovery + o.scoreParts.penalties).to.equal(o.score);
    expect(o.score).to.be.within(0, 490);
  });

  it("--matrix prints every recommended seat idle against its bot, as a table and as JSON", function () {
    // Two runs of 15 short games each: about 3 s on an idle machine, far more on a busy one.
    this.timeout(180_000);
    const table = sim("--matrix", "--scenario", "first-pod");
    expect(table.code, table.err).to.equal(0);
    for (const seat of ["scheduler", "controller-manager", "kubelet", "kube-proxy"]) {
      expect(table.out).to.match(new RegExp(`^\\| first-pod \\| ${seat} \\| 3/3 won, 96\\.9% \\| 0/3 won, 0\\.0% \\| 96\\.9 points \\| holds \\|$`, "m"));
    }
    const rows = JSON.parse(sim("--matrix", "--scenario", "first-pod", "--json").out);
    expect(rows).to.have.length(4);
    expect(rows[0]).to.include({ scenario: "first-pod", seat: "scheduler", holds: true });
    expect(rows[0].games.map((g: { seed: number }) => g.seed)).to.deep.equal([1, 2, 3]);
  });

  const bad: [string[], RegExp][] = [
    [["--scenario", "nope"], /unknown scenario "nope"/],
    [["--scenario", "first-pod", "--seed", "abc"], /--seed must be a whole number/],
    [["--scenario", "first-pod", "--bots", "insane"], /--bots must be easy, normal or hard/],
    [["--scenario", "first-pod", "--ticks", "1.5"], /--ticks must be a whole number/],
    [["--frobnicate"], /Unknown option/],
    [["--scenario", "noisy-neighbour", "--bots-off", "bogus"], /--bots-off: "bogus" is neither a role/],
    [["--scenario", "first-pod", "--bots-off", "kubelet:node-9"], /"kubelet:node-9" is neither a role .* nor a seat of first-pod/],
    [["--scenario", "first-pod", "--bots-off", ","], /--bots-off needs seats or roles/],
    [["--scenario", "first-pod", "--speed", "4"], /--speed only applies with --store/],
    [["--scenario", "first-pod", "--room", "demo"], /--room only applies with --store/],
    [[], /--scenario is required/],
    [["--matrix", "--scenario", "nope"], /unknown scenario "nope"/],
    [["--matrix", "--seed", "4"], /--seed does not apply with --matrix/],
    [["--matrix", "--bots", "hard"], /--bots does not apply with --matrix/],
  ];
  for (const [args, says] of bad) {
    it(`explains what is wrong with: ${args.join(" ") || "(no arguments)"}`, () => {
      expect(() => simCommand(args, {})).to.throw(UsageError, says);
    });
  }

  it("prints a mistake with the usage and exits with 2", () => {
    const r = sim("--scenario", "first-pod", "--bots", "insane");
    expect(r.code).to.equal(2);
    expect(r.err).to.match(/^sim: --bots must be easy, normal or hard/);
    expect(r.err).to.match(/usage:/);
  });

  it("a room name in REDIS_URL's presence makes a stored game, whose --speed and --room are checked", () => {
    const env = { REDIS_URL: "redis://127.0.0.1:1" };
    expect(simCommand(["--scenario", "first-pod", "--room", "demo", "--speed", "4"], env)).to.deep.include({ kind: "persisted", room: "demo", speed: 4 });
    expect(() => simCommand(["--scenario", "first-pod", "--room", "Demo!"], env)).to.throw(UsageError, /--room must be a name/);
    expect(() => simCommand(["--scenario", "first-pod", "--room", "demo", "--speed", "0"], env)).to.throw(UsageError, /--speed must be a positive/);
    expect(() => simCommand(["--room", "demo", "--resume", "--seed", "3"], env)).to.throw(UsageError, /--seed does not apply with --resume/);
  });
});

describe("npm run sim with a store", () => {
  it("names the URL in one line and exits 1 when REDIS_URL points at nothing", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "server/cli/sim.ts", "--scenario", "first-pod", "--room", "x"], {
      encoding: "utf8",
      env: { ...process.env, REDIS_URL: "redis://127.0.0.1:1" },
    });
    expect(r.status).to.equal(1);
    expect(r.stderr.trim().split("\n")).to.have.length(1);
    expect(r.stderr).to.match(/cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
  });
});
