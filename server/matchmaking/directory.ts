/**
 * The room directory: Colyseus' matchmaker listing of every room of every server process (in
 * Redis when REDIS_URL is set). Reads are bounded in time and fail as StoreUnavailable, so an
 * HTTP route answers 503 "the store is unreachable" instead of hanging or answering 500; and
 * at start-up the records left by server processes that are gone are forgotten, so their rooms
 * are restored from the store instead of being taken for running.
 */
import { matchMaker, type IRoomCache } from "@colyseus/core";
import { ROOM_NAME } from "../../shared/protocol/messages.ts";
import { CLASS_ROOM_NAME } from "../../shared/protocol/classMessages.ts";
import { StoreUnavailable } from "../store/ClusterStore.ts";
import { withDeadline } from "../ops/deadline.ts";

/** How long a route waits for the directory before answering 503, ms. */
export const DIRECTORY_TIMEOUT_MS = 2_000;

/** Every game room (and class room: team mode) in the directory; StoreUnavailable when Redis does not answer in time. */
export async function listRooms(timeoutMs = DIRECTORY_TIMEOUT_MS): Promise<IRoomCache[]> {
  try {
    const query = Promise.all([matchMaker.query({ name: ROOM_NAME }), matchMaker.query({ name: CLASS_ROOM_NAME })]).then((l) => l.flat());
    return await withDeadline(query, timeoutMs, "listing the running games");
  } catch (err) {
    throw new StoreUnavailable(`the store is unreachable, so the running games cannot be looked up (${(err as Error).message}): try again in a moment`);
  }
}

/**
 * Forgets the directory records of rooms whose server process no longer answers. Colyseus
 * sweeps at start-up only the processes listed in its process stats; a process that was killed
 * after removing itself from those stats (SIGTERM while Redis hung, then kill -9) leaves room
 * records no one sweeps, and the restore would take those rooms for running elsewhere. As in
 * Colyseus' own start-up sweep, a process is a suspect when its IPC channel has no subscriber
 * in Redis (a live process keeps it even while busy); a suspect is then asked (an IPC health
 * check, 2 s), and one that does not answer has its records removed by Colyseus itself.
 * A failure here is logged and the start goes on: the restore then skips what looks running.
 */
export async function forgetDeadProcesses(log: (line: string) => void): Promise<void> {
  try {
    const rooms = await matchMaker.query({});
    const listening = new Set((await matchMaker.presence.channels("p:*")).map((channel) => channel.slice("p:".length)));
    const suspects = new Set(
      rooms.map((r) => r.processId).filter((id): id is string => typeof id === "string" && id !== matchMaker.processId && !listening.has(id)),
    );
    await Promise.all(
      [...suspects].map(async (id) => {
        const alive = (await matchMaker.healthCheckProcessId(id)) as boolean;
        if (!alive) log(`forgot the rooms of server process ${id}: it is gone (their games are restored from the store)`);
      }),
    );
  } catch (err) {
    log(`could not check the room directory for processes that are gone: ${(err as Error).message}`);
  }
}
