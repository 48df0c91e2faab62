/**
 * The kubelet panel of a bare server: the seed's recipe for adding a node as a checklist — install
 * the container runtime, the kubelet and kube-proxy on the machine, then join it to the cluster —
 * with each step done, under way (and how long it has left) or still to do. The next step's
 * button is the primary one; the others can be pressed too, and the simulation says why not.
 */
import { INSTALLS, SETUP_STEPS, type SetupStep } from "../../../../shared/sim/world/setupSteps.ts";
import { seatId } from "../../../../shared/sim/seats.ts";
import { esc } from "../dom.ts";
import type { Machine } from "../truth.ts";
import { btn, type State, type Summary } from "./common.ts";

/** Each step as the checklist words it: what to press, and what it is for. */
const STEP_TEXT: Record<SetupStep, { label: string; done: string; why: string }> = {
  installRuntime: {
    label: "Install the container runtime",
    done: "Container runtime installed",
    why: "containerd, or Docker's engine which uses containerd: it pulls images and runs the containers",
  },
  installKubelet: {
    label: "Install the kubelet",
    done: "Kubelet installed",
    why: "it starts the pods bound to this node through the runtime and reports to the API server",
  },
  installKubeProxy: { label: "Install kube-proxy", done: "kube-proxy installed", why: "it forwards requests through services to the pods" },
  joinCluster: {
    label: "Join the cluster",
    done: "Joined",
    why: "the kubelet authenticates to the API server with a bootstrap token and registers this Node",
  },
};

type StepState = "done" | "running" | "next" | "todo";

function stateOf(m: Machine, step: SetupStep, next: SetupStep | undefined): StepState {
  if (step !== "joinCluster" && m.processes[INSTALLS[step]] !== undefined) return "done";
  if (step !== "joinCluster" && m.installing === INSTALLS[step]) return "running";
  return step === next ? "next" : "todo";
}

/** The checklist and its one-line summary, for the kubelet panel of a node that has not joined. */
export function bareServerChecklist(s: State, node: string, m: Machine): { body: string; summary: Summary } {
  const seat = seatId("kubelet", node);
  const next = m.installing ? undefined : SETUP_STEPS.find((st) => st === "joinCluster" || m.processes[INSTALLS[st]] === undefined);
  const done = SETUP_STEPS.filter((st) => stateOf(m, st, next) === "done").length;
  const rows = SETUP_STEPS.map((step) => {
    const st = stateOf(m, step, next);
    const left = Math.max(0, Math.ceil((m.installUntil - s.time) / 1000));
    const what =
      st === "done"
        ? `<span class="ok">✓ ${esc(STEP_TEXT[step].done)}</span>`
        : st === "running"
          ? `<span class="warn">${esc(STEP_TEXT[step].label.replace("Install", "Installing"))}… ${left} s</span>`
          : btn(STEP_TEXT[step].label, { action: step, node, seat }, st === "next" ? "primary" : "");
    return `<li class="setup-step ${st}" data-step="${step}">${what}<br><span class="muted">${esc(STEP_TEXT[step].why)}</span></li>`;
  });
  const body = `<p class="warn">${esc(node)} is a bare server: not in the cluster yet. The API server does not know it, so the scheduler cannot place pods here.</p>
    <ol class="setup">${rows.join("")}</ol>
    <p class="muted">Get new bare server · install all the worker node processes · add it to the cluster. Installing happens on the machine itself; only the join goes through the API server.</p>`;
  const summary: Summary = m.installing ? { text: `installing ${m.installing}`, level: "warn" } : { text: `bare server · ${done}/3 installed`, level: "warn" };
  return { body, summary };
}
