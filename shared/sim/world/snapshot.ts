/**
 * Turning the physical world into plain JSON and back, for saving and resuming a game. Proxy
 * rules that are in sync with their service's current Endpoints are saved without their
 * endpoint lists (they are exactly the Endpoints object's), which keeps a large cluster's saved
 * state small; stale rules are saved whole, since that staleness is part of the game.
 */
import type { EndpointAddress } from "../objects/types.ts";
import type { Container, Machine, ProxyRule } from "./Machine.ts";
import { World, type Leadership, type LeaderComponent } from "./World.ts";

/** A proxy rule as saved: endpoints omitted when they equal the current Endpoints. */
export type SavedRule = Omit<ProxyRule, "endpoints" | "local"> & { endpoints?: EndpointAddress[] };

export interface MachineSnapshot extends Omit<Machine, "containers" | "images" | "proxyRules"> {
  containers: Container[];
  images: string[];
  proxyRules: SavedRule[];
}

export interface WorldSnapshot {
  machines: MachineSnapshot[];
  leaders: Record<LeaderComponent, Leadership>;
  memoryLeaks: Record<string, number>;
}

/** A service's current Endpoints: its resourceVersion and addresses. */
export type EndpointsLookup = (service: string) => { version: number; addresses: EndpointAddress[] } | undefined;

export function snapshotWorld(w: World, endpoints: EndpointsLookup): WorldSnapshot {
  return {
    machines: [...w.machines.values()].map((m) => ({
      ...m,
      processes: { ...m.processes },
      capacity: { ...m.capacity },
      installing: m.installing && { ...m.installing },
      containers: [...m.containers.values()].map((c) => ({ ...c, ...(c.served ? { served: { ...c.served, counts: [...c.served.counts] } } : {}) })),
      images: [...m.images],
      proxyRules: [...m.proxyRules.values()].map((r): SavedRule => {
        const current = endpoints(r.service);
        const inSync = current !== undefined && current.version === r.syncedVersion;
        return {
          service: r.service,
          mode: r.mode,
          syncedVersion: r.syncedVersion,
          syncedAt: r.syncedAt,
          ...(inSync ? {} : { endpoints: r.endpoints.map((e) => ({ ...e })) }),
        };
      }),
    })),
    leaders: structuredClone(w.leaders),
    memoryLeaks: Object.fromEntries(w.memoryLeaks),
  };
}

export function restoreWorld(s: WorldSnapshot, endpoints: EndpointsLookup): World {
  const w = new World();
  const copy = structuredClone(s);
  for (const m of copy.machines) {
    const rules = new Map<string, ProxyRule>();
    for (const r of m.proxyRules) {
      const list = r.endpoints ?? endpoints(r.service)?.addresses ?? [];
      rules.set(r.service, { ...r, endpoints: list, local: list.filter((e) => e.node === m.name) });
    }
    // Games saved before bare servers existed: every machine had joined.
    const setup = { joined: m.joined ?? true, installing: m.installing ?? null, startingUntil: m.startingUntil ?? 0, mirrorRetryAt: m.mirrorRetryAt ?? 0 };
    w.machines.set(m.name, { ...m, ...setup, containers: new Map(m.containers.map((c) => [c.pod, c])), images: new Set(m.images), proxyRules: rules });
  }
  Object.assign(w.leaders, copy.leaders);
  for (const [d, rate] of Object.entries(copy.memoryLeaks)) w.memoryLeaks.set(d, rate);
  return w;
}
