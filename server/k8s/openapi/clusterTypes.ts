/**
 * The cluster's own kinds: Nodes, their Leases (the kubelet's heartbeat), Events, Namespaces,
 * and the SelfSubjectAccessReview kubectl auth can-i creates.
 */
import { bool, CORE, int32, kind, list, listKind, META, obj, oneOf, quantities, ref, str, stringList, time, type Schema } from "./model.ts";

const COORDINATION = "io.k8s.api.coordination.v1.";
const AUTHZ = "io.k8s.api.authorization.v1.";
const MICRO_TIME = `${META}MicroTime`;
const V1 = (k: string) => ({ group: "", kind: k, version: "v1" });

export const CLUSTER_TYPES: Record<string, Schema> = {
  [MICRO_TIME]: { type: "string", format: "date-time", description: "MicroTime is a timestamp precise to the microsecond." },
  [`${CORE}Node`]: kind(
    V1("Node"),
    "Node is a machine of the cluster (a worker, or a master of the control plane). Its kubelet registers it and reports its status; the node controller marks it NotReady when the reports stop.",
    {
      metadata: ref(`${META}ObjectMeta`, "Standard object's metadata."),
      spec: ref(`${CORE}NodeSpec`, "How the node is configured: whether new pods may be scheduled on it, its taints."),
      status: ref(`${CORE}NodeStatus`, "The node's capacity, conditions and addresses, as its kubelet reports them. Read-only."),
    },
  ),
  [`${CORE}NodeList`]: listKind(V1("NodeList"), `${CORE}Node`, "nodes"),
  [`${CORE}NodeSpec`]: obj("NodeSpec describes how a node is set up.", {
    unschedulable: bool(
      "If true, the scheduler places no new pods on the node (kubectl cordon sets it, uncordon clears it); pods already there stay.",
      "the scheduler seat may not bind pods to a cordoned node.",
    ),
    taints: list(`${CORE}Taint`, "Taints keep pods that do not tolerate them off the node."),
    podCIDR: str("The range of pod IPs assigned to the node."),
    podCIDRs: stringList("The ranges of pod IPs assigned to the node."),
    providerID: str("The node's ID at its cloud provider."),
  }),
  [`${CORE}Taint`]: obj(
    "A taint on a node: pods that do not tolerate it are kept off (NoSchedule) or evicted (NoExecute).",
    {
      key: str("The taint's key."),
      value: str("The taint's value."),
      effect: oneOf(["NoSchedule", "PreferNoSchedule", "NoExecute"], "What happens to pods that do not tolerate it."),
      timeAdded: time("When a NoExecute taint was added."),
    },
    ["key", "effect"],
  ),
  [`${CORE}NodeStatus`]: obj("NodeStatus is the node's state as its kubelet (and the node controller) last reported it.", {
    capacity: quantities("The node's total resources (cpu, memory, pods)."),
    allocatable: quantities(
      "The resources available to pods: capacity less what the system reserves. The scheduler fits pods' requests into it.",
      "the scheduler seat fits pods' requests into it.",
    ),
    conditions: list(`${CORE}NodeCondition`, "The node's conditions; Ready says whether it can run pods.", { mergeKey: "type" }),
    addresses: list(`${CORE}NodeAddress`, "The node's addresses.", { mergeKey: "type" }),
    nodeInfo: ref(`${CORE}NodeSystemInfo`, "The node's versions and IDs."),
    phase: str("Deprecated."),
    images: { type: "array", description: "The images on the node.", items: { type: "object" } },
    daemonEndpoints: { type: "object", description: "The ports the node's daemons listen on." },
  }),
  [`${CORE}NodeCondition`]: obj(
    "One condition of a node.",
    {
      type: str("Ready, MemoryPressure, DiskPressure, PIDPressure or NetworkUnavailable."),
      status: oneOf(
        ["True", "False", "Unknown"],
        "Whether the condition holds; Unknown when the node controller stopped hearing from the kubelet.",
        "a node is NotReady when Ready is False or Unknown.",
      ),
      reason: str("Why, in one CamelCase word."),
      message: str("Why, in words."),
      lastHeartbeatTime: time("When the kubelet last reported the condition."),
      lastTransitionTime: time("When the condition last changed."),
    },
    ["type", "status"],
  ),
  [`${CORE}NodeAddress`]: obj("One address of a node.", { type: str("Hostname, InternalIP or ExternalIP."), address: str("The address.") }, [
    "type",
    "address",
  ]),
  [`${CORE}NodeSystemInfo`]: obj("A node's versions and IDs.", {
    machineID: str("The machine's ID."),
    systemUUID: str("The system's UUID."),
    bootID: str("The boot's ID."),
    kernelVersion: str("The kernel's version."),
    osImage: str("The operating system image."),
    containerRuntimeVersion: str("The container runtime and its version (containerd://1.7.0)."),
    kubeletVersion: str("The kubelet's version."),
    kubeProxyVersion: str("kube-proxy's version."),
    operatingSystem: str("linux or windows."),
    architecture: str("amd64, arm64 …"),
  }),
  [`${COORDINATION}Lease`]: kind(
    { group: "coordination.k8s.io", kind: "Lease", version: "v1" },
    "Lease is a lock held for a while and renewed. Every node's kubelet renews a lease in kube-node-lease as its heartbeat; the control plane's components elect their leader with one.",
    {
      metadata: ref(`${META}ObjectMeta`, "Standard object's metadata."),
      spec: ref(`${COORDINATION}LeaseSpec`, "Who holds the lease and when they last renewed it."),
    },
  ),
  [`${COORDINATION}LeaseList`]: listKind({ group: "coordination.k8s.io", kind: "LeaseList", version: "v1" }, `${COORDINATION}Lease`, "leases"),
  [`${COORDINATION}LeaseSpec`]: obj("Who holds a lease.", {
    holderIdentity: str("The holder's identity.", "the node's kubelet."),
    leaseDurationSeconds: int32("How long the lease lasts after each renewal."),
    renewTime: ref(MICRO_TIME, "When the holder last renewed it.", "when the node's kubelet last reported in."),
    acquireTime: ref(MICRO_TIME, "When the current holder took it."),
    leaseTransitions: int32("How many times the lease changed holders."),
  }),
  [`${CORE}Event`]: kind(
    V1("Event"),
    "Event is a report of something that happened in the cluster (a pod scheduled, an image pulled, a node not ready), written by the component that saw it.",
    {
      metadata: ref(`${META}ObjectMeta`, "Standard object's metadata."),
      involvedObject: ref(`${CORE}ObjectReference`, "The object the event is about."),
      reason: str("Why, in one CamelCase word: Scheduled, Pulled, Killing, NodeNotReady …"),
      message: str("What happened, in words."),
      type: oneOf(["Normal", "Warning"], "Normal or Warning."),
      count: int32("How often it happened."),
      firstTimestamp: time("When it was first seen."),
      lastTimestamp: time("When it was last seen."),
      eventTime: ref(MICRO_TIME, "When it was first seen, precisely."),
      source: ref(`${CORE}EventSource`, "The component that reported it."),
      reportingComponent: str("The component that reported it (kubelet, default-scheduler …)."),
      reportingInstance: str("Which instance of the component, e.g. the node's name."),
      action: str("What was done or failed."),
      related: ref(`${CORE}ObjectReference`, "A second object involved."),
      series: { type: "object", description: "Data about a series of the same event." },
    },
    ["metadata", "involvedObject"],
  ),
  [`${CORE}EventList`]: listKind(V1("EventList"), `${CORE}Event`, "events"),
  [`${CORE}EventSource`]: obj("The component that reported an event.", {
    component: str("The component: kubelet, default-scheduler, node-controller …"),
    host: str("The node it runs on."),
  }),
  [`${CORE}Namespace`]: kind(V1("Namespace"), "Namespace divides a cluster's objects into named groups: names are unique within a namespace.", {
    metadata: ref(`${META}ObjectMeta`, "Standard object's metadata."),
    spec: ref(`${CORE}NamespaceSpec`, "The namespace's finalizers."),
    status: ref(`${CORE}NamespaceStatus`, "Active or Terminating. Read-only."),
  }),
  [`${CORE}NamespaceList`]: listKind(V1("NamespaceList"), `${CORE}Namespace`, "namespaces"),
  [`${CORE}NamespaceSpec`]: obj("What must happen before a namespace is deleted.", {
    finalizers: stringList("Must be empty before the namespace is removed."),
  }),
  [`${CORE}NamespaceStatus`]: obj("A namespace's state.", {
    phase: oneOf(["Active", "Terminating"], "Active or Terminating.", "the game's namespaces are always Active."),
    conditions: { type: "array", description: "The namespace's conditions.", items: { type: "object" } },
  }),
  [`${AUTHZ}SelfSubjectAccessReview`]: kind(
    { group: "authorization.k8s.io", kind: "SelfSubjectAccessReview", version: "v1" },
    "SelfSubjectAccessReview asks the API server whether the caller may do something (kubectl auth can-i).",
    {
      metadata: ref(`${META}ObjectMeta`, "Standard object's metadata."),
      spec: ref(`${AUTHZ}SelfSubjectAccessReviewSpec`, "What is asked about."),
      status: ref(`${AUTHZ}SubjectAccessReviewStatus`, "The answer."),
    },
    ["spec"],
  ),
  [`${AUTHZ}SelfSubjectAccessReviewSpec`]: obj("What a review asks about: a resource or a non-resource path.", {
    resourceAttributes: ref(`${AUTHZ}ResourceAttributes`, "A request on a resource."),
    nonResourceAttributes: ref(`${AUTHZ}NonResourceAttributes`, "A request on a path that is not a resource."),
  }),
  [`${AUTHZ}ResourceAttributes`]: obj("A request on a resource.", {
    namespace: str("The namespace."),
    verb: str("get, list, watch, create, update, patch, delete …"),
    group: str("The API group."),
    version: str("The API version."),
    resource: str("The resource, e.g. pods."),
    subresource: str("The subresource, e.g. binding."),
    name: str("The object's name."),
  }),
  [`${AUTHZ}NonResourceAttributes`]: obj("A request on a non-resource path.", { path: str("The path."), verb: str("The HTTP verb, lowercase.") }),
  [`${AUTHZ}SubjectAccessReviewStatus`]: obj(
    "The answer to an access review.",
    {
      allowed: bool("Whether the request is allowed."),
      denied: bool("Whether the request is explicitly denied."),
      reason: str("Why.", "which seat may do it, when you may not."),
      evaluationError: str("An error while deciding, if any."),
    },
    ["allowed"],
  ),
};
