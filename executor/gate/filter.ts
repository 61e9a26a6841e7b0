/**
 * Owns answering a cluster-wide list or watch with only what the policy allows: items of allowed
 * namespaces (and cluster-scoped items, which have none), or, for a list of namespaces, only the
 * allowed ones. It works on JSON lists, server-side `Table`s (kubectl get asks for those; each row
 * carries its object's metadata) and watch streams (one JSON event a line), so the gate asks the
 * API server for JSON whenever it must filter. Whatever cannot be judged is dropped: a row without
 * its metadata, a line that is not JSON. `remainingItemCount` is removed, since it would count
 * what was filtered out.
 */
import { mapLines } from "./lines";
import type { Filter } from "./rules";

type Keep = (metadata: { namespace?: unknown; name?: unknown } | undefined) => boolean;

interface ObjectLike {
  kind?: unknown;
  metadata?: { namespace?: unknown; name?: unknown; remainingItemCount?: unknown };
  items?: unknown;
  rows?: unknown;
}

export function keeper(filter: Exclude<Filter, "none">, allowed: (namespace: string) => boolean): Keep {
  return filter === "namespaces-by-name"
    ? (metadata) => typeof metadata?.name === "string" && allowed(metadata.name)
    : (metadata) => {
        if (metadata === undefined) return false;
        const ns = metadata.namespace;
        return ns === undefined || ns === "" || (typeof ns === "string" && allowed(ns));
      };
}

function metadataOf(value: unknown): ObjectLike["metadata"] {
  return typeof value === "object" && value !== null ? (value as ObjectLike).metadata : undefined;
}

/** Filters a list or Table in place; false when the body is neither (a Status, say): it passes. */
function filterCollection(body: ObjectLike, keep: Keep): boolean {
  if (body.kind === "Table" && Array.isArray(body.rows)) {
    body.rows = body.rows.filter((row: unknown) => keep(metadataOf((row as { object?: unknown })?.object)));
  } else if (Array.isArray(body.items)) {
    body.items = body.items.filter((item: unknown) => keep(metadataOf(item)));
  } else {
    return false;
  }
  if (body.metadata) delete body.metadata.remainingItemCount;
  return true;
}

/** A whole list response, filtered. */
export function filterListBody(text: string, keep: Keep): string {
  let body: ObjectLike;
  try {
    body = JSON.parse(text) as ObjectLike;
  } catch {
    return "";
  }
  filterCollection(body, keep);
  return JSON.stringify(body);
}

/** One watch event line, filtered: the line to pass on, or undefined to drop it. */
function filterWatchEvent(line: string, keep: Keep): string | undefined {
  let event: { type?: unknown; object?: ObjectLike };
  try {
    event = JSON.parse(line) as typeof event;
  } catch {
    return undefined;
  }
  const object = event.object;
  if (event.type === "ERROR" || event.type === "BOOKMARK" || object?.kind === "Status") return line;
  if (object === undefined) return undefined;
  if (object.kind === "Table") {
    filterCollection(object, keep);
    return Array.isArray(object.rows) && object.rows.length > 0 ? JSON.stringify(event) : undefined;
  }
  return keep(object.metadata) ? line : undefined;
}

/** A watch stream, filtered event by event as it arrives (never buffered whole). */
export function filterWatchStream(keep: Keep): TransformStream<Uint8Array, Uint8Array> {
  return mapLines((line) => filterWatchEvent(line, keep));
}

/**
 * The Accept header to send when the response must be filtered: the JSON entries of kubectl's
 * own (keeping `as=Table` ones), or plain JSON when it asked for nothing else usable.
 */
export function jsonAccept(accept: string | null): string {
  const entries = (accept ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => /^application\/json(;|$)/i.test(entry));
  return entries.length > 0 ? entries.join(",") : "application/json";
}
