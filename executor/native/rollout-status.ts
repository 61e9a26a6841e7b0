/**
 * Owns answering `kubectl rollout status` of a Deployment natively: `deployment/NAME` (or `deploy`,
 * `deployments`, `TYPE NAME`) with -n, --watch/-w and --timeout. It reads what kubectl reads (the
 * builder's GET, then the watcher's first list by metadata.name) and prints what kubectl v1.32's
 * DeploymentStatusViewer says of it. kubectl keeps watching a rollout that is not done unless told
 * --watch=false: only then is there nothing to wait for, so a rollout still under way with watching
 * on, --revision, a selector and every other kind run kubectl.
 */
import { parseKubectlArgv } from "../policy";
import type { KubeFetch } from "./client";
import { checkRolloutDeployment, type RolloutDeployment } from "./kube-types";
import type { NativeOutput } from "./output";
import { serverError } from "./server-error";

export interface RolloutStatusRequest {
  name: string;
  namespace?: string;
  watch: boolean;
}

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const DEPLOYMENT = new Set(["deployment", "deployments", "deploy", "deployment.apps", "deployments.apps"]);
/** A Go duration, as --timeout takes one (it only bounds waiting, which an answer here never does). */
const DURATION = /^(0|([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+)$/;
const JSON_ACCEPT = "application/json";
const PROGRESSING = "Progressing";
const TIMED_OUT = "ProgressDeadlineExceeded";

export function readRolloutStatusRequest(argv: readonly string[]): RolloutStatusRequest | undefined {
  const parsed = parseKubectlArgv(argv);
  if (parsed.path !== "rollout status" || parsed.issues.length > 0) return undefined;
  const [first = "", ...rest] = parsed.positionals;
  const slash = first.indexOf("/");
  const [type, name] = slash === -1 ? [first, rest[0]] : [first.slice(0, slash), first.slice(slash + 1)];
  if (!DEPLOYMENT.has(type) || name === undefined || !NAME.test(name)) return undefined;
  if (rest.length > (slash === -1 ? 1 : 0)) return undefined;
  const request: RolloutStatusRequest = { name, watch: true };
  const seen = new Set<string>();
  for (const { name: flag, value, known } of parsed.flags) {
    if (!known || seen.has(flag)) return undefined;
    seen.add(flag);
    if (flag === "namespace" && value) request.namespace = value;
    else if (flag === "watch" && (value === undefined || value === "true" || value === "false"))
      request.watch = value !== "false";
    else if (flag === "timeout" && value !== undefined && DURATION.test(value)) continue;
    else return undefined;
  }
  return request;
}

/** What DeploymentStatusViewer says of `d`: its words, whether the rollout is done, or its error. */
function status(d: RolloutDeployment): { text: string; done: boolean } | { error: string } {
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

export async function nativeRolloutStatus(
  fetch: KubeFetch,
  request: RolloutStatusRequest,
): Promise<NativeOutput | undefined> {
  const collection = `/apis/apps/v1/namespaces/${encodeURIComponent(request.namespace ?? "default")}/deployments`;
  const got = await fetch(`${collection}/${encodeURIComponent(request.name)}`, JSON_ACCEPT);
  if (!got.ok) {
    const error = await serverError(got);
    return error === undefined ? undefined : { stdout: "", stderr: error, exitCode: 1 };
  }
  // What the watcher sees first: the list of that one name.
  const query = new URLSearchParams({ fieldSelector: `metadata.name=${request.name}` });
  const listed = await fetch(`${collection}?${query}`, JSON_ACCEPT);
  const list = (listed.ok ? await listed.json() : undefined) as { items?: unknown[] } | undefined;
  const [deployment] = list?.items ?? [];
  if (list?.items?.length !== 1 || !checkRolloutDeployment.Check(deployment)) return undefined;
  const seen = status(deployment);
  if ("error" in seen) return { stdout: "", stderr: `error: ${seen.error}\n`, exitCode: 1 };
  if (!seen.done && request.watch) return undefined;
  return { stdout: seen.text, stderr: "", exitCode: 0 };
}
