/**
 * The requests from outside the crew that a scenario (or the host's chaos panel) can send at the
 * API server, each turned away at a different one of its checks (api/stages.ts): a caller with
 * no credentials (401 at identity), a node's kubelet reaching for another node's pod (403 at
 * permission) and a well-formed, permitted request that cannot be carried out (422 at validation).
 */

export const OUTSIDER_KINDS = ["anonymous", "wrong-node", "impossible"] as const;
export type OutsiderKind = (typeof OUTSIDER_KINDS)[number];

/** The line for the timeline and the event log. */
export function describeOutsider(f: { kind: OutsiderKind; node?: string; deployment?: string }): string {
  switch (f.kind) {
    case "anonymous":
      return `a caller with no credentials tries to scale ${f.deployment ?? "a deployment"} to 0`;
    case "wrong-node":
      return `${f.node ? `${f.node}'s kubelet` : "a node's kubelet"} tries to delete a pod on another node`;
    case "impossible":
      return `a script asks for one ${f.deployment ?? ""}${f.deployment ? " " : ""}pod more than its deployment wants`;
  }
}
