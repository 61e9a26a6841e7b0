/**
 * Owns answering `kubectl describe pod` natively: which command lines (`describe pod NAME`,
 * `pod/NAME`, or the pods of a namespace, all namespaces or a selector: -n, -A, -l), and the
 * requests kubectl makes for them: its resource builder's (the pod, or the list in pages of 500),
 * then for each pod the describer's own read of it and of its events (by involvedObject name,
 * namespace and uid, pages of 500; a failed read ends the events, as kubectl ignores it), printed by
 * describe-pod.ts one after another, two blank lines between. A name that is not found (kubectl
 * then looks for names that start with it), any error from the builder or the describer, a zone
 * other than UTC and any other flag or type run kubectl.
 */
import { parseKubectlArgv } from "../policy";
import type { KubeFetch } from "./client";
import { describePod } from "./describe-pod";
import { checkDescribedPod, type DescribedPod } from "./describe-types";
import { checkEventList, checkObjectList, type KubeEvent } from "./kube-types";
import type { NativeOutput } from "./output";
import { listContext, serverError } from "./server-error";

export interface DescribeRequest {
  name?: string;
  namespace?: string;
  allNamespaces: boolean;
  selector?: string;
}

const POD = new Set(["pod", "pods", "po"]);
const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const JSON_ACCEPT = "application/json";
const CHUNK = "500";
const MAX_PAGES = 1_000;
const MIRROR_POD = "kubernetes.io/config.mirror";
const PODS = { group: "", version: "v1", resource: "pods" };

export function readDescribeRequest(argv: readonly string[]): DescribeRequest | undefined {
  const parsed = parseKubectlArgv(argv);
  if (parsed.path !== "describe" || parsed.issues.length > 0) return undefined;
  const [first = "", ...rest] = parsed.positionals;
  const slash = first.indexOf("/");
  const [type, name] = slash === -1 ? [first, rest[0]] : [first.slice(0, slash), first.slice(slash + 1)];
  if (!POD.has(type) || rest.length > (slash === -1 ? 1 : 0) || (name !== undefined && !NAME.test(name)))
    return undefined;
  const request: DescribeRequest = { ...(name !== undefined ? { name } : {}), allNamespaces: false };
  const seen = new Set<string>();
  for (const { name: flag, value, known } of parsed.flags) {
    if (!known || seen.has(flag)) return undefined;
    seen.add(flag);
    if (flag === "all-namespaces" && (value === undefined || value === "true")) request.allNamespaces = true;
    else if (flag === "namespace" && value) request.namespace = value;
    else if (flag === "selector" && value) request.selector = value;
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
type Builder = { pods: Found[]; prefix?: true } | { error: string } | undefined;

const podsPath = (namespace: string | undefined) =>
  namespace === undefined ? "/api/v1/pods" : `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;

/** Every page of a pod list, as the builder reads it (reworded on error as it rewords). */
async function listed(
  fetch: KubeFetch,
  namespace: string | undefined,
  selector: string | undefined,
): Promise<Builder> {
  const pods: Found[] = [];
  let next: string | undefined;
  for (let page = 0; page === 0 || next !== undefined; page++) {
    if (page >= MAX_PAGES) return undefined;
    const query = new URLSearchParams({
      ...(selector !== undefined ? { labelSelector: selector } : {}),
      limit: CHUNK,
      ...(next !== undefined ? { continue: next } : {}),
    });
    const response = await fetch(`${podsPath(namespace)}?${query}`, JSON_ACCEPT);
    if (!response.ok) {
      const error = await serverError(response, listContext(PODS, selector, undefined));
      return error === undefined ? undefined : { error };
    }
    const list = (await response.json()) as { metadata?: { continue?: string } };
    if (!checkObjectList.Check(list)) return undefined;
    pods.push(...list.items);
    next = list.metadata?.continue || undefined;
  }
  return { pods };
}

/**
 * The pod named, read as the builder reads it. One not found is looked for as kubectl's
 * DescribeMatchingResources looks: every pod of the namespace whose name starts with it, or, when
 * none does, the first error.
 */
async function named(fetch: KubeFetch, name: string, namespace: string): Promise<Builder> {
  const response = await fetch(`${podsPath(namespace)}/${encodeURIComponent(name)}`, JSON_ACCEPT);
  if (response.ok) {
    const pod: unknown = await response.json();
    return checkObjectList.Check({ items: [pod] }) ? { pods: [pod as Found] } : undefined;
  }
  const error = await serverError(response);
  if (error === undefined || response.status !== 404) return error === undefined ? undefined : { error };
  const all = await listed(fetch, namespace, undefined);
  if (all === undefined || "error" in all) return all;
  const matching = all.pods.filter((pod) => pod.metadata.name.startsWith(name));
  return matching.length === 0 ? { error } : { pods: matching, prefix: true };
}

/** The pod's events as the describer lists them; a failed page ends the list, as kubectl ignores it. */
async function eventsOf(fetch: KubeFetch, pod: DescribedPod): Promise<KubeEvent[] | undefined> {
  const { name, namespace, uid, annotations } = pod.metadata;
  const selector = `involvedObject.name=${name},involvedObject.namespace=${namespace},involvedObject.uid=${annotations?.[MIRROR_POD] ?? uid}`;
  const events: KubeEvent[] = [];
  let next: string | undefined;
  for (let page = 0; page === 0 || next !== undefined; page++) {
    if (page >= MAX_PAGES) return undefined;
    const query = new URLSearchParams({
      fieldSelector: selector,
      limit: CHUNK,
      ...(next !== undefined ? { continue: next } : {}),
    });
    const response = await fetch(
      `/api/v1/namespaces/${encodeURIComponent(namespace)}/events?${query}`,
      JSON_ACCEPT,
    );
    if (!response.ok) return events;
    const list: unknown = await response.json();
    if (!checkEventList.Check(list)) return undefined;
    events.push(...list.items);
    next = list.metadata?.continue || undefined;
  }
  return events;
}

const inUtc = () => ["UTC", "Etc/UTC"].includes(Intl.DateTimeFormat().resolvedOptions().timeZone);

export async function nativeDescribe(
  fetch: KubeFetch,
  request: DescribeRequest,
): Promise<NativeOutput | undefined> {
  if (!inUtc()) return undefined;
  const namespace = request.namespace ?? "default";
  const builder =
    request.name !== undefined
      ? await named(fetch, request.name, namespace)
      : await listed(fetch, request.allNamespaces ? undefined : namespace, request.selector);
  if (builder === undefined) return undefined;
  if ("error" in builder) return { stdout: "", stderr: builder.error, exitCode: 1 };
  const { pods } = builder;
  if (pods.length === 0) {
    const notice = request.allNamespaces
      ? "No resources found\n"
      : `No resources found in ${namespace} namespace.\n`;
    return { stdout: "", stderr: notice, exitCode: 0 };
  }
  const described: string[] = [];
  for (const { metadata } of pods) {
    const path = `/api/v1/namespaces/${encodeURIComponent(metadata.namespace ?? namespace)}/pods/${encodeURIComponent(metadata.name)}`;
    const pod = await json(fetch, path);
    if (!checkDescribedPod.Check(pod)) return undefined;
    const podEvents = await eventsOf(fetch, pod);
    if (podEvents === undefined) return undefined;
    const text = describePod(pod, podEvents, Date.now());
    if (text === undefined) return undefined;
    described.push(text);
  }
  // Pods matched by a prefix are printed each with a line end after it; the others with two blank lines between.
  const stdout = "prefix" in builder ? described.map((text) => `${text}\n`).join("") : described.join("\n\n");
  return { stdout, stderr: "", exitCode: 0 };
}
