/**
 * The entry of a worker thread that runs TypeScript. Node 20 does not pass the parent's
 * `--import tsx` hooks on to a worker, so the worker loads its TypeScript module (workerData
 * `entry`, a file URL) itself: bundled by esbuild (the compiler tsx runs on) into one ES module,
 * without the function-name keeping tsx adds to every function — a replay runs about a third
 * faster without it — or through tsx's loader, should bundling fail (or workerData `bundle` be
 * false: the benchmark compares the two).
 */
import { setPriority } from "node:os";
import { fileURLToPath } from "node:url";
import { workerData } from "node:worker_threads";

// This thread's priority first (workerData `nice`; on Linux it is the thread's own, and the
// compiler esbuild starts below inherits it): loading the code is background work too.
lowerPriority(workerData.nice);

function lowerPriority(nice) {
  if (nice === undefined) return;
  try {
    setPriority(nice);
  } catch {
    // Not allowed here (or not supported): the thread runs at its process's priority.
  }
}

async function bundled(entry) {
  const esbuild = await import("esbuild");
  const out = await esbuild.build({
    entryPoints: [fileURLToPath(entry)],
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    write: false,
    logLevel: "silent",
  });
  // esbuild's compiler process is not needed again in this thread.
  await esbuild.stop?.();
  return `data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString("base64")}`;
}

let url;
try {
  if (workerData.bundle === false) throw new Error("asked for tsx");
  url = await bundled(workerData.entry);
} catch {
  const { register } = await import("tsx/esm/api");
  register();
  url = workerData.entry;
}
await import(url);
