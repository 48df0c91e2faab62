/**
 * Who held which seat when, read from a game's input log alone: a seat's bot is switched off
 * while a human holds it (a `bot` record), and each request names the player who made it (its
 * actor: the nickname, or "nickname (kubectl)"). From these, a player's *variant* of the game —
 * the same inputs with their seats handed back to the bot whenever they held them — as a list of
 * the records to leave out.
 */
import type { Identity } from "../api/identity.ts";
import type { InputRecord } from "../inputLog.ts";
import { SEAT_ROLES, seatId, type SeatRole } from "../seats.ts";

/** The suffix GameSession adds to the actor of a request made through kubectl. */
export const KUBECTL_ACTOR_SUFFIX = " (kubectl)";
/** The actor of a request a player made through kubectl. */
export const kubectlActor = (nickname: string) => `${nickname}${KUBECTL_ACTOR_SUFFIX}`;

/** A stretch of the game in which a seat's bot was off (a human held it). */
export interface Hold {
  seat: string;
  /** Index of the `bot off` record that began it. */
  start: number;
  /** Index of the `bot on` record that ended it, or the log's length when it lasted to the end. */
  end: number;
  startTick: number;
  /** Players (nicknames) whose requests came from the seat during the hold. */
  actors: Set<string>;
}

/** A player as the debrief knows them: their nickname and the seats they held when the game ended. */
export interface PlayerSeats {
  nickname: string;
  seats: readonly string[];
}

/** A player's variant: which holds go back to the bot, and which records the replay leaves out. */
export interface Variant {
  /** The seats handed back to the bot (for some or all of the game). */
  seats: string[];
  /** Everyone who acted in those seats during those holds (the others' requests there go too). */
  actors: string[];
  /** Indices of the input records left out, ascending: equal lists are the same replay. */
  removed: number[];
}

/** The seat a request came from, or undefined for the cluster admin and the room's own parts. */
export function seatOf(who: Identity): string | undefined {
  if (!(SEAT_ROLES as readonly string[]).includes(who.role)) return undefined;
  const role = who.role as SeatRole;
  if (role === "kubelet" || role === "kube-proxy") return who.node ? seatId(role, who.node) : undefined;
  return seatId(role);
}

/** The player behind an actor (the nickname without the kubectl suffix). */
export function playerOf(actor: string): string {
  return actor.endsWith(KUBECTL_ACTOR_SUFFIX) ? actor.slice(0, -KUBECTL_ACTOR_SUFFIX.length) : actor;
}

/** Every stretch in which a seat's bot was off, in the order they began. */
export function holdsOf(log: readonly InputRecord[]): Hold[] {
  const open = new Map<string, Hold>();
  const out: Hold[] = [];
  log.forEach((rec, i) => {
    if (rec.kind === "bot") {
      const current = open.get(rec.seat);
      if (!rec.on && !current) {
        const hold: Hold = { seat: rec.seat, start: i, end: log.length, startTick: rec.tick, actors: new Set() };
        open.set(rec.seat, hold);
        out.push(hold);
      } else if (rec.on && current) {
        current.end = i;
        open.delete(rec.seat);
      }
    } else if (rec.kind === "request") {
      const seat = seatOf(rec.who);
      if (seat) open.get(seat)?.actors.add(playerOf(rec.actor));
    }
  });
  return out;
}

/**
 * The player's holds: those in which they acted, and — for a seat they still held at the end —
 * those in which nobody acted (a player who sat and watched held it too).
 */
export function holdsOfPlayer(holds: readonly Hold[], player: PlayerSeats): Hold[] {
  return holds.filter((h) => h.actors.has(player.nickname) || (h.actors.size === 0 && player.seats.includes(h.seat)));
}

/** A log read once for every player's variant: its holds, and its requests by seat and by player. */
export interface LogIndex {
  holds: Hold[];
  /** Indices of the requests from each seat, ascending. */
  bySeat: Map<string, number[]>;
  /** Indices of each player's requests (by actor, from any seat or none), ascending. */
  byPlayer: Map<string, number[]>;
}

export function indexLog(log: readonly InputRecord[]): LogIndex {
  const bySeat = new Map<string, number[]>();
  const byPlayer = new Map<string, number[]>();
  const push = (m: Map<string, number[]>, k: string, i: number) => {
    const list = m.get(k);
    if (list) list.push(i);
    else m.set(k, [i]);
  };
  log.forEach((rec, i) => {
    if (rec.kind !== "request") return;
    const seat = seatOf(rec.who);
    if (seat) push(bySeat, seat, i);
    push(byPlayer, playerOf(rec.actor), i);
  });
  return { holds: holdsOf(log), bySeat, byPlayer };
}

/**
 * What makes a player's variant: the holds they take back to the bot and their requests outside
 * them. Players with the same key have the same variant (computing the key is cheap; the variant
 * is not).
 */
export function variantKey(log: readonly InputRecord[], index: LogIndex, player: PlayerSeats): string {
  const mine = holdsOfPlayer(index.holds, player);
  const covered = (i: number) => {
    const rec = log[i];
    const seat = rec.kind === "request" ? seatOf(rec.who) : undefined;
    return mine.some((h) => h.seat === seat && h.start < i && i < h.end);
  };
  const outside = (index.byPlayer.get(player.nickname) ?? []).filter((i) => !covered(i));
  return `${mine.map((h) => h.start).join(",")}|${outside.join(",")}`;
}

/**
 * The records a replay with the bot in the player's seats leaves out: the switches that took
 * those seats from the bot and gave them back, every human request from those seats during those
 * holds, and the player's own requests anywhere else (nicknames are at most 24 characters, so an
 * actor is never clipped).
 */
export function variantOf(log: readonly InputRecord[], index: LogIndex, player: PlayerSeats): Variant {
  const mine = holdsOfPlayer(index.holds, player);
  const removed = new Set<number>(index.byPlayer.get(player.nickname));
  const actors = new Set<string>();
  for (const h of mine) {
    removed.add(h.start);
    if (h.end < log.length) removed.add(h.end);
    for (const a of h.actors) actors.add(a);
    for (const i of index.bySeat.get(h.seat) ?? []) if (h.start < i && i < h.end) removed.add(i);
  }
  return { seats: [...new Set(mine.map((h) => h.seat))], actors: [...actors].sort(), removed: [...removed].sort((a, b) => a - b) };
}

/** The log with the variant's records left out. */
export function variantLog(log: readonly InputRecord[], v: Variant): InputRecord[] {
  const removed = new Set(v.removed);
  return log.filter((_, i) => !removed.has(i));
}
