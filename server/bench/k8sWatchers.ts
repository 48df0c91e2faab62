/**
 * bench:k8s's kubectl side, on a thread of its own: every player's `kubectl get deploy --watch`
 * as a streaming request, noting when each scale arrives, and every host's `kubectl scale`, sent
 * from here too so that a write's send time and its receipts are read from one clock. Off the
 * main thread, which carries the players' game connections: a busy event loop there would delay
 * a PATCH after its send time was taken (and a receipt before it is noted), and add that to the
 * latency this measures (docs/PERFORMANCE.md).
 */
import { get } from "node:http";
import { parentPort, workerData } from "node:worker_threads";

export interface WatcherSpec {
  room: number;
  api: string;
  token: string;
}

/** A host who scales its room's deployment. */
export interface WriterSpec {
  api: string;
  hostToken: string;
}

/** From the main thread: every host scales to `replicas` at once; the receipts come back `settleMs` after the last answer. */
export interface ScaleOrder {
  replicas: number;
  settleMs: number;
}

/**
 * To the main thread: "ready" once every watch is open; per write round, when each room's PATCH
 * was sent and when each of its watchers saw the new count (absolute ms).
 */
export type WatcherReply = { ready: true } | { sent: number[]; times: number[][] };

const { watchers: specs, writers } = workerData as { watchers: WatcherSpec[]; writers: WriterSpec[] };
/** `${room}:${replicas}` → when each watcher of the room saw that replica count. */
const seen = new Map<string, number[]>();
const now = () => performance.timeOrigin + performance.now();
/**
 * An event's type and its deployment's spec.replicas, read without parsing the whole line: this
 * one thread stands in for 600 students' machines, each of which parses only its own stream.
 */
const EVENT = /^\{"type":"(\w+)","object":\{.*?"spec":\{"replicas":(\d+)/;

/**
 * One `kubectl get deploy --watch`: node:http rather than fetch, whose web streams cost several
 * times more per chunk — this thread reads 600 streams, and its own queue was in the figures.
 */
function watch(w: WatcherSpec): Promise<void> {
  return new Promise((resolve, reject) => {
    const url = `${w.api}/apis/apps/v1/namespaces/default/deployments?watch=true&fieldSelector=metadata.name%3Dweb`;
    const req = get(url, { headers: { Authorization: `Bearer ${w.token}` } }, (res) => {
      res.setEncoding("utf8");
      if (res.statusCode !== 200) {
        let text = "";
        res.on("data", (d: string) => void (text += d));
        res.on("end", () => reject(new Error(`a watch was refused: ${res.statusCode} ${text}`)));
        return;
      }
      // A MODIFIED with another replica count than the last is the scale; the others are status updates.
      let last: number | undefined;
      let buffer = "";
      res.on("data", (chunk: string) => {
        buffer += chunk;
        for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
          const m = EVENT.exec(buffer.slice(0, nl));
          buffer = buffer.slice(nl + 1);
          if (m?.[1] !== "MODIFIED") continue;
          const replicas = Number(m[2]);
          if (replicas === last) continue;
          last = replicas;
          const key = `${w.room}:${replicas}`;
          (seen.get(key) ?? seen.set(key, []).get(key)!).push(now());
        }
      });
      resolve();
    });
    req.on("error", reject);
  });
}

/** Every host scales at once (`kubectl scale`'s PATCH of the scale subresource); when each was sent. */
async function scaleAll(replicas: number): Promise<number[]> {
  return Promise.all(
    writers.map(async (w) => {
      const at = now();
      const res = await fetch(`${w.api}/apis/apps/v1/namespaces/default/deployments/web/scale`, {
        method: "PATCH",
        headers: { Authorization: `Bearer ${w.hostToken}`, "Content-Type": "application/merge-patch+json" },
        body: JSON.stringify({ spec: { replicas } }),
      });
      if (res.status !== 200) throw new Error(`a scale was refused: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
      return at;
    }),
  );
}

await Promise.all(specs.map(watch));
parentPort!.postMessage({ ready: true } satisfies WatcherReply);
parentPort!.on("message", async ({ replicas, settleMs }: ScaleOrder) => {
  const sent = await scaleAll(replicas);
  await new Promise((r) => setTimeout(r, settleMs));
  const times = writers.map((_w, room) => {
    const got = seen.get(`${room}:${replicas}`) ?? [];
    seen.delete(`${room}:${replicas}`);
    return got;
  });
  parentPort!.postMessage({ sent, times } satisfies WatcherReply);
});
