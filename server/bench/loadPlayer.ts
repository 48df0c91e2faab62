/**
 * A load-test player (`npm run load`): counts the bytes its connections receive and acts from
 * what its seats see — the same textbook moves the bots make (bind pending pods, create missing
 * pods, start bound pods, sync stale rules) — so the server carries the traffic of real players.
 * Shared by the rooms shape (loadWorker.ts) and the class shape (loadClassWorker.ts).
 */
import type { Room } from "@colyseus/sdk";
import { parseSeat } from "../../shared/sim/seats.ts";
import type { ClusterRoomState, NodeView } from "../../shared/protocol/state.ts";

export interface Player {
  room: Room;
  seats: string[];
  bytes: number;
  id: number;
}

let nextId = 1;

/** Counts the bytes of every frame `room` receives (state patches and messages) into `into.bytes`. */
export function count(room: Room, into: { bytes: number }): void {
  const events = (room.connection.transport as unknown as { events: { onmessage?: (e: { data: ArrayBuffer | string }) => void } }).events;
  const original = events.onmessage;
  events.onmessage = (e) => {
    into.bytes += typeof e.data === "string" ? e.data.length : e.data.byteLength;
    original?.(e);
  };
}

/** What a human in these seats would do next, from the state their seat sees. */
export function act(p: Player): void {
  const s = p.room.state as ClusterRoomState;
  if (s.phase !== "running") return;
  const send = (seat: string, request: unknown) => p.room.send("api", { id: nextId++, seat, request });
  for (const seat of p.seats) {
    const { role, node = "" } = parseSeat(seat) ?? {};
    if (role === "scheduler") {
      for (const pod of s.pods?.values() ?? []) {
        if (pod.phase !== "Pending") continue;
        let best: NodeView | undefined;
        for (const n of s.nodes.values()) if (n.role === "worker" && n.ready === "True" && (!best || n.cpuRequested < best.cpuRequested)) best = n;
        if (best) send(seat, { type: "bind", pod: pod.name, node: best.name });
        return;
      }
    } else if (role === "controller-manager") {
      const short = [...s.deployments.values()].find((d) => d.replicas < d.desired);
      if (short) return void send(seat, { type: "createPod", deployment: short.name });
    } else if (role === "kubelet") {
      const bound = [...(s.pods?.values() ?? [])].find((pod) => pod.node === node && pod.phase === "Scheduled");
      if (bound) return void send(seat, { type: "admit", pod: bound.name });
    } else if (role === "kube-proxy") {
      const stale = [...(s.rules?.values() ?? [])].find((r) => r.node === node && r.stale);
      if (stale) return void send(seat, { type: "syncRules", node, service: stale.service, mode: "local-first" });
    }
  }
}
