/**
 * Runs the real kubectl (Debian's kubernetes-client; KUBECTL names another binary) against a
 * room's Kubernetes API over HTTPS, with a kubeconfig written as the game's kubectl box writes
 * it and a private HOME, so nothing of the machine's own kubectl setup is read or written.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { kubeconfig } from "../../shared/protocol/kubeconfig.ts";

export const KUBECTL = process.env.KUBECTL ?? "kubectl";

export interface Kubectl {
  run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Starts a long-running kubectl (get --watch); read `output`, then `stop()`. */
  start(...args: string[]): { child: ChildProcess; output: () => string; stop: () => void };
}

/** A kubectl set up for one player of one room: `apiUrl` is the server's HTTPS base. */
export function kubectlFor(apiUrl: string, pin: string, token: string, user = "player"): Kubectl {
  const home = mkdtempSync(join(tmpdir(), "kubectl-"));
  const config = join(home, "config");
  writeFileSync(config, kubeconfig({ server: `${apiUrl}/k8s/${pin}`, pin, token, user }));
  const env = { ...process.env, HOME: home, KUBECONFIG: config };
  return {
    run: (...args) =>
      new Promise((resolve) => {
        execFile(KUBECTL, ["--request-timeout=20s", ...args], { env, timeout: 30_000 }, (err, stdout, stderr) => {
          const code = err ? (typeof (err as NodeJS.ErrnoException).code === "number" ? Number((err as NodeJS.ErrnoException).code) : 1) : 0;
          resolve({ code, stdout, stderr });
        });
      }),
    start: (...args) => {
      const child = spawn(KUBECTL, args, { env, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout!.on("data", (d) => (out += d));
      child.stderr!.on("data", (d) => (out += d));
      return { child, output: () => out, stop: () => void child.kill("SIGTERM") };
    },
  };
}
