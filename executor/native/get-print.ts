/**
 * Owns how a native `get` prints what it read, as kubectl's printers do: the object formats as one
 * document (the object, or kubectl's `List` of items each with its mapping's apiVersion and kind)
 * through -o json and yaml (managed fields left out), jsonpath or custom-columns; `-o name` lines; tables;
 * kubectl's words for nothing found and for a failure.
 */
import { printCustomColumns } from "./custom-columns";
import type { Resource } from "./discovery";
import type { GetRequest } from "./get-request";
import { goJson } from "./go-json";
import { runGoTemplate } from "./go-template";
import { goYaml } from "./go-yaml";
import { printJsonPath } from "./jsonpath";
import type { Table } from "./kube-types";
import { type NativeOutput, noOutput } from "./output";
import { NO_FIELD, sortedBy } from "./sort-by";
import { printTable } from "./table-printer";

/** An object read, with the resource it is of. */
export interface Listed {
  r: Resource;
  item: { metadata: { name: string } };
}

/**
 * -o name or an object format of the objects read, of one type or several: kubectl's List, or a
 * name a line (nothing at all when none is found).
 */
export function printObjects(entries: Listed[], request: GetRequest): NativeOutput | undefined {
  if (isDocument(request.output)) return documentOf(entries, request);
  const names = entries.map(({ r, item }) => `${nameOf(r, item.metadata.name)}\n`);
  return { stdout: names.join(""), stderr: "", exitCode: 0 };
}

export function documentOf(entries: Listed[], request: GetRequest) {
  return document(
    {
      apiVersion: "v1",
      items: entries.map(({ r, item }) => ({ ...item, apiVersion: apiVersionOf(r), kind: r.kind })),
      kind: "List",
      metadata: { resourceVersion: "" },
    },
    request,
  );
}

const apiVersionOf = (r: Resource) => (r.group === "" ? r.version : `${r.group}/${r.version}`);

/** The formats that print the objects themselves, as one document. */
type Document = "json" | "yaml" | "jsonpath" | "custom-columns" | "go-template";
export const isDocument = (output: GetRequest["output"]): output is Document =>
  output === "json" ||
  output === "yaml" ||
  output === "jsonpath" ||
  output === "custom-columns" ||
  output === "go-template";

/** -o name and the object formats read objects, not Tables. */
export function asObjects(request: GetRequest): boolean {
  return request.output === "name" || isDocument(request.output);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

function withoutManagedFields(object: unknown): unknown {
  if (!isRecord(object) || !isRecord(object.metadata)) return object;
  const { managedFields: _, ...metadata } = object.metadata;
  return { ...object, metadata };
}

/**
 * kubectl's -o json and -o yaml leave managed fields out, of a list's every item (cli-runtime's
 * OmitManagedFieldsPrinter, unless --show-managed-fields); jsonpath and custom columns see them.
 */
function omitManagedFields(value: unknown): unknown {
  if (isRecord(value) && Array.isArray(value.items))
    return { ...value, items: value.items.map(withoutManagedFields) };
  return withoutManagedFields(value);
}

export function document(value: unknown, request: GetRequest): NativeOutput | undefined {
  const { output, jsonPath, customColumns, goTemplate } = request;
  const stdout =
    output === "json"
      ? goJson(omitManagedFields(value))
      : output === "yaml"
        ? goYaml(omitManagedFields(value))
        : jsonPath
          ? printJsonPath(jsonPath.nodes, value)
          : goTemplate
            ? runGoTemplate(goTemplate.nodes, value)
            : customColumns && printCustomColumns(customColumns.columns, value, request.noHeaders);
  return stdout === undefined ? undefined : { stdout, stderr: "", exitCode: 0 };
}

export function nameOf(r: Resource, name: string): string {
  return `${r.kind.toLowerCase()}${r.group === "" ? "" : `.${r.group}`}/${name}`;
}

/** kubectl's words for nothing found: naming the namespace when every type asked is namespaced. */
export function noneFound(rs: Resource[], request: GetRequest, namespace: string | undefined): NativeOutput {
  // --ignore-not-found: nothing at all.
  if (request.ignoreNotFound) return noOutput();
  const where = rs.every((r) => r.namespaced) && !request.allNamespaces ? ` in ${namespace} namespace.` : "";
  return { stdout: "", stderr: `No resources found${where}\n`, exitCode: 0 };
}

/**
 * Tables as kubectl prints them, the one page of a list ordered first with --sort-by: where none of
 * its rows' objects has the field, kubectl's sorting printer fails, its error is dropped, and nothing
 * is printed but that nothing was found (in `namespace`).
 */
export function printed(
  pages: Table[],
  r: Resource,
  request: GetRequest,
  {
    namespace,
    withNamespace = request.allNamespaces && r.namespaced,
    withKind = request.showKind,
  }: { namespace?: string; withNamespace?: boolean; withKind?: boolean } = {},
): NativeOutput | undefined {
  if (request.sortBy !== undefined) {
    // kubectl asks for one page when sorting (no limit) and orders its rows.
    const [page, ...more] = pages;
    const rows =
      page && more.length === 0 ? sortedBy(page.rows, request.sortBy, (row) => row.object) : undefined;
    if (rows === NO_FIELD) return noneFound([r], request, namespace);
    if (!page || !rows) return undefined;
    pages = [{ ...page, rows }];
  }
  // NAME as `kind.group/name`: asked for (--show-kind), or among several types.
  if (withKind) {
    pages = pages.map((page) => ({
      ...page,
      rows: page.rows.map((row) => ({
        ...row,
        cells: [nameOf(r, String(row.cells[0])), ...row.cells.slice(1)],
      })),
    }));
  }
  const [first] = pages;
  const sameColumns = pages.every(
    (page) => JSON.stringify(page.columnDefinitions) === JSON.stringify(first?.columnDefinitions),
  );
  if (!sameColumns) return undefined;
  const stdout = printTable(pages, {
    wide: request.output === "wide",
    withNamespace,
    labelColumns: request.labelColumns,
    showLabels: request.showLabels,
    noHeaders: request.noHeaders,
  });
  return stdout === undefined ? undefined : { stdout, stderr: "", exitCode: 0 };
}
