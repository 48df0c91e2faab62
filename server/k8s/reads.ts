/**
 * Reads of the rooms' Kubernetes API: get and list from the store at its revision, filtered by
 * label and field selectors and printed as tables when kubectl asks; and watches, streamed from
 * the store's own watch (one per room, shared: WatchHub) and resumable from a resourceVersion.
 */
import type { Request, Response } from "express";
import { fail } from "../../shared/sim/api/status.ts";
import type { ClusterObject, DeploymentObject } from "../../shared/sim/objects/types.ts";
import { keyOf } from "../../shared/sim/objects/keys.ts";
import type { ApiAuth } from "./ports.ts";
import { StoreCompacted, StoreRoomDropped, type ClusterStore, type StoredObject, type Watch, type WatchEvent } from "../store/ClusterStore.ts";
import { GameClock, scaleOf, toKube, type KubeObject } from "./convert.ts";
import { notFoundOf, prefixOf, sendStatus, statusOf, tableVersion, type Any, type Log, type Target } from "./http.ts";
import type { TokenLimits } from "./limits.ts";
import type { WatchHub } from "./WatchHub.ts";
import { namespaceObject, NAMESPACES, type ResourceDef } from "./resources.ts";
import { matches, parseFieldSelector, parseLabelSelector, SelectorError, type Requirement } from "./selectors.ts";

/** Longest a watch stays open when the client does not say (Kubernetes picks 30–60 minutes). */
const MAX_WATCH_SECONDS = 30 * 60;

interface Selectors {
  labels: Requirement[];
  fields: Requirement[];
}

function selectorsOf(req: Request, def: ResourceDef): Selectors {
  const known = ["metadata.name", "metadata.namespace", ...Object.keys(def.fields)];
  return {
    labels: parseLabelSelector(String(req.query.labelSelector ?? "")),
    fields: parseFieldSelector(String(req.query.fieldSelector ?? ""), known, def.name),
  };
}

function selected(o: KubeObject, def: ResourceDef, s: Selectors): boolean {
  const labels = (o.metadata.labels ?? {}) as Record<string, string>;
  if (!matches(s.labels, (k) => labels[k])) return false;
  return matches(s.fields, (k) => (k === "metadata.name" ? o.metadata.name : k === "metadata.namespace" ? (o.metadata.namespace ?? "") : def.fields[k]?.(o)));
}

function table(def: ResourceDef, version: string, objects: KubeObject[], resourceVersion: string, includeObject: string, withColumns = true): Any {
  const now = Date.now();
  return {
    kind: "Table",
    apiVersion: `meta.k8s.io/${version}`,
    metadata: { resourceVersion },
    columnDefinitions: withColumns ? def.columns : [],
    rows: objects.map((o) => ({
      cells: def.cells(o, now),
      ...(includeObject === "None"
        ? {}
        : { object: includeObject === "Object" ? o : { kind: "PartialObjectMetadata", apiVersion: `meta.k8s.io/${version}`, metadata: o.metadata } }),
    })),
  };
}

export async function read(
  store: ClusterStore,
  limits: TokenLimits,
  hub: WatchHub,
  token: string,
  auth: ApiAuth,
  t: Target,
  clock: GameClock,
  req: Request,
  res: Response,
  log: Log,
): Promise<void> {
  const { def } = t;
  const asTable = tableVersion(req);
  const includeObject = String(req.query.includeObject ?? "Metadata");
  let sel: Selectors;
  try {
    sel = selectorsOf(req, def);
  } catch (err) {
    if (!(err instanceof SelectorError)) throw err;
    log(400, err.message);
    return sendStatus(res, fail("BadRequest", err.message));
  }

  // Namespaces are the game's fixed four, never stored.
  if (!def.stored) {
    const created = clock.iso(0);
    const all = NAMESPACES.map((n) => namespaceObject(n, created));
    if (t.name) {
      const ns = all.find((n) => n.metadata.name === t.name);
      if (!ns) return sendStatus(res, notFoundOf(t, t.name), { name: t.name, kind: def.name });
      return void res.json(asTable ? table(def, asTable, [ns], "1", includeObject) : ns);
    }
    const items = all.filter((o) => selected(o, def, sel));
    return void res.json(
      asTable ? table(def, asTable, items, "1", includeObject) : { kind: "NamespaceList", apiVersion: "v1", metadata: { resourceVersion: "1" }, items },
    );
  }

  if (t.name) {
    const stored = await store.get(auth.store, keyOf(def.stored, t.name, t.namespace));
    if (!stored) {
      log(404, `${def.singularName} ${t.name} not found`);
      return sendStatus(res, notFoundOf(t, t.name), { name: t.name, kind: def.name, ...(def.group ? { group: def.group } : {}) });
    }
    const obj = stored.value as ClusterObject;
    if (t.subresource === "scale" && def.name === "deployments") return void res.json(scaleOf(obj as DeploymentObject, clock));
    if (t.subresource && t.subresource !== "status") return sendStatus(res, fail("NotFound", `${def.name} have no subresource ${t.subresource} in this game`));
    const kube = toKube(obj, clock);
    log(200, `read ${def.singularName} ${t.name}`);
    return void res.json(asTable ? table(def, asTable, [kube], String(stored.modRevision), includeObject) : kube);
  }

  if (req.query.watch === "true" || req.query.watch === "1") {
    const opened = limits.openWatch(token, auth.store);
    if ("refused" in opened) {
      log(429, "too many watches");
      return sendStatus(res, fail("TooManyRequests", opened.refused));
    }
    const { close } = opened;
    res.on("close", close);
    return watch(store, hub, auth, t, clock, req, res, sel, asTable, includeObject, log).catch((err) => {
      close();
      throw err;
    });
  }
  const { items, revision } = await store.list(auth.store, prefixOf(t));
  const objects = items.map((i: StoredObject) => toKube(i.value as ClusterObject, clock)).filter((o) => selected(o, def, sel));
  log(200, `listed ${objects.length} ${def.name}`);
  if (asTable) return void res.json(table(def, asTable, objects, String(revision), includeObject));
  res.json({
    kind: `${def.kind}List`,
    apiVersion: def.group ? `${def.group}/${def.version}` : def.version,
    metadata: { resourceVersion: String(revision) },
    items: objects,
  });
}

/** Each store event as watchers see it, per clock offset (ms): the object, and its JSON line's bytes once written. */
const CONVERTED = new WeakMap<WatchEvent, Map<number, { object: KubeObject; line?: Buffer }>>();

/**
 * A watch: newline-separated events (ADDED, MODIFIED, DELETED) streamed from the store's watch,
 * from the resourceVersion asked for (or, without one, the current objects first). History the
 * store has compacted away is 410 Expired, which tells kubectl to list again.
 */
async function watch(
  store: ClusterStore,
  hub: WatchHub,
  auth: ApiAuth,
  t: Target,
  clock: GameClock,
  req: Request,
  res: Response,
  sel: Selectors,
  asTable: string | undefined,
  includeObject: string,
  log: Log,
): Promise<void> {
  const { def } = t;
  const prefix = prefixOf(t);
  const asked = String(req.query.resourceVersion ?? "");
  let from = Number(asked);
  const initial: KubeObject[] = [];
  if (asked === "" || asked === "0" || !Number.isInteger(from) || from < 0) {
    const { items, revision } = await store.list(auth.store, prefix);
    for (const i of items) initial.push(toKube(i.value as ClusterObject, clock));
    from = revision;
  }
  res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache, private", "Transfer-Encoding": "chunked" });
  res.flushHeaders();
  let first = true;
  const send = (type: string, o: KubeObject | Any) => {
    const object =
      asTable && type !== "ERROR" ? table(def, asTable, [o as KubeObject], String((o as KubeObject).metadata?.resourceVersion ?? ""), includeObject, first) : o;
    first = false;
    res.write(`${JSON.stringify({ type, object })}\n`);
  };
  for (const o of initial) if (selected(o, def, sel)) send("ADDED", o);
  log(200, `watching ${def.name} from revision ${from}`);

  let w: Watch | undefined;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    w?.close();
    res.end();
  };
  const seconds = Math.min(Number(req.query.timeoutSeconds) || MAX_WATCH_SECONDS, MAX_WATCH_SECONDS);
  const timer = setTimeout(end, seconds * 1000);
  req.on("close", end);
  try {
    // Watchers of a room share each event's conversion and JSON line (a class of 60 watching
    // would otherwise convert every event 60 times); their clocks agree to the second.
    const offset = Math.round((clock.wallNow - clock.gameNow) / 1000) * 1000;
    const shared = new GameClock(0, offset);
    w = await hub.watch(auth.store, prefix, from, {
      onEvent: (e) => {
        if (ended || e.value === null || e.value === undefined) return;
        const type = e.type === "delete" ? "DELETED" : e.created ? "ADDED" : "MODIFIED";
        let done = CONVERTED.get(e);
        if (!done) CONVERTED.set(e, (done = new Map()));
        let c = done.get(offset);
        if (!c) {
          const object = toKube(e.value as ClusterObject, shared);
          if (e.type === "delete") object.metadata.resourceVersion = String(e.revision);
          done.set(offset, (c = { object }));
        }
        if (!selected(c.object, def, sel)) return;
        if (asTable) return send(type, c.object);
        // Encoded once for the room's watchers, not once per watcher.
        c.line ??= Buffer.from(`${JSON.stringify({ type, object: c.object })}\n`);
        res.write(c.line);
      },
      onError: (err) => {
        if (ended) return;
        send(
          "ERROR",
          err instanceof StoreRoomDropped
            ? statusOf(410, "Gone", "the game this watch followed is over, or the host started a new scenario: run the command again")
            : statusOf(500, "InternalError", `the watch ended: ${err.message}`),
        );
        end();
      },
    });
    if (ended) w.close();
  } catch (err) {
    if (err instanceof StoreCompacted) send("ERROR", statusOf(410, "Expired", `too old resource version: ${from} (${err.compactedRevision})`));
    else send("ERROR", statusOf(500, "InternalError", `cannot watch: ${(err as Error).message}`));
    end();
  }
}
