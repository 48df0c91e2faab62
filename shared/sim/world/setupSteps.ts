/**
 * The steps that bring a bare server into the cluster, in order, with the process each install
 * puts on the machine and how long it takes: plain data, shared by the simulation
 * (world/nodeSetup.ts) and the kubelet panel's checklist.
 */
import { INSTALL_KUBE_PROXY_MS, INSTALL_KUBELET_MS, INSTALL_RUNTIME_MS } from "../tuning.ts";
import type { WorkerProcess } from "./Machine.ts";

/** The steps, in the order they must be taken. */
export const SETUP_STEPS = ["installRuntime", "installKubelet", "installKubeProxy", "joinCluster"] as const;
export type SetupStep = (typeof SETUP_STEPS)[number];
export type InstallStep = Exclude<SetupStep, "joinCluster">;

/** Whether a name (a button's action, say) is one of the setup steps. */
export const isSetupStep = (name: string | undefined): name is SetupStep => (SETUP_STEPS as readonly (string | undefined)[]).includes(name);

/** The process each install step puts on the machine. */
export const INSTALLS: Record<InstallStep, WorkerProcess> = {
  installRuntime: "container-runtime",
  installKubelet: "kubelet",
  installKubeProxy: "kube-proxy",
};

/** How long each install takes, game ms. */
export const INSTALL_MS: Record<InstallStep, number> = {
  installRuntime: INSTALL_RUNTIME_MS,
  installKubelet: INSTALL_KUBELET_MS,
  installKubeProxy: INSTALL_KUBE_PROXY_MS,
};

/** A process in words a learner reads (the seed names Docker and containerd). */
export const PROCESS_WORDS: Record<WorkerProcess, string> = {
  "container-runtime": "the container runtime (containerd, or Docker's engine, which uses containerd)",
  kubelet: "the kubelet",
  "kube-proxy": "kube-proxy",
};
