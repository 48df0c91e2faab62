/**
 * The rooms' Kubernetes API under a class's worth of kubectl: N players in one workshop each hold
 * a watch on deployments (as `kubectl get deploy --watch` does) while the host scales a
 * deployment through the API twice a second. Prints how long a write takes to reach every
 * watcher (PATCH sent → MODIFIED event received), how long a server-printed list of pods takes
 * when all players ask at once, and the server's event-loop delay meanwhile.
 *
 *   npm run bench:k8s [-- --players 60 --writes 40]
 *
 * It starts its own server process (in-process store) on free loopback ports.
 */
import "../polyfill.ts";
import { parseArgs } from "node:util";
import { Client } from "@colyseus/sdk";
import { METRICS_WINDOW_MS } from "../ops/metrics.ts";
import { collectMetrics, pct, startServerProcess } from "./support.ts";

const { values } = parseArgs({ options: { players: { type: "string", default: "60" }, writes: { type: "string", default: "40" } } });
const players = Number(values.players);
const writes = Number(values.writes);

const ms = (x: number) => `${x.toFixed(1)} ms`;
const TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

interface Welcome {
  pin: string;
  hostToken?: string;
  apiToken?: string;
}

async function main(): Promise<void> {
  const { child: server, port, url: http, metricsToken } = await startServerProcess();
  try {
    const host = await new Client(`ws://127.0.0.1:${port}`).create("cluster", { mode: "workshop", scenario: "free-play", nickname: "Host" });
    host.onMessage("*", () => {});
    const hw = await new Promise<Welcome>((r) => host.onMessage("welcome", r));
    const { roomId } = (await (await fetch(`${http}/api/pin/${hw.pin}`)).json()) as { roomId: string };
    const tokens: string[] = [];
    for (let i = 0; i < players; i++) {
      const room = await new Client(`ws://127.0.0.1:${port}`).joinById(roomId, { pin: hw.pin, nickname: `student-${i}` });
      room.onMessage("*", () => {});
      tokens.push((await new Promise<Welcome>((r) => room.onMessage("welcome", r))).apiToken!);
    }
    host.send("host.start", {});
    host.send("host.start", {});
    await new Promise((r) => setTimeout(r, 1500));
    const api = `${http}/k8s/${hw.pin}`;
    console.log(`k8s API: ${players} players in one workshop, each watching deployments; the host scales ${writes} times through the API`);

    // Every player watches deployments from now on, as kubectl get deploy --watch does.
    const seen = new Map<number, number[]>(); // replicas → receipt times
    const aborts: AbortController[] = [];
    await Promise.all(
      tokens.map(async (token) => {
        const ctrl = new AbortController();
        aborts.push(ctrl);
        const res = await fetch(`${api}/apis/apps/v1/namespaces/default/deployments?watch=true&fieldSelector=metadata.name%3Dweb`, {
          headers: { Authorization: `Bearer ${token}` },
          signal: ctrl.signal,
        });
        const reader = res.body!.getReader();
        // The first MODIFIED with a new replica count is the scale; later ones are status updates.
        const mine = new Set<number>();
        void (async () => {
          let buffer = "";
          try {
            for (;;) {
              const { value, done } = await reader.read();
              if (done) return;
              buffer += new TextDecoder().decode(value);
              const lines = buffer.split("\n");
              buffer = lines.pop()!;
              for (const line of lines) {
                const e = JSON.parse(line);
                if (e.type !== "MODIFIED") continue;
                const replicas = e.object.spec.replicas as number;
                if (mine.has(replicas)) continue;
                mine.add(replicas);
                const at = performance.now();
                (seen.get(replicas) ?? seen.set(replicas, []).get(replicas)!).push(at);
              }
            }
          } catch {
            // aborted at the end
          }
        })();
      }),
    );
    const metrics = collectMetrics(http, metricsToken);

    const latencies: number[] = [];
    let missing = 0;
    for (let i = 0; i < writes; i++) {
      const replicas = 11 + i; // a new value every time, so each event is told apart
      seen.delete(replicas);
      const sent = performance.now();
      await fetch(`${api}/apis/apps/v1/namespaces/default/deployments/web/scale`, {
        method: "PATCH",
        headers: { Authorization: `Bearer ${hw.hostToken}`, "Content-Type": "application/merge-patch+json" },
        body: JSON.stringify({ spec: { replicas } }),
      });
      await new Promise((r) => setTimeout(r, 500));
      const got = seen.get(replicas) ?? [];
      missing += players - got.length;
      for (const t of got) latencies.push(t - sent);
    }
    metrics.stop();
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

    // Then every player lists the pods at once, server-printed, as kubectl get pods does.
    const lists: number[] = [];
    for (let round = 0; round < 5; round++) {
      await Promise.all(
        tokens.map(async (token) => {
          const t0 = performance.now();
          const res = await fetch(`${api}/api/v1/namespaces/default/pods`, { headers: { Authorization: `Bearer ${token}`, Accept: TABLE } });
          await res.arrayBuffer();
          lists.push(performance.now() - t0);
        }),
      );
    }
    for (const a of aborts) a.abort();

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
