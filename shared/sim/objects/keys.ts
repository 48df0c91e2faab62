/**
 * Where each object lives in etcd, in Kubernetes' own key layout (the API server's storage
 * paths: nodes are historically "minions", services split into specs and endpoints).
 */
import type { ClusterObject, ObjectKind } from "./types.ts";

const PREFIX: Record<ObjectKind, string> = {
  Node: "/registry/minions/",
  Lease: "/registry/leases/",
  Deployment: "/registry/deployments/",
  Pod: "/registry/pods/",
  Service: "/registry/services/specs/",
  Endpoints: "/registry/services/endpoints/",
  Event: "/registry/events/",
};

/** The etcd key prefix of one kind. */
export function kindPrefix(kind: ObjectKind): string {
  return PREFIX[kind];
}

/** The etcd key of an object: /registry/<resource>/[<namespace>/]<name>. */
export function keyOf(kind: ObjectKind, name: string, namespace?: string): string {
  return namespace ? `${PREFIX[kind]}${namespace}/${name}` : `${PREFIX[kind]}${name}`;
}

export function objectKey(obj: ClusterObject): string {
  return keyOf(obj.kind, obj.metadata.name, obj.metadata.namespace);
}
