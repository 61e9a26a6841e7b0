/**
 * Owns reading a Kubernetes API request into its parts, the way the API server's own request-info
 * parser does: `/api/v1/...` is the core group, `/apis/GROUP/VERSION/...` the others, an optional
 * `watch/` prefix, `namespaces/NS/RESOURCE[/NAME[/SUBRESOURCE]]` or `RESOURCE[/NAME[/SUBRESOURCE]]`,
 * where `namespaces/NS/status` and `namespaces/NS/finalize` are subresources of the namespace itself.
 * Everything the gate decides is decided on this parse, and what it forwards is rebuilt from the
 * same path it parsed, so the two cannot differ. A path that cannot be read is `malformed`.
 */

export type ApiRequest =
  | { kind: "version" | "discovery" | "openapi"; method: string; path: string }
  | { kind: "malformed" | "non-resource"; method: string; path: string }
  | ResourceRequest;

export interface ResourceRequest {
  kind: "resource";
  method: string;
  /** The path as forwarded, with its query. */
  path: string;
  group: string;
  version: string;
  /** The plural resource, lowercased by the API server's rules (names are case-sensitive). */
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** A list or watch of a collection, rather than one named object. */
  collection: boolean;
  watch: boolean;
}

// The namespace's own subresources; anything else after namespaces/NS is a namespaced resource.
const NAMESPACE_SUBRESOURCES = new Set(["status", "finalize"]);
const SEGMENT = /^[A-Za-z0-9._:~@-]+$/;
// API versions as the API server names them: v1, v2beta1, v1alpha3.
const VERSION = /^v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?$/;

function decode(segment: string): string | undefined {
  try {
    const value = decodeURIComponent(segment);
    // An encoded '/' or a dot segment would make the parse and the API server's reading differ.
    return SEGMENT.test(value) && value !== "." && value !== ".." ? value : undefined;
  } catch {
    return undefined;
  }
}

function isWatchQuery(query: URLSearchParams): boolean {
  const value = query.get("watch");
  return value === "true" || value === "1";
}

export function parseApiRequest(method: string, url: URL): ApiRequest {
  const path = url.pathname + url.search;
  const raw = url.pathname.split("/").slice(1);
  if (raw.at(-1) === "") raw.pop();
  const parts: string[] = [];
  for (const segment of raw) {
    const value = decode(segment);
    if (value === undefined) return { kind: "malformed", method, path };
    parts.push(value);
  }
  const [root, ...rest] = parts;
  if (root === "version" && rest.length === 0) return { kind: "version", method, path };
  if (root === "openapi" && (rest[0] === "v2" || rest[0] === "v3")) return { kind: "openapi", method, path };
  let group: string;
  let version: string | undefined;
  let tail: string[];
  if (root === "api") {
    group = "";
    [version, ...tail] = rest;
  } else if (root === "apis") {
    const [first, second, ...others] = rest;
    if (first === undefined || second === undefined) return { kind: "discovery", method, path };
    group = first;
    version = second;
    tail = others;
  } else {
    return { kind: "non-resource", method, path };
  }
  if (version !== undefined && !VERSION.test(version)) return { kind: "malformed", method, path };
  if (version === undefined || tail.length === 0) return { kind: "discovery", method, path };

  let watch = isWatchQuery(url.searchParams);
  if (tail[0] === "watch") {
    watch = true;
    tail = tail.slice(1);
  }
  let namespace: string | undefined;
  if (tail[0] === "namespaces" && tail.length >= 2) {
    const ns = tail[1] as string;
    const next = tail[2];
    if (next === undefined || (NAMESPACE_SUBRESOURCES.has(next) && tail.length === 3)) {
      // The namespace object itself: namespaces/NS or namespaces/NS/status.
      tail = ["namespaces", ns, ...tail.slice(2)];
    } else {
      namespace = ns;
      tail = tail.slice(2);
    }
  }
  const [resource, name, subresource, ...extra] = tail;
  if (resource === undefined || extra.length > 0) return { kind: "malformed", method, path };
  return {
    kind: "resource",
    method,
    path,
    group,
    version,
    resource: resource.toLowerCase(),
    ...(subresource === undefined ? {} : { subresource }),
    ...(namespace === undefined ? {} : { namespace }),
    ...(name === undefined ? {} : { name }),
    collection: name === undefined,
    watch,
  };
}
