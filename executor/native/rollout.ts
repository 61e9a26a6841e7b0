/**
 * Owns answering `kubectl rollout status` and `rollout history` (of a Deployment, StatefulSet or
 * DaemonSet) natively: `deployment/NAME`, `sts/NAME`, `ds/NAME` (or the other
 * spellings, `TYPE NAME`)
 * with -n, and for status --watch/-w and --timeout. Each reads what kubectl reads. Status: the
 * builder's GET, then the watcher's first list by metadata.name, judged as kubectl v1.32's
 * DeploymentStatusViewer, StatefulSetStatusViewer or DaemonSetStatusViewer judges it; a rollout
 * still under way and watched (kubectl's default) is followed as kubectl's watcher follows it: from
 * the list's resourceVersion, each change judged and its words printed, until the rollout is done
 * (exit 0), fails (kubectl's error) or the follow's bound comes. A --timeout with a rollout to
 * wait for stays kubectl's.
 * History: the builder's GET, the history viewer's own GET and its list by the workload's selector
 * (a Deployment's ReplicaSets, a StatefulSet's or DaemonSet's ControllerRevisions); the ones it
 * controls give each revision and its change cause, printed as kubectl v1.32's history viewers
 * print them. --revision, a selector, -o and every other kind run kubectl.
 */
import { parseKubectlArgv } from "../policy";
import type { KubeFetch } from "./client";
import { labelSelector } from "./describe-parts";
import { OBJECT_NAME } from "./discovery";
import {
  checkHistoryReplicaSetList,
  checkHistoryRevisionList,
  checkHistoryWorkload,
  checkRolloutDaemonSet,
  checkRolloutDeployment,
  checkRolloutStatefulSet,
  checkWatchEvent,
  type HistoryReplicaSet,
  type RolloutDaemonSet,
  type RolloutDeployment,
  type RolloutStatefulSet,
} from "./kube-types";
import { type FollowSink, failed, type NativeOutput, noOutput } from "./output";
import { plainError, serverError } from "./server-error";
import { tabwrite } from "./tabwriter";
import { watchEvents } from "./watch-events";

const encoder = new TextEncoder();

export interface RolloutRequest {
  command: "status" | "history";
  /** The workload's resource. */
  resource: "deployments" | "statefulsets" | "daemonsets";
  name: string;
  namespace?: string;
  watch: boolean;
  /** --timeout given (other than 0): how long kubectl waits, which native reads leave to it. */
  timeout: boolean;
}

const RESOURCE = new Map<string, RolloutRequest["resource"]>([
  ...["deployment", "deployments", "deploy", "deployment.apps", "deployments.apps"].map(
    (type) => [type, "deployments"] as const,
  ),
  ...["statefulset", "statefulsets", "sts", "statefulset.apps", "statefulsets.apps"].map(
    (type) => [type, "statefulsets"] as const,
  ),
  ...["daemonset", "daemonsets", "ds", "daemonset.apps", "daemonsets.apps"].map(
    (type) => [type, "daemonsets"] as const,
  ),
]);
/** A Go duration, as --timeout takes one. */
const DURATION = /^(0|([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+)$/;
const JSON_ACCEPT = "application/json";
const PROGRESSING = "Progressing";
const REVISION = "deployment.kubernetes.io/revision";
const CHANGE_CAUSE = "kubernetes.io/change-cause";
const PRINTABLE = /^[\x20-\x7e]*$/;
const TIMED_OUT = "ProgressDeadlineExceeded";

export function readRolloutRequest(argv: readonly string[]): RolloutRequest | undefined {
  const parsed = parseKubectlArgv(argv);
  const command =
    parsed.path === "rollout status" ? "status" : parsed.path === "rollout history" ? "history" : null;
  if (command === null || parsed.issues.length > 0) return undefined;
  const [first = "", ...rest] = parsed.positionals;
  const slash = first.indexOf("/");
  const [type, name] = slash === -1 ? [first, rest[0]] : [first.slice(0, slash), first.slice(slash + 1)];
  const resource = RESOURCE.get(type);
  if (resource === undefined || name === undefined || !OBJECT_NAME.test(name)) return undefined;
  if (rest.length > (slash === -1 ? 1 : 0)) return undefined;
  const request: RolloutRequest = { command, resource, name, watch: true, timeout: false };
  const seen = new Set<string>();
  for (const { name: flag, value, known } of parsed.flags) {
    if (!known || seen.has(flag)) return undefined;
    seen.add(flag);
    if (flag === "namespace" && value) request.namespace = value;
    else if (command === "history") return undefined;
    else if (flag === "watch" && (value === undefined || value === "true" || value === "false"))
      request.watch = value !== "false";
    else if (flag === "timeout" && value !== undefined && DURATION.test(value))
      request.timeout = value !== "0";
    else return undefined;
  }
  return request;
}

/** A status viewer's judgement: its words and whether the rollout is done, or its error. */
type Judged = { text: string; done: boolean } | { error: string };

/** What DeploymentStatusViewer says of `d`: its words, whether the rollout is done, or its error. */
function deploymentStatus(d: RolloutDeployment): Judged {
  const { name, generation = 0 } = d.metadata;
  const { observedGeneration = 0, updatedReplicas = 0, replicas = 0, availableReplicas = 0 } = d.status ?? {};
  if (generation > observedGeneration)
    return { text: "Waiting for deployment spec update to be observed...\n", done: false };
  const progressing = d.status?.conditions?.find((c) => c.type === PROGRESSING);
  if (progressing?.reason === TIMED_OUT)
    return { error: `deployment "${name}" exceeded its progress deadline` };
  const waiting = `Waiting for deployment "${name}" rollout to finish:`;
  if (d.spec.replicas !== undefined && updatedReplicas < d.spec.replicas)
    return {
      text: `${waiting} ${updatedReplicas} out of ${d.spec.replicas} new replicas have been updated...\n`,
      done: false,
    };
  if (replicas > updatedReplicas)
    return {
      text: `${waiting} ${replicas - updatedReplicas} old replicas are pending termination...\n`,
      done: false,
    };
  if (availableReplicas < updatedReplicas)
    return {
      text: `${waiting} ${availableReplicas} of ${updatedReplicas} updated replicas are available...\n`,
      done: false,
    };
  return { text: `deployment "${name}" successfully rolled out\n`, done: true };
}

/** What StatefulSetStatusViewer says of `s`: its words, whether the rollout is done, or its error. */
function statefulSetStatus(s: RolloutStatefulSet): Judged {
  const { type, rollingUpdate } = s.spec.updateStrategy ?? {};
  if (type !== "RollingUpdate")
    return { error: "rollout status is only available for RollingUpdate strategy type" };
  const { generation = 0 } = s.metadata;
  const {
    observedGeneration = 0,
    readyReplicas = 0,
    updatedReplicas = 0,
    currentReplicas = 0,
  } = s.status ?? {};
  if (observedGeneration === 0 || generation > observedGeneration)
    return { text: "Waiting for statefulset spec update to be observed...\n", done: false };
  const { replicas } = s.spec;
  if (replicas !== undefined && readyReplicas < replicas)
    return { text: `Waiting for ${replicas - readyReplicas} pods to be ready...\n`, done: false };
  if (rollingUpdate !== undefined) {
    const { partition } = rollingUpdate;
    if (replicas !== undefined && partition !== undefined && updatedReplicas < replicas - partition)
      return {
        text: `Waiting for partitioned roll out to finish: ${updatedReplicas} out of ${replicas - partition} new pods have been updated...\n`,
        done: false,
      };
    return {
      text: `partitioned roll out complete: ${updatedReplicas} new pods have been updated...\n`,
      done: true,
    };
  }
  const { updateRevision = "", currentRevision = "" } = s.status ?? {};
  if (updateRevision !== currentRevision)
    return {
      text: `waiting for statefulset rolling update to complete ${updatedReplicas} pods at revision ${updateRevision}...\n`,
      done: false,
    };
  return {
    text: `statefulset rolling update complete ${currentReplicas} pods at revision ${currentRevision}...\n`,
    done: true,
  };
}

/** What DaemonSetStatusViewer says of `d`: its words, whether the rollout is done, or its error. */
function daemonSetStatus(d: RolloutDaemonSet): Judged {
  if (d.spec.updateStrategy?.type !== "RollingUpdate")
    return { error: "rollout status is only available for RollingUpdate strategy type" };
  const { name, generation = 0 } = d.metadata;
  const {
    observedGeneration = 0,
    desiredNumberScheduled = 0,
    updatedNumberScheduled = 0,
    numberAvailable = 0,
  } = d.status ?? {};
  if (generation > observedGeneration)
    return { text: "Waiting for daemon set spec update to be observed...\n", done: false };
  const waiting = `Waiting for daemon set "${name}" rollout to finish:`;
  if (updatedNumberScheduled < desiredNumberScheduled)
    return {
      text: `${waiting} ${updatedNumberScheduled} out of ${desiredNumberScheduled} new pods have been updated...\n`,
      done: false,
    };
  if (numberAvailable < desiredNumberScheduled)
    return {
      text: `${waiting} ${numberAvailable} of ${desiredNumberScheduled} updated pods are available...\n`,
      done: false,
    };
  return { text: `daemon set "${name}" successfully rolled out\n`, done: true };
}

/** What kubectl names each workload by in the line above its history. */
const QUALIFIED: Record<RolloutRequest["resource"], string> = {
  deployments: "deployment.apps",
  statefulsets: "statefulset.apps",
  daemonsets: "daemonset.apps",
};

type Owned = {
  metadata: {
    annotations?: Record<string, string>;
    ownerReferences?: HistoryReplicaSet["metadata"]["ownerReferences"];
  };
};

/**
 * The history viewer's table of what `uid` controls: each revision once (a later one of the same
 * number wins, as in kubectl's map), in order, with its change cause or <none>; undefined for a
 * revision it cannot read or a cause it does not print as is.
 */
function history<T extends Owned>(
  uid: string,
  owned: T[],
  revisionOf: (item: T) => number | undefined,
): string | undefined {
  const causes = new Map<number, string>();
  for (const item of owned) {
    if (item.metadata.ownerReferences?.find((owner) => owner.controller)?.uid !== uid) continue;
    const revision = revisionOf(item);
    if (revision === undefined) return undefined;
    const cause = item.metadata.annotations?.[CHANGE_CAUSE] ?? "";
    if (!PRINTABLE.test(cause)) return undefined;
    causes.set(revision, cause);
  }
  const rows = [...causes.keys()].sort((a, b) => a - b).map((r) => `${r}\t${causes.get(r) || "<none>"}\n`);
  return causes.size === 0
    ? "No rollout history found."
    : tabwrite(`REVISION\tCHANGE-CAUSE\n${rows.join("")}`, { minWidth: 0, padding: 2 });
}

/** A ReplicaSet's revision annotation; kubectl logs a timed warning for one it cannot read, left to it. */
function replicaSetRevision(rs: HistoryReplicaSet): number | undefined {
  const text = rs.metadata.annotations?.[REVISION];
  return text !== undefined && /^(0|[1-9][0-9]{0,15})$/.test(text) ? Number(text) : undefined;
}

/**
 * The history viewer's reads after the builder's: the workload again, then what it controls by its
 * selector, unpaged (a Deployment's ReplicaSets, a StatefulSet's or DaemonSet's ControllerRevisions).
 */
async function readHistory(
  fetch: KubeFetch,
  request: RolloutRequest,
  read: () => Promise<Response>,
): Promise<string | undefined> {
  const again = await read();
  const workload: unknown = again.ok ? await again.json() : undefined;
  if (!checkHistoryWorkload.Check(workload)) return undefined;
  const selector = labelSelector(workload.spec.selector);
  if (selector === undefined) return undefined;
  const query = new URLSearchParams({ labelSelector: selector });
  const owned = request.resource === "deployments" ? "replicasets" : "controllerrevisions";
  const namespace = encodeURIComponent(workload.metadata.namespace);
  const listed = await fetch(`/apis/apps/v1/namespaces/${namespace}/${owned}?${query}`, JSON_ACCEPT);
  const list: unknown = listed.ok ? await listed.json() : undefined;
  const { uid } = workload.metadata;
  const table =
    owned === "replicasets"
      ? checkHistoryReplicaSetList.Check(list) && history(uid, list.items, replicaSetRevision)
      : checkHistoryRevisionList.Check(list) && history(uid, list.items, (cr) => cr.revision);
  return table ? `${QUALIFIED[request.resource]}/${workload.metadata.name} \n${table}\n` : undefined;
}

/** `sink`: where a rollout still under way, watched, is followed; without one, that is kubectl's. */
export async function nativeRollout(
  fetch: KubeFetch,
  request: RolloutRequest,
  sink?: FollowSink,
): Promise<NativeOutput | undefined> {
  const namespace = encodeURIComponent(request.namespace ?? "default");
  const collection = `/apis/apps/v1/namespaces/${namespace}/${request.resource}`;
  const read = () => fetch(`${collection}/${encodeURIComponent(request.name)}`, JSON_ACCEPT);
  const got = await read();
  if (!got.ok) {
    const error = await serverError(got);
    return error === undefined ? undefined : { stdout: "", stderr: error, exitCode: 1 };
  }
  if (request.command === "history") {
    const stdout = await readHistory(fetch, request, read);
    return stdout === undefined ? undefined : { stdout, stderr: "", exitCode: 0 };
  }
  // What the watcher sees first: the list of that one name.
  const query = new URLSearchParams({ fieldSelector: `metadata.name=${request.name}` });
  const listed = await fetch(`${collection}?${query}`, JSON_ACCEPT);
  const list = (listed.ok ? await listed.json() : undefined) as
    | { items?: unknown[]; metadata?: { resourceVersion?: unknown } }
    | undefined;
  const [workload] = list?.items ?? [];
  if (list?.items?.length !== 1) return undefined;
  const seen = judge(request.resource, workload);
  if (seen === undefined) return undefined;
  if ("error" in seen) return { stdout: "", stderr: `error: ${seen.error}\n`, exitCode: 1 };
  if (seen.done || !request.watch) return { stdout: seen.text, stderr: "", exitCode: 0 };
  const resourceVersion = list.metadata?.resourceVersion;
  if (sink === undefined || request.timeout || typeof resourceVersion !== "string") return undefined;
  sink.write("stdout", encoder.encode(seen.text));
  query.set("resourceVersion", resourceVersion);
  query.set("watch", "true");
  return followRollout(fetch, `${collection}?${query}`, request, sink);
}

/** A status viewer's judgement of `workload`, read as its kind; undefined where it is not one. */
function judge(resource: RolloutRequest["resource"], workload: unknown): Judged | undefined {
  if (resource === "deployments" && checkRolloutDeployment.Check(workload)) return deploymentStatus(workload);
  if (resource === "statefulsets" && checkRolloutStatefulSet.Check(workload))
    return statefulSetStatus(workload);
  if (resource === "daemonsets" && checkRolloutDaemonSet.Check(workload)) return daemonSetStatus(workload);
  return undefined;
}

/**
 * The watcher's changes: each added or modified workload judged again and its words printed (the
 * same words again too, as kubectl prints them), until it is done or fails; deleted, kubectl's
 * error. A watch that ends, or says something else, ends the command with what was printed.
 */
async function followRollout(
  fetch: KubeFetch,
  path: string,
  request: RolloutRequest,
  sink: FollowSink,
): Promise<NativeOutput> {
  const response = await fetch(path, JSON_ACCEPT);
  if (!response.ok || response.body === null) {
    const error = response.ok ? undefined : await serverError(response);
    return failed(error ?? plainError(response.status, "a watch"));
  }
  for await (const event of watchEvents(response.body, sink.stop)) {
    if (!checkWatchEvent.Check(event)) break;
    if (event.type === "DELETED") return failed("error: object has been deleted\n");
    if (event.type !== "ADDED" && event.type !== "MODIFIED") break;
    const seen = judge(request.resource, event.object);
    if (seen === undefined) break;
    if ("error" in seen) return failed(`error: ${seen.error}\n`);
    sink.write("stdout", encoder.encode(seen.text));
    if (seen.done) break;
  }
  return noOutput();
}
