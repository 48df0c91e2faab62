/**
 * The API server's view of the cluster: every object by kind and name, one revision counter, and
 * the list of writes since the store last took them. Only the API layer writes here; every write
 * bumps the revision and stamps the object's resourceVersion, exactly as etcd would.
 */
import { keyOf, objectKey } from "./keys.ts";
import type { ClusterObject, DeploymentObject, EndpointsObject, EventObject, LeaseObject, NodeObject, ObjectKind, PodObject, ServiceObject } from "./types.ts";
import { SYSTEM_NAMESPACE } from "./types.ts";

/** One write, as the store will persist it. */
export interface Change {
  type: "put" | "delete";
  key: string;
  revision: number;
  /** The key's resourceVersion before this write: 0 when the write created it (for compare-and-swap). */
  previous: number;
  /** The object as written (for a delete: as it was last). */
  object: ClusterObject;
}

type ByKind = {
  Node: NodeObject;
  Lease: LeaseObject;
  Deployment: DeploymentObject;
  Pod: PodObject;
  Service: ServiceObject;
  Endpoints: EndpointsObject;
  Event: EventObject;
};

/** Objects waiting to be stored: metadata without the fields the store assigns. */
export type NewObject<T extends ClusterObject> = Omit<T, "metadata"> & {
  metadata: Omit<T["metadata"], "uid" | "resourceVersion" | "creationTimestamp"> & { uid?: string };
};

/** How many events the cluster keeps; older ones are deleted (Kubernetes expires them by TTL). */
export const MAX_EVENTS = 300;

const KINDS: ReadonlySet<string> = new Set<ObjectKind>(["Node", "Lease", "Deployment", "Pod", "Service", "Endpoints", "Event"]);

export interface ClusterStateSnapshot {
  revision: number;
  uidCounter: number;
  eventCounter: number;
  objects: ClusterObject[];
}

export class ClusterState {
  revision = 0;
  readonly nodes = new Map<string, NodeObject>();
  readonly leases = new Map<string, LeaseObject>();
  readonly deployments = new Map<string, DeploymentObject>();
  readonly pods = new Map<string, PodObject>();
  readonly services = new Map<string, ServiceObject>();
  readonly endpoints = new Map<string, EndpointsObject>();
  readonly events = new Map<string, EventObject>();
  /**
   * The pods of kube-system: the mirror pods each node's kubelet writes for its static pods
   * (world/staticPods.ts). Kept apart from `pods` so that nothing of the game's own pod logic —
   * scheduling, deployments, endpoints, traffic, scoring, bots, views — ever meets them; only the
   * store (and so kubectl) sees them beside the game's pods.
   */
  readonly mirrorPods = new Map<string, PodObject>();

  private readonly podsByNode = new Map<string, Set<string>>();
  private readonly podsByOwner = new Map<string, Set<string>>();
  /** Sorted pod lists per node and owner, rebuilt only after a write touches them. */
  private readonly byNodeCache = new Map<string, PodObject[]>();
  private readonly byOwnerCache = new Map<string, PodObject[]>();
  private changes: Change[] = [];
  private uidCounter = 0;
  private eventCounter = 0;

  private mapOf<K extends ObjectKind>(kind: K): Map<string, ByKind[K]> {
    switch (kind) {
      case "Node":
        return this.nodes as Map<string, ByKind[K]>;
      case "Lease":
        return this.leases as Map<string, ByKind[K]>;
      case "Deployment":
        return this.deployments as Map<string, ByKind[K]>;
      case "Pod":
        return this.pods as Map<string, ByKind[K]>;
      case "Service":
        return this.services as Map<string, ByKind[K]>;
      case "Endpoints":
        return this.endpoints as Map<string, ByKind[K]>;
      case "Event":
        return this.events as Map<string, ByKind[K]>;
    }
    throw new Error(`unknown kind ${String(kind)}`);
  }

  /** The map an object of this kind and namespace lives in (kube-system's pods are the mirror pods). */
  private mapFor(kind: ObjectKind, namespace: string | undefined): Map<string, ClusterObject> {
    if (kind === "Pod" && namespace === SYSTEM_NAMESPACE) return this.mirrorPods as Map<string, ClusterObject>;
    return this.mapOf(kind) as Map<string, ClusterObject>;
  }

  get<K extends ObjectKind>(kind: K, name: string): ByKind[K] | undefined {
    return this.mapOf(kind).get(name);
  }

  /** Pods bound to a node, oldest first. The array is shared: do not modify it. */
  podsOnNode(node: string): readonly PodObject[] {
    let list = this.byNodeCache.get(node);
    if (!list) this.byNodeCache.set(node, (list = this.collect(this.podsByNode.get(node))));
    return list;
  }

  /** Pods owned by a deployment, oldest first. The array is shared: do not modify it. */
  podsOf(deployment: string): readonly PodObject[] {
    let list = this.byOwnerCache.get(deployment);
    if (!list) this.byOwnerCache.set(deployment, (list = this.collect(this.podsByOwner.get(deployment))));
    return list;
  }

  private collect(names: Set<string> | undefined): PodObject[] {
    const out: PodObject[] = [];
    if (!names) return out;
    for (const n of names) {
      const p = this.pods.get(n);
      if (p) out.push(p);
    }
    // Creation order (uids are assigned in sequence), so a restored state iterates alike.
    return out.sort(byCreation);
  }

  /** Stores a new object; the caller has checked that the name is free. */
  create<T extends ClusterObject>(obj: NewObject<T>, now: number): T {
    const uid = obj.metadata.uid ?? this.nextUid();
    const stored = {
      ...obj,
      metadata: { ...obj.metadata, uid, creationTimestamp: now, resourceVersion: 0 },
    } as unknown as T;
    return this.write(stored);
  }

  /** Replaces an existing object with a new version of it. */
  update<T extends ClusterObject>(obj: T): T {
    return this.write(obj);
  }

  private write<T extends ClusterObject>(obj: T): T {
    this.revision++;
    const stamped = { ...obj, metadata: { ...obj.metadata, resourceVersion: this.revision } } as T;
    const map = this.mapFor(stamped.kind, stamped.metadata.namespace);
    const previous = map.get(stamped.metadata.name);
    map.set(stamped.metadata.name, stamped);
    if (stamped.kind === "Pod" && map === this.pods) this.indexPod(previous as PodObject | undefined, stamped);
    this.changes.push({ type: "put", key: objectKey(stamped), revision: this.revision, previous: previous?.metadata.resourceVersion ?? 0, object: stamped });
    return stamped;
  }

  /** Removes an object (a mirror pod: with namespace kube-system); returns false when there was none. */
  delete(kind: ObjectKind, name: string, namespace?: string): boolean {
    const map = this.mapFor(kind, namespace);
    const previous = map.get(name);
    if (!previous) return false;
    this.revision++;
    map.delete(name);
    if (previous.kind === "Pod" && map === this.pods) this.indexPod(previous, undefined);
    this.changes.push({
      type: "delete",
      key: keyOf(kind, name, previous.metadata.namespace),
      revision: this.revision,
      previous: previous.metadata.resourceVersion,
      object: previous,
    });
    return true;
  }

  private indexPod(before: PodObject | undefined, after: PodObject | undefined): void {
    const name = (before ?? after)!.metadata.name;
    const beforeNode = before?.spec.nodeName ?? "";
    const afterNode = after?.spec.nodeName ?? "";
    if (beforeNode !== afterNode || !after) {
      if (beforeNode) this.podsByNode.get(beforeNode)?.delete(name);
    }
    if (afterNode) addTo(this.podsByNode, afterNode, name);
    const beforeOwner = before?.metadata.ownerReferences?.[0]?.name;
    const afterOwner = after?.metadata.ownerReferences?.[0]?.name;
    for (const n of [beforeNode, afterNode]) if (n) this.byNodeCache.delete(n);
    for (const o of [beforeOwner, afterOwner]) if (o) this.byOwnerCache.delete(o);
    if (beforeOwner && (!after || beforeOwner !== afterOwner)) this.podsByOwner.get(beforeOwner)?.delete(name);
    if (afterOwner) addTo(this.podsByOwner, afterOwner, name);
  }

  /** Records a Kubernetes-style event, expiring the oldest beyond MAX_EVENTS. */
  recordEvent(e: Omit<EventObject, "kind" | "metadata">, now: number, namespace?: string): EventObject {
    this.eventCounter++;
    const name = `${e.involvedObject.name}.${this.eventCounter.toString(16).padStart(8, "0")}`;
    // Like Kubernetes, the event names its object's uid, so `kubectl describe` finds the events
    // of this pod and not of an older one that had the same name.
    const kind = e.involvedObject.kind as ObjectKind;
    const uid = KINDS.has(kind) ? this.get(kind, e.involvedObject.name)?.metadata.uid : undefined;
    const involvedObject = uid ? { ...e.involvedObject, uid } : e.involvedObject;
    const created = this.create<EventObject>({ kind: "Event", metadata: { name, namespace }, ...e, involvedObject }, now);
    if (this.events.size > MAX_EVENTS) {
      const oldest = this.events.keys().next().value as string;
      this.delete("Event", oldest);
    }
    return created;
  }

  /** The writes since the last call, in revision order. */
  drainChanges(): Change[] {
    const out = this.changes;
    this.changes = [];
    return out;
  }

  /** Writes not yet taken by drainChanges (for tests and the store). */
  pendingChanges(): readonly Change[] {
    return this.changes;
  }

  private nextUid(): string {
    this.uidCounter++;
    return `00000000-0000-4000-8000-${this.uidCounter.toString(16).padStart(12, "0")}`;
  }

  /** Every object, for persisting or comparing whole states. */
  allObjects(): ClusterObject[] {
    return [
      ...this.nodes.values(),
      ...this.leases.values(),
      ...this.deployments.values(),
      ...this.pods.values(),
      ...this.services.values(),
      ...this.endpoints.values(),
      ...this.events.values(),
      ...this.mirrorPods.values(),
    ];
  }

  snapshot(): ClusterStateSnapshot {
    return {
      revision: this.revision,
      uidCounter: this.uidCounter,
      eventCounter: this.eventCounter,
      objects: this.allObjects(),
    };
  }

  /** Rebuilds a state from stored objects without recording writes (they are already stored). */
  static restore(snap: ClusterStateSnapshot): ClusterState {
    const s = new ClusterState();
    const sorted = [...snap.objects].sort(byCreation);
    for (const obj of sorted) {
      const map = s.mapFor(obj.kind, obj.metadata.namespace);
      map.set(obj.metadata.name, obj);
      if (obj.kind === "Pod" && map === s.pods) s.indexPod(undefined, obj);
    }
    s.revision = snap.revision;
    s.uidCounter = snap.uidCounter;
    s.eventCounter = snap.eventCounter;
    return s;
  }
}

function byCreation(a: ClusterObject, b: ClusterObject): number {
  return a.metadata.uid < b.metadata.uid ? -1 : a.metadata.uid > b.metadata.uid ? 1 : 0;
}

function addTo(index: Map<string, Set<string>>, key: string, name: string): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(name);
}
