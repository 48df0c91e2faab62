/**
 * Objects kubectl sends in Kubernetes' protobuf encoding, read as their JSON. kubectl 1.32's
 * typed clients post protobuf: `kubectl create deployment` a Deployment, `kubectl create service`
 * a Service. The encoding: the magic bytes "k8s\0", then a runtime.Unknown (1: typeMeta {1:
 * apiVersion, 2: kind}, 2: raw), whose raw bytes are the object as k8s.io/api's generated.proto
 * numbers its fields. The table below holds the fields of Deployments, Services and Pods the game
 * reads or kubectl writes; any other field is one the game accepts and ignores, and is skipped.
 * Values at their zero (empty strings, false, 0) are left out, as JSON's omitempty leaves them,
 * except where Kubernetes keeps a set zero (replicas: 0).
 */
import { wireFields, type WireField } from "./protoWire.ts";

type Any = Record<string, any>;

type Scalar = "string" | "int" | "int0" | "bool" | "strings" | "stringMap" | "quantities" | "intOrString" | "time";
/** JSON key and how the field's value reads; "inline" merges a message's fields into its parent (ProbeHandler). */
type Field = [string, Scalar] | [string, "msg" | "msgs" | "inline", () => Msg];
type Msg = Record<number, Field>;

const MAGIC = Buffer.from("k8s\0", "binary");

const OWNER_REFERENCE: Msg = {
  5: ["apiVersion", "string"],
  1: ["kind", "string"],
  3: ["name", "string"],
  4: ["uid", "string"],
  6: ["controller", "bool"],
  7: ["blockOwnerDeletion", "bool"],
};
const OBJECT_META: Msg = {
  1: ["name", "string"],
  2: ["generateName", "string"],
  3: ["namespace", "string"],
  5: ["uid", "string"],
  6: ["resourceVersion", "string"],
  7: ["generation", "int"],
  8: ["creationTimestamp", "time"],
  10: ["deletionGracePeriodSeconds", "int0"],
  11: ["labels", "stringMap"],
  12: ["annotations", "stringMap"],
  13: ["ownerReferences", "msgs", () => OWNER_REFERENCE],
  14: ["finalizers", "strings"],
};
const LABEL_SELECTOR: Msg = {
  1: ["matchLabels", "stringMap"],
  2: ["matchExpressions", "msgs", () => ({ 1: ["key", "string"], 2: ["operator", "string"], 3: ["values", "strings"] })],
};
const PROBE_HANDLER: Msg = {
  1: ["exec", "msg", () => ({ 1: ["command", "strings"] })],
  2: ["httpGet", "msg", () => ({ 1: ["path", "string"], 2: ["port", "intOrString"], 3: ["host", "string"], 4: ["scheme", "string"] })],
  3: ["tcpSocket", "msg", () => ({ 1: ["port", "intOrString"], 2: ["host", "string"] })],
};
const PROBE: Msg = {
  1: ["handler", "inline", () => PROBE_HANDLER],
  2: ["initialDelaySeconds", "int"],
  3: ["timeoutSeconds", "int"],
  4: ["periodSeconds", "int"],
  5: ["successThreshold", "int"],
  6: ["failureThreshold", "int"],
  7: ["terminationGracePeriodSeconds", "int0"],
};
const CONTAINER: Msg = {
  1: ["name", "string"],
  2: ["image", "string"],
  3: ["command", "strings"],
  4: ["args", "strings"],
  5: ["workingDir", "string"],
  6: [
    "ports",
    "msgs",
    () => ({ 1: ["name", "string"], 2: ["hostPort", "int"], 3: ["containerPort", "int"], 4: ["protocol", "string"], 5: ["hostIP", "string"] }),
  ],
  7: ["env", "msgs", () => ({ 1: ["name", "string"], 2: ["value", "string"] })],
  8: ["resources", "msg", () => ({ 1: ["limits", "quantities"], 2: ["requests", "quantities"] })],
  9: ["volumeMounts", "msgs", () => ({ 1: ["name", "string"], 2: ["readOnly", "bool"], 3: ["mountPath", "string"], 4: ["subPath", "string"] })],
  10: ["livenessProbe", "msg", () => PROBE],
  11: ["readinessProbe", "msg", () => PROBE],
  22: ["startupProbe", "msg", () => PROBE],
  13: ["terminationMessagePath", "string"],
  14: ["imagePullPolicy", "string"],
  16: ["stdin", "bool"],
  18: ["tty", "bool"],
  20: ["terminationMessagePolicy", "string"],
};
const TOLERATION: Msg = { 1: ["key", "string"], 2: ["operator", "string"], 3: ["value", "string"], 4: ["effect", "string"], 5: ["tolerationSeconds", "int0"] };
const POD_SPEC: Msg = {
  2: ["containers", "msgs", () => CONTAINER],
  20: ["initContainers", "msgs", () => CONTAINER],
  3: ["restartPolicy", "string"],
  4: ["terminationGracePeriodSeconds", "int0"],
  5: ["activeDeadlineSeconds", "int0"],
  6: ["dnsPolicy", "string"],
  7: ["nodeSelector", "stringMap"],
  8: ["serviceAccountName", "string"],
  9: ["serviceAccount", "string"],
  10: ["nodeName", "string"],
  11: ["hostNetwork", "bool"],
  15: ["imagePullSecrets", "msgs", () => ({ 1: ["name", "string"] })],
  16: ["hostname", "string"],
  17: ["subdomain", "string"],
  19: ["schedulerName", "string"],
  21: ["automountServiceAccountToken", "bool"],
  22: ["tolerations", "msgs", () => TOLERATION],
  24: ["priorityClassName", "string"],
  25: ["priority", "int0"],
};
const POD_TEMPLATE: Msg = { 1: ["metadata", "msg", () => OBJECT_META], 2: ["spec", "msg", () => POD_SPEC] };
const DEPLOYMENT_SPEC: Msg = {
  1: ["replicas", "int0"],
  2: ["selector", "msg", () => LABEL_SELECTOR],
  3: ["template", "msg", () => POD_TEMPLATE],
  4: [
    "strategy",
    "msg",
    () => ({ 1: ["type", "string"], 2: ["rollingUpdate", "msg", () => ({ 1: ["maxUnavailable", "intOrString"], 2: ["maxSurge", "intOrString"] })] }),
  ],
  5: ["minReadySeconds", "int"],
  6: ["revisionHistoryLimit", "int0"],
  7: ["paused", "bool"],
  9: ["progressDeadlineSeconds", "int0"],
};
const SERVICE_PORT: Msg = {
  1: ["name", "string"],
  2: ["protocol", "string"],
  6: ["appProtocol", "string"],
  3: ["port", "int"],
  4: ["targetPort", "intOrString"],
  5: ["nodePort", "int"],
};
const SERVICE_SPEC: Msg = {
  1: ["ports", "msgs", () => SERVICE_PORT],
  2: ["selector", "stringMap"],
  3: ["clusterIP", "string"],
  18: ["clusterIPs", "strings"],
  4: ["type", "string"],
  5: ["externalIPs", "strings"],
  7: ["sessionAffinity", "string"],
  8: ["loadBalancerIP", "string"],
  10: ["externalName", "string"],
  11: ["externalTrafficPolicy", "string"],
  13: ["publishNotReadyAddresses", "bool"],
  17: ["ipFamilyPolicy", "string"],
  19: ["ipFamilies", "strings"],
  20: ["allocateLoadBalancerNodePorts", "bool"],
  22: ["internalTrafficPolicy", "string"],
};
/** The kinds read, by apiVersion/kind; their status (field 3) is never read. */
const KINDS: Record<string, Msg> = {
  "apps/v1/Deployment": { 1: ["metadata", "msg", () => OBJECT_META], 2: ["spec", "msg", () => DEPLOYMENT_SPEC] },
  "v1/Service": { 1: ["metadata", "msg", () => OBJECT_META], 2: ["spec", "msg", () => SERVICE_SPEC] },
  "v1/Pod": { 1: ["metadata", "msg", () => OBJECT_META], 2: ["spec", "msg", () => POD_SPEC] },
};

const text = (v: WireField["value"]) => (v as Buffer).toString("utf8");
const bytes = (f: WireField) => {
  if (f.wire !== 2) throw new Error(`field ${f.n} is not length-delimited`);
  return f.value as Buffer;
};

/** A map entry (1: key, 2: value). */
function entry(f: WireField): [string, Buffer | undefined] {
  const kv = wireFields(bytes(f));
  const value = kv.find((x) => x.n === 2);
  return [text(kv.find((x) => x.n === 1)?.value ?? Buffer.alloc(0)), value && bytes(value)];
}

function intOrString(buf: Buffer): number | string {
  const f = wireFields(buf);
  const type = f.find((x) => x.n === 1)?.value ?? 0;
  return type === 1 ? text(f.find((x) => x.n === 3)?.value ?? Buffer.alloc(0)) : Number(f.find((x) => x.n === 2)?.value ?? 0);
}

/** A metav1.Time (1: seconds); the zero time is an empty message, which JSON writes as null. */
function timeOf(buf: Buffer): string | null {
  const seconds = wireFields(buf).find((x) => x.n === 1)?.value;
  return seconds === undefined ? null : new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");
}

function decode(buf: Buffer, msg: Msg): Any {
  const out: Any = {};
  for (const f of wireFields(buf)) {
    const spec = msg[f.n];
    if (!spec) continue;
    const [key, how] = spec;
    switch (how) {
      case "string":
        if (bytes(f).length) out[key] = text(f.value);
        break;
      case "int":
      case "int0":
        if (f.value !== 0 || how === "int0") out[key] = Number(f.value);
        break;
      case "bool":
        if (f.value === 1) out[key] = true;
        break;
      case "strings":
        (out[key] ??= []).push(text(bytes(f)));
        break;
      case "stringMap": {
        const [k, v] = entry(f);
        (out[key] ??= {})[k] = v ? text(v) : "";
        break;
      }
      case "quantities": {
        const [k, v] = entry(f);
        (out[key] ??= {})[k] = v ? text(wireFields(v).find((x) => x.n === 1)?.value ?? Buffer.alloc(0)) : "0";
        break;
      }
      case "intOrString":
        out[key] = intOrString(bytes(f));
        break;
      case "time":
        out[key] = timeOf(bytes(f));
        break;
      case "msg":
        out[key] = decode(bytes(f), spec[2]!());
        break;
      case "msgs":
        (out[key] ??= []).push(decode(bytes(f), spec[2]!()));
        break;
      case "inline":
        Object.assign(out, decode(bytes(f), spec[2]!()));
        break;
    }
  }
  return out;
}

/** Whether a request body is Kubernetes protobuf (starts with "k8s\0"). */
export const isKubeProtobuf = (body: unknown): body is Buffer => Buffer.isBuffer(body) && body.subarray(0, MAGIC.length).equals(MAGIC);

/** The runtime.Unknown around an object: its apiVersion and kind, and its raw bytes. */
function envelope(body: Buffer): { apiVersion: string; kind: string; raw?: WireField } {
  if (!isKubeProtobuf(body)) throw new Error("not a Kubernetes protobuf message (no k8s\\0 prefix)");
  const unknown = wireFields(body.subarray(MAGIC.length));
  const typeMeta = wireFields(bytes(unknown.find((f) => f.n === 1) ?? { n: 1, wire: 2, value: Buffer.alloc(0) }));
  const apiVersion = text(typeMeta.find((f) => f.n === 1)?.value ?? Buffer.alloc(0));
  const kind = text(typeMeta.find((f) => f.n === 2)?.value ?? Buffer.alloc(0));
  return { apiVersion, kind, raw: unknown.find((f) => f.n === 2) };
}

/** Whether the body is Kubernetes protobuf of a kind read here (its envelope may still be cut short). */
export function isReadableProtobuf(body: unknown): body is Buffer {
  if (!isKubeProtobuf(body)) return false;
  try {
    const { apiVersion, kind } = envelope(body);
    return `${apiVersion}/${kind}` in KINDS;
  } catch {
    return true;
  }
}

/** A protobuf-encoded Deployment, Service or Pod as its JSON; throws, saying why, for anything else. */
export function decodeObject(body: Buffer): Any {
  const { apiVersion, kind, raw } = envelope(body);
  const msg = KINDS[`${apiVersion}/${kind}`];
  if (!msg) throw new Error(`a ${kind || "message"} (${apiVersion || "no apiVersion"}) in protobuf is not read here: send it as JSON`);
  return { apiVersion, kind, ...(raw ? decode(bytes(raw), msg) : {}) };
}
