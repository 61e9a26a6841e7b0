/**
 * Fleet: one command on many clusters at once. The clusters are named or selected (labels and an id
 * glob) from the registry; each connected one gets the command through dispatch, exactly as
 * POST /debug/execute would queue it (its policy, audit entry and rate limit apply per cluster), all
 * tied by the caller's one correlation id. Every cluster gets its own answer: its result, or the error
 * its own execute would have met; one cluster never fails the call. A cluster with no executor
 * connected is answered `offline` at once and nothing is queued for it, so a dead cluster never makes
 * the whole call wait out its timeout.
 */
import { ApiError, badRequest, notFound } from "../../http/errors";
import type {
  ClusterSelector,
  ClusterView,
  Command,
  FleetAnswer,
  FleetClusterAnswer,
  FleetExecuteRequest,
  FleetOutcome,
} from "../../models";
import { nowMs } from "../../store";
import type { ClusterService } from "../clusters/service";
import { type FollowOptions, refuseLongWindow } from "../dispatch/follow";
import type { Dispatch, ExecuteCaller, Settlement } from "../dispatch/service";
import type { Lifecycle } from "../health/lifecycle";

/** Commands queued at once while a fleet call fans out: store round trips, not executor work. */
const SUBMITTING_AT_ONCE = 32;

/** A cluster of a started fleet call: its command (null when answered at once) and its answer to come. */
export interface StartedCluster {
  cluster_id: string;
  command_id: string | null;
  answer: Promise<FleetClusterAnswer>;
}

/**
 * Queues the command on every target (refusing the call before anything is queued when it names
 * none); `beforeQueue` runs with each built command before any executor can see it.
 */
export type FleetStart = (
  request: FleetExecuteRequest,
  caller: ExecuteCaller,
  beforeQueue?: (command: Command) => Promise<void>,
) => Promise<StartedCluster[]>;

export type FleetExecute = (request: FleetExecuteRequest, caller: ExecuteCaller) => Promise<FleetAnswer>;

export interface FleetDeps {
  dispatch: Pick<Dispatch, "submit">;
  clusters: Pick<ClusterService, "list">;
  lifecycle: Pick<Lifecycle, "admit" | "track">;
  /** The server's follow window, so a window over its maximum refuses the whole call up front. */
  follow: FollowOptions;
}

const OUTCOMES: FleetOutcome[] = ["success", "failure", "denied", "offline", "timeout", "error"];

export function createFleetStart({ dispatch, clusters, lifecycle, follow }: FleetDeps): FleetStart {
  return async ({ clusters: named, selector, correlation_id: _, ...command }, caller, beforeQueue) => {
    lifecycle.admit();
    refuseLongWindow(command, follow);
    // Only the clusters in the caller's scope are listed, so a selector never reaches past it.
    const registered = await clusters.list(nowMs(), caller.scope);
    if (named && selector) throw badRequest("CLUSTERS_OR_SELECTOR", "give clusters or a selector, not both");
    const targets = named ? namedClusters(named, registered) : selectedClusters(selector, registered);
    return eachAtMost(SUBMITTING_AT_ONCE, targets, async (target): Promise<StartedCluster> => {
      const atOnce = (answer: FleetClusterAnswer) => ({
        cluster_id: target.id,
        command_id: null,
        answer: Promise.resolve(answer),
      });
      // A named cluster not listed is unknown or out of scope: its own execute says which.
      if (target.view && !target.view.connected) return atOnce(offline(target.id));
      try {
        const submitted = await dispatch.submit({ ...command, cluster_id: target.id }, caller, beforeQueue);
        return {
          cluster_id: target.id,
          command_id: submitted.command.command_id,
          answer: lifecycle.track(submitted.settled).then(
            (settlement) => answerOf(target.id, settlement),
            // A drain gave up on the wait: this cluster's answer is the 503 DRAINING refusal.
            (error: unknown) => {
              if (error instanceof ApiError) return refused(target.id, error);
              throw error;
            },
          ),
        };
      } catch (error) {
        if (error instanceof ApiError) return atOnce(refused(target.id, error));
        throw error;
      }
    });
  };
}

/** The synchronous fleet call: started, then answered when every cluster has its answer. */
export function createFleetExecute(start: FleetStart): FleetExecute {
  return async (request, caller) => {
    const started = await start(request, caller);
    const answers = await Promise.all(started.map(({ answer }) => answer));
    return { correlation_id: caller.correlationId, clusters: answers, summary: summarize(answers) };
  };
}

/** How many clusters ended each way. */
export function summarize(answers: FleetClusterAnswer[]): FleetAnswer["summary"] {
  const summary = Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0])) as FleetAnswer["summary"];
  for (const answer of answers) summary[answer.outcome] += 1;
  return summary;
}

interface Target {
  id: string;
  view: ClusterView | undefined;
}

function namedClusters(ids: string[], registered: ClusterView[]): Target[] {
  const byId = new Map(registered.map((view) => [view.cluster_id, view]));
  return [...ids].sort().map((id) => ({ id, view: byId.get(id) }));
}

function selectedClusters(selector: ClusterSelector | undefined, registered: ClusterView[]): Target[] {
  if (!selector) throw badRequest("CLUSTERS_REQUIRED", "give clusters (a list of ids) or a selector");
  const { labels = {}, name } = selector;
  const wanted = Object.entries(labels);
  if (wanted.length === 0 && name === undefined) {
    throw badRequest(
      "EMPTY_SELECTOR",
      "a selector needs labels, a name glob, or both: {} would select every cluster",
    );
  }
  const glob = name === undefined ? null : globPattern(name);
  const matching = registered.filter(
    (view) =>
      (glob === null || glob.test(view.cluster_id)) &&
      wanted.every(([key, value]) => view.labels?.[key] === value),
  );
  if (matching.length === 0) {
    throw notFound("NO_CLUSTER_MATCHES", "no registered cluster matches the selector; nothing was queued", {
      selector,
    });
  }
  return matching.map((view) => ({ id: view.cluster_id, view }));
}

/** A cluster id glob as an anchored pattern: `*` any run of id characters, `?` one; nothing else special. */
const globPattern = (glob: string): RegExp =>
  new RegExp(`^${glob.replace(/[*?]/g, (wild) => (wild === "*" ? "[a-z0-9-]*" : "[a-z0-9-]"))}$`);

/** Runs `work` on every item, `atOnce` at a time, answers in the items' order. */
async function eachAtMost<T, R>(atOnce: number, items: T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const answers: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      answers[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(atOnce, items.length) }, lane));
  return answers;
}

function answerOf(clusterId: string, settlement: Settlement): FleetClusterAnswer {
  if (settlement.result) {
    const outcome = settlement.result.status === "success" ? "success" : "failure";
    return { cluster_id: clusterId, outcome, result: settlement.result };
  }
  return refused(clusterId, settlement.error);
}

const OUTCOME_OF_CODE: Record<string, FleetOutcome> = {
  COMMAND_DENIED: "denied",
  EXECUTOR_OFFLINE: "offline",
  COMMAND_TIMEOUT: "timeout",
};

const refused = (clusterId: string, error: ApiError): FleetClusterAnswer => ({
  cluster_id: clusterId,
  outcome: OUTCOME_OF_CODE[error.code] ?? "error",
  error: { code: error.code, message: error.message, context: error.context },
});

const offline = (clusterId: string): FleetClusterAnswer =>
  refused(
    clusterId,
    new ApiError(
      503,
      "EXECUTOR_OFFLINE",
      `no executor of cluster '${clusterId}' is connected; nothing was queued`,
      {
        cluster_id: clusterId,
        executor_connected: false,
      },
    ),
  );
