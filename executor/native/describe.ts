/**
 * Owns answering `kubectl describe` natively: which command lines (`describe TYPE NAME`,
 * `TYPE/NAME`, or all of a namespace, of all namespaces or of a selector: -n, -A, -l; several types
 * or a category such as `all`, each type's objects in turn) for the kinds describe-kinds.ts knows
 * (pods, workloads, services, ingresses, nodes, namespaces, quotas, limit ranges, jobs, cron jobs,
 * claims, volumes, storage, priority and ingress classes, config maps, autoscalers, network
 * policies, disruption budgets, service accounts, RBAC roles and bindings) and every kind kubectl
 * describes generically (describe-generic.ts: custom resources, Leases, Events, found through
 * discovery), the resource builder's requests for them (the object, or the list in pages of 500),
 * then each object's describer's reads and printer, one after another, two blank lines between. A
 * name that is not found, given as `TYPE NAME`, is looked for as a prefix of the namespace's
 * objects, as kubectl looks; the builder's errors are kubectl's words for them. An error from a
 * describer, a zone other than UTC, a kind kubectl has its own describer for that native reads
 * lack, and any other flag run kubectl.
 */
import { parseKubectlArgv } from "../policy";
import type { KubeFetch } from "./client";
import { describedItsOwnWay, kindOfResource } from "./describe-generic";
import { CHUNK, eventSearch, JSON_ACCEPT, KINDS, type Kind, MAX_PAGES } from "./describe-kinds";
import {
  type Discovery,
  isMissing,
  type Missing,
  PATH_NAME,
  RESOURCE_ARG,
  type Resource,
  resourceArgs,
} from "./discovery";
import { checkObjectList } from "./kube-types";
import type { NativeOutput } from "./output";
import { listContext, serverError } from "./server-error";

export interface DescribeRequest {
  /**
   * The type as given (one, several as `pods,svc`, or a category), and the kind it names where it is
   * one native describe has a describer of its own for.
   */
  type: string;
  kind?: Kind;
  name?: string;
  /** Named as `TYPE NAME`, two arguments: only then is a name not found looked for as a prefix. */
  byPrefix: boolean;
  namespace?: string;
  allNamespaces: boolean;
  selector?: string;
  /** --show-events, true unless set false: false searches and prints no events. */
  showEvents: boolean;
}

function collection(kind: Kind, namespace: string | undefined): string {
  const { group, version, resource } = kind.resource;
  const base = group === "" ? `/api/${version}` : `/apis/${group}/${version}`;
  return namespace === undefined || !kind.namespaced
    ? `${base}/${resource}`
    : `${base}/namespaces/${encodeURIComponent(namespace)}/${resource}`;
}

/**
 * The kind a type names: by its own name, or qualified as kubectl's builder reads it
 * (`deployment.apps`, `deployments.v1.apps`; resourceArgs) when the group, and the version if given,
 * are the kind's.
 */
function kindFor(type: string): Kind | undefined {
  for (const { name, group, version } of resourceArgs(type)) {
    const kind = Object.hasOwn(KINDS, name) ? KINDS[name] : undefined;
    if (group === undefined) return kind;
    if (kind?.resource.group === group && (version ?? kind.resource.version) === kind.resource.version)
      return kind;
  }
  return undefined;
}

export function readDescribeRequest(argv: readonly string[]): DescribeRequest | undefined {
  const parsed = parseKubectlArgv(argv);
  if (parsed.path !== "describe" || parsed.issues.length > 0) return undefined;
  const [first = "", ...rest] = parsed.positionals;
  const slash = first.indexOf("/");
  const [type = "", name] = slash === -1 ? [first, rest[0]] : [first.slice(0, slash), first.slice(slash + 1)];
  const types = type.split(",");
  if (
    !types.every((t) => RESOURCE_ARG.test(t)) ||
    rest.length > (slash === -1 ? 1 : 0) ||
    (name !== undefined && (!PATH_NAME.test(name) || types.length > 1))
  )
    return undefined;
  const kind = types.length === 1 ? kindFor(type) : undefined;
  const request: DescribeRequest = {
    type,
    ...(kind ? { kind } : {}),
    ...(name !== undefined ? { name } : {}),
    byPrefix: slash === -1,
    allNamespaces: false,
    showEvents: true,
  };
  const seen = new Set<string>();
  for (const { name: flag, value, known } of parsed.flags) {
    if (!known || seen.has(flag)) return undefined;
    seen.add(flag);
    if (flag === "all-namespaces" && (value === undefined || value === "true")) request.allNamespaces = true;
    else if (flag === "namespace" && value) request.namespace = value;
    else if (flag === "selector" && value) request.selector = value;
    else if (flag === "show-events" && (value === undefined || value === "true" || value === "false"))
      request.showEvents = value !== "false";
    else return undefined;
  }
  // kubectl refuses a name with a selector, and reads a name with -A its own way.
  if (name !== undefined && (request.selector !== undefined || request.allNamespaces)) return undefined;
  return request;
}

async function json(fetch: KubeFetch, path: string): Promise<unknown> {
  const response = await fetch(path, JSON_ACCEPT);
  return response.ok ? response.json() : undefined;
}

type Found = { metadata: { name: string; namespace?: string } };
/** What the builder found, or kubectl's error for what it could not read. */
type Builder = { found: Found[]; prefix?: true } | { error: string } | undefined;

/** Every page of a list, as the builder reads it (reworded on error as it rewords). */
async function listed(
  fetch: KubeFetch,
  kind: Kind,
  namespace: string | undefined,
  selector: string | undefined,
): Promise<Builder> {
  const found: Found[] = [];
  let next: string | undefined;
  for (let page = 0; page === 0 || next !== undefined; page++) {
    if (page >= MAX_PAGES) return undefined;
    const query = new URLSearchParams({
      ...(selector !== undefined ? { labelSelector: selector } : {}),
      limit: CHUNK,
      ...(next !== undefined ? { continue: next } : {}),
    });
    const response = await fetch(`${collection(kind, namespace)}?${query}`, JSON_ACCEPT);
    if (!response.ok) {
      const error = await serverError(response, listContext(kind.resource, selector, undefined));
      return error === undefined ? undefined : { error };
    }
    const list = (await response.json()) as { metadata?: { continue?: string } };
    if (!checkObjectList.Check(list)) return undefined;
    found.push(...list.items);
    next = list.metadata?.continue || undefined;
  }
  return { found };
}

/**
 * The object named, read as the builder reads it. One not found, when named as `TYPE NAME`, is
 * looked for as kubectl's DescribeMatchingResources looks: every object of the namespace whose name
 * starts with it, or, when none does, the first error.
 */
async function named(
  fetch: KubeFetch,
  kind: Kind,
  name: string,
  namespace: string,
  byPrefix: boolean,
): Promise<Builder> {
  const response = await fetch(`${collection(kind, namespace)}/${encodeURIComponent(name)}`, JSON_ACCEPT);
  if (response.ok) {
    const object: unknown = await response.json();
    return checkObjectList.Check({ items: [object] }) ? { found: [object as Found] } : undefined;
  }
  const error = await serverError(response);
  if (error === undefined || response.status !== 404 || !byPrefix)
    return error === undefined ? undefined : { error };
  const all = await listed(fetch, kind, namespace, undefined);
  if (all === undefined || "error" in all) return all;
  const matching = all.found.filter((object) => object.metadata.name.startsWith(name));
  return matching.length === 0 ? { error } : { found: matching, prefix: true };
}

const inUtc = () => ["UTC", "Etc/UTC"].includes(Intl.DateTimeFormat().resolvedOptions().timeZone);

/**
 * The kinds a type list names, in order and each once: a type native describe has a describer of its
 * own for, a category's members (expanded as `get` expands one), a kind discovery resolves; `several`
 * when the list names more than one type or a category. One kind kubectl describes its own way that
 * native reads lack is undefined; among several it is listed all the same, and runs kubectl only
 * where it has objects. Missing: the first type the cluster has nothing for.
 */
async function kindsOf(
  fetch: KubeFetch,
  discovery: Discovery,
  type: string,
): Promise<{ kinds: Kind[]; several: boolean } | Missing | undefined> {
  const names = type.split(",");
  const kinds: Kind[] = [];
  const add = (kind: Kind) => {
    const { group, resource } = kind.resource;
    if (!kinds.some((known) => known.resource.group === group && known.resource.resource === resource))
      kinds.push(kind);
  };
  let several = names.length > 1;
  for (const name of names) {
    const own = kindFor(name);
    if (own) {
      add(own);
      continue;
    }
    const named = await discovery.expand(fetch, name);
    if (named === undefined || isMissing(named)) return named;
    several ||= named.category;
    for (const r of named.resources) {
      const kind = ownKind(r);
      if (kind === undefined && !several && describedItsOwnWay(r)) return undefined;
      add(kind ?? kindOfResource(r));
    }
  }
  return { kinds, several };
}

/** The kind of describe-kinds.ts that reads resource `r`, if any. */
function ownKind(r: Resource): Kind | undefined {
  return Object.values(KINDS).find(
    ({ resource }) =>
      resource.group === r.group && resource.version === r.version && resource.resource === r.resource,
  );
}

export async function nativeDescribe(
  fetch: KubeFetch,
  discovery: Discovery,
  request: DescribeRequest,
): Promise<NativeOutput | undefined> {
  if (!inUtc()) return undefined;
  const namespace = request.namespace ?? "default";
  const target = request.kind
    ? { kinds: [request.kind], several: false }
    : await kindsOf(fetch, discovery, request.type);
  if (target === undefined) return undefined;
  if (isMissing(target)) return { stdout: "", stderr: `error: ${target.missing}\n`, exitCode: 1 };
  const { kinds, several } = target;
  // A name with a category is kubectl's to read (readDescribeRequest keeps it from type lists).
  if (several && request.name !== undefined) return undefined;
  const found: { kind: Kind; object: Found }[] = [];
  let byPrefix = false;
  for (const kind of kinds) {
    const builder =
      request.name !== undefined
        ? await named(fetch, kind, request.name, namespace, request.byPrefix)
        : await listed(fetch, kind, request.allNamespaces ? undefined : namespace, request.selector);
    if (builder === undefined) return undefined;
    // Among several types kubectl goes on past a failed list and says so after: not modelled.
    if ("error" in builder) return several ? undefined : { stdout: "", stderr: builder.error, exitCode: 1 };
    byPrefix ||= builder.prefix === true;
    found.push(...builder.found.map((object) => ({ kind, object })));
  }
  if (found.length === 0) {
    const notice = request.allNamespaces
      ? "No resources found\n"
      : `No resources found in ${namespace} namespace.\n`;
    return { stdout: "", stderr: notice, exitCode: 0 };
  }
  const described: string[] = [];
  // One moment for every age printed, so the output is of one instant.
  const now = Date.now();
  const events = eventSearch(fetch, request.showEvents);
  for (const { kind, object } of found) {
    const { name, namespace: objectNamespace = namespace } = object.metadata;
    const read = await json(fetch, `${collection(kind, objectNamespace)}/${encodeURIComponent(name)}`);
    const text = await kind.describe(fetch, read, now, events);
    if (text === undefined) return undefined;
    described.push(text);
  }
  // Objects matched by a prefix are printed each with a line end after it; the others with two blank lines between.
  const stdout = byPrefix ? described.map((text) => `${text}\n`).join("") : described.join("\n\n");
  return { stdout, stderr: "", exitCode: 0 };
}
