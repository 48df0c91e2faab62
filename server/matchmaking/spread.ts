/**
 * Where the matchmaker creates a new room: on the server process with the fewest rooms, as
 * Colyseus does by default — counting also the rooms this process sent to each process in the
 * last few seconds. Colyseus' per-process room counts in Redis are written at most once a
 * second, so a class creating its 12 team rooms at once would otherwise send them all to the
 * process that looked emptiest a moment ago; counted here, they spread over the processes.
 */
import { matchMaker } from "@colyseus/core";

/** How long a room sent to a process counts for it before Colyseus' own count has caught up, ms. */
export const RECENT_MS = 3_000;

export function spreadRooms(): matchMaker.SelectProcessIdCallback {
  const recent: { processId: string; at: number }[] = [];
  return async () => {
    const now = Date.now();
    while (recent.length > 0 && recent[0].at < now - RECENT_MS) recent.shift();
    const all = await matchMaker.stats.fetchAll();
    if (all.length === 0) return matchMaker.processId;
    const load = (p: { processId: string; roomCount: number }) => p.roomCount + recent.filter((r) => r.processId === p.processId).length;
    const best = all.reduce((a, b) => (load(b) < load(a) ? b : a));
    recent.push({ processId: best.processId, at: now });
    return best.processId;
  };
}
