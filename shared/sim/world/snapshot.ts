/** Turning the physical world into plain JSON and back, for saving and resuming a game. */
import type { Container, Machine, ProxyRule } from "./Machine.ts";
import { World, type Leadership, type LeaderComponent } from "./World.ts";

export interface MachineSnapshot extends Omit<Machine, "containers" | "images" | "proxyRules"> {
  containers: Container[];
  images: string[];
  proxyRules: ProxyRule[];
}

export interface WorldSnapshot {
  machines: MachineSnapshot[];
  leaders: Record<LeaderComponent, Leadership>;
  memoryLeaks: Record<string, number>;
}

export function snapshotWorld(w: World): WorldSnapshot {
  return structuredClone({
    machines: [...w.machines.values()].map((m) => ({
      ...m,
      containers: [...m.containers.values()],
      images: [...m.images],
      proxyRules: [...m.proxyRules.values()],
    })),
    leaders: w.leaders,
    memoryLeaks: Object.fromEntries(w.memoryLeaks),
  });
}

export function restoreWorld(s: WorldSnapshot): World {
  const w = new World();
  const copy = structuredClone(s);
  for (const m of copy.machines) {
    w.machines.set(m.name, {
      ...m,
      containers: new Map(m.containers.map((c) => [c.pod, c])),
      images: new Set(m.images),
      proxyRules: new Map(m.proxyRules.map((r) => [r.service, r])),
    });
  }
  Object.assign(w.leaders, copy.leaders);
  for (const [d, rate] of Object.entries(copy.memoryLeaks)) w.memoryLeaks.set(d, rate);
  return w;
}
