/**
 * The controller manager bot: the ReplicaSet controller (create the missing pods, delete the
 * surplus) and the node lifecycle controller (NotReady after the grace period without a
 * heartbeat, eviction of a NotReady node's pods after the eviction delay).
 */
import { leaseAge } from "../api/handlers/nodes.ts";
import type { DeploymentObject, PodObject } from "../objects/types.ts";
import { isActivePod } from "../objects/types.ts";
import { census, rolloutStep, type PodCensus } from "../objects/rollout.ts";
import { EVICTION_DELAY_MS, NODE_GRACE_MS } from "../tuning.ts";
import { ReactiveBot, type BotEnv } from "./Bot.ts";

/** Which surplus pod goes first: unbound, then not yet ready, then the newest (like ReplicaSet). */
function deletionRank(p: PodObject): number {
  if (!p.spec.nodeName) return 0;
  if (!p.status.ready) return 1;
  return 2;
}

export class ControllerManagerBot extends ReactiveBot {
  readonly seat = "controller-manager";

  tick(env: BotEnv): void {
    this.reaction.begin();
    this.reconcileReplicas(env);
    this.watchNodes(env);
    this.reaction.end();
  }

  private reconcileReplicas(env: BotEnv): void {
    for (const d of env.state.deployments.values()) {
      const name = d.metadata.name;
      const c = census(d, env.state.podsOf(name));
      if (c.outdated.length > 0) {
        this.rollOut(env, d, c);
        continue;
      }
      const active = c.active;
      const diff = d.spec.replicas - active.length;
      if (diff === 0) continue;
      const key = `${diff > 0 ? "create" : "delete"}:${name}`;
      if (!this.reaction.due(key, env.now)) continue;
      let failed = false;
      if (diff > 0) {
        for (let i = 0; i < diff && !failed; i++) failed = !env.call({ type: "createPod", deployment: name }).ok;
      } else {
        const victims = [...active]
          .sort((a, b) => deletionRank(a) - deletionRank(b) || b.metadata.creationTimestamp - a.metadata.creationTimestamp)
          .slice(0, -diff);
        for (const v of victims) failed = !env.call({ type: "deletePod", pod: v.metadata.name }).ok || failed;
      }
      if (failed) this.reaction.again(key, env.now);
    }
  }

  /** One step of a rolling update: a new pod first, an old one out once enough are ready. */
  private rollOut(env: BotEnv, d: DeploymentObject, c: PodCensus): void {
    const name = d.metadata.name;
    const step = rolloutStep(d, c);
    if (step.create === 0 && step.remove.length === 0) return;
    const key = `rollout:${name}`;
    if (!this.reaction.due(key, env.now)) return;
    let failed = false;
    for (const p of step.remove) failed = !env.call({ type: "deletePod", pod: p.metadata.name }).ok || failed;
    for (let i = 0; i < step.create && !failed; i++) failed = !env.call({ type: "createPod", deployment: name }).ok;
    // Each step waits a reaction delay, so a rollout is seen pod by pod.
    this.reaction.again(key, env.now);
  }

  private watchNodes(env: BotEnv): void {
    for (const node of env.state.nodes.values()) {
      const name = node.metadata.name;
      if (node.status.ready === "True") {
        if (leaseAge(env, name) <= NODE_GRACE_MS) continue;
        const key = `notready:${name}`;
        if (this.reaction.due(key, env.now) && !env.call({ type: "markNodeNotReady", node: name }).ok) this.reaction.again(key, env.now);
        continue;
      }
      if (env.now - node.status.lastTransitionTime < EVICTION_DELAY_MS) continue;
      if (!env.state.podsOnNode(name).some(isActivePod)) continue;
      const key = `evict:${name}`;
      if (this.reaction.due(key, env.now) && !env.call({ type: "evictNodePods", node: name }).ok) this.reaction.again(key, env.now);
    }
  }
}
