/**
 * The app's kinds: Deployments (and their autoscaling/v1 Scale), Services and the Endpoints
 * behind them, with what the game does with each field.
 */
import {
  anyObject,
  APPS,
  CORE,
  int32,
  int64,
  intOrString,
  kind,
  list,
  listKind,
  META,
  obj,
  oneOf,
  ref,
  str,
  stringList,
  strings,
  time,
  type Schema,
} from "./model.ts";

const SCALE = "io.k8s.api.autoscaling.v1.";
const APPS_V1 = (k: string) => ({ group: "apps", kind: k, version: "v1" });
const V1 = (k: string) => ({ group: "", kind: k, version: "v1" });

export const WORKLOAD_TYPES: Record<string, Schema> = {
  [`${APPS}Deployment`]: kind(
    APPS_V1("Deployment"),
    "Deployment keeps a number of identical pods running from one pod template, and rolls out a changed template by replacing old pods with new ones.",
    {
      metadata: ref(`${META}ObjectMeta`, "Standard object's metadata."),
      spec: ref(`${APPS}DeploymentSpec`, "The desired state: how many pods, which ones, and from what template."),
      status: ref(`${APPS}DeploymentStatus`, "The most recently observed state. Read-only."),
    },
  ),
  [`${APPS}DeploymentList`]: listKind(APPS_V1("DeploymentList"), `${APPS}Deployment`, "deployments"),
  [`${APPS}DeploymentSpec`]: obj(
    "DeploymentSpec is the desired state of a deployment.",
    {
      replicas: int32(
        "How many pods are wanted. Default 1. The controller manager creates or deletes pods until that many match the selector.",
        "the controller manager seat (or its bot) creates the missing pods; kubectl scale changes it.",
      ),
      selector: ref(
        `${META}LabelSelector`,
        "Which pods belong to the deployment. Required, must match the template's labels, and cannot change after creation.",
        "the app label in matchLabels names the deployment's pods.",
      ),
      template: ref(
        `${CORE}PodTemplateSpec`,
        "The template every pod of the deployment is made from. Its labels must match the selector.",
        "the first container's image, resource requests and memory limit make the game's pods.",
      ),
      strategy: ref(`${APPS}DeploymentStrategy`, "How old pods are replaced by new ones when the template changes."),
      minReadySeconds: int32("Seconds a new pod must be ready before it counts as available. Default 0."),
      revisionHistoryLimit: int32("How many old ReplicaSets to keep for rollbacks. Default 10."),
      progressDeadlineSeconds: int32("Seconds a rollout may make no progress before it is reported as failed. Default 600."),
      paused: { type: "boolean", description: "Whether the rollout is paused." },
    },
    ["selector", "template"],
  ),
  [`${APPS}DeploymentStrategy`]: obj("How a deployment replaces its pods.", {
    type: oneOf(["Recreate", "RollingUpdate"], "Recreate (delete every old pod first) or RollingUpdate. Default RollingUpdate."),
    rollingUpdate: ref(`${APPS}RollingUpdateDeployment`, "The pace of a rolling update."),
  }),
  [`${APPS}RollingUpdateDeployment`]: obj("The pace of a rolling update.", {
    maxUnavailable: intOrString("How many pods (or what percentage) may be unavailable during the update. Default 25%."),
    maxSurge: intOrString("How many pods (or what percentage) may be created above the desired number. Default 25%."),
  }),
  [`${APPS}DeploymentStatus`]: obj("The most recently observed state of a deployment.", {
    observedGeneration: int64("The generation the controller has seen."),
    replicas: int32("Pods targeted by the deployment (not terminated)."),
    updatedReplicas: int32("Pods with the current template."),
    readyReplicas: int32("Pods that are ready."),
    availableReplicas: int32("Pods ready for at least minReadySeconds."),
    unavailableReplicas: int32("Pods still needed for the deployment to be fully available."),
    conditions: list(`${APPS}DeploymentCondition`, "Available and Progressing.", { mergeKey: "type" }),
    collisionCount: int32("Used to make the names of new ReplicaSets unique."),
  }),
  [`${APPS}DeploymentCondition`]: obj(
    "One condition of a deployment.",
    {
      type: str("Available, Progressing or ReplicaFailure."),
      status: oneOf(["True", "False", "Unknown"], "Whether the condition holds."),
      reason: str("Why, in one CamelCase word."),
      message: str("Why, in words."),
      lastUpdateTime: time("When the condition was last updated."),
      lastTransitionTime: time("When the condition last changed."),
    },
    ["type", "status"],
  ),
  [`${SCALE}Scale`]: kind(
    { group: "autoscaling", kind: "Scale", version: "v1" },
    "Scale is the scale subresource of a deployment (deployments/<name>/scale): what kubectl scale reads and changes.",
    {
      metadata: ref(`${META}ObjectMeta`, "Standard object's metadata."),
      spec: ref(`${SCALE}ScaleSpec`, "The desired number of replicas."),
      status: ref(`${SCALE}ScaleStatus`, "The current number of replicas. Read-only."),
    },
  ),
  [`${SCALE}ScaleSpec`]: obj("The desired scale.", {
    replicas: int32("The desired number of pods.", "only the host (the cluster admin) may change it."),
  }),
  [`${SCALE}ScaleStatus`]: obj(
    "The current scale.",
    {
      replicas: int32("The number of pods now."),
      selector: str("The pods' label selector, as text (app=web)."),
    },
    ["replicas"],
  ),
  [`${CORE}Service`]: kind(
    V1("Service"),
    "Service is one stable address for a changing set of pods: its selector picks the pods, the endpoints list the ready ones, and kube-proxy on every node forwards the service's port to them.",
    {
      metadata: ref(`${META}ObjectMeta`, "Standard object's metadata."),
      spec: ref(`${CORE}ServiceSpec`, "The service's selector, ports and type."),
      status: ref(`${CORE}ServiceStatus`, "The service's load balancer, if any. Read-only."),
    },
  ),
  [`${CORE}ServiceList`]: listKind(V1("ServiceList"), `${CORE}Service`, "services"),
  [`${CORE}ServiceSpec`]: obj("ServiceSpec describes a service.", {
    selector: strings(
      "Pods with these labels receive the service's traffic (only while they are ready). Without a selector the endpoints are managed by hand.",
      "the app label picks the deployment's pods.",
    ),
    ports: list(`${CORE}ServicePort`, "The ports the service exposes.", {
      mergeKey: "port",
      mapKeys: ["port", "protocol"],
      game: "the first port carries the service's traffic to the pods.",
    }),
    type: oneOf(
      ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"],
      "How the service is exposed: ClusterIP (inside the cluster), NodePort (also on a port of every node), LoadBalancer (also through an external load balancer). Default ClusterIP.",
      "traffic from the outside world reaches every service through a load balancer.",
    ),
    clusterIP: str("The service's virtual IP inside the cluster; assigned by the API server unless set. None makes a headless service."),
    clusterIPs: stringList("The service's cluster IPs (one per IP family)."),
    externalIPs: stringList("More IPs that route to the service."),
    sessionAffinity: oneOf(["ClientIP", "None"], "ClientIP keeps a client on one pod. Default None."),
    externalTrafficPolicy: oneOf(["Cluster", "Local"], "Whether external traffic may go to pods on other nodes (Cluster) or only this node's (Local)."),
    internalTrafficPolicy: oneOf(["Cluster", "Local"], "The same, for traffic from inside the cluster."),
    loadBalancerIP: str("Deprecated: the load balancer's IP, if the provider lets you choose."),
    externalName: str("For type ExternalName: the DNS name the service is an alias of."),
    ipFamilies: stringList("IPv4, IPv6 or both."),
    ipFamilyPolicy: str("SingleStack, PreferDualStack or RequireDualStack."),
    publishNotReadyAddresses: { type: "boolean", description: "Put pods in the endpoints even when they are not ready." },
    sessionAffinityConfig: anyObject("Settings of session affinity."),
    allocateLoadBalancerNodePorts: { type: "boolean", description: "Whether a LoadBalancer service gets node ports. Default true." },
    loadBalancerSourceRanges: stringList("The client address ranges a load balancer accepts."),
    loadBalancerClass: str("The load balancer implementation to use."),
    healthCheckNodePort: int32("For externalTrafficPolicy Local: the node port health checks go to."),
    trafficDistribution: str("A preference for how traffic is spread over the endpoints, e.g. PreferClose."),
  }),
  [`${CORE}ServicePort`]: obj(
    "One port of a service.",
    {
      name: str("The port's name (a DNS label); required when there are several ports."),
      protocol: oneOf(["TCP", "UDP", "SCTP"], "The protocol. Default TCP."),
      port: int32("The port the service listens on."),
      targetPort: intOrString(
        "The port on the pods to forward to, by number or by the container port's name. Default: the same as port.",
        "every game container listens on 8080.",
      ),
      nodePort: int32("For NodePort and LoadBalancer: the port on every node (30000–32767), assigned unless set."),
      appProtocol: str("The application protocol, e.g. http."),
    },
    ["port"],
  ),
  [`${CORE}ServiceStatus`]: obj("The current state of a service.", {
    loadBalancer: ref(`${CORE}LoadBalancerStatus`, "The load balancer's addresses, if any."),
    conditions: list(`${META}Condition`, "The service's conditions."),
  }),
  [`${CORE}LoadBalancerStatus`]: obj("The state of a load balancer.", {
    ingress: list(`${CORE}LoadBalancerIngress`, "Its ingress points."),
  }),
  [`${CORE}LoadBalancerIngress`]: obj("One ingress point of a load balancer.", {
    ip: str("Its IP address."),
    hostname: str("Its DNS name."),
    ports: anyObject("Its ports' states."),
  }),
  [`${META}Condition`]: obj(
    "One condition of an object.",
    {
      type: str("The condition's type."),
      status: oneOf(["True", "False", "Unknown"], "Whether it holds."),
      reason: str("Why, in one CamelCase word."),
      message: str("Why, in words."),
      lastTransitionTime: time("When it last changed."),
      observedGeneration: int64("The generation it was set for."),
    },
    ["type", "status", "lastTransitionTime", "reason", "message"],
  ),
  [`${CORE}Endpoints`]: kind(
    V1("Endpoints"),
    "Endpoints lists the addresses behind a service: the ready pods its selector picks. The endpoints controller keeps it up to date; kube-proxy reads it.",
    {
      metadata: ref(`${META}ObjectMeta`, "Standard object's metadata; the same name as the service."),
      subsets: list(`${CORE}EndpointSubset`, "Sets of addresses sharing the same ports."),
    },
  ),
  [`${CORE}EndpointsList`]: listKind(V1("EndpointsList"), `${CORE}Endpoints`, "endpoints"),
  [`${CORE}EndpointSubset`]: obj("Addresses that share ports.", {
    addresses: list(`${CORE}EndpointAddress`, "Ready addresses.", { game: "the ready pods of the service's deployment." }),
    notReadyAddresses: list(`${CORE}EndpointAddress`, "Addresses not ready yet (or any more)."),
    ports: list(`${CORE}EndpointPort`, "The ports on those addresses."),
  }),
  [`${CORE}EndpointAddress`]: obj(
    "One address behind a service.",
    {
      ip: str("The pod's IP."),
      hostname: str("The pod's hostname."),
      nodeName: str("The node the pod runs on."),
      targetRef: ref(`${CORE}ObjectReference`, "The pod."),
    },
    ["ip"],
  ),
  [`${CORE}EndpointPort`]: obj(
    "One port of an endpoint.",
    {
      name: str("The port's name, as in the service."),
      port: int32("The port number."),
      protocol: oneOf(["TCP", "UDP", "SCTP"], "The protocol."),
      appProtocol: str("The application protocol."),
    },
    ["port"],
  ),
};
