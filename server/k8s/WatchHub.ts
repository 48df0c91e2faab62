/**
 * One store watch per room and process, shared by every `kubectl --watch` on that room. A watch
 * of the Redis store holds its own connection (a blocking read), so a class of 60 watchers would
 * otherwise hold 60 connections; here it is one, fanned out. The feed keeps its last events so
 * a watcher joining a moment later — kubectl lists, then watches from the list's revision — is
 * served from them; one asking for older history gets a watch of its own from the store, which
 * answers it (or says it is compacted) as before.
 */
import type { ClusterStore, Watch, WatchEvent, WatchHandlers } from "../store/ClusterStore.ts";

/** Recent events a room's feed keeps for watchers joining late (a few seconds of a large cluster's writes). */
export const RECENT_EVENTS = 200;

interface Subscriber {
  prefix: string;
  /** Events after this revision reach the subscriber. */
  from: number;
  handlers: WatchHandlers;
}

interface Feed {
  upstream?: Watch;
  opened: Promise<void>;
  subscribers: Set<Subscriber>;
  /** Every event after this revision is in `recent`. */
  recentFloor: number;
  recent: WatchEvent[];
}

export class WatchHub {
  private readonly feeds = new Map<string, Feed>();

  /** Watches of their own (for old history) open now. */
  private dedicated = 0;

  constructor(private readonly store: ClusterStore) {}

  /** Store watches open now: one per watched room, plus any for old history. */
  get upstreams(): number {
    return this.feeds.size + this.dedicated;
  }

  /** As ClusterStore.watch, served from the room's shared feed where it can be. */
  async watch(room: string, prefix: string, fromRevision: number, handlers: WatchHandlers): Promise<Watch> {
    const sub: Subscriber = { prefix, from: fromRevision, handlers };
    let feed = this.feeds.get(room);
    if (!feed) {
      feed = this.open(room, fromRevision, sub);
      await feed.opened;
      return this.closer(room, feed, sub);
    }
    const opened = await feed.opened.then(
      () => true,
      () => false,
    );
    if (!opened || this.feeds.get(room) !== feed || fromRevision < feed.recentFloor) return this.own(room, prefix, fromRevision, handlers);
    for (const e of feed.recent) if (e.revision > fromRevision && e.key.startsWith(prefix)) handlers.onEvent(e);
    feed.subscribers.add(sub);
    return this.closer(room, feed, sub);
  }

  /** Opens a room's feed from `from`, with its first subscriber (the store may deliver history at once). */
  private open(room: string, from: number, first: Subscriber): Feed {
    const feed: Feed = { opened: Promise.resolve(), subscribers: new Set([first]), recentFloor: from, recent: [] };
    this.feeds.set(room, feed);
    feed.opened = this.store
      .watch(room, "", from, {
        onEvent: (e) => {
          feed.recent.push(e);
          if (feed.recent.length > RECENT_EVENTS) feed.recentFloor = feed.recent.shift()!.revision;
          for (const s of feed.subscribers) if (e.revision > s.from && e.key.startsWith(s.prefix)) s.handlers.onEvent(e);
        },
        onError: (err) => {
          if (this.feeds.get(room) === feed) this.feeds.delete(room);
          const subscribers = [...feed.subscribers];
          feed.subscribers.clear();
          for (const s of subscribers) s.handlers.onError(err);
        },
      })
      .then(
        (w) => {
          feed.upstream = w;
          // Every watcher left (or the feed failed) while it was opening.
          if (feed.subscribers.size === 0) this.close(room, feed);
        },
        (err) => {
          if (this.feeds.get(room) === feed) this.feeds.delete(room);
          throw err;
        },
      );
    return feed;
  }

  /** A watch of its own for history the feed no longer holds. */
  private async own(room: string, prefix: string, from: number, handlers: WatchHandlers): Promise<Watch> {
    const w = await this.store.watch(room, prefix, from, handlers);
    this.dedicated++;
    let open = true;
    return {
      close: () => {
        if (open) this.dedicated--;
        open = false;
        w.close();
      },
    };
  }

  private closer(room: string, feed: Feed, sub: Subscriber): Watch {
    return {
      close: () => {
        feed.subscribers.delete(sub);
        if (feed.subscribers.size === 0) this.close(room, feed);
      },
    };
  }

  private close(room: string, feed: Feed): void {
    if (this.feeds.get(room) === feed) this.feeds.delete(room);
    feed.upstream?.close();
  }
}
