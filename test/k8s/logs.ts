// The pods/log subresource: picks the container, current or previous instance, and
// applies tailLines / sinceSeconds / sinceTime / timestamps / limitBytes like the kubelet.

import { statusError } from "./status";
import type { ContainerLogs, PodView } from "./types";

export function podLogs(pod: PodView, logs: ContainerLogs[], query: URLSearchParams, now: number): Response {
  const name = pod.metadata.name;
  const containers = pod.spec.containers.map((c) => c.name);
  const initContainers = (pod.spec.initContainers ?? []).map((c) => c.name);
  let container = query.get("container") ?? "";
  if (!container) {
    if (containers.length !== 1) {
      const initPart = initContainers.length
        ? ` or one of the init containers: [${initContainers.join(" ")}]`
        : "";
      return statusError(
        400,
        "BadRequest",
        `a container name must be specified for pod ${name}, choose one of: [${containers.join(" ")}]${initPart}`,
      );
    }
    container = containers[0] ?? "";
  }
  if (!containers.includes(container) && !initContainers.includes(container)) {
    return statusError(400, "BadRequest", `container ${container} is not valid for pod ${name}`);
  }
  const entry = logs.find(
    (l) => l.namespace === pod.metadata.namespace && l.pod === name && l.container === container,
  );
  const previous = query.get("previous") === "true" || query.get("previous") === "1";
  const status = pod.status.containerStatuses?.find((c) => c.name === container);
  let lines = previous ? entry?.previous : entry?.current;
  if (previous && !lines) {
    if (!status?.lastState.terminated) {
      return statusError(
        400,
        "BadRequest",
        `previous terminated container "${container}" in pod "${name}" not found`,
      );
    }
    lines = [];
  }
  if (!lines) {
    const waiting = status?.state.waiting;
    if (waiting && !status?.lastState.terminated) {
      return statusError(
        400,
        "BadRequest",
        `container "${container}" in pod "${name}" is waiting to start: ${waiting.reason}`,
      );
    }
    lines = [];
  }

  const sinceSeconds = query.get("sinceSeconds");
  const sinceTime = query.get("sinceTime");
  const cutoff = sinceSeconds
    ? now - Number(sinceSeconds) * 1000
    : sinceTime
      ? Date.parse(sinceTime)
      : undefined;
  if (cutoff !== undefined && !Number.isNaN(cutoff))
    lines = lines.filter((l) => Date.parse(l.time) >= cutoff);
  const tail = query.get("tailLines");
  if (tail !== null && Number(tail) >= 0) lines = Number(tail) === 0 ? [] : lines.slice(-Number(tail));
  const timestamps = query.get("timestamps") === "true";
  let body = lines.map((l) => (timestamps ? `${l.time} ${l.text}\n` : `${l.text}\n`)).join("");
  const limit = query.get("limitBytes");
  if (limit !== null && Number(limit) > 0) {
    body = new TextDecoder().decode(new TextEncoder().encode(body).slice(0, Number(limit)));
  }
  return new Response(body, { headers: { "content-type": "text/plain" } });
}
