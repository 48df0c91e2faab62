/**
 * `npm run build:server`: the server compiled to JavaScript, to run with plain `node` (the image
 * does: no tsx, no TypeScript at run time). tsc compiles server/ and shared/ into dist/ as
 * tsconfig.build.json says (the `.ts` of every relative import rewritten to `.js`; the scenario
 * JSON it imports emitted beside), then this copies in what the server reads from disk at run
 * time that tsc does not emit: the question files and the built client. `npm run build` builds the
 * client first; `node dist/server/index.js` then starts the server.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/** Where the compiled server goes (git-ignored); dist/server/index.js is its entry. */
export const OUT_DIR = "dist";

/** Files the compiled server reads at run time that tsc does not emit, copied to the same place under OUT_DIR. */
export const RUNTIME_FILES: readonly { from: string; readBy: string; madeBy?: string }[] = [
  { from: "server/teaching/questions", readBy: "server/teaching/questions.ts (every file in the folder)" },
  // server/app.ts serves client/dist beside server/: dist/client/dist beside dist/server.
  { from: "client/dist", readBy: "server/app.ts (the page and its assets)", madeBy: "npm run build:client" },
];

function main(): void {
  const root = path.resolve(import.meta.dirname, "..", "..");
  for (const f of RUNTIME_FILES) {
    if (!existsSync(path.join(root, f.from))) throw new Error(`${f.from} is missing${f.madeBy ? `: run ${f.madeBy} first` : ""}`);
  }
  rmSync(path.join(root, OUT_DIR), { recursive: true, force: true });
  const tsc = path.join(path.dirname(createRequire(import.meta.url).resolve("typescript/package.json")), "bin", "tsc");
  execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
  for (const f of RUNTIME_FILES) cpSync(path.join(root, f.from), path.join(root, OUT_DIR, f.from), { recursive: true });
  console.log(`compiled the server into ${OUT_DIR}/: node ${OUT_DIR}/server/index.js starts it`);
}

try {
  main();
} catch (err) {
  console.error(`cannot build the server: ${(err as Error).message}`);
  process.exit(1);
}
