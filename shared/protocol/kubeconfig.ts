/**
 * The kubeconfig a player downloads from the game's kubectl box (and the tests use): one
 * cluster (the room's API), one user (the player's bearer token), one context in the default
 * namespace. Values are written as JSON strings, which YAML reads as double-quoted scalars.
 */

export interface KubeconfigOptions {
  /** The room's API base: https://<host>:<port>/k8s/<PIN>. */
  server: string;
  pin: string;
  token: string;
  /** Who it is for (a nickname, or "host"). */
  user: string;
}

export function kubeconfig(o: KubeconfigOptions): string {
  const q = (s: string) => JSON.stringify(s);
  const cluster = `cluster-crew-${o.pin}`;
  const user = `${o.user}@${cluster}`;
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    `- name: ${q(cluster)}`,
    "  cluster:",
    `    server: ${q(o.server)}`,
    "    # The game makes a new self-signed certificate each time it starts: fine for a classroom",
    "    # game, never for a real cluster.",
    "    insecure-skip-tls-verify: true",
    "users:",
    `- name: ${q(user)}`,
    "  user:",
    `    token: ${q(o.token)}`,
    "contexts:",
    `- name: ${q(cluster)}`,
    "  context:",
    `    cluster: ${q(cluster)}`,
    `    user: ${q(user)}`,
    "    namespace: default",
    `current-context: ${q(cluster)}`,
    "",
  ].join("\n");
}
