/**
 * The Dockerfile runner the image test uses (test/support/dockerfile.ts), on small cases: it
 * reads instructions as Docker does, leaves out what .dockerignore says as Docker does, and
 * refuses what it cannot carry out rather than skipping it.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildLikeDocker, ignoredBy, parseDockerfile, parseEnv } from "../support/dockerfile.ts";

describe("the Dockerfile runner of the image test", () => {
  it("reads stages, names and continued lines, and drops comments", () => {
    const stages = parseDockerfile(
      "# syntax=docker/dockerfile:1\nFROM node:22 AS build\nRUN a && \\\n  b\n\nFROM node:22\nCOPY --from=build /app/dist ./dist\n",
    );
    expect(stages.map((s) => [s.image, s.name])).to.deep.equal([
      ["node:22", "build"],
      ["node:22", undefined],
    ]);
    expect(stages[0].instructions).to.deep.equal([{ op: "RUN", args: "a && b", line: 3 }]);
  });

  const envCases: [string, Record<string, string>][] = [
    ["NODE_ENV=production PORT=2567", { NODE_ENV: "production", PORT: "2567" }],
    ['GREETING="hello there" X=1', { GREETING: "hello there", X: "1" }],
    ["LEGACY some value", { LEGACY: "some value" }],
  ];
  for (const [args, env] of envCases) it(`reads ENV ${args}`, () => expect(parseEnv(args)).to.deep.equal(env));

  const ignoreCases: [string[], string, boolean][] = [
    [["node_modules"], "node_modules/x/index.js", true],
    [["dist"], "client/dist/index.html", false],
    [["client/dist"], "client/dist/index.html", true],
    [["*.log"], "npm-debug.log", true],
    [["*.log"], "logs/a.log", false],
    [["**/*.log"], "logs/a.log", true],
    [["test", "!test/keep.ts"], "test/keep.ts", false],
    [["test", "!test/keep.ts"], "test/other.ts", true],
    [["./docs/"], "docs/README.md", true],
  ];
  for (const [patterns, file, ignored] of ignoreCases) {
    it(`${ignored ? "leaves out" : "keeps"} ${file} under ${JSON.stringify(patterns)}`, () => expect(ignoredBy(patterns, file)).to.equal(ignored));
  }

  const refused: [string, RegExp][] = [
    ["FROM node:22\nADD https://example.org/x /x\n", /does not know ADD/],
    ["FROM node:22\nCMD node server.js\n", /exec form/],
    ["FROM node:22\nCOPY missing.txt ./\n", /not in the build context/],
    ["FROM node:22\nRUN exit 3\n", /exit 3 failed/],
  ];
  for (const [dockerfile, message] of refused) {
    it(`refuses ${JSON.stringify(dockerfile.split("\n")[1])}`, () => {
      const dir = mkdtempSync(path.join(tmpdir(), "crew-dockerfile-"));
      try {
        writeFileSync(path.join(dir, "Dockerfile"), dockerfile);
        expect(() => buildLikeDocker(dir, path.join(dir, "Dockerfile"), path.join(dir, "stages"))).to.throw(message);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
