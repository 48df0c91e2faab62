/**
 * The simulation's tuning numbers in one place, each with its unit. Kubernetes' own defaults are
 * noted where the game shortens them so that a failure plays out within a lesson.
 */

/** The kubelet renews its node lease this often (Kubernetes: 10 s). */
export const LEASE_RENEW_MS = 2_000;
/** A node whose lease is older than this is NotReady (node-monitor-grace-period; Kubernetes: 40 s). */
export const NODE_GRACE_MS = 10_000;
/** Pods of a NotReady node are evicted after this (Kubernetes: 300 s toleration). */
export const EVICTION_DELAY_MS = 10_000;
/** A standby scheduler or controller manager takes over this long after the leader is lost. */
export const LEADER_FAILOVER_MS = 5_000;

/** Image pull time for an image the node has not pulled before, at pull factor 1. */
export const IMAGE_PULL_MS = 2_000;
/** A deleted pod's container gets this long to stop (terminationGracePeriodSeconds). */
export const TERMINATION_GRACE_MS = 1_000;
/** First restart back-off; it doubles with each restart (Kubernetes: 10 s, doubling to 5 min). */
export const BACKOFF_BASE_MS = 1_000;
/** Longest restart back-off. */
export const BACKOFF_MAX_MS = 32_000;
/** A container running this long without a crash resets its back-off. */
export const BACKOFF_RESET_MS = 30_000;
/** The kubelet may evict pods once its node's memory in use reaches this share of capacity. */
export const MEMORY_PRESSURE_RATIO = 0.85;
/**
 * From this share of a node's memory in use, the kernel reclaims memory on every allocation and
 * the node starves: its containers serve at THRASH_CAPACITY_FACTOR of their capacity and memory
 * grows at RECLAIM_STALL_FACTOR of its pace, until the OOM killer acts at 100%.
 */
export const MEMORY_THRASH_RATIO = 0.93;
/** Share of their capacity (requests per second) containers serve on a starving node. */
export const THRASH_CAPACITY_FACTOR = 0.25;
/** Share of its pace a leak keeps on a starving node (allocations stall in direct reclaim). */
export const RECLAIM_STALL_FACTOR = 0.1;

/** Failed pods stay visible this long before the pod garbage collector removes them. */
export const FAILED_POD_TTL_MS = 10_000;
/** A terminating pod on a NotReady node is force-deleted after this. */
export const STUCK_TERMINATING_MS = 30_000;

/** Hop latency from the entry node's kube-proxy to a pod on the same node, ms. */
export const LOCAL_HOP_MS = 50;
/**
 * Hop latency to a pod on another node, ms (encapsulation, a second kernel, the wire). It is
 * large against the deadline on purpose: a request that crossed nodes has less time left to wait
 * in a busy pod's queue, so local-first serves more than spread while every node holds its share
 * of the pods — and spread still wins when one node's own pods are swamped.
 */
export const REMOTE_HOP_MS = 700;
/** A request not served within this time of arriving times out, ms. */
export const REQUEST_DEADLINE_MS = 1_000;
/** The outside load balancer re-checks node health this often. */
export const LB_HEALTH_CHECK_MS = 3_000;

/** Sliding window of the team's availability. */
export const AVAILABILITY_WINDOW_MS = 60_000;
/** The availability timeline keeps one sample this often. */
export const TIMELINE_SAMPLE_MS = 1_000;

/**
 * Installing a worker's processes on a bare server, game ms each (a package download and a
 * service start; kubeadm's preflight and join take longer in life, shortened to fit a lesson).
 */
export const INSTALL_RUNTIME_MS = 6_000;
/** Installing the kubelet on a bare server, game ms. */
export const INSTALL_KUBELET_MS = 5_000;
/** Installing kube-proxy on a bare server, game ms. */
export const INSTALL_KUBE_PROXY_MS = 4_000;
/**
 * A node that has just joined reports NotReady (KubeletNotReady) this long, game ms, while its
 * kubelet checks the container runtime and the network — as a real node does for a few seconds.
 */
export const NODE_STARTUP_MS = 3_000;
// ---- workloads from students' manifests (kubectl apply) -------------------------------------

/** Requests per second a service created from a manifest receives, unless its RPS annotation says otherwise. */
export const DEFAULT_SERVICE_RPS = 20;
/** The Service annotation that sets its traffic, requests per second (e.g. clustercrew.dev/rps: "40"). */
export const SERVICE_RPS_ANNOTATION = "clustercrew.dev/rps";
/** Requests per second one ready pod of a manifest's deployment serves, unless its capacity annotation says otherwise. */
export const DEFAULT_POD_CAPACITY_RPS = 20;
/** The Deployment annotation that sets what one pod serves, requests per second. */
export const CAPACITY_ANNOTATION = "clustercrew.dev/capacity-rps";
/** Most deployments (and, apart, most services) a game's cluster holds: more is refused as a quota would refuse it. */
export const MAX_WORKLOADS = 20;
/** Most replicas all of a game's deployments may want together (large-cluster's scenario wants 500). */
export const MAX_TOTAL_REPLICAS = 1_000;
/** Time from container start to ready for a manifest without a readiness probe's initialDelaySeconds, ms. */
export const DEFAULT_STARTUP_MS = 1_000;
/** CPU request of a manifest's container that asks for none, millicores (as a namespace's LimitRange default would set). */
export const DEFAULT_CPU_REQUEST = 100;
/** Memory request of a manifest's container that asks for none, MiB. */
export const DEFAULT_MEMORY_REQUEST = 128;
/** The memory limit the game records for a container without one, MiB: no container ever reaches it. */
export const NO_MEMORY_LIMIT = 1_048_576;
