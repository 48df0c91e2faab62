import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { loadConfig, SERVER_VARIABLES, TEST_VARIABLES } from "../../server/config.ts";

describe("server configuration", () => {
  it("has a default for every setting", () => {
    const c = loadConfig({});
    expect(c).to.include({ port: 2567, apiPort: 2568, trustProxy: 0, pinGuessesPerMinute: 60 });
    expect(c.redisUrl).to.equal(undefined);
    expect(c.metricsToken).to.equal(undefined);
    expect(c.caps).to.deep.equal({ maxRooms: 200, maxRoomsPerAddress: 20, cpuBudgetMs: 500 });
  });

  it("reads every variable", () => {
    const c = loadConfig({
      PORT: "3000",
      REDIS_URL: "redis://127.0.0.1:6390",
      PUBLIC_ADDRESS: "game-1.example:3000",
      TRUST_PROXY: "1",
      PIN_GUESSES_PER_MINUTE: "30",
      MAX_ROOMS: "50",
      MAX_ROOMS_PER_ADDRESS: "5",
      SIM_CPU_BUDGET: "800",
      METRICS_TOKEN: "t0ken",
    });
    expect(c).to.deep.include({
      port: 3000,
      apiPort: 3001,
      redisUrl: "redis://127.0.0.1:6390",
      publicAddress: "game-1.example:3000",
      trustProxy: 1,
      pinGuessesPerMinute: 30,
      metricsToken: "t0ken",
    });
    expect(c.caps).to.deep.equal({ maxRooms: 50, maxRoomsPerAddress: 5, cpuBudgetMs: 800 });
  });

  const wrong: [Record<string, string>, RegExp][] = [
    [{ PORT: "http" }, /PORT must be a port number/],
    [{ KUBE_API_PORT: "70000" }, /KUBE_API_PORT must be a port number/],
    [{ REDIS_URL: "localhost:6379" }, /REDIS_URL must be a redis:\/\//],
    [{ PUBLIC_ADDRESS: "http://x" }, /PUBLIC_ADDRESS must be host:port/],
    [{ TRUST_PROXY: "yes" }, /TRUST_PROXY/],
    [{ PIN_GUESSES_PER_MINUTE: "0" }, /PIN_GUESSES_PER_MINUTE/],
    [{ MAX_ROOMS: "-1" }, /MAX_ROOMS must be/],
    [{ SIM_CPU_BUDGET: "lots" }, /SIM_CPU_BUDGET must be/],
  ];
  for (const [env, says] of wrong) {
    it(`names what is wrong with ${JSON.stringify(env)}`, () => expect(() => loadConfig(env)).to.throw(says));
  }

  it("README's configuration tables list every variable the server and the tests read, and no other", () => {
    const readme = readFileSync("README.md", "utf8");
    const section = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("\n## ", readme.indexOf("## Configuration") + 5));
    const listed = [...section.matchAll(/^\| `([A-Z_]+)`(?:, `([A-Z_]+)`)? \|/gm)].flatMap((m) => [m[1], m[2]].filter(Boolean));
    expect([...listed].sort()).to.deep.equal([...SERVER_VARIABLES.map((v) => v.name), ...TEST_VARIABLES].sort());
  });

  it("every variable the code reads is in the tables", () => {
    const files = ["server", "shared", "client", "test"].flatMap((dir) => readdirTs(dir));
    const read = new Set(files.flatMap((f) => [...readFileSync(f, "utf8").matchAll(/process\.env\.([A-Z_]+)|env\.([A-Z_]{3,})\b/g)].map((m) => m[1] ?? m[2])));
    const known = new Set([...SERVER_VARIABLES.map((v) => v.name), ...TEST_VARIABLES]);
    expect([...read].filter((v) => !known.has(v))).to.deep.equal([]);
  });
});

/** The TypeScript files under `dir` (not the built client). */
function readdirTs(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") && !f.startsWith("dist"))
    .map((f) => `${dir}/${f}`);
}
