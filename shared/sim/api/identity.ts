/**
 * Who is calling: the API server authenticates a bearer token to one of these identities, the
 * same for a human and a bot in the seat. Users are named as Kubernetes names its components.
 */

/** Roles a seat can play, plus the parts of the cluster the room plays itself. */
export type Role =
  | "scheduler"
  | "controller-manager"
  | "kubelet"
  | "kube-proxy"
  /** The kubelet process's automatic work: heartbeats and status reports. */
  | "node-agent"
  /** Controllers the room runs itself: endpoints and pod garbage collection. */
  | "system-controllers"
  /** The cluster administrator: the workshop host, scenario scripts and chaos. */
  | "admin";

export const SEAT_ROLES = ["scheduler", "controller-manager", "kubelet", "kube-proxy"] as const;
export type SeatRole = (typeof SEAT_ROLES)[number];

export interface Identity {
  /** The Kubernetes user name, e.g. system:kube-scheduler or system:node:node-1. */
  user: string;
  role: Role;
  /** For node-scoped roles (kubelet, kube-proxy, node-agent): the node. */
  node?: string;
}

export function seatIdentity(role: SeatRole, node?: string): Identity {
  switch (role) {
    case "scheduler":
      return { user: "system:kube-scheduler", role };
    case "controller-manager":
      return { user: "system:kube-controller-manager", role };
    case "kubelet":
      return { user: `kubelet/${node}`, role, node };
    case "kube-proxy":
      return { user: `kube-proxy/${node}`, role, node };
  }
}

export const nodeAgentIdentity = (node: string): Identity => ({ user: `system:node:${node}`, role: "node-agent", node });
/**
 * The controllers the room runs inside kube-controller-manager, each under its own service
 * account as kube-controller-manager --use-service-account-credentials runs them.
 */
export const SYSTEM_CONTROLLER_NAMES = ["endpoint-controller", "deployment-controller", "pod-garbage-collector"] as const;
export type SystemControllerName = (typeof SYSTEM_CONTROLLER_NAMES)[number];
export const systemControllerIdentity = (name: SystemControllerName): Identity => ({
  user: `system:serviceaccount:kube-system:${name}`,
  role: "system-controllers",
});
/** The endpoints controller: what "system" names. */
export const SYSTEM_CONTROLLERS: Identity = systemControllerIdentity("endpoint-controller");
export const ADMIN: Identity = { user: "admin", role: "admin" };

/** Maps bearer tokens to identities. The room issues tokens; unknown tokens are 401. */
export class Authenticator {
  private readonly tokens = new Map<string, Identity>();

  issue(token: string, identity: Identity): void {
    this.tokens.set(token, identity);
  }

  revoke(token: string): void {
    this.tokens.delete(token);
  }

  authenticate(token: string): Identity | undefined {
    return this.tokens.get(token);
  }
}
