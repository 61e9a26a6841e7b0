/**
 * Owns `kubectl api-versions` and `kubectl api-resources` answered natively from discovery read
 * afresh, as kubectl reads it for these commands: every group/version sorted; and each group's
 * preferred version's resources that have verbs, sorted by group (the core group first) and then
 * name, printed in kubectl's columns. `api-resources` takes --no-headers, -o wide|name,
 * --namespaced and --api-group; other flags, and a group serving several versions (kubectl then
 * merges resources across versions), run kubectl.
 */
import { parseKubectlArgv } from "../policy";
import type { KubeFetch } from "./client";
import type { Discovery } from "./discovery";
import type { NativeOutput } from "./output";
import { tabulate } from "./tabwriter";

const ok = (stdout: string): NativeOutput => ({ stdout, stderr: "", exitCode: 0 });
const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export async function nativeApiVersions(
  fetch: KubeFetch,
  discovery: Discovery,
): Promise<NativeOutput | undefined> {
  const groups = await discovery.groups(fetch);
  if (groups === undefined) return undefined;
  const versions = groups.flatMap((g) =>
    g.versions.map((v) => (g.metadata.name ? `${g.metadata.name}/${v.version}` : v.version)),
  );
  return ok(
    versions
      .sort(byteOrder)
      .map((v) => `${v}\n`)
      .join(""),
  );
}

interface ResourcesOptions {
  noHeaders: boolean;
  output: "" | "wide" | "name";
  namespaced?: boolean;
  apiGroup?: string;
}

function readOptions(argv: readonly string[]): ResourcesOptions | undefined {
  const parsed = parseKubectlArgv(argv);
  if (parsed.path !== "api-resources" || parsed.issues.length > 0 || parsed.positionals.length > 0)
    return undefined;
  const options: ResourcesOptions = { noHeaders: false, output: "" };
  const seen = new Set<string>();
  for (const { name, value, known } of parsed.flags) {
    if (!known || seen.has(name)) return undefined;
    seen.add(name);
    if (name === "no-headers" && (value === undefined || value === "true")) options.noHeaders = true;
    else if (name === "namespaced" && (value === "true" || value === "false" || value === undefined)) {
      options.namespaced = value !== "false";
    } else if (name === "api-group" && value !== undefined) options.apiGroup = value;
    else if (name === "output" && (value === "wide" || value === "name")) options.output = value;
    else return undefined;
  }
  return options;
}

export async function nativeApiResources(
  argv: readonly string[],
  fetch: KubeFetch,
  discovery: Discovery,
): Promise<NativeOutput | undefined> {
  const options = readOptions(argv);
  if (options === undefined) return undefined;
  const groups = await discovery.groups(fetch);
  if (groups === undefined || groups.some((g) => g.versions.length !== 1)) return undefined;
  const rows = groups.flatMap((g) => {
    const group = g.metadata.name ?? "";
    const version = g.versions[0];
    if (version === undefined || (options.apiGroup !== undefined && options.apiGroup !== group)) return [];
    const groupVersion = group ? `${group}/${version.version}` : version.version;
    return version.resources
      .filter((r) => (r.verbs?.length ?? 0) > 0)
      .filter((r) => options.namespaced === undefined || (r.scope === "Namespaced") === options.namespaced)
      .map((r) => ({ group, groupVersion, r }));
  });
  rows.sort((a, b) => byteOrder(a.group, b.group) || byteOrder(a.r.resource, b.r.resource));
  if (options.output === "name") {
    return ok(rows.map(({ group, r }) => `${r.resource}${group ? `.${group}` : ""}\n`).join(""));
  }
  const wide = options.output === "wide";
  const header = [
    "NAME",
    "SHORTNAMES",
    "APIVERSION",
    "NAMESPACED",
    "KIND",
    ...(wide ? ["VERBS", "CATEGORIES"] : []),
  ];
  const lines = rows.map(({ groupVersion, r }) => [
    r.resource,
    (r.shortNames ?? []).join(","),
    groupVersion,
    String(r.scope === "Namespaced"),
    r.responseKind?.kind ?? "",
    ...(wide ? [(r.verbs ?? []).join(","), (r.categories ?? []).join(",")] : []),
  ]);
  return ok(tabulate(options.noHeaders ? lines : [header, ...lines]));
}
