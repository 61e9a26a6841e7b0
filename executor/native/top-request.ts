/**
 * Owns which `kubectl top pod` and `kubectl top node` command lines native reads answer: an optional
 * NAME, and -n, -A, -l (a selector of `key`, `!key`, `key=value`, `key==value` and `key!=value`
 * terms, which kubectl's labels.Parse always accepts), --containers, --sum, --no-headers,
 * --show-capacity and --sort-by=cpu|memory. Everything kubectl would refuse or read differently (a
 * NAME with a selector or -A, --field-selector, any other --sort-by, --use-protocol-buffers, any
 * other flag) runs kubectl.
 */
import { parseKubectlArgv } from "../policy";
import { OBJECT_NAME } from "./discovery";

export interface TopRequest {
  kind: "pod" | "node";
  name?: string;
  namespace?: string;
  allNamespaces: boolean;
  selector?: string;
  containers: boolean;
  sum: boolean;
  noHeaders: boolean;
  showCapacity: boolean;
  sortBy?: "cpu" | "memory";
}

const KEY_NAME = "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?";
const KEY = `([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?${KEY_NAME}`;
const TERM = new RegExp(`^(!?${KEY}|${KEY}(=|==|!=)(${KEY_NAME})?)$`);
const BOOLEANS = {
  "all-namespaces": "allNamespaces",
  containers: "containers",
  sum: "sum",
  "no-headers": "noHeaders",
  "show-capacity": "showCapacity",
} as const;

const isSimpleSelector = (selector: string) =>
  selector.length <= 1024 && selector.split(",").every((term) => TERM.test(term));

export function readTopRequest(argv: readonly string[]): TopRequest | undefined {
  const parsed = parseKubectlArgv(argv);
  if (parsed.path !== "top pod" && parsed.path !== "top node") return undefined;
  if (parsed.issues.length > 0 || parsed.containerCommand !== undefined || parsed.positionals.length > 1)
    return undefined;
  const [name] = parsed.positionals;
  if (name !== undefined && !OBJECT_NAME.test(name)) return undefined;
  const request: TopRequest = {
    kind: parsed.path === "top pod" ? "pod" : "node",
    ...(name !== undefined ? { name } : {}),
    allNamespaces: false,
    containers: false,
    sum: false,
    noHeaders: false,
    showCapacity: false,
  };
  const seen = new Set<string>();
  for (const flag of parsed.flags) {
    if (!flag.known || seen.has(flag.name)) return undefined;
    seen.add(flag.name);
    const { value } = flag;
    if (flag.name in BOOLEANS) {
      if (value !== undefined && value !== "true" && value !== "false") return undefined;
      request[BOOLEANS[flag.name as keyof typeof BOOLEANS]] = value !== "false";
    } else if (flag.name === "namespace" && value) request.namespace = value;
    else if (flag.name === "selector" && value && isSimpleSelector(value)) request.selector = value;
    else if (flag.name === "sort-by" && (value === "cpu" || value === "memory")) request.sortBy = value;
    else return undefined;
  }
  if (name !== undefined && (request.selector !== undefined || request.allNamespaces)) return undefined;
  return request;
}
