/**
 * bench:k8s's watchers, on a thread of their own: every player's `kubectl get deploy --watch`
 * as a streaming fetch, noting when each scale arrives (absolute ms, comparable with the main
 * thread's send times). Off the main thread, which carries the players' game connections, so
 * the bench's own busy event loop does not add to the latency it measures.
 */
import { parentPort, workerData } from "node:worker_threads";

export interface WatcherSpec {
  room: number;
  api: string;
  token: string;
}

/** To the main thread: "ready" once every watch is open; the receipt times asked for, per room. */
export type WatcherReply = { ready: true } | { times: number[][] };

const specs = (workerData as { watchers: WatcherSpec[]; rooms: number }).watchers;
const rooms = (workerData as { rooms: number }).rooms;
/** `${room}:${replicas}` → when each watcher of the room saw that replica count. */
const seen = new Map<string, number[]>();
const now = () => performance.timeOrigin + performance.now();
/**
 * An event's type and its deployment's spec.replicas, read without parsing the whole line: this
 * one thread stands in for 600 students' machines, each of which parses only its own stream.
 */
const EVENT = /^\{"type":"(\w+)","object":\{.*?"spec":\{"replicas":(\d+)/;

async function watch(w: WatcherSpec): Promise<void> {
  const res = await fetch(`${w.api}/apis/apps/v1/namespaces/default/deployments?watch=true&fieldSelector=metadata.name%3Dweb`, {
    headers: { Authorization: `Bearer ${w.token}` },
  });
  if (res.status !== 200) throw new Error(`a watch was refused: ${res.status} ${await res.text()}`);
  const reader = res.body!.getReader();
  // A MODIFIED with another replica count than the last is the scale; the others are status updates.
  let last: number | undefined;
  void (async () => {
    let buffer = "";
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      const lines = buffer.split("\n");
      buffer = lines.pop()!;
      for (const line of lines) {
        const m = EVENT.exec(line);
        if (m?.[1] !== "MODIFIED") continue;
        const replicas = Number(m[2]);
        if (replicas === last) continue;
        last = replicas;
        const key = `${w.room}:${replicas}`;
        (seen.get(key) ?? seen.set(key, []).get(key)!).push(now());
      }
    }
  })();
}

await Promise.all(specs.map(watch));
parentPort!.postMessage({ ready: true } satisfies WatcherReply);
parentPort!.on("message", (m: { collect: number }) => {
  const times: number[][] = [];
  for (let r = 0; r < rooms; r++) {
    times.push(seen.get(`${r}:${m.collect}`) ?? []);
    seen.delete(`${r}:${m.collect}`);
  }
  parentPort!.postMessage({ times } satisfies WatcherReply);
});
