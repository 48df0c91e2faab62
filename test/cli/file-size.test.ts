/**
 * The house rule of STYLE: a module that grows past 400 lines holds more than one idea and is
 * split. TypeScript under server/, shared/ and client/ is held to it (stylesheets are not).
 */
import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Most lines a TypeScript module may have. */
const MAX_MODULE_LINES = 400;
const ROOTS = ["server", "shared", "client/src"];

function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" || e.name === "dist" ? [] : modules(path);
    return e.name.endsWith(".ts") ? [path] : [];
  });
}

describe("module size", () => {
  it(`every TypeScript module under ${ROOTS.join(", ")} has at most ${MAX_MODULE_LINES} lines`, () => {
    const all = ROOTS.flatMap(modules);
    expect(all.length).to.be.greaterThan(50);
    const long = all
      .map((f) => ({ f, lines: readFileSync(f, "utf8").split("\n").length - 1 }))
      .filter((m) => m.lines > MAX_MODULE_LINES)
      .map((m) => `${m.f}: ${m.lines}`);
    expect(long, "split these").to.deep.equal([]);
  });
});
