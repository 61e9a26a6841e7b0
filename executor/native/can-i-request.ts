/**
 * Owns which `kubectl auth can-i` command lines native reads answer, read from kubectl's own parse
 * of the argv: `VERB TYPE`, `VERB TYPE/NAME` or `VERB /URL`, with -n, -A, -q and --subresource,
 * each once. --list, --no-headers and anything kubectl refuses (a count of arguments other than two,
 * --subresource with a URL, a type native reads cannot read as kubectl's mapper does) run kubectl.
 */
import { parseKubectlArgv } from "../policy";
import { RESOURCE_ARG } from "./discovery";

export type CanIRequest = {
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

export function readCanIRequest(argv: readonly string[]): CanIRequest | undefined {
  const parsed = parseKubectlArgv(argv);
  if (parsed.path !== "auth can-i" || parsed.issues.length > 0 || parsed.containerCommand !== undefined)
    return undefined;
  const [verb, target, ...more] = parsed.positionals;
  if (verb === undefined || target === undefined || more.length > 0) return undefined;
  const options = { allNamespaces: false, quiet: false, namespace: undefined as string | undefined };
  let subresource: string | undefined;
  const seen = new Set<string>();
  for (const { name, value, known } of parsed.flags) {
    if (!known || seen.has(name)) return undefined;
    seen.add(name);
    if (name === "all-namespaces" || name === "quiet") {
      if (value !== undefined && value !== "true" && value !== "false") return undefined;
      options[name === "quiet" ? "quiet" : "allNamespaces"] = value !== "false";
    } else if (name === "namespace" && value) options.namespace = value;
    else if (name === "subresource" && value) subresource = value;
    else return undefined;
  }
  const { namespace, ...rest } = options;
  const common = { verb, ...rest, ...(namespace !== undefined ? { namespace } : {}) };
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
