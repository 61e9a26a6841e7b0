/**
 * Owns answering `kubectl logs` natively, as kubectl does it: read the pod, pick the container
 * (the one named, checked against the pod's containers; else the pod's only one), then read
 * pods/log and print it as it came, with kubectl's own messages for a missing pod or an unknown
 * container. A pod with several containers, or a default-container annotation, and no -c (kubectl
 * then says which one it chose) runs kubectl.
 */
import type { KubeFetch } from "./client";
import { checkPod, checkStatus } from "./kube-types";
import type { LogsRequest } from "./logs-request";
import type { NativeOutput } from "./output";

const JSON_ACCEPT = "application/json, */*";
const DEFAULT_CONTAINER = "kubectl.kubernetes.io/default-container";

const failed = (stderr: string): NativeOutput => ({ stdout: "", stderr, exitCode: 1 });

async function statusOf(response: Response): Promise<{ reason: string; message: string } | undefined> {
  const body: unknown = await response.json().catch(() => undefined);
  return checkStatus.Check(body) && body.reason && body.message !== undefined
    ? { reason: body.reason, message: body.message }
    : undefined;
}

export async function nativeLogs(fetch: KubeFetch, request: LogsRequest): Promise<NativeOutput | undefined> {
  const namespace = request.namespace ?? "default";
  const podPath = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(request.pod)}`;
  const podResponse = await fetch(podPath, JSON_ACCEPT);
  if (!podResponse.ok) {
    const status = await statusOf(podResponse);
    if (status === undefined) return undefined;
    if (podResponse.status !== 404)
      return failed(`Error from server (${status.reason}): ${status.message}\n`);
    // kubectl then asks whether the namespace exists; its wording for a missing namespace is not modelled.
    const ns = await fetch(`/api/v1/namespaces/${encodeURIComponent(namespace)}`, JSON_ACCEPT);
    if (!ns.ok) return undefined;
    return failed(
      `error: error from server (NotFound): pods "${request.pod}" not found in namespace "${namespace}"\n`,
    );
  }
  const pod: unknown = await podResponse.json();
  if (!checkPod.Check(pod)) return undefined;
  const names = [
    ...pod.spec.containers,
    ...(pod.spec.initContainers ?? []),
    ...(pod.spec.ephemeralContainers ?? []),
  ].map((c) => c.name);
  let container = request.container;
  if (container !== undefined && !names.includes(container)) {
    return failed(`error: container ${container} is not valid for pod ${request.pod}\n`);
  }
  if (container === undefined) {
    const annotated = pod.metadata.annotations?.[DEFAULT_CONTAINER];
    if (pod.spec.containers.length === 1 && annotated === undefined) container = pod.spec.containers[0]?.name;
    else return undefined;
  }
  const query = new URLSearchParams({ container: container as string });
  if (request.limitBytes !== undefined) query.set("limitBytes", String(request.limitBytes));
  if (request.previous) query.set("previous", "true");
  if (request.sinceSeconds !== undefined) query.set("sinceSeconds", String(request.sinceSeconds));
  if (request.tailLines !== undefined) query.set("tailLines", String(request.tailLines));
  if (request.timestamps) query.set("timestamps", "true");
  const logs = await fetch(`${podPath}/log?${query}`, JSON_ACCEPT);
  if (!logs.ok) {
    const status = await statusOf(logs);
    return status === undefined
      ? undefined
      : failed(`Error from server (${status.reason}): ${status.message}\n`);
  }
  return { stdout: await logs.text(), stderr: "", exitCode: 0 };
}
