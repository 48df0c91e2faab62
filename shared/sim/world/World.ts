/**
 * The physical cluster: every machine, which control-plane instance leads, and the conditions
 * failures impose (slow pulls, memory leaks). The API server consults it to know whether it is up
 * at all; nothing here is stored in etcd.
 */
import { NEVER } from "../clock.ts";
import type { NodeRole, Resources } from "../objects/types.ts";
import { LEADER_FAILOVER_MS } from "../tuning.ts";
import { isRunning, newMachine, type Machine } from "./Machine.ts";
import { hasQuorum } from "./quorum.ts";

/** Control-plane components that run active/standby with leader election. */
export type LeaderComponent = "scheduler" | "controller-manager";
export const LEADER_COMPONENTS: readonly LeaderComponent[] = ["scheduler", "controller-manager"];

export interface Leadership {
  node: string | null;
  /** When the last leader was lost (or NEVER at start, so the first election is immediate). */
  vacantSince: number;
}

export interface EtcdHealth {
  up: number;
  members: number;
  quorum: boolean;
}

export class World {
  readonly machines = new Map<string, Machine>();
  readonly leaders: Record<LeaderComponent, Leadership> = {
    scheduler: { node: null, vacantSince: NEVER },
    "controller-manager": { node: null, vacantSince: NEVER },
  };
  /** Memory growth per running pod of a deployment, MiB per second (a leak). */
  readonly memoryLeaks = new Map<string, number>();

  /** Adds a machine; `bare`: a powered server with nothing installed, not in the cluster yet. */
  addMachine(name: string, role: NodeRole, capacity: Resources, bare = false): Machine {
    const m = newMachine(name, role, capacity, bare);
    this.machines.set(name, m);
    return m;
  }

  machine(name: string): Machine | undefined {
    return this.machines.get(name);
  }

  controlPlane(): Machine[] {
    return [...this.machines.values()].filter((m) => m.role === "control-plane");
  }

  workers(): Machine[] {
    return [...this.machines.values()].filter((m) => m.role === "worker");
  }

  /** The API server answers while at least one api-server runs. */
  apiServerUp(): boolean {
    for (const m of this.machines.values()) if (m.role === "control-plane" && isRunning(m, "api-server")) return true;
    return false;
  }

  /** etcd accepts writes while a majority of its members run. */
  etcd(): EtcdHealth {
    let members = 0;
    let up = 0;
    for (const m of this.machines.values()) {
      if (m.role !== "control-plane") continue;
      members++;
      if (isRunning(m, "etcd")) up++;
    }
    return { up, members, quorum: hasQuorum(up, members) };
  }

  /**
   * Re-elects a scheduler and controller manager leader when the current one is gone. The leader
   * lease is an object in etcd: without quorum no leader can renew it, so the leaders step down
   * and none is elected until LEADER_FAILOVER_MS after quorum is back (as the real components
   * do, whose informers then start afresh — no node is judged on heartbeats etcd could not store).
   */
  electLeaders(now: number): void {
    const quorum = this.etcd().quorum;
    for (const c of LEADER_COMPONENTS) {
      const l = this.leaders[c];
      const current = l.node ? this.machines.get(l.node) : undefined;
      if (l.node && (!current || !isRunning(current, c) || !quorum)) {
        l.node = null;
        l.vacantSince = now;
      }
      if (!quorum) {
        l.vacantSince = now;
        continue;
      }
      if (l.node === null && now - l.vacantSince >= LEADER_FAILOVER_MS) {
        const next = this.controlPlane().find((m) => isRunning(m, c));
        if (next) l.node = next.name;
      }
    }
  }

  leader(c: LeaderComponent): string | null {
    return this.leaders[c].node;
  }
}
