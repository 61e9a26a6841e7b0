/**
 * Owns answering `kubectl logs` natively, as kubectl does it: find the pods (one named, the one
 * kubectl picks for a workload: pod-for-logs.ts, or those a selector matches), pick each one's
 * container (the one named, checked against the pod's containers; else the default-container
 * annotation's; else the first, saying so when there were others; with --all-containers every one),
 * then read pods/log for each and print them as they came, one after another (each line led by its
 * source with --prefix), or with -f follow them all at once (log-follow.ts), with kubectl's own
 * words for a missing target or namespace, an unknown container and its choices.
 */
import type { KubeFetch } from "./client";
import { type Discovery, isMissing } from "./discovery";
import { checkPod, checkPodList, type Pod } from "./kube-types";
import { followReads } from "./log-follow";
import type { LogsRequest } from "./logs-request";
import { type FollowSink, failed, type NativeOutput, noOutput } from "./output";
import { isWorkload, podForWorkload } from "./pod-for-logs";
import { listContext, plainError, serverError, statusOf } from "./server-error";

const JSON_ACCEPT = "application/json, */*";
const DEFAULT_CONTAINER = "kubectl.kubernetes.io/default-container";
const POD_TYPES = ["pod", "pods", "po"];

const PODS = { group: "", version: "v1", resource: "pods" };

/**
 * kubectl's words for a target that is not there: it then asks whether the namespace exists, and
 * names whichever is missing, "… not found in namespace …".
 */
async function missing(
  fetch: KubeFetch,
  namespace: string,
  response: Response,
): Promise<NativeOutput | undefined> {
  if (response.status !== 404) {
    const error = await serverError(response);
    return error === undefined ? undefined : failed(error);
  }
  const status = await statusOf(response);
  if (status === undefined) return undefined;
  const ns = await fetch(`/api/v1/namespaces/${encodeURIComponent(namespace)}`, JSON_ACCEPT);
  const nsStatus = ns.ok ? status : ns.status === 404 ? await statusOf(ns) : undefined;
  if (nsStatus === undefined) return undefined;
  return failed(`error: error from server (NotFound): ${nsStatus.message} in namespace "${namespace}"\n`);
}

/** The pod named in the request. */
async function namedPod(
  fetch: KubeFetch,
  namespace: string,
  name: string,
): Promise<Pod | NativeOutput | undefined> {
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`;
  const response = await fetch(path, JSON_ACCEPT);
  if (!response.ok) return missing(fetch, namespace, response);
  const pod: unknown = await response.json();
  return checkPod.Check(pod) ? pod : undefined;
}

/** The pod a workload's logs come from, and kubectl's notice about it. */
async function workloadPod(
  fetch: KubeFetch,
  discovery: Discovery,
  target: { type: string; name: string },
  namespace: string,
): Promise<{ pod: Pod; notice: string } | NativeOutput | undefined> {
  const r = await discovery.resolve(fetch, target.type);
  if (isMissing(r)) return { stdout: "", stderr: `error: ${r.missing}\n`, exitCode: 1 };
  if (r === undefined || !isWorkload(r)) return undefined;
  const base = r.group === "" ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  const response = await fetch(
    `${base}/namespaces/${encodeURIComponent(namespace)}/${r.resource}/${encodeURIComponent(target.name)}`,
    JSON_ACCEPT,
  );
  if (!response.ok) return missing(fetch, namespace, response);
  return podForWorkload(fetch, await response.json(), namespace);
}

/**
 * The pods a selector matches, listed as kubectl's builder lists them; none is kubectl's notice and
 * no logs.
 */
async function selectedPods(
  fetch: KubeFetch,
  selector: string,
  namespace: string,
): Promise<Pod[] | NativeOutput | undefined> {
  const query = new URLSearchParams({ labelSelector: selector });
  const response = await fetch(
    `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods?${query}`,
    JSON_ACCEPT,
  );
  if (!response.ok) {
    const error = await serverError(response, listContext(PODS, selector, undefined));
    return error === undefined ? undefined : failed(error);
  }
  const list: unknown = await response.json();
  if (!checkPodList.Check(list)) return undefined;
  if (list.items.length === 0) {
    return { stdout: "", stderr: `No resources found in ${namespace} namespace.\n`, exitCode: 0 };
  }
  return list.items;
}

/** The pods of a request, and what kubectl says on stderr about finding them; an output is kubectl's answer. */
async function podsOf(
  fetch: KubeFetch,
  discovery: Discovery,
  request: LogsRequest,
  namespace: string,
): Promise<{ pods: Pod[]; notice: string } | NativeOutput | undefined> {
  if ("selector" in request) {
    const pods = await selectedPods(fetch, request.selector, namespace);
    return pods === undefined || "exitCode" in pods ? pods : { pods, notice: "" };
  }
  const found = POD_TYPES.includes(request.type)
    ? await namedPod(fetch, namespace, request.name)
    : await workloadPod(fetch, discovery, request, namespace);
  if (found === undefined || "exitCode" in found) return found;
  return "pod" in found ? { pods: [found.pod], notice: found.notice } : { pods: [found], notice: "" };
}

function names(pod: Pod): string[] {
  return [
    ...pod.spec.containers,
    ...(pod.spec.initContainers ?? []),
    ...(pod.spec.ephemeralContainers ?? []),
  ].map((c) => c.name);
}

/** podcmd.AllContainerNames: containers, then ephemeral ones, then init ones. */
function allContainerNames(pod: Pod): string {
  return [
    ...pod.spec.containers.map((c) => c.name),
    ...(pod.spec.ephemeralContainers ?? []).map((c) => `${c.name} (ephem)`),
    ...(pod.spec.initContainers ?? []).map((c) => `${c.name} (init)`),
  ].join(", ");
}

/** The container, and what kubectl says on stderr about choosing it; a string is kubectl's error. */
function containerOf(pod: Pod, asked: string | undefined): { container: string; notice: string } | string {
  let notice = "";
  let container = asked;
  const annotated = pod.metadata.annotations?.[DEFAULT_CONTAINER];
  if (container === undefined && annotated) {
    if (names(pod).includes(annotated)) container = annotated;
    else
      notice += `Default container name ${JSON.stringify(annotated)} not found in pod ${pod.metadata.name}\n`;
  }
  if (container === undefined) {
    container = pod.spec.containers[0]?.name as string;
    const others =
      pod.spec.containers.length > 1 ||
      (pod.spec.initContainers?.length ?? 0) > 0 ||
      (pod.spec.ephemeralContainers?.length ?? 0) > 0;
    if (others)
      notice += `Defaulted container ${JSON.stringify(container)} out of: ${allContainerNames(pod)}\n`;
  }
  if (!names(pod).includes(container))
    return `error: container ${container} is not valid for pod ${pod.metadata.name}\n`;
  return { container, notice };
}

/** --all-containers: each container by name (init, regular, ephemeral), with nothing said about choosing. */
function everyContainer(pod: Pod): string[] {
  return [
    ...(pod.spec.initContainers ?? []),
    ...pod.spec.containers,
    ...(pod.spec.ephemeralContainers ?? []),
  ].map((c) => c.name);
}

/**
 * kubectl's Validate refuses a container named beside --all-containers, once its builder has found
 * the pod (or said that no pod matched the selector) and before it reads anything more. A
 * workload's pod is picked after that, so there the pod found here says too much: kubectl answers.
 */
function refusedBoth(request: LogsRequest, found: object | NativeOutput): NativeOutput | undefined {
  if (!("selector" in request) && !POD_TYPES.includes(request.type)) return undefined;
  if ("exitCode" in found && found.exitCode !== 0) return found;
  const said = "exitCode" in found ? found.stderr : "";
  return failed(
    `${said}error: --all-containers=true should not be specified with container name ${request.container}\n`,
  );
}

/** --prefix: kubectl writes the log a line at a time (the last one perhaps cut short), each led by its source. */
const prefixed = (text: string, prefix: string) => text.replace(/[^\n]*\n|[^\n]+$/g, (line) => prefix + line);

/** One pods/log read: its pod and container. */
interface LogRead {
  pod: string;
  container: string;
}

/**
 * The reads a request makes, pod by pod in the order found, and what kubectl says on stderr while
 * it gathers them; an output is kubectl's answer (a container not in a pod, once the notices of
 * the pods before it are out).
 */
function readsOf(
  request: LogsRequest,
  pods: Pod[],
  found: string,
): { reads: LogRead[]; notices: string } | NativeOutput {
  let notices = found;
  const reads: LogRead[] = [];
  for (const pod of pods) {
    const { name } = pod.metadata;
    if (request.allContainers) {
      reads.push(...everyContainer(pod).map((container) => ({ pod: name, container })));
      continue;
    }
    const chosen = containerOf(pod, request.container);
    if (typeof chosen === "string") return { stdout: "", stderr: notices + chosen, exitCode: 1 };
    notices += chosen.notice;
    reads.push({ pod: name, container: chosen.container });
  }
  return { reads, notices };
}

/** The pods/log query every read of a request shares, beside its container. */
function logOptions(request: LogsRequest): Record<string, string> {
  const options: Record<string, string> = {};
  if (request.follow) options.follow = "true";
  if (request.limitBytes !== undefined) options.limitBytes = String(request.limitBytes);
  if (request.previous) options.previous = "true";
  if (request.sinceSeconds !== undefined) options.sinceSeconds = String(request.sinceSeconds);
  if (request.sinceTime !== undefined) options.sinceTime = request.sinceTime;
  if (request.tailLines !== undefined) options.tailLines = String(request.tailLines);
  if (request.timestamps) options.timestamps = "true";
  return options;
}

const logPath = (namespace: string, { pod, container }: LogRead, options: Record<string, string>) =>
  `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log?${new URLSearchParams({ container, ...options })}`;

const sourceOf = (request: LogsRequest, { pod, container }: LogRead) =>
  request.prefix ? `[pod/${pod}/${container}] ` : "";

/**
 * -f: what kubectl says while finding the pods goes out first, as kubectl prints it before asking
 * for any log (a read that has nothing to print yet sends nothing, not even its headers); then every
 * read is opened at once, as kubectl opens them (one by itself; several in parallel, at most
 * --max-log-requests), and each line written to the sink as it arrives. A read that fails to open
 * ends the command with its error before any line is printed, which is what kubectl prints when
 * that error reaches it first; --ignore-errors, which prints it among the logs, is kubectl's.
 */
async function followLogs(
  fetch: KubeFetch,
  request: LogsRequest,
  namespace: string,
  { reads, notices }: { reads: LogRead[]; notices: string },
  sink: FollowSink,
): Promise<NativeOutput | undefined> {
  if (reads.length > 1 && reads.length > request.maxLogRequests) {
    return failed(
      `${notices}error: you are attempting to follow ${reads.length} log streams, but maximum allowed concurrency is ${request.maxLogRequests}, use --max-log-requests to increase the limit\n`,
    );
  }
  if (request.ignoreErrors) return undefined;
  if (notices !== "") sink.write("stderr", new TextEncoder().encode(notices));
  const options = logOptions(request);
  const opened = await Promise.all(
    reads.map((read) => fetch(logPath(namespace, read, options), JSON_ACCEPT)),
  );
  const failedRead = opened.find((response) => !response.ok || response.body === null);
  if (failedRead !== undefined) {
    for (const response of opened) if (response !== failedRead) void response.body?.cancel().catch(() => {});
    const error = failedRead.ok ? undefined : await serverError(failedRead);
    // Nothing printed yet, native reads can still leave it to kubectl; after the notices, not.
    if (error === undefined && notices === "") return undefined;
    return failed(error ?? plainError(failedRead.status, "a log request"));
  }
  await followReads(
    opened.map((response, i) => ({
      body: response.body as ReadableStream<Uint8Array>,
      prefix: sourceOf(request, reads[i] as LogRead),
    })),
    sink,
  );
  return noOutput();
}

/** `sink`: where a following request (-f) writes as it arrives; without one, -f is kubectl's. */
export async function nativeLogs(
  fetch: KubeFetch,
  discovery: Discovery,
  request: LogsRequest,
  sink?: FollowSink,
): Promise<NativeOutput | undefined> {
  if (request.follow && sink === undefined) return undefined;
  const namespace = request.namespace ?? "default";
  const found = await podsOf(fetch, discovery, request, namespace);
  if (found === undefined) return undefined;
  if (request.allContainers && request.container !== undefined) {
    return refusedBoth(request, found);
  }
  if ("exitCode" in found) return found;
  const gathered = readsOf(request, found.pods, found.notice);
  if ("exitCode" in gathered) return gathered;
  if (sink !== undefined && request.follow) return followLogs(fetch, request, namespace, gathered, sink);
  const { reads, notices } = gathered;
  const options = logOptions(request);
  let stdout = "";
  // kubectl keeps the reads in a map and walks it in Go's random order: any order it could print
  // is kubectl's, so they are printed in the order gathered. A read that fails ends kubectl's walk
  // wherever it stood, so among several that is left to kubectl.
  for (const read of reads) {
    const logs = await fetch(logPath(namespace, read, options), JSON_ACCEPT);
    if (!logs.ok) {
      // --ignore-errors prints the error among the logs and goes on: not modelled.
      if (reads.length > 1 || request.ignoreErrors) return undefined;
      const error = await serverError(logs);
      return error === undefined ? undefined : failed(`${notices}${error}`);
    }
    const text = await logs.text();
    const source = sourceOf(request, read);
    stdout += source ? prefixed(text, source) : text;
  }
  return { stdout, stderr: notices, exitCode: 0 };
}
