/**
 * The "connect with kubectl" box: the exact commands to point the real kubectl at this game,
 * with the player's own token, and a kubeconfig to download. kubectl then acts as the player's
 * seats (the host's as the cluster admin) and every call shows in the API log.
 */
import { isPermitted } from "../../../shared/sim/api/authorize.ts";
import type { Role } from "../../../shared/sim/api/identity.ts";
import type { RequestType } from "../../../shared/sim/api/requests.ts";
import { kubeconfig } from "../../../shared/protocol/kubeconfig.ts";
import type { Connection } from "../net/connection.ts";
import { esc, render } from "./dom.ts";
import { seatRole } from "../../../shared/sim/seats.ts";

/** What kubectl can do, by the game request each command becomes. */
const WRITES: { type: RequestType; command: (server: string, token: string) => string; what: string }[] = [
  {
    type: "createDeployment",
    command: () => "kubectl apply -f app.yaml --validate=false",
    what: "deploy your own app from a manifest, a Deployment and a Service (README: Your own app); apply it again to change it, kubectl delete -f app.yaml removes it",
  },
  { type: "scale", command: () => "kubectl scale deployment web --replicas=5", what: "scale a deployment" },
  { type: "cordon", command: () => "kubectl cordon node-2", what: "cordon a node (and kubectl uncordon node-2)" },
  { type: "deletePod", command: () => "kubectl delete pod <pod>", what: "delete a pod" },
  { type: "createPod", command: () => "kubectl run extra --image=nginx --labels=app=web", what: "create a pod for a deployment that lacks one" },
  {
    type: "bind",
    // kubectl has no command for a Binding: this is the call the real scheduler makes.
    command: (server, token) =>
      `curl -k -X POST -H "Authorization: Bearer ${token}" -H "Content-Type: application/json" \\
  ${server}/api/v1/namespaces/default/pods/<pod>/binding \\
  -d '{"kind":"Binding","apiVersion":"v1","metadata":{"name":"<pod>"},"target":{"kind":"Node","name":"node-1"}}'`,
    what: "bind a pod to a node, as the scheduler does (kubectl has no command for it)",
  },
];

export function kubectlBox(app: HTMLElement, connection: Connection, seats: () => string[]): void {
  const box = app.querySelector<HTMLElement>("#kubectlbox")!;
  let port: number | undefined;

  async function open(): Promise<void> {
    if (port === undefined) {
      try {
        port = ((await (await fetch("/api/kube")).json()) as { port: number }).port;
      } catch {
        render(
          box,
          `<div class="overlay"><div class="box"><p class="bad">Cannot reach the server to read its Kubernetes API port.</p><button data-kubectl="close">Close</button></div></div>`,
        );
        return;
      }
    }
    const w = connection.welcome!;
    const token = w.host ? w.hostToken : w.apiToken;
    if (!token) return;
    const server = `https://${location.hostname}:${port}/k8s/${w.pin}`;
    const file = `cluster-crew-${w.pin}.kubeconfig`;
    const roles = w.host ? (["admin"] as Role[]) : seats().flatMap((s) => seatRole(s) ?? []);
    const can = WRITES.filter((c) => roles.some((r) => isPermitted(r, c.type)));
    const who = w.host
      ? "the cluster admin (you are the host)"
      : seats().length
        ? `your seats (${seats().join(", ")})`
        : "nobody yet: take a seat, and kubectl acts as it";
    const oneLine = `kubectl --server=${server} --token=${token} --insecure-skip-tls-verify get pods`;
    render(
      box,
      `<div class="overlay" data-kubectl="backdrop"><div class="box kubectl">
        <h2>Connect with kubectl</h2>
        <p>This game is a Kubernetes API server too. The real <code>kubectl</code> talks to it with your token and acts as ${esc(who)}; every call shows in the API log.</p>
        <p><button class="primary" data-kubectl="download">Download the kubeconfig</button> then, in a terminal:</p>
        <pre data-copy>export KUBECONFIG=~/Downloads/${esc(file)}
kubectl get nodes
kubectl get pods -o wide --watch
kubectl describe pod &lt;pod&gt;
kubectl get events
kubectl auth can-i delete pods      # what may your seats do, and if not, who may</pre>
        <p>${can.length ? "Your seats may also change the cluster:" : "Your seats only read through kubectl: their work is done in the game's panels."}</p>
        ${can.length ? `<pre data-copy>${can.map((c) => `# ${esc(c.what)}\n${esc(c.command(server, token))}`).join("\n")}</pre>` : ""}
        <p class="muted">Without a file (the game makes its certificate when it starts, so kubectl is told not to verify it):</p>
        <pre data-copy>${esc(oneLine)}</pre>
        <p class="muted">Refusals come back as Kubernetes Status errors with the game's reason, for instance <i>Error from server (Forbidden): system:kube-scheduler may not scale deployments</i>.</p>
        <button data-kubectl="close">Close</button>
      </div></div>`,
    );
    box.querySelector<HTMLElement>('[data-kubectl="download"]')!.onclick = () => {
      const text = kubeconfig({ server, pin: w.pin, token, user: w.host ? "host" : w.nickname.replace(/[^\w.-]/g, "-") });
      const a = document.createElement("a");
      a.href = URL.createObjectURL(new Blob([text], { type: "application/yaml" }));
      a.download = file;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    };
  }

  app.querySelector("#kubectl-open")?.addEventListener("click", () => void open());
  box.addEventListener("click", (e) => {
    const t = e.target as HTMLElement;
    if (t.dataset.kubectl === "close" || t.dataset.kubectl === "backdrop") render(box, "");
  });
}
