/**
 * The entry of a worker thread that runs TypeScript: Node 20 does not pass the parent's
 * `--import tsx` hooks on to a worker, so the worker registers tsx itself, then imports the
 * TypeScript module named in its workerData (`entry`, a file URL).
 */
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
