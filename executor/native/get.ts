/**
 * Owns answering `kubectl get` natively: which resources a command names (a type, several, or a
 * category: `all`, or any a resource lists), and the same requests kubectl makes for them (a Table
 * for the human formats, JSON for -o name and the object formats, pages of 500 (--chunk-size) followed by
 * `continue`, each name asked in turn),
 * with kubectl's messages for errors (server-error.ts); get-print.ts prints what they read. Where
 * kubectl would print something this does not model (a Status of a reason kubectl does not know, an
 * unexpected response), it answers undefined and the command runs kubectl.
 */
import type { KubeFetch } from "./client";
import { type Discovery, isMissing, type Missing, type Resource } from "./discovery";
import {
  asObjects,
  document,
  documentOf,
  isDocument,
  type Listed,
  noneFound,
  printed,
  printObjects,
} from "./get-print";
import type { GetRequest } from "./get-request";
import { checkNamedObject, checkObjectList, checkTable, type Table } from "./kube-types";
import { failed, type NativeOutput, noOutput } from "./output";
import { listContext, serverError } from "./server-error";
import { NO_FIELD, noFieldError, sortedBy } from "./sort-by";

export const TABLE_ACCEPT =
  "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
const MAX_PAGES = 1_000;
export const DEFAULT_NAMESPACE = "default";

function basePath(r: Resource): string {
  return r.group === "" ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
}

export function collectionPath(r: Resource, namespace: string | undefined): string {
  const ns = r.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  return `${basePath(r)}${ns}/${r.resource}`;
}

/** One named object as the server answered: its body, or kubectl's error line for it and whether that is NotFound (the object's or its namespace's). */
type Fetched = { body: unknown } | { error: string; notFound: boolean };

export async function fetchNamed(
  fetch: KubeFetch,
  r: Resource,
  request: GetRequest,
  namespace: string | undefined,
  name: string,
): Promise<Fetched | undefined> {
  const accept = asObjects(request) ? "application/json" : TABLE_ACCEPT;
  const include = withObjects(request) ? "?includeObject=Object" : "";
  const response = await fetch(
    `${collectionPath(r, namespace)}/${encodeURIComponent(name)}${include}`,
    accept,
  );
  let error: string | undefined;
  if (response.status === 404 && r.namespaced && namespace !== undefined) {
    // kubectl then asks whether the namespace exists, and if not, says that instead.
    const missing = await serverError(response);
    const ns = await fetch(`/api/v1/namespaces/${encodeURIComponent(namespace)}`, TABLE_ACCEPT);
    error = ns.ok ? missing : ns.status === 404 ? await serverError(ns) : undefined;
  } else if (!response.ok) error = await serverError(response);
  else return { body: await response.json() };
  return error === undefined ? undefined : { error, notFound: response.status === 404 };
}

/**
 * `get TYPE NAME…`: each name asked in turn, as kubectl's builder does, what was found printed (one
 * name as the object itself, several as a List or one table) and each error after it.
 */
async function getNamed(
  fetch: KubeFetch,
  r: Resource,
  request: GetRequest,
  namespace: string | undefined,
): Promise<NativeOutput | undefined> {
  const found: unknown[] = [];
  let errors = "";
  for (const name of request.names) {
    const fetched = await fetchNamed(fetch, r, request, namespace, name);
    if (fetched === undefined) return undefined;
    // --ignore-not-found: a missing object (or namespace) is left out without a word.
    if ("error" in fetched) errors += request.ignoreNotFound && fetched.notFound ? "" : fetched.error;
    else found.push(fetched.body);
  }
  const printed =
    found.length === 0 && (request.names.length === 1 || request.ignoreNotFound)
      ? noOutput()
      : request.names.length === 1
        ? printOne(r, request, found[0])
        : printMany(r, request, found);
  return printed && { ...printed, stderr: printed.stderr + errors, exitCode: errors ? 1 : printed.exitCode };
}

function printOne(r: Resource, request: GetRequest, body: unknown): NativeOutput | undefined {
  if (isDocument(request.output)) {
    return checkNamedObject.Check(body) ? document(body, request) : undefined;
  }
  if (request.output === "name") {
    return checkNamedObject.Check(body) ? printObjects([{ r, item: body }], request) : undefined;
  }
  // One object named is printed as it is: kubectl sorts nothing then, whatever the field.
  const { sortBy: _, ...unsorted } = request;
  return checkTable.Check(body) ? printed([body], r, unsorted) : undefined;
}

/** Several names: the objects found, as kubectl prints a list of them (nothing said when none is). */
function printMany(r: Resource, request: GetRequest, bodies: unknown[]): NativeOutput | undefined {
  // kubectl sorts each name's one-row table apart, but a List of objects across names: not modelled.
  if (request.sortBy !== undefined) return undefined;
  if (asObjects(request)) {
    const items = bodies.filter((body) => checkNamedObject.Check(body));
    if (items.length !== bodies.length) return undefined;
    return printObjects(
      items.map((item) => ({ r, item })),
      request,
    );
  }
  const tables = bodies.filter((body): body is Table => checkTable.Check(body));
  if (tables.length !== bodies.length) return undefined;
  return tables.length === 0 ? noOutput() : printed(tables, r, request);
}

/** A Table for --sort-by carries each row's object, which the order is read from. */
function withObjects(request: GetRequest): boolean {
  return request.sortBy !== undefined && !asObjects(request);
}

/** A list's pages as kubectl asks for them (--chunk-size a page, or whole when sorting), or its error line. */
export async function listPages(
  fetch: KubeFetch,
  r: Resource,
  request: GetRequest,
  namespace: string | undefined,
): Promise<{ pages: unknown[] } | { error: string } | undefined> {
  const accept = asObjects(request) ? "application/json" : TABLE_ACCEPT;
  const pages: unknown[] = [];
  let next: string | undefined;
  for (let page = 0; page === 0 || next !== undefined; page++) {
    if (page >= MAX_PAGES) return undefined;
    const query = new URLSearchParams();
    if (request.labelSelector !== undefined) query.set("labelSelector", request.labelSelector);
    if (request.fieldSelector !== undefined) query.set("fieldSelector", request.fieldSelector);
    if (next !== undefined) query.set("continue", next);
    // Sorting, kubectl reads the list whole, and a Table with each row's object.
    if (request.sortBy === undefined && request.chunkSize > 0) query.set("limit", String(request.chunkSize));
    else if (withObjects(request)) query.set("includeObject", "Object");
    const response = await fetch(`${collectionPath(r, namespace)}?${query}`, accept);
    if (!response.ok) {
      const error = await serverError(response, listContext(r, request.labelSelector, request.fieldSelector));
      return error === undefined ? undefined : { error };
    }
    const body = (await response.json()) as { metadata?: { continue?: unknown } };
    pages.push(body);
    next =
      typeof body.metadata?.continue === "string" && body.metadata.continue !== ""
        ? body.metadata.continue
        : undefined;
  }
  return { pages };
}

async function getList(
  fetch: KubeFetch,
  r: Resource,
  request: GetRequest,
  namespace: string | undefined,
): Promise<NativeOutput | undefined> {
  const listed = await listPages(fetch, r, request, namespace);
  if (listed === undefined) return undefined;
  if ("error" in listed) {
    // With -o json, yaml or jsonpath kubectl still prints the (empty) List it was building.
    if (!isDocument(request.output)) return failed(listed.error);
    const empty = documentOf([], request);
    return empty === undefined ? undefined : { ...empty, stderr: listed.error, exitCode: 1 };
  }
  const { pages } = listed;
  if (asObjects(request)) {
    if (!pages.every((page) => checkObjectList.Check(page))) return undefined;
    const listed = pages.flatMap((page) => (checkObjectList.Check(page) ? page.items : []));
    // --ignore-not-found: with nothing found, not even an empty List is printed.
    if (listed.length === 0 && request.ignoreNotFound) return noOutput();
    const items = request.sortBy ? sortedBy(listed, request.sortBy, (item) => item) : listed;
    if (items === NO_FIELD && request.sortBy) return failed(noFieldError(request.sortBy));
    if (items === undefined || items === NO_FIELD) return undefined;
    return printObjects(
      items.map((item) => ({ r, item })),
      request,
    );
  }
  const tables = pages.filter((page): page is Table => checkTable.Check(page));
  if (tables.length !== pages.length) return undefined;
  if (tables.every((table) => table.rows.length === 0)) return noneFound([r], request, namespace);
  return printed(tables, r, request, { namespace });
}

/**
 * `get pods,svc` or `get all`: each type's list in turn, printed as kubectl prints several types (each
 * NAME as `kind.group/name`, one table a type with rows, a blank line before each header after the
 * first), or as one List or name list; a type whose list fails is left out and its error follows.
 */
async function getTypes(
  fetch: KubeFetch,
  rs: Resource[],
  request: GetRequest,
  namespace: string | undefined,
): Promise<NativeOutput | undefined> {
  // Across types, kubectl sorts per type: not modelled.
  if (request.sortBy !== undefined) return undefined;
  // kubectl's builder goes on past a type whose list fails: it prints what the others found, then
  // each failure's error, and exits 1.
  const listed: { r: Resource; pages: unknown[] }[] = [];
  let errors = "";
  for (const r of rs) {
    const result = await listPages(fetch, r, request, namespace);
    if (result === undefined) return undefined;
    if ("error" in result) errors += result.error;
    else listed.push({ r, pages: result.pages });
  }
  const withErrors = (out: NativeOutput | undefined) =>
    out && errors ? { ...out, stderr: out.stderr + errors, exitCode: 1 } : out;
  if (asObjects(request)) {
    const entries: Listed[] = [];
    for (const { r, pages } of listed) {
      for (const page of pages) {
        if (!checkObjectList.Check(page)) return undefined;
        entries.push(...page.items.map((item) => ({ r, item })));
      }
    }
    // Nothing found and something failed: as for one type, only a document is printed (empty);
    // with --ignore-not-found, not even that.
    if (entries.length === 0 && request.ignoreNotFound) return errors ? failed(errors) : noOutput();
    if (entries.length === 0 && errors && !isDocument(request.output)) return failed(errors);
    return withErrors(printObjects(entries, request));
  }
  const printedTables: string[] = [];
  // With -A, kubectl's printer flags are shared between types: once a namespaced type's printer
  // adds the NAMESPACE column, every later type's has it too, cluster-scoped ones (empty) included.
  let withNamespace = false;
  for (const { r, pages } of listed) {
    withNamespace ||= request.allNamespaces && r.namespaced;
    const tables = pages.filter((page): page is Table => checkTable.Check(page));
    if (tables.length !== pages.length) return undefined;
    if (tables.every((table) => table.rows.length === 0)) continue;
    // Names carry their kind where the lists that came back are of more than one type, or asked to.
    const withKind = listed.length > 1 || request.showKind;
    const one = printed(tables, r, request, { namespace, withNamespace, withKind });
    if (one === undefined) return undefined;
    printedTables.push(one.stdout);
  }
  if (printedTables.length === 0) return errors ? failed(errors) : noneFound(rs, request, namespace);
  // The blank line comes with the next table's header: none without headers.
  const stdout = printedTables.join(request.noHeaders ? "" : "\n");
  return withErrors({ stdout, stderr: "", exitCode: 0 });
}

/**
 * The resources a type list names, categories expanded, each once in the order first named (kubectl's
 * builder drops a repeated kind), and whether the list named several types or a category; the first
 * type the cluster has nothing for (kubectl's builder stops at it); undefined if one is not modelled.
 */
export async function resourcesOf(
  fetch: KubeFetch,
  discovery: Discovery,
  type: string,
): Promise<{ resources: Resource[]; several: boolean } | Missing | undefined> {
  const resources: Resource[] = [];
  const names = type.split(",");
  let several = names.length > 1;
  for (const name of names) {
    const named = await discovery.expand(fetch, name);
    if (named === undefined || isMissing(named)) return named;
    several ||= named.category;
    for (const r of named.resources) {
      const same = (known: Resource) =>
        known.group === r.group && known.version === r.version && known.kind === r.kind;
      if (!resources.some(same)) resources.push(r);
    }
  }
  return { resources, several };
}

export async function nativeGet(
  fetch: KubeFetch,
  discovery: Discovery,
  request: GetRequest,
): Promise<NativeOutput | undefined> {
  // -o name, json, yaml, jsonpath and custom-columns ignore -L (custom-columns alone honours
  // --no-headers), and refuse --show-labels.
  if ((request.output === "name" || isDocument(request.output)) && request.showLabels) {
    // kubectl names the printer by the whole -o value: `jsonpath={.items}`, not `jsonpath`.
    const printer = request.jsonPath
      ? `jsonpath=${request.jsonPath.template}`
      : request.goTemplate
        ? request.goTemplate.printer
        : request.customColumns
          ? `custom-columns=${request.customColumns.spec}`
          : request.output;
    return failed(`error: --show-labels option cannot be used with ${printer} printer\n`);
  }
  const named = await resourcesOf(fetch, discovery, request.type);
  if (named === undefined) return undefined;
  if (isMissing(named)) return failed(`error: ${named.missing}\n`);
  const namespace = request.allNamespaces ? undefined : (request.namespace ?? DEFAULT_NAMESPACE);
  if (named.several) {
    // Names with a category are kubectl's (get-request.ts keeps them from `all` and type lists).
    return request.names.length > 0 ? undefined : getTypes(fetch, named.resources, request, namespace);
  }
  const [r] = named.resources;
  if (r === undefined) return undefined;
  if (request.allNamespaces && request.names.length > 0 && r.namespaced) {
    return failed("error: a resource cannot be retrieved by name across all namespaces\n");
  }
  return request.names.length === 0
    ? getList(fetch, r, request, namespace)
    : getNamed(fetch, r, request, namespace);
}
