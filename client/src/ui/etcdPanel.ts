/**
 * The etcd panel (the middle pane under the map, for every player, spectator and watcher): etcd's
 * members, one per control-plane node, up or down; its quorum (k of n up, and the majority it
 * needs); the store's revision; the last keys written. On quorum loss it says plainly what that
 * means: writes refused, reads still answered from the API server's cache, pods still serving.
 */
import { hasQuorum, majorityOf } from "../../../shared/sim/world/quorum.ts";
import { esc } from "./dom.ts";
import type { State } from "./panels/common.ts";

/** Writes the panel lists, newest first. */
const WRITES_SHOWN = 12;

/** The members, their quorum and what it means, as one block of the panel. */
export function quorumBlock(members: ReadonlyMap<string, boolean> | undefined): string {
  const all = [...(members ?? new Map<string, boolean>()).entries()];
  if (all.length === 0) return "";
  const up = all.filter(([, running]) => running).length;
  const needs = majorityOf(all.length);
  const chips = all.map(([name, running]) => `<span class="member ${running ? "up" : "down"}">${esc(name)} ${running ? "up" : "down"}</span>`).join(" ");
  if (hasQuorum(up, all.length)) {
    return `<div class="members">${chips}</div><div class="quorum ok" data-quorum="yes">quorum: ${up} of ${all.length} members up · needs a majority: ${needs}</div>`;
  }
  return `<div class="members">${chips}</div><div class="quorum bad" data-quorum="no">no quorum: ${up} of ${all.length} members up · needs a majority: ${needs}</div>
    <p class="lost">Every write is refused (503): nothing new can be stored until a majority is back. Reads are still served from the API server's cache, and pods keep serving: application data is NOT stored in etcd.</p>`;
}

export function etcdPanel(s: State): string {
  const writes = [...(s.etcd ?? [])]
    .slice(-WRITES_SHOWN)
    .reverse()
    .map((e) => `<div>${e.revision} ${esc(e.op)} ${esc(e.key)}</div>`)
    .join("");
  return `<b>etcd</b> <span class="muted">the cluster's brain: the key-value store of its state</span>
    ${quorumBlock(s.etcdMembers)}
    <div class="muted etcd-note">revision ${s.revision} · only the API server talks to etcd · requests are never stored here</div>${writes}`;
}
