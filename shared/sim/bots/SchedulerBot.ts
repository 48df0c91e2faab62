/** The scheduler bot: binds each pending pod to the node kube-scheduler's filter and score pick. */
import { ReactiveBot, type BotEnv } from "./Bot.ts";
import { defaultPick } from "./nodeSummaries.ts";

export class SchedulerBot extends ReactiveBot {
  readonly seat = "scheduler";

  tick(env: BotEnv): void {
    this.reaction.begin();
    for (const pod of env.state.pods.values()) {
      if (pod.status.phase !== "Pending" || pod.spec.nodeName || pod.metadata.deletionTimestamp !== undefined) continue;
      const key = pod.metadata.name;
      if (!this.reaction.due(key, env.now)) continue;
      const node = defaultPick(env.state, pod);
      if (!node || !env.call({ type: "bind", pod: key, node }).ok) this.reaction.again(key, env.now);
    }
    this.reaction.end();
  }
}
