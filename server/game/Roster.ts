/**
 * Who a room knows, connected or not, by player key: the secret each player is given when they
 * first join and comes back with — after a drop, a reload or a server restart. A nickname is only
 * the label a member wears. The roster keeps each member's seats and kubectl token so that they
 * get them back, and forgets a member the host kicks: their token stops working and their key is
 * refused from then on.
 */
import { randomUUID } from "node:crypto";
import { nicknameProblem } from "../admission/nicknames.ts";
import type { ApiCaller } from "../k8s/ports.ts";
import type { Player } from "./sessionTypes.ts";

/** What the room remembers of a player. */
export interface Member {
  nickname: string;
  seats: string[];
  /** Their bearer token for the room's Kubernetes API, once issued. */
  apiToken?: string;
}

/** The roster as saved with the game. */
export interface RosterSnapshot {
  /** Everyone the room knows, by player key. */
  members: Record<string, Member>;
  /** Keys of players the host removed. */
  kicked: string[];
}

/** Members one room remembers at most (a workshop is 6–60 people; churn and spectators add some). */
export const MAX_MEMBERS = 300;
/** Kicked keys remembered at most, the oldest forgotten first. */
export const MAX_KICKED = 1_000;

export class Roster {
  private readonly members = new Map<string, Member>();
  /** Player keys by API token. */
  private readonly tokenOwners = new Map<string, string>();
  private readonly kicked = new Set<string>();

  constructor(saved?: RosterSnapshot) {
    for (const [key, m] of Object.entries(saved?.members ?? {})) this.enrol(m.nickname, key, m);
    for (const key of saved?.kicked ?? []) this.kicked.add(key);
  }

  get(key: string): Member | undefined {
    return this.members.get(key);
  }

  get size(): number {
    return this.members.size;
  }

  isKicked(key: string): boolean {
    return this.kicked.has(key);
  }

  /** Adds a member (a fresh key unless one is given); returns the key. */
  enrol(nickname: string, key: string = randomUUID(), was?: Member): string {
    const member: Member = { nickname, seats: [...(was?.seats ?? [])], ...(was?.apiToken ? { apiToken: was.apiToken } : {}) };
    this.members.set(key, member);
    if (member.apiToken) this.tokenOwners.set(member.apiToken, key);
    return key;
  }

  /** "Player 7": a default label no one in the room wears yet (counting from `from` + 1). */
  freeName(from: number): string {
    for (let n = from + 1; ; n++) {
      const name = `Player ${n}`;
      if (!nicknameProblem(name, this.nicknames(), { host: false })) return name;
    }
  }

  /** Every member's nickname but `except`'s. */
  nicknames(except?: string): string[] {
    return [...this.members].filter(([key]) => key !== except).map(([, m]) => m.nickname);
  }

  /** The member's Kubernetes API token, issued on first use (`<PIN>.<random>`). */
  apiToken(key: string, pin: string): string | undefined {
    const m = this.members.get(key);
    if (!m) return undefined;
    if (!m.apiToken) {
      m.apiToken = `${pin}.${randomUUID()}`;
      this.tokenOwners.set(m.apiToken, key);
    }
    return m.apiToken;
  }

  /**
   * Who holds a player's API token: their nickname, the seats they play now (their connection's)
   * or last played, and whether the host lets them apply manifests.
   */
  callerOf(token: string, players: Iterable<Player>, applyGrants: ReadonlySet<string>): ApiCaller | undefined {
    const owner = this.ownerOf(token);
    if (!owner) return undefined;
    const player = [...players].find((p) => p.key === owner.key);
    return { name: owner.member.nickname, host: false, seats: [...(player?.seats ?? owner.member.seats)], mayApply: applyGrants.has(owner.key) };
  }

  /** Whose token this is, or undefined for one the room never issued (or revoked). */
  ownerOf(token: string): { key: string; member: Member } | undefined {
    const key = this.tokenOwners.get(token);
    const member = key === undefined ? undefined : this.members.get(key);
    return key !== undefined && member ? { key, member } : undefined;
  }

  /** Forgets a member for good: seats, token and all; their key is refused from now on. */
  kick(key: string): void {
    const m = this.members.get(key);
    if (m?.apiToken) this.tokenOwners.delete(m.apiToken);
    this.members.delete(key);
    this.kicked.add(key);
    if (this.kicked.size > MAX_KICKED) this.kicked.delete(this.kicked.values().next().value as string);
  }

  snapshot(): RosterSnapshot {
    return {
      members: Object.fromEntries([...this.members].map(([key, m]) => [key, { ...m, seats: [...m.seats] }])),
      kicked: [...this.kicked],
    };
  }
}
