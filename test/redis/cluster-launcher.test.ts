/**
 * `npm run cluster`: N game processes on one Redis (here a private one the launcher starts, as it
 * does without REDIS_URL), each at its own address; a game made through one is found, joined and
 * answered for (kubectl) through another; Ctrl-C stops every process and that Redis.
 */
import { expect } from "chai";
import { execFileSync, spawn } from "node:child_process";
import "../../server/polyfill.ts";
import { Client } from "@colyseus/sdk";
import { until } from "../support/gameServer.ts";

describe("npm run cluster", function () {
  this.timeout(180_000);

  it("runs two processes on a Redis of its own, each answering for the other's games, and stops them all on Ctrl-C", async () => {
    const env = { ...process.env, REDIS_URL: "" };
    const launcher = spawn(process.execPath, ["--import", "tsx", "server/cli/cluster.ts", "--processes", "2", "--port", "0", "--host", "127.0.0.1"], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    launcher.stdout!.on("data", (d) => (out += d));
    launcher.stderr!.on("data", (d) => (out += d));
    try {
      await until(() => /Ctrl-C stops them all/.test(out) || launcher.exitCode !== null, 150_000, "the processes running");
      expect(out).to.match(/started a private redis-server at redis:\/\/127\.0\.0\.1:\d+/);
      const redisPort = /private redis-server at redis:\/\/127\.0\.0\.1:(\d+)/.exec(out)![1];
      const urls = [...out.matchAll(/process (\d): (http:\/\/127\.0\.0\.1:\d+)/g)].map((m) => m[2]);
      expect(urls, out).to.have.length(2);
      expect(new Set(urls).size).to.equal(2);

      const ws = (u: string) => u.replace(/^http/, "ws");
      const host = await new Client(ws(urls[0])).create("cluster", { mode: "workshop", scenario: "first-pod", nickname: "T" });
      const welcome = await new Promise<{ pin: string; hostToken: string }>((r) => host.onMessage("welcome", r));
      host.onMessage("*", () => {});
      // Process 2 finds the game (wherever it runs), lets a player in, and answers kubectl for it.
      const found = await fetch(`${urls[1]}/api/pin/${welcome.pin}`);
      expect(found.status).to.equal(200);
      const { roomId } = (await found.json()) as { roomId: string };
      const student = await new Client(ws(urls[1])).joinById(roomId, { pin: welcome.pin, nickname: "Ada" });
      student.onMessage("*", () => {});
      await until(() => (host.state as any).players?.size === 2, 10_000, "both players in the game");
      for (const u of urls) {
        const nodes = await fetch(`${u}/k8s/${welcome.pin}/api/v1/nodes`, { headers: { Authorization: `Bearer ${welcome.hostToken}` } });
        expect(nodes.status, u).to.equal(200);
      }

      const pids = await childPids(launcher.pid!);
      launcher.kill("SIGINT");
      await until(() => launcher.exitCode !== null, 30_000, "the launcher to stop");
      expect(launcher.exitCode, out).to.equal(0);
      expect(out).to.match(/\[1\] SIGTERM: saving every room/);
      expect(out).to.match(/\[2\] SIGTERM: saving every room/);
      for (const pid of pids) expect(alive(pid), `process ${pid} still running`).to.equal(false);
      expect(() => execFileSync("redis-cli", ["-p", redisPort, "ping"], { stdio: "pipe" }), "the private Redis stopped").to.throw();
    } finally {
      if (launcher.exitCode === null) launcher.kill("SIGKILL");
    }
  });
});

/** The game-server processes the launcher started (its children running server/index.ts). */
async function childPids(parent: number): Promise<number[]> {
  const lines = execFileSync("ps", ["-o", "pid=,args=", "--ppid", String(parent)], { encoding: "utf8" })
    .trim()
    .split("\n");
  return lines.filter((l) => l.includes("server/index.ts")).map((l) => Number(l.trim().split(/\s+/)[0]));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
