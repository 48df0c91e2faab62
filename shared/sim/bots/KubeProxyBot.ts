/**
 * A kube-proxy bot for one node: re-syncs a service's rules when its Endpoints change. It keeps
 * traffic local-first while this node holds at least its fair share of the service's endpoints,
 * and spreads otherwise — the same safeguard Kubernetes' topology-aware routing applies, so a
 * node with one pod does not drown it in a whole node's share of traffic.
 */
import type { EndpointAddress } from "../objects/types.ts";
import type { ProxyMode } from "../world/Machine.ts";
import { ReactiveBot, type BotEnv } from "./Bot.ts";
import { seatId } from "../seats.ts";

/** Local-first when this node has at least 1/n of the endpoints (n: Ready workers). */
export function chooseProxyMode(node: string, endpoints: readonly EndpointAddress[], readyWorkers: number): ProxyMode {
  if (endpoints.length === 0 || readyWorkers <= 1) return "local-first";
  let local = 0;
  for (const e of endpoints) if (e.node === node) local++;
  return local * readyWorkers >= endpoints.length ? "local-first" : "spread";
}

export class KubeProxyBot extends ReactiveBot {
  readonly seat: string;

  constructor(
    readonly node: string,
    delayMs: number,
  ) {
    super(delayMs);
    this.seat = seatId("kube-proxy", node);
  }

  tick(env: BotEnv): void {
    const m = env.world.machine(this.node);
    if (!m) return;
    this.reaction.begin();
    let readyWorkers = 0;
    for (const n of env.state.nodes.values()) if (n.spec.role === "worker" && n.status.ready === "True") readyWorkers++;
    for (const svc of env.state.services.values()) {
      const name = svc.metadata.name;
      const ep = env.state.endpoints.get(name);
      const version = ep?.metadata.resourceVersion ?? 0;
      const rule = m.proxyRules.get(name);
      if (rule && rule.syncedVersion === version) continue;
      const key = `sync:${name}`;
      if (!this.reaction.due(key, env.now)) continue;
      const mode = chooseProxyMode(this.node, ep?.addresses ?? [], readyWorkers);
      if (!env.call({ type: "syncRules", node: this.node, service: name, mode }).ok) {
        this.reaction.again(key, env.now);
      }
    }
    this.reaction.end();
  }
}
