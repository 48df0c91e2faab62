/**
 * The types every kind shares: ObjectMeta and ListMeta, label selectors, owner and object
 * references, Status (every error answer), and the scalar types Kubernetes names (Time,
 * Quantity, IntOrString).
 */
import {
  bool,
  CORE,
  INT_OR_STRING,
  int32,
  int64,
  kind,
  list,
  META,
  obj,
  oneOf,
  QUANTITY,
  ref,
  str,
  stringList,
  strings,
  TIME,
  time,
  type Schema,
} from "./model.ts";

export const META_TYPES: Record<string, Schema> = {
  [TIME]: {
    type: "string",
    format: "date-time",
    description: "Time is a timestamp, written in RFC 3339 form (2026-12-01T18:00:00Z) and precise to the second.",
  },
  [QUANTITY]: {
    type: "string",
    description:
      "Quantity is a fixed-point number with a unit suffix: CPU in cores or millicores (2, 0.5, 250m), memory in bytes with binary suffixes (128Mi, 4Gi) or decimal ones (500M).",
  },
  [INT_OR_STRING]: {
    type: "string",
    format: "int-or-string",
    description: 'IntOrString holds either a number or a name, e.g. a port as 8080 or as the port\'s name "http".',
  },
  [`${META}ObjectMeta`]: obj(
    "ObjectMeta is the metadata every persisted object has: its name and namespace, labels and annotations, and what the API server records about it.",
    {
      name: str(
        "Name must be unique within a namespace. Required when creating, although some resources let the server generate it (generateName). Cannot be updated.",
      ),
      generateName: str("GenerateName asks the server to make up a unique name: this prefix followed by random characters. Used only when name is empty."),
      namespace: str(
        'Namespace divides the space of names: an object\'s name must be unique only within its namespace. An empty namespace means "default".',
        'the workloads all live in "default"; node leases live in "kube-node-lease".',
      ),
      uid: str("UID is the unique id the server gives the object when it is created. Read-only."),
      resourceVersion: str(
        "An opaque value for the object's version, used for optimistic concurrency, change detection and watches. Read-only.",
        "the store's (the game's etcd's) revision of the write that last changed the object.",
      ),
      generation: int64("A sequence number for a specific generation of the desired state. Read-only."),
      creationTimestamp: time("When the server created the object. Read-only."),
      deletionTimestamp: time(
        "When the object will be deleted: set by the server when a graceful deletion is asked for. A pod with it set is Terminating. Read-only.",
      ),
      deletionGracePeriodSeconds: int64("Seconds allowed for the object to terminate gracefully before it is removed. Read-only."),
      labels: strings(
        "Map of string keys and values used to organize and select objects (by label selectors of deployments, services, kubectl get -l …).",
        "a pod's app label names the deployment it belongs to.",
      ),
      annotations: strings(
        "Annotations is an unstructured key-value map for tools to store and read arbitrary metadata; not used to select objects. kubectl apply keeps the applied manifest here.",
        "clustercrew.dev/capacity-rps on a Deployment sets the requests a second one ready pod serves, clustercrew.dev/rps on a Service those the outside world sends it.",
      ),
      ownerReferences: list(`${META}OwnerReference`, "The objects this one depends on; when every owner is deleted, this object is garbage collected.", {
        mergeKey: "uid",
        game: "a deployment's pods name it as their owner.",
      }),
      finalizers: stringList("Must be empty before the object is deleted from the registry."),
      selfLink: str("Deprecated: always empty."),
      managedFields: list(`${META}ManagedFieldsEntry`, "Which client (field manager) set which fields, for server-side apply.", {
        game: "not recorded.",
      }),
    },
  ),
  [`${META}ListMeta`]: obj("ListMeta is the metadata of a list.", {
    resourceVersion: str("The version of the list, to watch for changes after it.", "the store's revision when the list was read."),
    continue: str("Set when there are more items to read in chunks.", "lists are never chunked."),
    remainingItemCount: int64("How many items remain after this chunk, when known."),
    selfLink: str("Deprecated: always empty."),
  }),
  [`${META}ManagedFieldsEntry`]: obj("Which fields one field manager set, by which operation.", {
    manager: str("The field manager's name."),
    operation: str("Apply or Update."),
    apiVersion: str("The version of the fields' schema."),
    time: time("When the fields were last set."),
    fieldsType: str("The format of fieldsV1: FieldsV1."),
    fieldsV1: { type: "object", description: "The set of fields, in FieldsV1 format." },
    subresource: str("The subresource the fields were set through."),
  }),
  [`${META}OwnerReference`]: obj(
    "OwnerReference names an object that owns this one: deleting the owner deletes it too (garbage collection).",
    {
      apiVersion: str("API version of the owner."),
      kind: str("Kind of the owner."),
      name: str("Name of the owner."),
      uid: str("UID of the owner."),
      controller: bool("If true, this owner is the managing controller."),
      blockOwnerDeletion: bool("If true, the owner cannot be deleted (in the foreground) until this object is."),
    },
    ["apiVersion", "kind", "name", "uid"],
  ),
  [`${META}LabelSelector`]: obj(
    "A label selector is a query over labels: matchLabels and matchExpressions are ANDed. An empty selector matches every object; a null one matches none.",
    {
      matchLabels: strings(
        "Each key=value pair must be among the object's labels.",
        "the deployment's pods are those whose app label matches; it must match the template's labels.",
      ),
      matchExpressions: list(`${META}LabelSelectorRequirement`, "A list of label selector requirements, ANDed."),
    },
  ),
  [`${META}LabelSelectorRequirement`]: obj(
    "A selector requirement: a key, an operator and values.",
    {
      key: str("The label key the selector applies to."),
      operator: oneOf(["In", "NotIn", "Exists", "DoesNotExist"], "How the key relates to the values."),
      values: stringList("The values: non-empty for In and NotIn, empty for Exists and DoesNotExist."),
    },
    ["key", "operator"],
  ),
  [`${CORE}ObjectReference`]: obj("ObjectReference points at another object by kind, namespace and name.", {
    apiVersion: str("API version of the referent."),
    kind: str("Kind of the referent."),
    name: str("Name of the referent."),
    namespace: str("Namespace of the referent."),
    uid: str("UID of the referent."),
    resourceVersion: str("The referent's resourceVersion, if it names a specific version."),
    fieldPath: str("A part of the object rather than the whole, e.g. spec.containers{web}."),
  }),
  [`${META}Status`]: kind(
    { group: "", kind: "Status", version: "v1" },
    "Status is what the API server answers when a call does not return an object: every error, and some successes.",
    {
      metadata: ref(`${META}ListMeta`, "Standard list metadata."),
      status: oneOf(["Success", "Failure"], "Success or Failure."),
      message: str("A human-readable description of the status.", "the game's reason follows the API server's words."),
      reason: str("A machine-readable reason: Forbidden, NotFound, Invalid, Conflict, TooManyRequests, ServiceUnavailable … Empty when there is none."),
      details: ref(`${META}StatusDetails`, "More about the reason; its kind and name, and for Invalid the causes."),
      code: int32("The HTTP status code, for convenience."),
    },
  ),
  [`${META}StatusDetails`]: obj("StatusDetails names the object a status is about and what was wrong with it.", {
    name: str("The name of the object."),
    group: str("The group of the object's kind."),
    kind: str("The kind of the object."),
    uid: str("The UID of the object."),
    causes: list(`${META}StatusCause`, "For Invalid: one entry per field that is wrong."),
    retryAfterSeconds: int32("How long to wait before trying again, if the server says."),
  }),
  [`${META}StatusCause`]: obj("One thing wrong with a request.", {
    reason: str("Machine-readable: FieldValueInvalid, FieldValueRequired, FieldValueNotSupported …"),
    message: str("What is wrong, in words."),
    field: str("The field it is about, e.g. spec.template.spec.containers[0].image."),
  }),
};
