/**
 * The image, built without a container engine: a fresh clone of this commit, the Dockerfile's own
 * steps carried out on it (test/support/dockerfile.ts; npm ci from this machine's npm cache), and
 * the run stage started the way the image starts it — its CMD, plain node, production
 * dependencies only — then asked for /healthz (and its HEALTHCHECK run), the page and its script,
 * and a solo game played to its debrief, so the compiled server is seen to find the scenarios, the
 * question files and its replay worker. Uncommitted changes are not in the clone: commit first.
 */
import "../../server/polyfill.ts";
import { expect } from "chai";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client, type Room } from "@colyseus/sdk";
import { buildLikeDocker, hostEnv, type BuiltStage } from "../support/dockerfile.ts";
import { freePort } from "../support/redisServer.ts";

const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8" }).trim();

async function waitFor<T>(what: string, ms: number, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("the image: the Dockerfile's steps on a fresh clone, run with plain node", function () {
  // npm ci twice (from the cache), the client and the server built: about a minute on 2 idle
  // cores, several when the machine is busy.
  this.timeout(600_000);
  const repo = git(process.cwd(), "rev-parse", "--show-toplevel");
  const pkg = JSON.parse(readFileSync(path.join(repo, "package.json"), "utf8")) as { dependencies: object };
  const lock = JSON.parse(readFileSync(path.join(repo, "package-lock.json"), "utf8")) as { packages: Record<string, { dev?: boolean }> };
  let work: string;
  let run: BuiltStage;
  let app: string;
  let server: ChildProcess | undefined;
  let output = "";
  let port: number;

  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), "crew-image-"));
    const context = path.join(work, "context");
    const commit = git(repo, "rev-parse", "HEAD");
    git(work, "clone", "--quiet", "--shared", "--no-checkout", repo, context);
    git(context, "checkout", "--quiet", "--detach", commit);
    const stages = buildLikeDocker(context, path.join(context, "Dockerfile"), path.join(work, "stages"), {
      runEnv: { npm_config_prefer_offline: "true", npm_config_update_notifier: "false" },
    });
    run = stages[stages.length - 1];
    app = path.join(run.root, run.workdir);
    port = await freePort();
    const env = { ...hostEnv(), ...run.env, PORT: String(port), KUBE_API_PORT: String(await freePort()) };
    const [command, ...args] = run.cmd ?? [];
    server = spawn(command, args, { cwd: app, env, stdio: ["ignore", "pipe", "pipe"] });
    server.stdout!.on("data", (d) => (output += d));
    server.stderr!.on("data", (d) => (output += d));
    await waitFor(`the server to start:\n${output}`, 30_000, () => {
      if (server!.exitCode !== null) throw new Error(`the server exited (${server!.exitCode}):\n${output}`);
      return /Cluster Crew is running/.test(output) || undefined;
    });
  });

  after(async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((r) => server!.once("exit", r));
      server.kill("SIGTERM");
      await exited;
    }
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("starts with plain node as a user other than root, from production dependencies only", () => {
    expect(run.cmd?.[0]).to.equal("node");
    expect(run.cmd?.join(" ")).not.to.match(/tsx|\.ts\b/);
    expect(run.user, "USER")
      .to.be.a("string")
      .and.not.match(/^(root|0)(:|$)/);
    // What the lock file marks as needed only for development is absent: tsx, Vite, esbuild, and
    // Phaser (the client's, bundled by Vite). (TypeScript stays: @colyseus/schema's optional peer.)
    const devOnly = Object.entries(lock.packages).filter(([where, p]) => where.startsWith("node_modules/") && p.dev);
    expect(devOnly.map(([where]) => where)).to.include.members(["node_modules/tsx", "node_modules/vite", "node_modules/esbuild", "node_modules/phaser"]);
    for (const [where] of devOnly) expect(existsSync(path.join(app, where)), `${where} (development only)`).to.equal(false);
    for (const dep of Object.keys(pkg.dependencies)) expect(existsSync(path.join(app, "node_modules", dep)), dep).to.equal(true);
    expect(run.expose).to.include.members([Number(run.env.PORT), Number(run.env.KUBE_API_PORT)]);
  });

  it("answers /healthz, and the HEALTHCHECK command says healthy", async () => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).to.equal(200);
    expect(((await res.json()) as { ok: boolean }).ok).to.equal(true);
    const [command, ...args] = run.healthcheck ?? [];
    expect(command, "HEALTHCHECK CMD").to.equal("node");
    execFileSync(command, args, { cwd: app, env: { ...hostEnv(), ...run.env, PORT: String(port) }, stdio: "pipe" });
  });

  it("serves the built client: the page, its script and the scenarios", async () => {
    const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    expect(page).to.match(/<title>Cluster Crew<\/title>/);
    const script = /<script type="module"[^>]* src="([^"]+)"/.exec(page)?.[1];
    expect(script, "the page's script").to.be.a("string");
    const js = await fetch(`http://127.0.0.1:${port}${script}`);
    expect(js.status).to.equal(200);
    expect(js.headers.get("content-type")).to.match(/javascript/);
    const scenarios = (await (await fetch(`http://127.0.0.1:${port}/api/scenarios`)).json()) as { id: string }[];
    expect(scenarios.map((s) => s.id)).to.include("first-pod");
  });

  it("plays a solo game to its debrief: the question files read, the replay worker run", async () => {
    const client = new Client(`ws://127.0.0.1:${port}`);
    const room: Room = await client.create("cluster", { mode: "solo", scenario: "first-pod", seat: "scheduler", nickname: "Ada", questions: true });
    const results: { result: { code: number } }[] = [];
    const vsBot: { status: string; message?: string }[] = [];
    room.onMessage("result", (m) => results.push(m));
    room.onMessage("vsBot", (m) => vsBot.push(m));
    room.onMessage("*", () => {});
    const welcome = await new Promise<{ questions?: Record<string, unknown[]> }>((r) => room.onMessage("welcome", r));
    expect(Object.keys(welcome.questions ?? {}), "question banks in the host's welcome").to.include("first-pod");
    for (const type of ["host.start", "host.end"]) {
      const before = results.length;
      room.send(type, {});
      const r = await waitFor(`an answer to ${type}`, 10_000, () => results[before]);
      expect(r.result.code, type).to.equal(200);
    }
    const done = await waitFor("the replay's result", 60_000, () => vsBot.find((m) => m.status !== "running"));
    expect(done.status, done.message).to.equal("done");
    await room.leave();
  });
});
