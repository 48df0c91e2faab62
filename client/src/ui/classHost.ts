/**
 * The host's controls in the class lobby (team mode): start, pause, resume, speed and end for
 * every team at once — or for the one picked in "which team" — placing students who have no team
 * yet, and chaos that strikes every team at the same game time (the class sets the time; each
 * team meets the failure when its own clock gets there).
 */
import type { ClassLink } from "../net/classLink.ts";
import type { Answer } from "../net/connection.ts";
import { esc } from "./dom.ts";

// biome-ignore lint/suspicious/noExplicitAny: the decoded schema instance
type Live = any;

/** The failures the class injects, with the fields each takes (a subset of the game's chaos panel that needs no pod name). */
const CLASS_FAILURES: [string, string, ("node" | "process")[]][] = [
  ["crashNode", "crash a node (power off)", ["node"]],
  ["restoreNode", "power a node back on", ["node"]],
  ["stopProcess", "stop a process on a node", ["node", "process"]],
  ["killPod", "kill a pod", []],
  ["crashContainer", "crash a container", []],
];
const PROCESSES = ["kubelet", "kube-proxy", "container-runtime", "api-server", "scheduler", "controller-manager", "etcd"];
const SPEEDS = [0.5, 1, 2, 4];

const field = (root: HTMLElement, name: string) => root.querySelector<HTMLSelectElement>(`select[name="class-${name}"]`)?.value ?? "";

export function classHostPanel(s: Live, ui: { answer?: [boolean, string] }): string {
  const teams = [...s.teams] as Live[];
  const nodes = teams[0] ? ([...teams[0].nodes] as Live[]).map((n) => n.name as string) : [];
  const select = (name: string, label: string, options: [string, string][]) =>
    `<label>${label} <select name="class-${name}">${options.map(([v, l]) => `<option value="${esc(v)}" ${v === "1" ? "selected" : ""}>${esc(l)}</option>`).join("")}</select></label>`;
  // Said by the page's live region (classLobby.ts's tell): a region rebuilt on every render is not read reliably.
  const answer = ui.answer ? `<p class="answer ${ui.answer[0] ? "ok" : "bad"}">${esc(ui.answer[1])}</p>` : `<p class="answer"></p>`;
  return `<section class="class-host" aria-label="Class controls">
    <p>${select("team", "Which team", [["", "every team"], ...teams.map((t): [string, string] => [t.id, t.name])])}
      <button class="primary" data-action="host.start" title="First press: every team sees the scenario's intro; second: the games start">Start</button>
      <button data-action="host.pause">Pause</button>
      <button data-action="host.resume">Resume</button>
      ${select(
        "speed",
        "Speed",
        SPEEDS.map((x): [string, string] => [String(x), `${x}×`]),
      )}
      <button data-action="host.speed">Set speed</button>
      <button class="danger" data-action="host.end">End</button>
      <button data-action="host.balance">Place students without a team</button></p>
    <p class="chaos">Chaos, at the same game time in each team:
      ${select(
        "failure",
        "failure",
        CLASS_FAILURES.map(([v, l]): [string, string] => [v, l]),
      )}
      ${select(
        "node",
        "node",
        nodes.map((n): [string, string] => [n, n]),
      )}
      ${select(
        "process",
        "process",
        PROCESSES.map((p): [string, string] => [p, p]),
      )}
      <button class="danger" data-action="host.chaos">Inject</button></p>
    ${answer}</section>`;
}

/** Runs one of the host's class controls from a button's data-action; undefined when it is not one. */
export async function classHostAction(root: HTMLElement, link: ClassLink, d: DOMStringMap): Promise<Answer | undefined> {
  const team = field(root, "team") || undefined;
  const target = team ? { team } : {};
  switch (d.action) {
    case "host.start":
    case "host.pause":
    case "host.resume":
    case "host.end":
      return link.send(d.action, target);
    case "host.speed":
      return link.send("host.speed", { speed: Number(field(root, "speed") || 1), ...target });
    case "host.balance":
      return link.send("host.balance", {});
    case "host.chaos": {
      const type = field(root, "failure");
      const node = field(root, "node");
      const failure =
        type === "stopProcess" ? { type, node, process: field(root, "process") } : type === "killPod" || type === "crashContainer" ? { type } : { type, node };
      return link.send("host.chaos", { failure: failure as never, ...target });
    }
  }
  return undefined;
}
