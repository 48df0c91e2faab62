/**
 * The pieces every conversion to Kubernetes' shapes shares: an object's JSON and metadata, game
 * time as wall-clock timestamps and kubectl's ages, quantities, the server's version and the
 * machine network's addresses.
 */
import type { NodeObject, ObjectMeta } from "../../shared/sim/objects/types.ts";

/** A Kubernetes object as JSON. */
export type KubeObject = { kind: string; apiVersion: string; metadata: KubeMeta } & Record<string, unknown>;

export interface KubeMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  [k: string]: unknown;
}

/** Turns game time into wall-clock timestamps: game time `now` is the wall-clock instant `wallNow`. */
export class GameClock {
  constructor(
    readonly gameNow: number,
    readonly wallNow: number,
  ) {}

  /** The wall-clock instant of a game time, ms. */
  wall(gameMs: number): number {
    return this.wallNow - (this.gameNow - gameMs);
  }

  /** RFC 3339 to the second, as Kubernetes writes timestamps. */
  iso(gameMs: number): string {
    return new Date(Math.floor(this.wall(gameMs) / 1000) * 1000).toISOString().replace(".000Z", "Z");
  }

  /** How long ago a game time was, as kubectl prints ages (5s, 3m20s, 2h…). */
  age(gameMs: number): string {
    return humanDuration(this.gameNow - gameMs);
  }
}

/**
 * Where game time sits on the wall clock, to the whole second, held steady: a timestamp printed
 * twice (a log line, an event) reads the same both times. Game time runs at the wall's pace but
 * stops while a game is paused and moves in ticks, so the anchor moves only once the two have
 * drifted more than a second apart (after a pause), keeping kubectl's ages true.
 */
export class WallAnchor {
  private offset: number | undefined;

  /** The wall-clock instant, ms, that game time `gameNow` is printed as. */
  wallNow(gameNow: number, now = Date.now()): number {
    const drift = now - gameNow;
    if (this.offset === undefined || Math.abs(drift - this.offset) > 1000) this.offset = Math.round(drift / 1000) * 1000;
    return gameNow + this.offset;
  }
}

/** kubectl's HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

/** Millicores as a Kubernetes quantity: 250m, 2. */
export const cpuQuantity = (milli: number) => (milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`);
/** MiB as a Kubernetes quantity: 128Mi, 4Gi. */
export const memoryQuantity = (mib: number) => (mib % 1024 === 0 && mib > 0 ? `${mib / 1024}Gi` : `${mib}Mi`);

/** The port every game container listens on (services forward their port to it). */
export const CONTAINER_PORT = 8080;
/** The Kubernetes version the game's API answers as (kubectl's own version skew rules apply). */
export const SERVER_VERSION = { major: "1", minor: "20", gitVersion: "v1.20.0+cluster-crew" };

/** A node's address on the game's machine network, from its pod range's index. */
export const nodeIP = (node: NodeObject) => `10.0.0.${10 + node.status.podCidrIndex}`;

export function meta(m: ObjectMeta, clock: GameClock, extra: Record<string, unknown> = {}): KubeMeta {
  return {
    name: m.name,
    ...(m.namespace ? { namespace: m.namespace } : {}),
    uid: m.uid,
    resourceVersion: String(m.resourceVersion),
    creationTimestamp: clock.iso(m.creationTimestamp),
    ...(m.labels ? { labels: { ...m.labels } } : {}),
    ...(m.annotations ? { annotations: { ...m.annotations } } : {}),
    ...extra,
  };
}
