/**
 * API discovery: the documents kubectl reads first (/api, /apis, /api/v1, /apis/apps/v1, …) to
 * learn which resources exist, their short names and verbs, and that deployments have a scale
 * subresource served as autoscaling/v1 Scale.
 */
import { SERVER_VERSION } from "./convert.ts";
import { RESOURCES, SUBRESOURCES } from "./resources.ts";
import { METRICS_RESOURCES } from "./metricsApi.ts";

/** Resources that are only ever created, to ask the API server something (kubectl auth can-i). */
export const REVIEWS = [{ group: "authorization.k8s.io", version: "v1", name: "selfsubjectaccessreviews", kind: "SelfSubjectAccessReview" }];

/** The API groups served, besides the core group; each at one version. */
const GROUPS = [...new Set([...RESOURCES, ...REVIEWS, ...METRICS_RESOURCES].filter((r) => r.group !== "").map((r) => `${r.group}/${r.version}`))].map((gv) => {
  const [name, version] = gv.split("/");
  return { name, version };
});

export function versionInfo(): Record<string, string> {
  return {
    ...SERVER_VERSION,
    gitCommit: "0000000000000000000000000000000000000000",
    gitTreeState: "clean",
    buildDate: "2026-11-28T00:00:00Z",
    goVersion: "go1.15.5",
    compiler: "gc",
    platform: "linux/amd64",
  };
}

export function coreVersions(serverAddress: string): Record<string, unknown> {
  return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }] };
}

function groupDoc(name: string, version: string) {
  const gv = { groupVersion: `${name}/${version}`, version };
  return { name, versions: [gv], preferredVersion: gv };
}

export function groupList(): Record<string, unknown> {
  return { kind: "APIGroupList", apiVersion: "v1", groups: GROUPS.map((g) => groupDoc(g.name, g.version)) };
}

/** One group's document (/apis/apps), or undefined when the game does not serve it. */
export function group(name: string): Record<string, unknown> | undefined {
  const g = GROUPS.find((x) => x.name === name);
  return g && { kind: "APIGroup", apiVersion: "v1", ...groupDoc(g.name, g.version) };
}

/** The resources of one group version (/api/v1, /apis/apps/v1), or undefined when not served. */
export function resourceList(group: string, version: string): Record<string, unknown> | undefined {
  const resources = RESOURCES.filter((r) => r.group === group && r.version === version);
  const reviews = REVIEWS.filter((r) => r.group === group && r.version === version);
  const metrics = METRICS_RESOURCES.filter((r) => r.group === group && r.version === version);
  if (resources.length === 0 && reviews.length === 0 && metrics.length === 0) return undefined;
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: group ? `${group}/${version}` : version,
    resources: [
      ...resources.map((r) => ({
        name: r.name,
        singularName: r.singularName,
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: r.verbs,
        ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
        ...(["pods", "services", "deployments"].includes(r.name) ? { categories: ["all"] } : {}),
      })),
      ...reviews.map((r) => ({ name: r.name, singularName: "", namespaced: false, kind: r.kind, verbs: ["create"] })),
      ...metrics.map((r) => ({ name: r.name, singularName: r.singularName, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs })),
      ...SUBRESOURCES.filter((s) => s.group === group && s.version === version).map((s) => ({
        name: s.name,
        singularName: "",
        namespaced: s.namespaced,
        kind: s.kind,
        verbs: s.verbs,
        ...("scaleGroup" in s ? { group: s.scaleGroup, version: s.scaleVersion } : {}),
      })),
    ],
  };
}
