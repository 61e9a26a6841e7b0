// Request routing for the Kubernetes API stand-in: discovery, version, read verbs
// (get/list/watch with selectors, paging and Table output), pods/log, and RBAC-style
// 403s for every write, as a read-only identity would see on a real cluster.

import type { LogFeed } from "./logs";
import { manage } from "./managed-fields";
import { openapiV3 } from "./openapi";
import {
  AGGREGATED_V2,
  aggregatedDiscovery,
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  apiVersions,
  findResource,
  groupVersion,
  hasGroupVersion,
  RESOURCES,
  type ResourceType,
  resourceForKind,
} from "./resources";
import { parseFieldSelector, parseLabelSelector, SelectorError } from "./selectors";
import { selfReview, selfReviewKind } from "./self-review";
import { forbidden, jsonResponse, notFound, pathNotFound, statusError } from "./status";
import { formatLabelSelector, type IncludeObject, toTable } from "./tables";
import type { KubeObject, PodView, Scenario, WorkloadView } from "./types";

export interface ApiOptions {
  /** host:port clients reach the server at (legacy discovery's serverAddressByClientCIDRs). */
  serverAddress: string;
  /** The identity named in 403 messages. */
  user: string;
  /** Bearer token expected when a client sends one (kubectl only does over TLS). */
  token: string;
  /** Called for watch responses so the server can drop its idle timeout for them. */
  onStream?: (req: Request) => void;
  /** The containers' logs, and the follows open on them. */
  logs: LogFeed;
}

type Output = { kind: "json" } | { kind: "table"; apiVersion: string } | { kind: "unacceptable" };

/** Picks the first Accept entry the server can produce, like the API server's negotiation. */
export function negotiate(accept: string | null): Output {
  if (!accept) return { kind: "json" };
  for (const entry of accept.split(",")) {
    const [type = "", ...paramParts] = entry.split(";").map((s) => s.trim());
    const params = Object.fromEntries(
      paramParts.map((p) => {
        const [k = "", v = ""] = p.split("=");
        return [k.trim(), v.trim()];
      }),
    );
    if (!["application/json", "application/*", "*/*"].includes(type.toLowerCase())) continue;
    if (params.as === undefined) return { kind: "json" };
    if (
      params.as === "Table" &&
      params.g === "meta.k8s.io" &&
      (params.v === "v1" || params.v === "v1beta1")
    ) {
      return { kind: "table", apiVersion: `meta.k8s.io/${params.v}` };
    }
  }
  return { kind: "unacceptable" };
}

function wantsAggregated(accept: string | null): boolean {
  return (accept ?? "")
    .split(",")
    .some(
      (e) =>
        /g=apidiscovery\.k8s\.io/.test(e) && /v=v2(?!beta)/.test(e) && /as=APIGroupDiscoveryList/.test(e),
    );
}

const READ_METHODS = new Set(["GET", "HEAD"]);
const WRITE_VERB: Record<string, string> = {
  POST: "create",
  PUT: "update",
  PATCH: "patch",
  DELETE: "delete",
};

export interface ApiHandler {
  (req: Request): Response | Promise<Response>;
  /** Edits an object as a controller would, telling the watches open on it. */
  change(
    resource: string,
    namespace: string | undefined,
    name: string,
    mutate: (obj: KubeObject) => void,
  ): void;
  /** How many watches of `resource` were opened so far. */
  watched(resource: string): number;
  /** Resolves once `count` watches of `resource` have been opened in all. */
  watching(resource: string, count: number): Promise<void>;
}

type WatchSend = (type: "ADDED" | "MODIFIED", obj: KubeObject) => void;

export function createApiHandler(scenario: Scenario, opts: ApiOptions): ApiHandler {
  const store = new Map<ResourceType, KubeObject[]>();
  for (const r of RESOURCES) store.set(r, []);
  for (const obj of scenario.objects) {
    const r = resourceForKind(obj.apiVersion, obj.kind);
    if (r) store.get(r)?.push(manage(obj));
  }
  for (const list of store.values()) {
    list.sort(
      (a, b) =>
        (a.metadata.namespace ?? "").localeCompare(b.metadata.namespace ?? "") ||
        a.metadata.name.localeCompare(b.metadata.name),
    );
  }
  let latestRV = String(Math.max(0, ...scenario.objects.map((o) => Number(o.metadata.resourceVersion) || 0)));
  /** The watches open now: each told of every change to an object it matches. */
  const watches = new Set<{ r: ResourceType; matches: (obj: KubeObject) => boolean; send: WatchSend }>();
  /** How many watches of each resource were ever opened, and who waits for a number of them. */
  const openedOf = new Map<string, number>();
  const waiting: { resource: string; count: number; open: () => void }[] = [];
  const opened = (resource: string) => {
    openedOf.set(resource, (openedOf.get(resource) ?? 0) + 1);
    for (const waiter of waiting.filter((w) => (openedOf.get(w.resource) ?? 0) >= w.count)) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.open();
    }
  };
  const watched = (resource: string) => openedOf.get(resource) ?? 0;
  const watching = (resource: string, count: number) =>
    watched(resource) >= count
      ? Promise.resolve()
      : new Promise<void>((open) => waiting.push({ resource, count, open }));

  /**
   * A change to an object while the cluster runs: `mutate` edits it in place, it gets the next
   * resourceVersion, and every open watch it matches gets a MODIFIED event for it.
   */
  const change = (
    resource: string,
    namespace: string | undefined,
    name: string,
    mutate: (obj: KubeObject) => void,
  ) => {
    const r = RESOURCES.find((known) => known.resource === resource);
    const obj =
      r && store.get(r)?.find((o) => o.metadata.name === name && o.metadata.namespace === namespace);
    if (!r || !obj) throw new Error(`no ${resource} ${namespace ?? ""}/${name} to change`);
    mutate(obj);
    latestRV = String(Number(latestRV) + 1);
    obj.metadata.resourceVersion = latestRV;
    for (const watch of watches) if (watch.r === r && watch.matches(obj)) watch.send("MODIFIED", obj);
  };

  // Built on the first request for it: most tests never ask.
  let openapi: ReturnType<typeof openapiV3> | undefined;
  const handle = (req: Request): Response | Promise<Response> => {
    const url = new URL(req.url);
    const auth = req.headers.get("authorization");
    if (auth !== null && auth !== `Bearer ${opts.token}`)
      return statusError(401, "Unauthorized", "Unauthorized");
    // Segments are read decoded, as Go's net/http gives the API server its path (`system%3Adiscovery`).
    const decoded = url.pathname
      .split("/")
      .filter((p) => p !== "")
      .map(decodeSegment);
    const parts = decoded.filter((p) => p !== undefined);
    if (parts.length < decoded.length) return statusError(400, "BadRequest", "malformed path");
    const accept = req.headers.get("accept");
    const [root, second, third] = parts;

    if (["/healthz", "/livez", "/readyz"].includes(url.pathname)) {
      return new Response("ok", { headers: { "content-type": "text/plain; charset=utf-8" } });
    }
    if (url.pathname === "/version" || url.pathname === "/version/")
      return jsonResponse(scenario.serverVersion);
    if (root === "openapi" && second === "v3") {
      openapi ??= openapiV3();
      if (parts.length === 2) return jsonResponse(openapi.root);
      const body = openapi.documents.get(parts.slice(2).join("/"));
      return body === undefined
        ? pathNotFound()
        : new Response(body, { headers: { "content-type": "application/json" } });
    }
    if (root === "api") {
      if (parts.length === 1) {
        return wantsAggregated(accept)
          ? jsonResponse(aggregatedDiscovery(true), 200, AGGREGATED_V2)
          : jsonResponse(apiVersions(opts.serverAddress));
      }
      if (second !== "v1") return pathNotFound();
      if (parts.length === 2) return jsonResponse(apiResourceList("", "v1"));
      return resourceRequest(req, url, "", "v1", parts.slice(2));
    }
    if (root === "apis") {
      if (parts.length === 1) {
        return wantsAggregated(accept)
          ? jsonResponse(aggregatedDiscovery(false), 200, AGGREGATED_V2)
          : jsonResponse(apiGroupList());
      }
      const group = second ?? "";
      if (parts.length === 2) {
        const doc = apiGroupDocument(group);
        return doc ? jsonResponse(doc) : pathNotFound();
      }
      const version = third ?? "";
      const review =
        req.method === "POST" && parts.length === 4 && selfReviewKind(group, version, parts[3] ?? "");
      if (review) return selfReview(req, review, [...store.values()].flat(), opts.user);
      if (!hasGroupVersion(group, version)) return pathNotFound();
      if (parts.length === 3) return jsonResponse(apiResourceList(group, version));
      return resourceRequest(req, url, group, version, parts.slice(3));
    }
    return pathNotFound();
  };

  return Object.assign(handle, { change, watched, watching });

  function resourceRequest(req: Request, url: URL, group: string, version: string, rest: string[]): Response {
    let watch = ["true", "1"].includes(url.searchParams.get("watch") ?? "");
    let segs = rest;
    if (segs[0] === "watch") {
      watch = true;
      segs = segs.slice(1);
    }
    const lookup = (name: string | undefined) => (name ? findResource(group, version, name) : undefined);
    let namespace: string | undefined;
    let r: ResourceType | undefined;
    let name: string | undefined;
    let sub: string | undefined;
    const nsResource = lookup(segs[2]);
    if (segs[0] === "namespaces" && segs.length >= 3 && nsResource?.namespaced) {
      namespace = segs[1];
      r = nsResource;
      [, , , name, sub] = segs;
      if (segs.length > 5) return pathNotFound();
    } else {
      r = lookup(segs[0]);
      [, name, sub] = segs;
      if (!r || segs.length > 3 || (r.namespaced && name !== undefined)) return pathNotFound();
    }
    if (!r) return pathNotFound();
    if (sub !== undefined && !r.subresources.some((s) => s.name === sub)) return pathNotFound();

    if (
      !READ_METHODS.has(req.method) ||
      ["exec", "attach", "portforward", "eviction", "binding"].includes(sub ?? "")
    ) {
      const verb =
        sub && ["exec", "attach", "portforward"].includes(sub)
          ? "create"
          : req.method === "DELETE" && name === undefined
            ? "deletecollection"
            : (WRITE_VERB[req.method] ?? req.method.toLowerCase());
      return forbidden(opts.user, verb, r, { name, namespace, subresource: sub });
    }
    if (sub === "proxy") return forbidden(opts.user, "get", r, { name, namespace, subresource: sub });

    const output = negotiate(req.headers.get("accept"));
    if (output.kind === "unacceptable" && sub !== "log") {
      return statusError(
        406,
        "NotAcceptable",
        `only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf`,
      );
    }
    const all = store.get(r) ?? [];
    if (name !== undefined) {
      const obj = all.find(
        (o) => o.metadata.name === name && (!r.namespaced || o.metadata.namespace === namespace),
      );
      if (!obj) return notFound(r, name);
      if (sub === "log") {
        return opts.logs.read(req, obj as PodView, url.searchParams, (r) => opts.onStream?.(r));
      }
      if (sub === "scale") return jsonResponse(scaleOf(obj as WorkloadView));
      if (watch) return watchResponse(req, url, r, [obj], output, (o) => o === obj);
      return objectResponse(r, [obj], output, { resourceVersion: obj.metadata.resourceVersion }, url);
    }

    let matches: (o: KubeObject) => boolean;
    try {
      const byLabel = parseLabelSelector(url.searchParams.get("labelSelector"));
      const byField = parseFieldSelector(url.searchParams.get("fieldSelector"), r.kind);
      matches = (o) =>
        (namespace === undefined || o.metadata.namespace === namespace) && byLabel(o) && byField(o);
    } catch (e) {
      if (e instanceof SelectorError) return statusError(400, "BadRequest", e.message);
      throw e;
    }
    const selected = all.filter(matches);
    if (watch) return watchResponse(req, url, r, selected, output, matches);

    const listMeta: Record<string, unknown> = { resourceVersion: latestRV };
    const limit = Number(url.searchParams.get("limit") ?? "0");
    const token = url.searchParams.get("continue");
    let start = 0;
    if (token) {
      const decoded = decodeContinue(token);
      if (decoded === undefined) {
        return statusError(
          400,
          "BadRequest",
          "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)",
        );
      }
      start = decoded;
    }
    let page = selected.slice(start);
    if (limit > 0 && page.length > limit) {
      page = page.slice(0, limit);
      listMeta.continue = Buffer.from(
        JSON.stringify({ v: "meta.k8s.io/v1", rv: latestRV, start: start + limit }),
      ).toString("base64");
      listMeta.remainingItemCount = selected.length - start - limit;
    }
    return objectResponse(r, page, output, listMeta, url, true);
  }

  function objectResponse(
    r: ResourceType,
    objects: KubeObject[],
    output: Output,
    listMeta: Record<string, unknown>,
    url: URL,
    isList = false,
  ): Response {
    if (output.kind === "table") {
      const include = (url.searchParams.get("includeObject") ?? "Metadata") as IncludeObject;
      return jsonResponse(
        toTable(r.kind, objects, {
          apiVersion: output.apiVersion,
          includeObject: include,
          listMeta,
          now: Date.now(),
        }),
      );
    }
    if (!isList) return jsonResponse(objects[0]);
    // Like the real server, items of a typed list carry no apiVersion/kind of their own.
    const items = objects.map(({ apiVersion: _a, kind: _k, ...rest }) => rest);
    return jsonResponse({ kind: r.listKind, apiVersion: groupVersion(r), metadata: listMeta, items });
  }

  /**
   * A watch: the initial ADDED events when no resourceVersion (or "0") is given, then a MODIFIED
   * event for each change a test makes to an object it matches (`change`), until timeoutSeconds
   * elapse or the client goes away. As Tables, only the watch's first event carries the columns.
   */
  function watchResponse(
    req: Request,
    url: URL,
    r: ResourceType,
    objects: KubeObject[],
    output: Output,
    matches: (obj: KubeObject) => boolean,
  ): Response {
    const rv = url.searchParams.get("resourceVersion");
    const initial = !rv || rv === "0" || url.searchParams.get("sendInitialEvents") === "true";
    const timeoutSeconds = Number(url.searchParams.get("timeoutSeconds") ?? "1800");
    opts.onStream?.(req);
    const encoder = new TextEncoder();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let sent = 0;
    const eventOf = (type: string, obj: KubeObject) => {
      const object =
        output.kind === "table"
          ? {
              ...toTable(r.kind, [obj], {
                apiVersion: output.apiVersion,
                includeObject: (url.searchParams.get("includeObject") ?? "Metadata") as IncludeObject,
                listMeta: { resourceVersion: obj.metadata.resourceVersion },
                now: Date.now(),
              }),
              ...(sent > 0 ? { columnDefinitions: [] } : {}),
            }
          : obj;
      sent += 1;
      return encoder.encode(`${JSON.stringify({ type, object })}\n`);
    };
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const watcher = {
          r,
          matches,
          send: (type: string, obj: KubeObject) => controller.enqueue(eventOf(type, obj)),
        };
        const close = () => {
          watches.delete(watcher);
          if (timer) clearTimeout(timer);
          timer = undefined;
          try {
            controller.close();
          } catch {}
        };
        // A real API server flushes a watch's headers at once; Bun sends them with the first body
        // bytes. kubectl waits for them (an informer stopping while its watch has no headers yet
        // never returns: `rollout status` would hang after printing its answer), so a watch with
        // nothing to send yet starts with a newline, which JSON stream readers skip.
        if (!initial || objects.length === 0) controller.enqueue(encoder.encode("\n"));
        if (initial) for (const obj of objects) controller.enqueue(eventOf("ADDED", obj));
        watches.add(watcher);
        opened(r.resource);
        timer = setTimeout(close, Math.max(0, timeoutSeconds) * 1000);
        req.signal.addEventListener("abort", close);
      },
      cancel() {
        for (const watcher of watches) if (watcher.matches === matches) watches.delete(watcher);
        if (timer) clearTimeout(timer);
      },
    });
    return new Response(body, { headers: { "content-type": "application/json" } });
  }
}

function decodeContinue(token: string): number | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64").toString("utf8")) as { start?: unknown };
    return typeof parsed.start === "number" && parsed.start >= 0 ? parsed.start : undefined;
  } catch {
    return undefined;
  }
}

function scaleOf(w: WorkloadView) {
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: {
      name: w.metadata.name,
      namespace: w.metadata.namespace,
      uid: w.metadata.uid,
      resourceVersion: w.metadata.resourceVersion,
      creationTimestamp: w.metadata.creationTimestamp,
    },
    spec: { replicas: w.spec.replicas ?? 1 },
    status: { replicas: w.status.replicas ?? 0, selector: formatLabelSelector(w.spec.selector) },
  };
}

/** A path segment decoded, or undefined where its escapes are malformed. */
function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
