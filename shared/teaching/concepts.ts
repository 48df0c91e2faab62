/**
 * The concepts Cluster Crew exists to teach: the ideas of the study note the game is built on,
 * each with a stable id that scenarios, questions and student reports refer to. A concept is
 * taught when a player does it, sees it fail and is told it (see docs/CONCEPTS.md, which a test
 * keeps true against every scenario's `teaches` declarations).
 */

export const CONCEPT_GROUPS = ["Worker nodes", "The control plane", "The example cluster"] as const;
export type ConceptGroup = (typeof CONCEPT_GROUPS)[number];

export interface Concept {
  id: string;
  group: ConceptGroup;
  /** A short name for lists and reports. */
  title: string;
  /** What it means, in a sentence a learner reads in the report and the concept list. */
  meaning: string;
}

const worker = (id: string, title: string, meaning: string): Concept => ({ id, group: "Worker nodes", title, meaning });
const control = (id: string, title: string, meaning: string): Concept => ({ id, group: "The control plane", title, meaning });
const example = (id: string, title: string, meaning: string): Concept => ({ id, group: "The example cluster", title, meaning });

export const CONCEPTS = [
  worker("node-hosts-pods", "A node runs many pods", "Each worker node holds several pods at once, as far as its CPU and memory go."),
  worker(
    "three-node-processes",
    "Three processes on every worker",
    "Every worker runs a container runtime, a kubelet and kube-proxy; without any one of them the node stops doing part of its job.",
  ),
  worker(
    "container-runtime",
    "The container runtime",
    "A separate process (containerd, or Docker's engine, which uses containerd) that pulls images and runs the containers.",
  ),
  worker(
    "kubelet-runs-runtime",
    "The kubelet drives the runtime",
    "The kubelet tells the container runtime what to run and reports both the containers' and the node's state to the API server.",
  ),
  worker(
    "kubelet-starts-provisions",
    "The kubelet starts pods",
    "The kubelet starts a pod bound to its node, with a container inside, and gives it the CPU and memory it asked for — or refuses it when they are not there.",
  ),
  worker(
    "kube-proxy-services",
    "kube-proxy forwards through services",
    "kube-proxy writes each node's forwarding rules so that a request to a service reaches one of the service's ready pods.",
  ),
  worker(
    "kube-proxy-local-first",
    "kube-proxy prefers local pods",
    "kube-proxy can send a request to a pod on the same node, saving a network hop, when such a pod is ready and has room.",
  ),
  worker("workers-do-work", "Workers do the work", "Applications run on the worker nodes; the control-plane nodes run the cluster, not its workloads."),
  control(
    "control-plane-manages",
    "The control plane manages",
    "Scheduling, watching, rescheduling and joining nodes are the control plane's (the master's) job, done by four processes: API server, scheduler, controller manager and etcd.",
  ),
  control(
    "api-server-entry",
    "One way in",
    "Every client — the game's panels, kubectl, a program using the Kubernetes API — talks to the cluster through the API server.",
  ),
  control(
    "api-server-gatekeeper",
    "The API server is the gatekeeper",
    "The API server is the cluster's gateway: it authenticates every caller and checks that the caller may do what it asks.",
  ),
  control("api-server-validates", "Requests are validated", "The API server validates a request before anything changes; an invalid one changes nothing."),
  control(
    "scheduler-by-resources",
    "Scheduling by resources",
    "The scheduler picks the node for a new pod by the CPU and memory the pod requests and each node has free.",
  ),
  control(
    "scheduler-then-kubelet",
    "The scheduler decides, the kubelet starts",
    "The scheduler only records its decision (a binding); the kubelet of the chosen node then starts the pod.",
  ),
  control(
    "controller-detects",
    "The controller manager detects",
    "The controller manager notices changes in the cluster's state, such as a pod dying or a node going silent.",
  ),
  control(
    "controller-recovers",
    "The controller manager recovers",
    "The controller manager restores the desired state as soon as it can — new pods, which the scheduler places and the kubelets start.",
  ),
  control("etcd-brain", "etcd is the brain", "etcd is a key-value store holding every change to the cluster's state: the cluster's brain."),
  control(
    "etcd-read-by-components",
    "Everyone works from etcd's state",
    "The other control-plane processes work from the state etcd holds — in a real cluster by watching the API server, the only component that talks to etcd.",
  ),
  control("etcd-no-app-data", "No application data in etcd", "etcd holds the cluster's state, not the applications' data."),
  example(
    "several-masters",
    "Several control-plane nodes",
    "A cluster can run several control-plane (master) nodes so that the API server and etcd survive one of them failing.",
  ),
  example("example-two-three", "Two masters, three workers", "The study note's example cluster: 2 control-plane nodes and 3 worker nodes."),
  example(
    "masters-small-important",
    "Masters matter more, need less",
    "Control-plane nodes matter more than workers but need fewer resources; workers need more, because they run the applications.",
  ),
  example("scale-up-down", "Scale up and down", "A cluster grows and shrinks as needed: nodes join and leave."),
  example("join-a-node", "Joining a node", "To add a node: get a new bare server, install the node's processes, and add it to the cluster."),
] as const satisfies readonly Concept[];

export type ConceptId = (typeof CONCEPTS)[number]["id"];
export const CONCEPT_IDS = CONCEPTS.map((c) => c.id) as [ConceptId, ...ConceptId[]];

const BY_ID: ReadonlyMap<string, Concept> = new Map(CONCEPTS.map((c) => [c.id, c]));

export function concept(id: string): Concept | undefined {
  return BY_ID.get(id);
}
