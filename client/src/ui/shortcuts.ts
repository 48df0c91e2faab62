/**
 * Keyboard shortcuts for each seat's frequent actions: N / B for the scheduler (B says why when
 * nothing fits), C for the controller manager, S / R for a kubelet, Y for a kube-proxy (every
 * stale service, as its panel says), Space to pause or resume for the host, Escape to drop a drag.
 */
import { nowhereToFit } from "./bindWatch.ts";
import { list, type State, type Ui } from "./panels/common.ts";
import { defaultPick } from "./panels/scheduler.ts";

export interface ShortcutHost {
  app: HTMLElement;
  ui: Ui;
  state(): State | undefined;
  me(): { host: boolean; seats: string[] };
  cancelDrag(): void;
  bind(pod: string, node: string): Promise<unknown>;
  /** Sets a panel's answer line and re-renders. */
  tell(panel: string, ok: boolean, message: string): void;
  /** Syncs every stale service of the player's kube-proxies. */
  syncAllStale(): Promise<void>;
}

export function wireShortcuts(h: ShortcutHost): void {
  document.addEventListener("keydown", (e) => {
    const target = e.target as HTMLElement;
    if (target.tagName === "INPUT" || target.tagName === "SELECT" || target.tagName === "TEXTAREA") return;
    const s = h.state();
    const seats = h.me().seats;
    const k = e.key.toLowerCase();
    const click = (sel: string) => h.app.querySelector<HTMLElement>(sel)?.click();
    if (e.key === "Escape") h.cancelDrag();
    else if (k === "n" && seats.includes("scheduler")) {
      const pending = list(s?.pods).filter((p) => p.phase === "Pending");
      const i = pending.findIndex((p) => p.name === h.ui.selectedPod);
      h.ui.selectedPod = pending[(i + 1) % Math.max(1, pending.length)]?.name;
    } else if (k === "b" && seats.includes("scheduler") && s) {
      // A pod just bound may still show Pending until the next patch: B does not bind it twice.
      const waiting = list(s.pods).filter((p) => p.phase === "Pending" && !h.ui.bindings?.has(p.name));
      const pod = waiting.find((p) => p.name === h.ui.selectedPod) ?? waiting[0];
      const best = pod && defaultPick(s, pod);
      if (pod && best) void h.bind(pod.name, best);
      else
        h.tell(
          "scheduler",
          false,
          pod ? nowhereToFit(s, pod.name) || `no node fits ${pod.name}` : "no pod is waiting for a node: B binds the selected pending pod",
        );
    } else if (k === "c") click('[data-action="createPod"]');
    else if (k === "s") click('[data-action="admit"]');
    else if (k === "r") click('[data-action="restart"].primary');
    else if (k === "y") void h.syncAllStale();
    else if (k === " " && h.me().host) click(s?.phase === "running" ? '[data-action="host.pause"]' : '[data-action="host.resume"]');
  });
}
