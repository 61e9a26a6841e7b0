/**
 * Owns answering `kubectl top pod` and `kubectl top node` natively, as kubectl v1.32 does it: the
 * metrics API looked for among the server's groups (read afresh, as kubectl's discovery client reads
 * them), the PodMetrics or NodeMetrics listed (or the one named), the nodes' allocatable (or
 * capacity) for the percentages, the items in the order kubectl's sorters give (go-sort.ts), and
 * its TopCmdPrinter's table: CPU as ceil(millicores)`m`, memory as whole MiB, every cell
 * tab-terminated and laid out by Go's tabwriter, `--sum`'s totals under their rule. What kubectl
 * would print from the clock (a pod with no metrics yet, and its age) or from Go's random map order
 * (two nodes without metrics), and a metrics API that is not there, run kubectl.
 */
import type { KubeFetch } from "./client";
import { goSorted } from "./go-sort";
import {
  checkGroupList,
  checkNode,
  checkNodeList,
  checkNodeMetrics,
  checkNodeMetricsList,
  checkPodList,
  checkPodMetrics,
  checkPodMetricsList,
  type Node,
  type NodeMetrics,
  type PodMetrics,
} from "./kube-types";
import type { NativeOutput } from "./output";
import { milliValue, parseQuantity, type Quantity, value } from "./quantity";
import { serverError } from "./server-error";
import { tabwrite } from "./tabwriter";
import type { TopRequest } from "./top-request";

const JSON_ACCEPT = "application/json, */*";
const METRICS = "/apis/metrics.k8s.io/v1beta1";
const MIB = 1024n * 1024n;

type Read<T> = { body: T } | { output: NativeOutput } | undefined;

/** GET `path`: its body if `check` holds, kubectl's error for a Status, else undefined. */
async function read<T>(
  fetch: KubeFetch,
  path: string,
  check: { Check(value: unknown): value is T },
): Promise<Read<T>> {
  const response = await fetch(path, JSON_ACCEPT);
  if (!response.ok) {
    const error = await serverError(response);
    return error === undefined ? undefined : { output: { stdout: "", stderr: error, exitCode: 1 } };
  }
  const body: unknown = await response.json();
  return check.Check(body) ? { body } : undefined;
}

const query = (selector: string | undefined) =>
  selector === undefined ? "" : `?${new URLSearchParams({ labelSelector: selector })}`;

async function metricsApiServed(fetch: KubeFetch): Promise<boolean> {
  const groups = await read(fetch, "/apis", checkGroupList);
  return (
    groups !== undefined &&
    "body" in groups &&
    groups.body.groups.some(
      (g) => g.name === "metrics.k8s.io" && g.versions.some((v) => v.version === "v1beta1"),
    )
  );
}

/** CPU and memory of a usage, or undefined for a quantity not read here. */
function usageOf(usage: { cpu?: string; memory?: string }): { cpu: Quantity; memory: Quantity } | undefined {
  const cpu = parseQuantity(usage.cpu ?? "0");
  const memory = parseQuantity(usage.memory ?? "0");
  return cpu === undefined || memory === undefined ? undefined : { cpu, memory };
}

/**
 * The usage cells of one line: CPU, then memory, each followed by its share of `available` where
 * that has the resource (a float64 division truncated to an integer, as kubectl computes it).
 */
function usageCells(
  usage: { cpu: Quantity; memory: Quantity },
  available: { cpu?: Quantity; memory?: Quantity } = {},
): string[] | undefined {
  const cells: string[] = [];
  for (const resource of ["cpu", "memory"] as const) {
    const used = milliValue(usage[resource]);
    const bytes = value(usage[resource]);
    if (used === undefined || bytes === undefined) return undefined;
    cells.push(resource === "cpu" ? `${used}m` : `${bytes / MIB}Mi`);
    const of = available[resource];
    if (of === undefined) continue;
    const whole = milliValue(of);
    // A share of nothing is a division by zero, which Go converts to int64 its platform's own way.
    if (whole === undefined || whole === 0n) return undefined;
    cells.push(`${Math.trunc((Number(used) / Number(whole)) * 100)}%`);
  }
  return cells;
}

/**
 * Rows as kubectl's printer writes them, every cell tab-terminated (so padded, the last too), laid
 * out by Go's tabwriter as kubectl sets it, blocks and all: rows may have fewer cells (a sum line
 * with --no-headers, a node without percentages).
 */
function printed(rows: string[][]): NativeOutput {
  const text = rows.map((row) => `${row.map((cell) => `${cell}\t`).join("")}\n`).join("");
  return { stdout: tabwrite(text, { minWidth: 6, padding: 3 }), stderr: "", exitCode: 0 };
}

const byUsage =
  (sortBy: "cpu" | "memory" | undefined) =>
  (a: { cpu: Quantity; memory: Quantity }, b: { cpu: Quantity; memory: Quantity }) => {
    // Descending, compared as kubectl compares them: MilliValue for CPU, Value for memory.
    const key = (u: { cpu: Quantity; memory: Quantity }) =>
      sortBy === "cpu" ? (milliValue(u.cpu) ?? 0n) : (value(u.memory) ?? 0n);
    const [ka, kb] = [key(a), key(b)];
    return ka === kb ? 0 : ka > kb ? -1 : 1;
  };

const byName = (a: string, b: string) => (a === b ? 0 : a < b ? -1 : 1);

async function topPods(fetch: KubeFetch, request: TopRequest): Promise<NativeOutput | undefined> {
  const namespace = request.namespace ?? "default";
  const scope = request.allNamespaces ? "" : `/namespaces/${encodeURIComponent(namespace)}`;
  let items: PodMetrics[];
  if (request.name !== undefined) {
    const one = await read(
      fetch,
      `${METRICS}${scope}/pods/${encodeURIComponent(request.name)}`,
      checkPodMetrics,
    );
    if (one === undefined || "output" in one) return one?.output;
    items = [one.body];
  } else {
    const list = await read(fetch, `${METRICS}${scope}/pods${query(request.selector)}`, checkPodMetricsList);
    if (list === undefined || "output" in list) return list?.output;
    items = list.body.items;
  }
  if (items.length === 0) {
    // kubectl then looks for the pods (in the namespace, even with -A): any there are reported by
    // their age, which this does not print; none is its notice.
    const pods = await read(
      fetch,
      `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods${query(request.selector)}`,
      checkPodList,
    );
    if (pods === undefined || "output" in pods || pods.body.items.length > 0) return undefined;
    const notice = request.allNamespaces
      ? "No resources found\n"
      : `No resources found in ${namespace} namespace.\n`;
    return { stdout: "", stderr: notice, exitCode: 0 };
  }
  const pods: {
    metrics: PodMetrics;
    usage: { cpu: Quantity; memory: Quantity };
    containers: { name: string; usage: { cpu: Quantity; memory: Quantity } }[];
  }[] = [];
  for (const metrics of items) {
    const containers: { name: string; usage: { cpu: Quantity; memory: Quantity } }[] = [];
    for (const c of metrics.containers) {
      const usage = usageOf(c.usage);
      if (usage === undefined) return undefined;
      containers.push({ name: c.name, usage });
    }
    const usage = containers.reduce(
      (sum, c) => ({ cpu: sum.cpu + c.usage.cpu, memory: sum.memory + c.usage.memory }),
      { cpu: 0n, memory: 0n },
    );
    pods.push({ metrics, usage, containers });
  }
  const sorted = goSorted(pods, (a, b) =>
    request.sortBy !== undefined
      ? byUsage(request.sortBy)(a.usage, b.usage)
      : (request.allNamespaces ? byName(a.metrics.metadata.namespace, b.metrics.metadata.namespace) : 0) ||
        byName(a.metrics.metadata.name, b.metrics.metadata.name),
  );
  const ns = (pod: PodMetrics) => (request.allNamespaces ? [pod.metadata.namespace] : []);
  const rows: string[][] = [];
  if (!request.noHeaders) {
    rows.push([
      ...(request.allNamespaces ? ["NAMESPACE"] : []),
      ...(request.containers ? ["POD"] : []),
      "NAME",
      "CPU(cores)",
      "MEMORY(bytes)",
    ]);
  }
  for (const pod of sorted) {
    if (!request.containers) {
      const cells = usageCells(pod.usage);
      if (cells === undefined) return undefined;
      rows.push([...ns(pod.metrics), pod.metrics.metadata.name, ...cells]);
      continue;
    }
    const containers = goSorted(pod.containers, (a, b) =>
      request.sortBy !== undefined ? byUsage(request.sortBy)(a.usage, b.usage) : byName(a.name, b.name),
    );
    for (const c of containers) {
      const cells = usageCells(c.usage);
      if (cells === undefined) return undefined;
      rows.push([...ns(pod.metrics), pod.metrics.metadata.name, c.name, ...cells]);
    }
  }
  if (request.sum) {
    // kubectl counts the NAMESPACE and POD columns only as it prints their headers.
    const width =
      3 + (request.noHeaders ? 0 : (request.allNamespaces ? 1 : 0) + (request.containers ? 1 : 0));
    const total = pods.reduce(
      (sum, p) => ({ cpu: sum.cpu + p.usage.cpu, memory: sum.memory + p.usage.memory }),
      { cpu: 0n, memory: 0n },
    );
    const cells = usageCells(total);
    if (cells === undefined) return undefined;
    rows.push([...Array(width - 2).fill(""), "________", "________"]);
    rows.push([...Array(width - 3).fill(""), "", ...cells]);
  }
  return printed(rows);
}

async function topNodes(fetch: KubeFetch, request: TopRequest): Promise<NativeOutput | undefined> {
  let items: NodeMetrics[];
  let nodes: Node[];
  if (request.name !== undefined) {
    const one = await read(fetch, `${METRICS}/nodes/${encodeURIComponent(request.name)}`, checkNodeMetrics);
    if (one === undefined || "output" in one) return one?.output;
    items = [one.body];
  } else {
    const list = await read(fetch, `${METRICS}/nodes${query(request.selector)}`, checkNodeMetricsList);
    if (list === undefined || "output" in list) return list?.output;
    items = list.body.items;
  }
  if (items.length === 0) return { stdout: "", stderr: "error: metrics not available yet\n", exitCode: 1 };
  if (request.name !== undefined) {
    const node = await read(fetch, `/api/v1/nodes/${encodeURIComponent(request.name)}`, checkNode);
    if (node === undefined || "output" in node) return node?.output;
    nodes = [node.body];
  } else {
    const list = await read(fetch, `/api/v1/nodes${query(request.selector)}`, checkNodeList);
    if (list === undefined || "output" in list) return list?.output;
    nodes = list.body.items;
  }
  const available = new Map<string, { cpu?: Quantity; memory?: Quantity }>();
  for (const node of nodes) {
    const resources = (request.showCapacity ? node.status?.capacity : node.status?.allocatable) ?? {};
    const cpu = resources.cpu === undefined ? undefined : parseQuantity(resources.cpu);
    const memory = resources.memory === undefined ? undefined : parseQuantity(resources.memory);
    if (
      (resources.cpu !== undefined && cpu === undefined) ||
      (resources.memory !== undefined && memory === undefined)
    )
      return undefined;
    available.set(node.metadata.name, {
      ...(cpu !== undefined ? { cpu } : {}),
      ...(memory !== undefined ? { memory } : {}),
    });
  }
  const measured: { name: string; usage: { cpu: Quantity; memory: Quantity } }[] = [];
  for (const m of items) {
    const usage = usageOf(m.usage);
    if (usage === undefined) return undefined;
    measured.push({ name: m.metadata.name, usage });
  }
  const sorted = goSorted(measured, (a, b) =>
    request.sortBy !== undefined ? byUsage(request.sortBy)(a.usage, b.usage) : byName(a.name, b.name),
  );
  const rows: string[][] = request.noHeaders
    ? []
    : [["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"]];
  for (const { name, usage } of sorted) {
    // A node not listed (it went, or the selector matched it only in the metrics) has no percentages.
    const cells = usageCells(usage, available.get(name) ?? {});
    if (cells === undefined) return undefined;
    rows.push([name, ...cells]);
    available.delete(name);
  }
  // Nodes without metrics come last in Go's map order: certain only for one.
  if (available.size > 1) return undefined;
  for (const name of available.keys()) rows.push([name, "<unknown>", "<unknown>", "<unknown>", "<unknown>"]);
  return printed(rows);
}

export async function nativeTop(fetch: KubeFetch, request: TopRequest): Promise<NativeOutput | undefined> {
  if (!(await metricsApiServed(fetch))) return undefined;
  return request.kind === "pod" ? topPods(fetch, request) : topNodes(fetch, request);
}
