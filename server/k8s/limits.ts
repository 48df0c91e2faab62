/**
 * What the rooms' Kubernetes API lets each caller use, so one script cannot crowd out a class:
 * a request rate per token (a burst, then a sustained rate; client-go waits and retries a 429
 * that carries Retry-After), a rate of requests without a valid token per client address, and
 * caps on open watches per player, per room and per process. Memory stays bounded whatever
 * callers send: a token gets a rate entry only once it has proved valid, and every table is
 * capped (KeyedLimits) or holds only what is open.
 */
import { KeyedLimits, type KeyedVerdict } from "../limits/KeyedLimits.ts";

/** Requests a player's token may make at once. */
export const TOKEN_BURST = 20;
/** Requests a player's token may make per minute, sustained (10 a second). */
export const TOKEN_REQUESTS_PER_MINUTE = 600;
/** Requests with a missing or unknown token one client address may make at once. */
export const STRANGER_BURST = 20;
/** Requests with a missing or unknown token one client address may make per minute, sustained. */
export const STRANGER_REQUESTS_PER_MINUTE = 60;
/** Watches one player (one token) may hold open at once (kubectl get -w holds one). */
export const MAX_WATCHES_PER_TOKEN = 10;
/** Watches the players of one room may hold open at once, together (a class of 60, two each). */
export const MAX_WATCHES_PER_ROOM = 120;
/** Watches one server process serves at once. */
export const MAX_WATCHES = 2_000;

export type WatchVerdict = { close: () => void } | { refused: string };

export class TokenLimits {
  private readonly tokens = new KeyedLimits({ burst: TOKEN_BURST, perMinute: TOKEN_REQUESTS_PER_MINUTE });
  private readonly strangers = new KeyedLimits({ burst: STRANGER_BURST, perMinute: STRANGER_REQUESTS_PER_MINUTE });
  /** Open watches by token and by room; an entry lives only while a watch is open. */
  private readonly byToken = new Map<string, number>();
  private readonly byRoom = new Map<string, number>();
  private watches = 0;

  /** Whether the token may make another request; a token never seen passes without being remembered. */
  tokenMay(token: string, now = Date.now()): boolean {
    return this.tokens.peek(token, now);
  }

  /** Whether the token has proved valid lately. */
  knows(token: string): boolean {
    return this.tokens.has(token);
  }

  /** Counts one request of a token that proved valid. */
  tokenUsed(token: string, now = Date.now()): KeyedVerdict {
    return this.tokens.take(token, now);
  }

  /** Whether the address may make another request without a valid token. */
  strangerMay(address: string, now = Date.now()): boolean {
    return this.strangers.peek(address, now);
  }

  /** Counts one request without a valid token from the address. */
  strangerTried(address: string, now = Date.now()): KeyedVerdict {
    return this.strangers.take(address, now);
  }

  /** Tokens remembered (each one proved valid). */
  get tokenCount(): number {
    return this.tokens.size;
  }

  /** Opens a watch for the token in `room`, or says which cap refuses it; call close() when it ends. */
  openWatch(token: string, room: string): WatchVerdict {
    if ((this.byToken.get(token) ?? 0) >= MAX_WATCHES_PER_TOKEN)
      return { refused: `at most ${MAX_WATCHES_PER_TOKEN} watches at once per player: stop one first` };
    if ((this.byRoom.get(room) ?? 0) >= MAX_WATCHES_PER_ROOM)
      return { refused: `this game's players hold ${MAX_WATCHES_PER_ROOM} watches, the most one game may: stop one first` };
    if (this.watches >= MAX_WATCHES) return { refused: `the server holds ${MAX_WATCHES} watches, the most it serves: try again later` };
    const add = (m: Map<string, number>, k: string, d: number) => {
      const n = (m.get(k) ?? 0) + d;
      if (n > 0) m.set(k, n);
      else m.delete(k);
    };
    add(this.byToken, token, 1);
    add(this.byRoom, room, 1);
    this.watches++;
    let open = true;
    return {
      close: () => {
        if (!open) return;
        open = false;
        add(this.byToken, token, -1);
        add(this.byRoom, room, -1);
        this.watches--;
      },
    };
  }
}
