/**
 * A replay worker thread: it takes a finished game and its players (one job), plans the
 * "you against the bot" replays, and runs the tasks the pool hands it one at a time, so the
 * room's event loop never runs a replay. See ReplayPool.ts for the messages.
 */
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import type { InputRecord } from "../../shared/sim/inputLog.ts";
import { planVersusBot, runTask, taskCount, type SavedGame, type VersusBotPlan } from "../../shared/sim/counterfactual/versusBot.ts";
import type { ToWorker, FromWorker } from "./ReplayPool.ts";

if (!parentPort) throw new Error("replayWorker.ts runs as a worker thread (see ReplayPool.ts)");
// At the priority the pool asks for (REPLAY_NICE: the lowest; the thread's own on Linux), when started compiled (workerBoot.mjs did it otherwise).
if (typeof workerData?.nice === "number") {
  try {
    setPriority(workerData.nice);
  } catch {
    // Not allowed here: the thread runs at its process's priority.
  }
}
const port = parentPort;
let job: { id: number; game: SavedGame; plan: VersusBotPlan } | undefined;

const post = (m: FromWorker) => port.postMessage(m);

port.on("message", (m: ToWorker) => {
  try {
    if (m.type === "job") {
      const game: SavedGame = { ...m.game, inputLog: m.log.flatMap((chunk) => JSON.parse(chunk) as InputRecord[]) };
      const plan = planVersusBot(game, m.players);
      job = { id: m.id, game, plan };
      // Only what putting the results together needs: not the records each variant leaves out.
      const light: VersusBotPlan = { ...plan, variants: plan.variants.map((v) => ({ ...v, removed: [] })) };
      post({ type: "ready", id: m.id, tasks: taskCount(plan), plan: light });
    } else if (m.type === "task") {
      if (!job || job.id !== m.id) throw new Error(`task for job ${m.id}, but this worker holds ${job?.id ?? "none"}`);
      post({ type: "result", id: m.id, task: m.task, result: runTask(job.game, job.plan, m.task) });
    } else job = undefined;
  } catch (err) {
    post({ type: "error", id: m.id, message: (err as Error).message });
  }
});
