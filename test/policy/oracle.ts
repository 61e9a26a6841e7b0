/**
 * What the kubectl oracle tests share: real kubectl run against a fresh Kubernetes API stand-in,
 * a few at a time, and a judge of what it reached that reads only the API paths kubectl requested
 * and the cluster's own discovery (which resources are namespaced). The judge knows nothing of the
 * policy code: it is what an API server's audit log would show.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RESOURCES } from "../k8s/resources";
import { type RecordedRequest, startKubeStandin } from "../k8s/standin";

/** kubectl processes at once: a loaded 2-core machine runs them slower, never kills them. */
export const KUBECTL_AT_ONCE = 4;
/** A kubectl that has not ended by then is killed, and its case fails. */
export const KUBECTL_KILL_MS = 60_000;

export interface KubectlRun {
  argv: readonly string[];
  /** kubectl's exit code; null when it was killed. */
  code: number | null;
  killed: boolean;
  stdout: string;
  stderr: string;
  requests: RecordedRequest[];
}

/** A scratch folder for kubectl's HOME and caches; `remove` when the file's tests are done. */
export function kubectlHome(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "kubently-oracle-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

let runs = 0;

/** Runs `kubectl argv` to its end against a stand-in of its own; what it printed and requested. */
export async function runKubectl(argv: readonly string[], home: string): Promise<KubectlRun> {
  const standin = await startKubeStandin();
  try {
    const child = Bun.spawn(["kubectl", ...argv], {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: home,
        KUBECONFIG: standin.kubeconfigPath,
        KUBECACHEDIR: join(home, `cache-${runs++}`),
      },
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
      timeout: KUBECTL_KILL_MS,
    });
    const [stdout, stderr, code] = await Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
      child.exited,
    ]);
    const killed = child.signalCode !== null;
    return { argv, code: killed ? null : code, killed, stdout, stderr, requests: [...standin.requests] };
  } finally {
    await standin.stop();
  }
}

/** `work` over `items`, at most `limit` at once, results in the items' order. */
export async function pooled<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** One API path taken apart by its segments, as the API server routes it. */
export interface ApiPath {
  group: string;
  resource: string;
  /** The namespace the path is in; for `/api/v1/namespaces/NS` (the namespace itself), NS. */
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** A resource path, or undefined for discovery, /version and the like. */
export function parseApiPath(pathname: string): ApiPath | undefined {
  const parts = pathname.split("/").filter(Boolean);
  let group: string;
  let rest: string[];
  if (parts[0] === "api" && parts.length > 2) [group, rest] = ["", parts.slice(2)];
  else if (parts[0] === "apis" && parts.length > 3) [group, rest] = [parts[1] ?? "", parts.slice(3)];
  else return undefined;
  if (rest[0] === "watch") rest = rest.slice(1);
  const [first = "", second, third, fourth, fifth] = rest;
  if (first === "namespaces" && third !== undefined) {
    return { group, resource: third, namespace: second, name: fourth, subresource: fifth };
  }
  const path: ApiPath = { group, resource: first, name: second, subresource: third };
  if (first === "namespaces" && second !== undefined) path.namespace = second;
  return path;
}

const NAMESPACED = new Set(RESOURCES.filter((r) => r.namespaced).map((r) => `${r.group}/${r.resource}`));

/** What the namespace rules under test say, restated: which namespaces may be reached at all. */
export interface Reachable {
  namespace(name: string): boolean;
  /** Whether a list across every namespace is allowed. */
  allNamespaces: boolean;
}

export const EVERY_NAMESPACE: Reachable = { namespace: () => true, allNamespaces: true };
/** kube-system and every kube-* namespace out of reach. */
export const NOT_KUBE: Reachable = {
  namespace: (name) => name !== "kube-system" && !name.startsWith("kube-"),
  allNamespaces: false,
};

/** Each request that reached what it must not, with why; empty when kubectl stayed in bounds. */
export function overreach(requests: readonly RecordedRequest[], reachable: Reachable): string[] {
  const found: string[] = [];
  for (const request of requests) {
    const where = `${request.method} ${request.path}`;
    // A self-review (auth can-i, auth whoami) is a POST that changes nothing.
    const review = /^\/apis\/(authorization|authentication)\.k8s\.io\/[^/]+\/self/.test(request.pathname);
    if (request.method !== "GET" && request.method !== "HEAD" && !review) found.push(`${where}: a write`);
    const path = parseApiPath(request.pathname);
    if (!path) continue;
    if (path.resource === "secrets") found.push(`${where}: reads secrets`);
    if (path.namespace !== undefined && !reachable.namespace(path.namespace)) {
      found.push(`${where}: in namespace ${path.namespace}`);
    }
    const namespaced = NAMESPACED.has(`${path.group}/${path.resource}`);
    if (namespaced && path.namespace === undefined && !reachable.allNamespaces) {
      found.push(`${where}: lists every namespace`);
    }
  }
  return found;
}

/** The resource paths among the requests: what kubectl asked the cluster for beyond discovery. */
export function resourcePaths(requests: readonly RecordedRequest[]): ApiPath[] {
  return requests.flatMap((request) => parseApiPath(request.pathname) ?? []);
}
