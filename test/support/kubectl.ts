/**
 * Runs the real kubectl (Debian's kubernetes-client, or KUBECTL; and the kubectl on the PATH) against a
 * room's Kubernetes API over HTTPS, with a kubeconfig written as the game's kubectl box writes
 * it and a private HOME, so nothing of the machine's own kubectl setup is read or written.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { kubeconfig } from "../../shared/protocol/kubeconfig.ts";

export const KUBECTL = process.env.KUBECTL ?? "kubectl";

/** Data rows of kubectl's table output, split into cells. */
export const rows = (out: string) =>
  out
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => l.trim().split(/\s{2,}/));

/** A kubectl binary the suite runs, with its version. */
export interface KubectlBinary {
  path: string;
  version: string;
}

function versionOf(path: string): string | undefined {
  try {
    const out = execFileSync(path, ["version", "--client", "-o", "json"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 10_000 });
    return (JSON.parse(out) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion ?? "unknown";
  } catch {
    return undefined;
  }
}

/**
 * Every kubectl this machine has, each run through the whole suite: KUBECTL (Debian's 1.20 in CI)
 * and the `kubectl` on the PATH (a current one, as students have), once each when they differ.
 */
export const KUBECTLS: KubectlBinary[] = (() => {
  const seen = new Map<string, KubectlBinary>();
  for (const path of [KUBECTL, "kubectl"]) {
    const version = versionOf(path);
    if (version && ![...seen.values()].some((k) => k.version === version)) seen.set(path, { path, version });
  }
  return [...seen.values()];
})();

export interface Kubectl {
  run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Starts a long-running kubectl (get --watch); read `output`, then `stop()`. */
  start(...args: string[]): { child: ChildProcess; output: () => string; stop: () => void };
}

/** A kubectl set up for one player of one room: `apiUrl` is the server's HTTPS base. */
export function kubectlFor(apiUrl: string, pin: string, token: string, user = "player", binary = KUBECTL): Kubectl {
  const home = mkdtempSync(join(tmpdir(), "kubectl-"));
  const config = join(home, "config");
  writeFileSync(config, kubeconfig({ server: `${apiUrl}/k8s/${pin}`, pin, token, user }));
  const env = { ...process.env, HOME: home, KUBECONFIG: config };
  return {
    run: (...args) =>
      new Promise((resolve) => {
        execFile(binary, ["--request-timeout=20s", ...args], { env, timeout: 30_000 }, (err, stdout, stderr) => {
          const code = err ? (typeof (err as NodeJS.ErrnoException).code === "number" ? Number((err as NodeJS.ErrnoException).code) : 1) : 0;
          resolve({ code, stdout, stderr });
        });
      }),
    start: (...args) => {
      const child = spawn(binary, args, { env, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout!.on("data", (d) => (out += d));
      child.stderr!.on("data", (d) => (out += d));
      return { child, output: () => out, stop: () => void child.kill("SIGTERM") };
    },
  };
}
