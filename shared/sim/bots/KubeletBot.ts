/**
 * A kubelet bot for one node: sets a bare server up and joins it (world/nodeSetup.ts); admits the pods bound to it that fit and rejects those that do
 * not, restarts crashed containers once their back-off has passed, and evicts the greediest pod
 * when the node comes under memory pressure.
 */
import { admissionShortfall, isWaitingForRestart } from "../api/handlers/pods.ts";
import type { PodObject } from "../objects/types.ts";
import { isActivePod } from "../objects/types.ts";
import { MEMORY_PRESSURE_RATIO } from "../tuning.ts";
import { isReclaiming, memoryInUse, type Machine } from "../world/Machine.ts";
import { nextSetupStep } from "../world/nodeSetup.ts";
import { ReactiveBot, type BotEnv } from "./Bot.ts";
import { seatId } from "../seats.ts";

export class KubeletBot extends ReactiveBot {
  readonly seat: string;

  constructor(
    readonly node: string,
    delayMs: number,
  ) {
    super(delayMs);
    this.seat = seatId("kubelet", node);
  }

  tick(env: BotEnv): void {
    this.reaction.begin();
    const m = env.world.machine(this.node);
    if (m && !m.joined) {
      this.setUp(env, m);
      this.reaction.end();
      return;
    }
    for (const pod of env.state.podsOnNode(this.node)) {
      if (pod.status.phase === "Scheduled" && pod.metadata.deletionTimestamp === undefined) this.admitOrReject(env, pod);
      else if (isWaitingForRestart(pod) && env.now >= pod.status.restartAfter) {
        this.act(env, `restart:${pod.metadata.name}`, () => env.call({ type: "restart", pod: pod.metadata.name }).ok);
      }
    }
    this.relievePressure(env);
    this.reaction.end();
  }

  /** A bare server: the next install (runtime, kubelet, kube-proxy), then the join, each once noticed. */
  private setUp(env: BotEnv, m: Machine): void {
    const step = nextSetupStep(m);
    if (step) this.act(env, `setup:${step}`, () => env.call({ type: step, node: this.node }).ok);
  }

  private admitOrReject(env: BotEnv, pod: PodObject): void {
    this.act(env, `admit:${pod.metadata.name}`, () => {
      const short = admissionShortfall(env.state, pod);
      const name = pod.metadata.name;
      return (short ? env.call({ type: "reject", pod: name, reason: short.reason }) : env.call({ type: "admit", pod: name })).ok;
    });
  }

  private relievePressure(env: BotEnv): void {
    const m = env.world.machine(this.node);
    // One eviction at a time: wait until the last one's memory is reclaimed, as the kubelet does.
    if (!m || isReclaiming(m) || memoryInUse(m, true) < MEMORY_PRESSURE_RATIO * m.capacity.memory) return;
    let worst: { pod: string; over: number } | undefined;
    for (const pod of env.state.podsOnNode(this.node)) {
      const c = m.containers.get(pod.metadata.name);
      if (!c || !isActivePod(pod) || c.state !== "running" || c.stopAt > 0) continue;
      const over = c.memoryUsage - pod.spec.requests.memory;
      if (!worst || over > worst.over) worst = { pod: pod.metadata.name, over };
    }
    if (worst) {
      const victim = worst.pod;
      this.act(env, `evict:${victim}`, () => env.call({ type: "evict", pod: victim }).ok);
    }
  }

  private act(env: BotEnv, key: string, action: () => boolean): void {
    if (this.reaction.due(key, env.now) && !action()) this.reaction.again(key, env.now);
  }
}
