/**
 * Owns which `kubectl auth can-i` command lines native reads answer, read from kubectl's own parse
 * of the argv: `VERB TYPE`, `VERB TYPE/NAME` or `VERB /URL`, with -n, -A, -q and --subresource; or
 * `--list` with -n and --no-headers; each flag once. Anything kubectl refuses (a count of arguments
 * other than two, or any with --list; --subresource with a URL; --list with -q, -A or --subresource;
 * --no-headers without it) or a type native reads cannot read as kubectl's mapper does runs kubectl.
 */
import { parseKubectlArgv } from "../policy";
import { RESOURCE_ARG } from "./discovery";

/** One question: may the caller do VERB to a type (or a URL)? */
export type CanIQuestion = {
  verb: string;
  namespace?: string;
  allNamespaces: boolean;
  quiet: boolean;
} & (
  | {
      /** The type as given (what the review names where the cluster serves no such type). */
      type: string;
      name?: string;
      subresource?: string;
    }
  | { url: string }
);

/** --list: every rule the caller has in the namespace. */
export interface CanIList {
  list: true;
  namespace?: string;
  noHeaders: boolean;
}

export type CanIRequest = CanIQuestion | CanIList;

export function readCanIRequest(argv: readonly string[]): CanIRequest | undefined {
  const parsed = parseKubectlArgv(argv);
  if (parsed.path !== "auth can-i" || parsed.issues.length > 0 || parsed.containerCommand !== undefined)
    return undefined;
  const options = {
    allNamespaces: false,
    quiet: false,
    list: false,
    noHeaders: false,
    namespace: undefined as string | undefined,
  };
  const switches = {
    "all-namespaces": "allNamespaces",
    quiet: "quiet",
    list: "list",
    "no-headers": "noHeaders",
  } as const;
  let subresource: string | undefined;
  const seen = new Set<string>();
  for (const { name, value, known } of parsed.flags) {
    if (!known || seen.has(name)) return undefined;
    seen.add(name);
    if (Object.hasOwn(switches, name)) {
      if (value !== undefined && value !== "true" && value !== "false") return undefined;
      options[switches[name as keyof typeof switches]] = value !== "false";
    } else if (name === "namespace" && value) options.namespace = value;
    else if (name === "subresource" && value) subresource = value;
    else return undefined;
  }
  if (options.list) {
    const refused = parsed.positionals.length > 0 || options.quiet || options.allNamespaces || subresource;
    if (refused) return undefined;
    const { namespace, noHeaders } = options;
    return { list: true, noHeaders, ...(namespace !== undefined ? { namespace } : {}) };
  }
  const [verb, target, ...more] = parsed.positionals;
  if (verb === undefined || target === undefined || more.length > 0 || options.noHeaders) return undefined;
  const { namespace, allNamespaces, quiet } = options;
  const common = { verb, allNamespaces, quiet, ...(namespace !== undefined ? { namespace } : {}) };
  if (target.startsWith("/")) return subresource === undefined ? { ...common, url: target } : undefined;
  const slash = target.indexOf("/");
  const type = slash < 0 ? target : target.slice(0, slash);
  const name = slash < 0 ? undefined : target.slice(slash + 1);
  // `*`, or a name kubectl's mapper reads as native reads' discovery does once lowercased.
  if (type !== "*" && !RESOURCE_ARG.test(type.toLowerCase())) return undefined;
  return {
    ...common,
    type,
    ...(name !== undefined ? { name } : {}),
    ...(subresource !== undefined ? { subresource } : {}),
  };
}
