/**
 * Nodes and their leases in the shape the Kubernetes API serves them (split from convert.ts,
 * which dispatches every kind). A node's Ready condition is what the node controller and the
 * kubelet last wrote: kubectl prints "NotReady" for both False and Unknown, as the game does.
 */
import type { LeaseObject, NodeObject } from "../../shared/sim/objects/types.ts";
import { cpuQuantity, memoryQuantity, meta, nodeIP, SERVER_VERSION, type GameClock, type KubeObject } from "./kubeBasics.ts";

/** A node's labels as the API serves them (on the Node, and on its NodeMetrics). */
export function nodeLabels(n: NodeObject): Record<string, string> {
  return {
    "kubernetes.io/hostname": n.metadata.name,
    "kubernetes.io/os": "linux",
    ...(n.spec.role === "control-plane" ? { "node-role.kubernetes.io/control-plane": "" } : { "node-role.kubernetes.io/worker": "" }),
  };
}

export function nodeToKube(n: NodeObject, clock: GameClock): KubeObject {
  const controlPlane = n.spec.role === "control-plane";
  // The game keeps workloads off control-plane nodes as kubeadm does: with a taint, not a cordon.
  const cordoned = n.spec.unschedulable && !controlPlane;
  const taints = [
    ...(controlPlane ? [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }] : []),
    ...(cordoned ? [{ key: "node.kubernetes.io/unschedulable", effect: "NoSchedule", timeAdded: clock.iso(clock.gameNow) }] : []),
    ...(n.status.ready !== "True"
      ? [{ key: n.status.ready === "Unknown" ? "node.kubernetes.io/unreachable" : "node.kubernetes.io/not-ready", effect: "NoExecute" }]
      : []),
  ];
  const resources = (r: { cpu: number; memory: number }) => ({ cpu: cpuQuantity(r.cpu), memory: memoryQuantity(r.memory), pods: "110" });
  return {
    kind: "Node",
    apiVersion: "v1",
    metadata: meta(n.metadata, clock, { labels: nodeLabels(n) }),
    spec: {
      podCIDR: `10.244.${n.status.podCidrIndex}.0/24`,
      ...(cordoned ? { unschedulable: true } : {}),
      ...(taints.length ? { taints } : {}),
    },
    status: {
      capacity: resources(n.status.capacity),
      allocatable: resources(n.status.allocatable),
      conditions: [
        {
          type: "Ready",
          status: n.status.ready,
          reason: n.status.readyReason,
          message: readyMessage(n),
          lastHeartbeatTime: clock.iso(clock.gameNow),
          lastTransitionTime: clock.iso(Math.max(0, n.status.lastTransitionTime)),
        },
      ],
      addresses: [
        { type: "InternalIP", address: nodeIP(n) },
        { type: "Hostname", address: n.metadata.name },
      ],
      nodeInfo: {
        kubeletVersion: SERVER_VERSION.gitVersion,
        kubeProxyVersion: SERVER_VERSION.gitVersion,
        containerRuntimeVersion: "containerd://1.7.0",
        osImage: "Cluster Crew Linux",
        kernelVersion: "6.1.0",
        operatingSystem: "linux",
        architecture: "amd64",
        machineID: n.metadata.uid.replaceAll("-", ""),
        systemUUID: n.metadata.uid,
        bootID: n.metadata.uid,
      },
    },
  };
}

function readyMessage(n: NodeObject): string {
  if (n.status.ready === "True") return "kubelet is posting ready status";
  if (n.status.ready === "Unknown") return "Kubelet stopped posting node status.";
  return `kubelet reports the node is not ready (${n.status.readyReason})`;
}

export function leaseToKube(l: LeaseObject, clock: GameClock): KubeObject {
  return {
    kind: "Lease",
    apiVersion: "coordination.k8s.io/v1",
    metadata: meta(l.metadata, clock),
    spec: {
      holderIdentity: l.spec.holderIdentity,
      leaseDurationSeconds: l.spec.leaseDurationSeconds,
      renewTime: new Date(clock.wall(l.spec.renewTime)).toISOString().replace("Z", "000Z"),
    },
  };
}
