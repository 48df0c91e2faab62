/** The scheduler bot: binds each pending pod to the node kube-scheduler's filter and score pick. */
import { Reaction, type Bot, type BotEnv } from "./Bot.ts";
import { evaluateNodes, pickNode } from "./scheduling.ts";

export class SchedulerBot implements Bot {
  readonly seat = "scheduler";
  private readonly reaction: Reaction;

  constructor(delayMs: number) {
    this.reaction = new Reaction(delayMs);
  }

  tick(env: BotEnv): void {
    this.reaction.begin();
    for (const pod of env.state.pods.values()) {
      if (pod.status.phase !== "Pending" || pod.spec.nodeName || pod.metadata.deletionTimestamp !== undefined) continue;
      const key = pod.metadata.name;
      if (!this.reaction.due(key, env.now)) continue;
      const node = pickNode(evaluateNodes(env.state, pod));
      if (!node || !env.call({ type: "bind", pod: key, node }).ok) this.reaction.again(key, env.now);
    }
    this.reaction.end();
  }

  snapshot() { return this.reaction.snapshot(); }
  restore(d: Record<string, number>) { this.reaction.restore(d); }
}
