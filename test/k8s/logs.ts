// The pods/log subresource: picks the container, current or previous instance, and
// applies tailLines / sinceSeconds / sinceTime / timestamps / limitBytes like the kubelet.
// With follow, a running container's stream stays open and carries what a test writes to
// it (LogFeed.append); any other ends with what was there, as the kubelet's does.

import { statusError } from "./status";
import type { ContainerLogs, PodView } from "./types";

/** What one pods/log read answers: its container, what is printed, and whether it is running. */
interface LogRead {
  key: string;
  body: string;
  running: boolean;
}

const textResponse = (body: string | ReadableStream<Uint8Array>) =>
  new Response(body, { headers: { "content-type": "text/plain" } });
const keyOf = (namespace: string, pod: string, container: string) => `${namespace}/${pod}/${container}`;

function readLogs(
  pod: PodView,
  logs: ContainerLogs[],
  query: URLSearchParams,
  now: number,
): Response | LogRead {
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
  const running = !previous && status?.state.running !== undefined;
  return { key: keyOf(pod.metadata.namespace ?? "", name, container), body, running };
}

/** One open follow: where its bytes go, how it prints a line, and how many bytes --limit-bytes leaves. */
interface Follower {
  key: string;
  timestamps: boolean;
  left: number;
  send(bytes: Uint8Array): void;
  close(): void;
}

/**
 * The logs the containers write while a test runs: `logs -f` reads of running containers stay
 * open and get each line appended to their container, as it is appended; once --limit-bytes is
 * reached, a follow ends, as the kubelet ends it.
 */
export class LogFeed {
  private readonly followers = new Set<Follower>();
  private readonly waiting: { key: string; opened: () => void }[] = [];

  constructor(private readonly logs: ContainerLogs[]) {}

  /** Answers a pods/log read, following it when the query says so. */
  read(req: Request, pod: PodView, query: URLSearchParams, onStream: (req: Request) => void): Response {
    const read = readLogs(pod, this.logs, query, Date.now());
    if (read instanceof Response) return read;
    if (!["true", "1"].includes(query.get("follow") ?? "")) return textResponse(read.body);
    const bytes = new TextEncoder().encode(read.body);
    const limit = Number(query.get("limitBytes") ?? 0);
    const left = limit > 0 ? limit - bytes.byteLength : Number.POSITIVE_INFINITY;
    if (!read.running || left <= 0) return textResponse(read.body);
    onStream(req);
    const followers = this.followers;
    let follower: Follower | undefined;
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        // Headers leave with the first bytes: an empty log still starts the stream at once.
        controller.enqueue(bytes.byteLength > 0 ? bytes : new Uint8Array(0));
        follower = {
          key: read.key,
          timestamps: query.get("timestamps") === "true",
          left,
          send: (chunk) => controller.enqueue(chunk),
          close: () => {
            followers.delete(follower as Follower);
            try {
              controller.close();
            } catch {}
          },
        };
        followers.add(follower);
        req.signal.addEventListener("abort", () => follower?.close());
        for (const waiter of this.waiting.filter((w) => w.key === read.key)) {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          waiter.opened();
        }
      },
      cancel: () => follower?.close(),
    });
    return textResponse(body);
  }

  /** Resolves once a follow of `namespace/pod/container` is open (one open already counts). */
  followed(namespace: string, pod: string, container: string): Promise<void> {
    const key = keyOf(namespace, pod, container);
    if ([...this.followers].some((f) => f.key === key)) return Promise.resolve();
    return new Promise((opened) => this.waiting.push({ key, opened }));
  }

  /** The container writes `text` as a line now: kept for later reads, sent to every open follow of it. */
  append(namespace: string, pod: string, container: string, text: string): void {
    const time = new Date().toISOString().replace("Z", "000000Z");
    const entry = this.logs.find(
      (l) => l.namespace === namespace && l.pod === pod && l.container === container,
    );
    if (entry === undefined) throw new Error(`no logs of ${namespace}/${pod}/${container} to append to`);
    entry.current.push({ time, text });
    const key = keyOf(namespace, pod, container);
    for (const follower of [...this.followers].filter((f) => f.key === key)) {
      let bytes = new TextEncoder().encode(follower.timestamps ? `${time} ${text}\n` : `${text}\n`);
      if (bytes.byteLength > follower.left) bytes = bytes.subarray(0, follower.left);
      follower.left -= bytes.byteLength;
      follower.send(bytes);
      if (follower.left <= 0) follower.close();
    }
  }
}
