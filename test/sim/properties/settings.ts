/**
 * fast-check settings shared by the property tests. A failure prints the shrunk counterexample
 * and the seed and path to replay it: FC_SEED=<seed> FC_PATH=<path> npm test -- <the test file>;
 * FC_RUNS=<runs> widens every property (and lifts the time limit) for a longer hunt.
 */
import fc from "fast-check";
import type { Plan } from "./plan.ts";

export function params<Ts extends unknown[] = [Plan]>(numRuns: number): fc.Parameters<Ts> {
  const runs = Number(process.env.FC_RUNS);
  const seed = Number(process.env.FC_SEED);
  return {
    numRuns: runs > 0 ? runs : numRuns,
    ...(Number.isFinite(seed) && process.env.FC_SEED ? { seed } : {}),
    ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}),
    // A safety net for slow machines: stop (and report what was found so far) rather than hang.
    plugins: [fc.interruptAfterTimeLimit(runs > 0 ? 3_600_000 : 40_000)],
  };
}
