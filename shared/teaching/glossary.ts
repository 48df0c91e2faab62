/**
 * The glossary: every term of the seed (shared/seed/k8s-architecture.md) a player may read in the
 * game, with the words that stand for it and its meaning in plain words — the seed's own where it
 * has them, and where the game teaches real Kubernetes behaviour the seed simplifies, saying so.
 * The client marks these terms in player-facing text and shows the meaning on hover, tap or focus
 * (client/src/ui/glossary.ts).
 */

export interface GlossaryEntry {
  /** The term as the glossary names it. */
  term: string;
  /** Other words and spellings that stand for it in the game's texts (plurals included). */
  aliases: readonly string[];
  /** What it means, in a sentence or three. */
  meaning: string;
}

export const GLOSSARY: readonly GlossaryEntry[] = [
  {
    term: "control plane",
    aliases: ["control planes", "control-plane", "control-plane node", "control-plane nodes", "master", "masters", "master node", "master nodes"],
    meaning:
      "The master nodes that manage the cluster: scheduling, monitoring, rescheduling and restarting pods, joining new nodes. Each runs the 4 control-plane processes: API server, scheduler, controller manager and etcd. Masters are more important than workers but need less hardware.",
  },
  {
    term: "worker",
    aliases: ["workers", "worker node", "worker nodes", "node", "nodes"],
    meaning:
      "A machine that runs the pods: worker nodes do the actual work. 3 processes must be installed on every node: the container runtime, the kubelet and kube-proxy.",
  },
  {
    term: "pod",
    aliases: ["pods"],
    meaning: "The smallest thing Kubernetes runs: one or more containers sharing an IP address. Each node has multiple pods on it.",
  },
  {
    term: "container runtime",
    aliases: ["container-runtime", "runtime", "Docker", "containerd"],
    meaning: "The independent process on each node that pulls images and runs containers; the seed names Docker and containerd. The kubelet drives it.",
  },
  {
    term: "kubelet",
    aliases: ["kubelets"],
    meaning:
      "The agent on every node. It interacts with both the container and the node: it starts a pod's containers through the container runtime, provisions their resources, and renews the node's lease (its heartbeat). In a real cluster the kubelet also restarts a crashed container by itself, not the controller manager; here the kubelet seat decides when.",
  },
  {
    term: "kube-proxy",
    aliases: ["kube-proxies"],
    meaning:
      "Forwards requests using services to and from pods, and is smart enough to prefer pods on the same node. It programs its node's rules from each service's endpoints.",
  },
  {
    term: "service",
    aliases: ["services"],
    meaning: "A stable name and address in front of a set of pods. Requests sent to it are forwarded by kube-proxy to one of its ready pods, its endpoints.",
  },
  {
    term: "endpoints",
    aliases: ["endpoint"],
    meaning: "The list of ready pods behind a service, kept up to date by the endpoints controller. kube-proxy's rules follow it.",
  },
  {
    term: "API server",
    aliases: ["api-server", "api-servers", "API servers"],
    meaning:
      "The cluster gateway and a gatekeeper for authentication. Every client (the GUI, kubectl, the API, and every other component) goes through it; it authenticates, authorises and validates each request, and only it reads and writes etcd.",
  },
  {
    term: "gatekeeper",
    aliases: [],
    meaning: "The seed's word for the API server: nothing changes in the cluster unless the caller is authenticated, allowed, and the request valid.",
  },
  {
    term: "authentication",
    aliases: ["authenticates", "authenticated", "unauthenticated"],
    meaning:
      "Checking who is calling, here from a bearer token (e.g. system:kube-scheduler). A caller not recognised gets 401; one recognised but not allowed to do it gets 403.",
  },
  {
    term: "scheduler",
    aliases: ["kube-scheduler", "schedulers"],
    meaning:
      "Decides, based on resources, which node a new pod should run on, and binds it there. It only decides: the kubelet of that node then starts the pod.",
  },
  {
    term: "controller manager",
    aliases: ["controller-manager", "kube-controller-manager", "controller managers"],
    meaning:
      "Detects cluster state changes, such as pods dying or a node falling silent, and recovers the state ASAP: it creates replacement pods, marks silent nodes NotReady and evicts their pods. A crashed container is restarted by the kubelet, not by the controller manager.",
  },
  {
    term: "etcd",
    aliases: [],
    meaning:
      "The key-value store of a cluster's state information: the cluster's brain. Application data is NOT stored in etcd. The seed says the other control-plane processes get their information from etcd; in a real cluster only the API server reads and writes it, and the others watch the API server.",
  },
  {
    term: "key-value store",
    aliases: ["key-value"],
    meaning: "A database that keeps values under keys, e.g. /registry/pods/default/web-x → that pod. etcd is the cluster's key-value store.",
  },
  {
    term: "brain",
    aliases: [],
    meaning: "The seed calls etcd the cluster's brain: every cluster change is stored there, so without it the cluster cannot change anything.",
  },
  {
    term: "quorum",
    aliases: ["majority"],
    meaning:
      "The majority of etcd members that must agree before a write is stored: 2 of 2, 2 of 3, 3 of 5. Without it every write is refused, which is why control planes come in 3 or 5.",
  },
  {
    term: "replica",
    aliases: ["replicas"],
    meaning: "One running copy of a deployment's pod. The deployment says how many replicas there should be.",
  },
  {
    term: "deployment",
    aliases: ["deployments"],
    meaning: "Says which pod to run and how many replicas of it; the controller manager keeps that many pods in existence.",
  },
  {
    term: "heartbeat",
    aliases: ["heartbeats", "lease", "leases"],
    meaning:
      "The kubelet renews its node's lease every few seconds: the node's heartbeat. When it stops, the controller manager marks the node NotReady (after 10 s here, 40 s by default).",
  },
  {
    term: "NotReady",
    aliases: [],
    meaning:
      "A node the control plane no longer trusts: its heartbeat stopped, or it reports trouble. The scheduler places nothing there, and its pods are evicted after a delay.",
  },
  {
    term: "Pending",
    aliases: [],
    meaning: "A pod that exists but has no node yet: it waits for the scheduler, or for a node with room.",
  },
  {
    term: "kubectl",
    aliases: [],
    meaning: "The command-line client of Kubernetes (CLI through kubectl). Like every client it talks only to the API server.",
  },
  {
    term: "evict",
    aliases: ["evicts", "evicted", "eviction"],
    meaning:
      "Removing a pod from a node so it can be replaced: the controller manager evicts the pods of a NotReady node; a kubelet evicts a pod when its node runs short of memory.",
  },
  {
    term: "bare server",
    aliases: ["bare servers"],
    meaning:
      "A new machine with nothing of Kubernetes on it yet. To add it as a node: get new bare server, install all the worker node processes (container runtime, kubelet, kube-proxy), add it to the cluster. Until it joins, the API server does not know it.",
  },
  {
    term: "bootstrap token",
    aliases: ["bootstrap tokens"],
    meaning:
      "A short-lived secret a new node's kubelet authenticates with when it joins the cluster (kubeadm join --token … in a real cluster): the API server lets it register its Node and gives it credentials of its own.",
  },
  {
    term: "revision",
    aliases: [],
    meaning: "etcd's counter of changes: every write stores its object at the next revision.",
  },
];
