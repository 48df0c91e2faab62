/**
 * A mirror pod in kube-system as the Kubernetes API serves it (shared/sim/world/staticPods.ts):
 * a static pod the node's kubelet runs from a manifest file, owned by its Node, on the host's
 * network, system-node-critical, with the command line kubeadm's manifest gives it. A stopped
 * process is a container waiting in CrashLoopBackOff after its last run ended in an error.
 */
import type { PodObject } from "../../shared/sim/objects/types.ts";
import { cpuQuantity, memoryQuantity, meta, type GameClock, type KubeObject } from "./kubeBasics.ts";

/** The priority of system-node-critical, the class kubeadm gives static pods and kube-proxy. */
const NODE_CRITICAL_PRIORITY = 2_000_001_000;

/** The command line of each component, shortened from kubeadm's manifests. */
function commandOf(component: string, node: string, ip: string): string[] {
  switch (component) {
    case "kube-apiserver":
      return [
        component,
        `--advertise-address=${ip}`,
        "--etcd-servers=https://127.0.0.1:2379",
        "--authorization-mode=Node,RBAC",
        "--enable-admission-plugins=NodeRestriction",
      ];
    case "etcd":
      return [component, `--name=${node}`, "--data-dir=/var/lib/etcd", `--listen-client-urls=https://127.0.0.1:2379,https://${ip}:2379`];
    case "kube-proxy":
      return ["/usr/local/bin/kube-proxy", "--config=/var/lib/kube-proxy/config.conf", `--hostname-override=${node}`];
    default:
      return [component, `--kubeconfig=/etc/kubernetes/${component.replace("kube-", "")}.conf`, "--leader-elect=true"];
  }
}

export function mirrorPodToKube(p: PodObject, clock: GameClock): KubeObject {
  const s = p.status;
  const node = p.spec.nodeName;
  const component = p.metadata.labels?.component ?? p.metadata.labels?.["k8s-app"] ?? p.metadata.name;
  const { cpu, memory } = p.spec.requests;
  const requests = { ...(cpu > 0 ? { cpu: cpuQuantity(cpu) } : {}), ...(memory > 0 ? { memory: memoryQuantity(memory) } : {}) };
  const since = (at: number) => clock.iso(Math.max(at, p.metadata.creationTimestamp));
  const condition = (type: string, ok: boolean, at: number) => ({
    type,
    status: ok ? "True" : "False",
    lastProbeTime: null,
    lastTransitionTime: since(at),
    ...(ok ? {} : { reason: "ContainersNotReady", message: `containers with unready status: [${component}]` }),
  });
  const changed = s.ready ? s.readyAt : clock.gameNow;
  return {
    kind: "Pod",
    apiVersion: "v1",
    metadata: meta(p.metadata, clock, { ownerReferences: [{ apiVersion: "v1", kind: "Node", name: node, uid: "", controller: true }] }),
    spec: {
      containers: [
        {
          name: component,
          image: p.spec.image,
          command: commandOf(component, node, s.podIP),
          ...(Object.keys(requests).length ? { resources: { requests } } : { resources: {} }),
          imagePullPolicy: "IfNotPresent",
        },
      ],
      nodeName: node,
      hostNetwork: true,
      priorityClassName: "system-node-critical",
      priority: NODE_CRITICAL_PRIORITY,
      restartPolicy: "Always",
      schedulerName: "default-scheduler",
      terminationGracePeriodSeconds: 30,
      tolerations: [{ operator: "Exists", effect: "NoExecute" }],
    },
    status: {
      phase: "Running",
      conditions: [
        condition("Initialized", true, s.admittedAt),
        condition("Ready", s.ready, changed),
        condition("ContainersReady", s.ready, changed),
        condition("PodScheduled", true, s.scheduledAt),
      ],
      hostIP: s.podIP,
      podIP: s.podIP,
      podIPs: [{ ip: s.podIP }],
      startTime: clock.iso(s.admittedAt),
      containerStatuses: [
        {
          name: component,
          image: p.spec.image,
          imageID: "",
          ready: s.ready,
          started: s.ready,
          restartCount: s.restartCount,
          state: s.ready ? { running: { startedAt: clock.iso(s.startedAt) } } : { waiting: { reason: "CrashLoopBackOff", message: s.message } },
          lastState:
            s.restartCount > 0 || !s.ready
              ? {
                  terminated: {
                    exitCode: 1,
                    reason: "Error",
                    ...(s.startedAt >= 0 ? { startedAt: clock.iso(s.startedAt) } : {}),
                    finishedAt: clock.iso(s.ready ? s.startedAt : clock.gameNow),
                  },
                }
              : {},
          containerID: `containerd://${p.metadata.uid.replaceAll("-", "")}`,
        },
      ],
      qosClass: Object.keys(requests).length ? "Burstable" : "BestEffort",
    },
  };
}
