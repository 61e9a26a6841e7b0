/**
 * Owns `kubectl explain TYPE[.FIELD…]` answered natively (`--recursive`, `--api-version`, `-o
 * plaintext`): the type resolved as kubectl's mapper resolves it (answered only where one group and
 * version serve it), the field path split off as kubectl splits it (a `TYPE.GROUP` prefix taken as
 * the type), the group-version's OpenAPI v3 document found through /openapi/v3 and printed by
 * explain-template.ts. Documents are kept by their address, which names their content's hash, so an
 * explain reads only the small index again; a cluster without OpenAPI v3 (kubectl falls back to
 * v2), a type several groups or versions serve, or a path kubectl's JSONPath parser would read
 * differently than plain dotted names runs kubectl.
 */
import { Type as t } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { parseKubectlArgv } from "../policy";
import type { KubeFetch } from "./client";
import type { Discovery, Resource } from "./discovery";
import { ExplainError, renderExplain, Unsupported } from "./explain-template";
import { failed, type NativeOutput } from "./output";

export interface ExplainArgs {
  /** The argument as given: TYPE, then dotted field names. */
  path: string;
  recursive: boolean;
  apiVersion?: string;
}

/** A type and field names as plain dotted names; anything else JSONPath would read its own way. */
const DOTTED = /^[A-Za-z][A-Za-z0-9-]*(\.[A-Za-z0-9_-]+)*$/;

export function readExplainRequest(argv: readonly string[]): ExplainArgs | undefined {
  const parsed = parseKubectlArgv(argv);
  if (parsed.path !== "explain" || parsed.issues.length > 0 || parsed.positionals.length !== 1)
    return undefined;
  const [path = ""] = parsed.positionals;
  if (!DOTTED.test(path)) return undefined;
  const request: ExplainArgs = { path, recursive: false };
  const seen = new Set<string>();
  for (const { name, value, known } of parsed.flags) {
    if (!known || seen.has(name)) return undefined;
    seen.add(name);
    if (name === "recursive" && (value === undefined || value === "true" || value === "false"))
      request.recursive = value !== "false";
    else if (name === "api-version" && value) request.apiVersion = value;
    else if (name !== "output" || value !== "plaintext") return undefined;
  }
  return request;
}

/**
 * Parsed OpenAPI v3 documents kept, by address (each address carries its content's hash). A real
 * cluster's core document is a megabyte or two of JSON, several times that parsed, so only the
 * last few group-versions asked about are kept.
 */
const KEPT_DOCUMENTS = 4;

/** /openapi/v3: each group-version's document by its path, at an address naming its hash. */
const checkIndex = TypeCompiler.Compile(
  t.Object({ paths: t.Record(t.String(), t.Object({ serverRelativeURL: t.String() })) }),
);

export class OpenApiDocuments {
  private readonly kept = new Map<string, Record<string, unknown>>();

  /** The document of `path` (`api/v1`, `apis/apps/v1`): null when the cluster lists none; undefined where it cannot be read. */
  async read(fetch: KubeFetch, path: string): Promise<Record<string, unknown> | null | undefined> {
    const response = await fetch("/openapi/v3", "application/json");
    const index: unknown = response.ok ? await response.json() : undefined;
    if (!checkIndex.Check(index)) return undefined;
    const address = index.paths[path]?.serverRelativeURL;
    if (address === undefined) return null;
    const kept = this.kept.get(address);
    if (kept !== undefined) {
      // The most recently asked about goes last, so the oldest is the one dropped.
      this.kept.delete(address);
      this.kept.set(address, kept);
      return kept;
    }
    const read = await fetch(address, "application/json");
    if (!read.ok) return undefined;
    const document: unknown = await read.json();
    if (typeof document !== "object" || document === null || Array.isArray(document)) return undefined;
    const [oldest] = this.kept.keys();
    if (this.kept.size >= KEPT_DOCUMENTS && oldest !== undefined) this.kept.delete(oldest);
    this.kept.set(address, document as Record<string, unknown>);
    return document as Record<string, unknown>;
  }
}

const groupResource = (r: { group: string; resource: string }) =>
  r.group === "" ? r.resource : `${r.resource}.${r.group}`;

/**
 * Which of the resources serving the type explain explains, and the field names it splits off:
 * kubectl's mapper lists them in discovery order (groups, then each group's versions, preferred
 * first); the first whose `resource.group` begins the argument is taken and the rest of the
 * argument parsed again as JSONPath, its first node dropped (after a dot, the dot itself; otherwise
 * the rest of a longer name); with none, the first, and every name after the type. With
 * --api-version, the mapper's one resource (the first, where all serving it share its name; its
 * group and version give way to the option's), and every name after the type.
 */
function chosen(path: string, served: Resource[], apiVersion: boolean): [Resource, string[]] | undefined {
  const names = path.split(".").slice(1);
  // The mapper's one resource is the first in discovery order, and only its name outlives --api-version.
  if (apiVersion)
    return served[0] && served.every((r) => r.resource === served[0]?.resource)
      ? [served[0], names]
      : undefined;
  const match = served.find((r) => path.startsWith(groupResource(r)));
  if (match === undefined) return served[0] && [served[0], names];
  const suffix = path.slice(groupResource(match).length);
  if (suffix === "") return [match, []];
  return [match, suffix.startsWith(".") ? suffix.slice(1).split(".") : suffix.split(".").slice(1)];
}

export async function nativeExplain(
  fetch: KubeFetch,
  discovery: Discovery,
  documents: OpenApiDocuments,
  request: ExplainArgs,
): Promise<NativeOutput | undefined> {
  const [type = ""] = request.path.split(".");
  // The mapper matches a type in lower case; the `resource.group` prefix is looked for as typed.
  const served = await discovery.servedAs(fetch, type.toLowerCase());
  const picked = served && chosen(request.path, served, request.apiVersion !== undefined);
  if (picked === undefined) return undefined;
  const [resolved, fieldPath] = picked;
  let { group, version } = resolved;
  if (request.apiVersion !== undefined) {
    const parts = request.apiVersion.split("/");
    if (parts.length > 2 || parts.some((part) => part === "")) return undefined;
    [group, version] = parts.length === 2 ? (parts as [string, string]) : ["", parts[0] as string];
  }
  const document = await documents.read(fetch, group === "" ? `api/${version}` : `apis/${group}/${version}`);
  if (document === undefined) return undefined;
  if (document === null)
    return failed(`error: couldn't find resource for "${group}/${version}, Resource=${resolved.resource}"\n`);
  try {
    const stdout = renderExplain(document, {
      group,
      version,
      resource: resolved.resource,
      fieldPath,
      recursive: request.recursive,
    });
    return { stdout, stderr: "", exitCode: 0 };
  } catch (error) {
    if (error instanceof ExplainError)
      return { stdout: error.printed, stderr: `${error.message}\n`, exitCode: 1 };
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}
