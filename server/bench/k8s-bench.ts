/**
 * The rooms' Kubernetes API under classes' worth of kubectl: R workshops on one process, N
 * players in each holding a watch on deployments (as `kubectl get deploy --watch` does) while
 * every host scales a deployment through the API twice a second, all at once. Prints how long a
 * write takes to reach every watcher of its room (PATCH sent → MODIFIED event received), how
 * long a server-printed list of pods takes when one class's players all ask at once, and the
 * server's event-loop delay meanwhile. The default is issue 13's shape: 10 classes of 60
 * (600 watchers); docs/PERFORMANCE.md records the figures.
 *
 *   npm run bench:k8s [-- --rooms 10 --players 60 --writes 40 --decode]
 *
 * It starts its own server process (in-process store) on free loopback ports.
 */
import "../polyfill.ts";
import { parseArgs } from "node:util";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import type { ScaleOrder, WatcherReply, WatcherSpec, WriterSpec } from "./k8sWatchers.ts";
import { Client, type Room } from "@colyseus/sdk";
import { METRICS_WINDOW_MS } from "../ops/metrics.ts";
import { collectMetrics, pct, startServerProcess } from "./support.ts";

const { values } = parseArgs({
  options: {
    rooms: { type: "string", default: "10" },
    players: { type: "string", default: "60" },
    writes: { type: "string", default: "40" },
    decode: { type: "boolean", default: false },
  },
});
const rooms = Number(values.rooms);
const players = Number(values.players);
const writes = Number(values.writes);

/** How long after the last host's write is answered its room's receipts are collected. */
const SETTLE_MS = 500;

const ms = (x: number) => `${x.toFixed(1)} ms`;
const TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

interface Welcome {
  pin: string;
  hostToken?: string;
  apiToken?: string;
}

interface Class {
  pin: string;
  hostToken: string;
  tokens: string[];
}

/**
 * A player's game connection from its welcome on: the server sends it every state patch as to a
 * browser, but (unless --decode) the bench does not decode them. 610 players' decoding on this
 * one thread takes about half a core and seconds of garbage collection, on the two cores the
 * server runs on; in a class each student's browser decodes its own (docs/PERFORMANCE.md).
 */
function receiveOnly(room: Room): void {
  if (!values.decode) room.serializer.patch = () => [];
}

/** One workshop: its host and `players` students, started; their API tokens. */
async function openClass(port: number, http: string): Promise<Class> {
  const host = await new Client(`ws://127.0.0.1:${port}`).create("cluster", { mode: "workshop", scenario: "free-play", nickname: "Host" });
  host.onMessage("*", () => {});
  const hw = await new Promise<Welcome>((r) => host.onMessage("welcome", r));
  receiveOnly(host);
  const { roomId } = (await (await fetch(`${http}/api/pin/${hw.pin}`)).json()) as { roomId: string };
  const tokens: string[] = [];
  for (let i = 0; i < players; i++) {
    const room = await new Client(`ws://127.0.0.1:${port}`).joinById(roomId, { pin: hw.pin, nickname: `student-${i}` });
    room.onMessage("*", () => {});
    tokens.push((await new Promise<Welcome>((r) => room.onMessage("welcome", r))).apiToken!);
    receiveOnly(room);
  }
  host.send("host.start", {});
  host.send("host.start", {});
  return { pin: hw.pin, hostToken: hw.hostToken!, tokens };
}

async function main(): Promise<void> {
  const { child: server, port, url: http, metricsToken } = await startServerProcess();
  try {
    const classes: Class[] = [];
    for (let r = 0; r < rooms; r++) classes.push(await openClass(port, http));
    await new Promise((r) => setTimeout(r, 1500));
    const apiOf = (c: Class) => `${http}/k8s/${c.pin}`;
    console.log(
      `k8s API: ${rooms} workshops of ${players} players (${rooms * players} watchers) on one process, each watching deployments; every host scales ${writes} times through the API, all at once`,
    );

    // Every player watches deployments from now on, and every host scales, on the kubectl thread
    // (k8sWatchers.ts). tsx's loader is registered in the thread first: a worker does not inherit it.
    const boot = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((t) => { t.register(); return import(${JSON.stringify(new URL("./k8sWatchers.ts", import.meta.url).href)}); })`;
    const kubectl = new Worker(boot, {
      eval: true,
      workerData: {
        watchers: classes.flatMap((c, room) => c.tokens.map((token): WatcherSpec => ({ room, api: apiOf(c), token }))),
        writers: classes.map((c): WriterSpec => ({ api: apiOf(c), hostToken: c.hostToken })),
      },
    });
    const replies: ((r: WatcherReply) => void)[] = [];
    kubectl.on("message", (r: WatcherReply) => replies.shift()?.(r));
    kubectl.on("error", (err) => {
      console.error(`the kubectl thread failed: ${err.message}`);
      server.kill("SIGKILL");
      process.exit(1);
    });
    const reply = () => new Promise<WatcherReply>((r) => replies.push(r));
    await reply();
    const metrics = collectMetrics(http, metricsToken);
    const own = monitorEventLoopDelay({ resolution: 10 });
    own.enable();

    const latencies: number[] = [];
    let missing = 0;
    for (let i = 0; i < writes; i++) {
      // Up by one and back, so each write is told apart from the last and the cluster stays its size.
      const replicas = 7 + (i % 2);
      const answer = reply();
      kubectl.postMessage({ replicas, settleMs: SETTLE_MS } satisfies ScaleOrder);
      const { sent, times } = (await answer) as { sent: number[]; times: number[][] };
      classes.forEach((_c, k) => {
        const got = times[k];
        missing += players - got.length;
        for (const t of got) latencies.push(t - sent[k]);
      });
    }
    metrics.stop();
    own.disable();
    console.log(`the bench's main thread (the players' game connections): event-loop delay p99 ${ms(own.percentile(99) / 1e6)}`);
    // The windows that ran wholly or partly during the writes (the first began before them).
    const windows = metrics.windows;
    const loop = {
      p50: pct(
        windows.map((w) => w.eventLoopDelayMs.p50).sort((a, b) => a - b),
        0.5,
      ),
      p99: Math.max(0, ...windows.map((w) => w.eventLoopDelayMs.p99)),
      cpuPercent: pct(
        windows.map((w) => w.cpuPercent).sort((a, b) => a - b),
        0.5,
      ),
    };

    // Then one class's players list the pods at once, server-printed, as kubectl get pods does.
    const lists: number[] = [];
    for (let round = 0; round < 5; round++) {
      await Promise.all(
        classes[0].tokens.map(async (token) => {
          const t0 = performance.now();
          const res = await fetch(`${apiOf(classes[0])}/api/v1/namespaces/default/pods`, { headers: { Authorization: `Bearer ${token}`, Accept: TABLE } });
          await res.arrayBuffer();
          lists.push(performance.now() - t0);
        }),
      );
    }
    await kubectl.terminate();

    latencies.sort((a, b) => a - b);
    lists.sort((a, b) => a - b);
    console.log(
      `write → every watcher: p50 ${ms(pct(latencies, 0.5))}, p99 ${ms(pct(latencies, 0.99))}, max ${ms(latencies.at(-1) ?? 0)} over ${latencies.length} deliveries (${missing} missed)`,
    );
    console.log(`${players} lists of pods at once: p50 ${ms(pct(lists, 0.5))}, p99 ${ms(pct(lists, 0.99))}`);
    console.log(
      `server while watched and written (${windows.length} windows of ${METRICS_WINDOW_MS / 1000} s): event-loop delay p50 ${ms(loop.p50)} (median), p99 ${ms(loop.p99)} (worst window), CPU ${loop.cpuPercent}% (median)`,
    );
    if (missing > 0) process.exitCode = 1;
  } finally {
    server.kill("SIGKILL");
  }
  process.exit();
}

void main();
