/**
 * Authorisation: which role may make which request (like RBAC), and the node restriction that
 * keeps a node's kubelet and kube-proxy to their own node (like the NodeRestriction admission
 * plugin). Answers say who may do it instead.
 */
import type { ClusterState } from "../objects/ClusterState.ts";
import type { Identity, Role } from "./identity.ts";
import type { ApiRequest, RequestType } from "./requests.ts";
import { forbidden, type ApiFailure } from "./status.ts";

export const PERMISSIONS: Record<Role, readonly RequestType[]> = {
  scheduler: ["bind"],
  "controller-manager": ["createPod", "deletePod", "markNodeNotReady", "evictNodePods"],
  kubelet: ["admit", "reject", "restart", "evict"],
  "kube-proxy": ["syncRules"],
  "node-agent": ["registerNode", "renewLease", "reportNodeStatus", "reportPodStatus", "confirmPodDeletion", "createMirrorPod", "reportMirrorPod"],
  "system-controllers": ["updateEndpoints", "gcPod", "updateDeploymentStatus"],
  admin: [
    "scale",
    "cordon",
    "uncordon",
    "createPod",
    "deletePod",
    "deleteNode",
    "createEvent",
    "createDeployment",
    "updateDeployment",
    "deleteDeployment",
    "createService",
    "updateService",
    "deleteService",
  ],
};

/** The requests of `kubectl apply` and `delete -f`: the cluster admin's, and a player's the host lets apply manifests. */
export const WORKLOAD_REQUESTS: ReadonlySet<RequestType> = new Set<RequestType>([
  "createDeployment",
  "updateDeployment",
  "deleteDeployment",
  "createService",
  "updateService",
  "deleteService",
]);

/** Who does each request in a real cluster, for the 403 message. */
const DONE_BY: Record<RequestType, string> = {
  bind: "only the scheduler binds pods to nodes",
  admit: "only the kubelet of the pod's node starts it",
  reject: "only the kubelet of the pod's node rejects it",
  restart: "only the kubelet of the pod's node restarts its containers",
  evict: "only the kubelet of the pod's node evicts it under memory pressure",
  createPod: "the controller manager (or the cluster admin) creates a deployment's pods",
  deletePod: "the controller manager (or the cluster admin) deletes pods",
  markNodeNotReady: "the controller manager's node controller marks nodes NotReady",
  evictNodePods: "the controller manager's node controller evicts pods of NotReady nodes",
  syncRules: "only a node's kube-proxy programs its forwarding rules",
  scale: "only the cluster admin (the host) scales deployments",
  cordon: "only the cluster admin (the host) cordons nodes",
  uncordon: "only the cluster admin (the host) uncordons nodes",
  deleteNode: "only the cluster admin (the host) deletes nodes",
  createEvent: "only the cluster admin (the host) records events by hand",
  createDeployment: "only the cluster admin (the host), or a player the host lets apply manifests, creates deployments",
  updateDeployment: "only the cluster admin (the host), or a player the host lets apply manifests, changes deployments",
  deleteDeployment: "only the cluster admin (the host), or a player the host lets apply manifests, deletes deployments",
  createService: "only the cluster admin (the host), or a player the host lets apply manifests, creates services",
  updateService: "only the cluster admin (the host), or a player the host lets apply manifests, changes services",
  deleteService: "only the cluster admin (the host), or a player the host lets apply manifests, deletes services",
  registerNode: "a node's kubelet registers its own node",
  renewLease: "a node's kubelet renews its own lease",
  reportNodeStatus: "a node's kubelet reports its own node's status",
  reportPodStatus: "a node's kubelet reports the status of its own pods",
  confirmPodDeletion: "a node's kubelet confirms deletion of its own pods",
  createMirrorPod: "a node's kubelet writes the mirror pods of the static pods it runs",
  reportMirrorPod: "a node's kubelet reports the status of the static pods it runs",
  updateEndpoints: "the endpoints controller keeps Endpoints",
  gcPod: "the pod garbage collector removes finished pods",
  updateDeploymentStatus: "the deployment controller reports deployment status",
};

const allowed = new Map<Role, ReadonlySet<RequestType>>(Object.entries(PERMISSIONS).map(([role, types]) => [role as Role, new Set(types)]));

/** Who makes a request in a real cluster: "only the scheduler binds pods to nodes". */
export function whoMay(type: RequestType): string {
  return DONE_BY[type];
}

export function isPermitted(role: Role, type: RequestType): boolean {
  return allowed.get(role)?.has(type) ?? false;
}

/** The node a request touches, for the node restriction (undefined: the request names none). */
function nodeTouched(state: ClusterState, r: ApiRequest): string | undefined {
  switch (r.type) {
    case "admit":
    case "reject":
    case "restart":
    case "evict":
    case "reportPodStatus":
    case "confirmPodDeletion":
      return state.pods.get(r.pod)?.spec.nodeName;
    case "syncRules":
    case "registerNode":
    case "renewLease":
    case "reportNodeStatus":
    case "createMirrorPod":
    case "reportMirrorPod":
      return r.node;
    default:
      return undefined;
  }
}

/** Returns a 403 when the identity may not make this request, undefined when it may. */
export function authorize(state: ClusterState, who: Identity, r: ApiRequest): ApiFailure | undefined {
  if (!isPermitted(who.role, r.type)) {
    return forbidden(`${who.user} may not ${describeVerb(r)}: ${DONE_BY[r.type]}`);
  }
  if (who.role === "kubelet" || who.role === "kube-proxy" || who.role === "node-agent") {
    const node = nodeTouched(state, r);
    // A pod that does not exist is left to validation (404); an unbound pod is nobody's.
    if (node === undefined && "pod" in r && !state.pods.has(r.pod)) return undefined;
    if (node !== who.node) {
      const what = "pod" in r ? `pod ${r.pod}, which is ${node ? `bound to ${node}` : "not bound to any node"}` : `node ${node}`;
      return forbidden(`${who.user} may only act on its own node ${who.node}, not on ${what}`);
    }
  }
  return undefined;
}

/** A short phrase for the request in messages: "bind pods", "sync kube-proxy rules". */
export function describeVerb(r: { type: RequestType }): string {
  switch (r.type) {
    case "bind":
      return "bind pods";
    case "admit":
      return "start pods";
    case "reject":
      return "reject pods";
    case "restart":
      return "restart containers";
    case "evict":
      return "evict pods";
    case "createPod":
      return "create pods";
    case "deletePod":
      return "delete pods";
    case "markNodeNotReady":
      return "mark nodes NotReady";
    case "evictNodePods":
      return "evict the pods of a node";
    case "syncRules":
      return "sync kube-proxy rules";
    case "scale":
      return "scale deployments";
    case "cordon":
      return "cordon nodes";
    case "uncordon":
      return "uncordon nodes";
    case "deleteNode":
      return "delete nodes";
    case "createEvent":
      return "record events";
    case "createDeployment":
      return "create deployments";
    case "updateDeployment":
      return "update deployments";
    case "deleteDeployment":
      return "delete deployments";
    case "createService":
      return "create services";
    case "updateService":
      return "update services";
    case "deleteService":
      return "delete services";
    case "registerNode":
      return "register nodes";
    case "renewLease":
      return "renew node leases";
    case "reportNodeStatus":
      return "report node status";
    case "reportPodStatus":
      return "report pod status";
    case "confirmPodDeletion":
      return "confirm pod deletions";
    case "createMirrorPod":
      return "create mirror pods";
    case "reportMirrorPod":
      return "report mirror pod status";
    case "updateEndpoints":
      return "update endpoints";
    case "gcPod":
      return "garbage-collect pods";
    case "updateDeploymentStatus":
      return "update deployment status";
  }
}
