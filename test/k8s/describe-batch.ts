// The `lab` namespace's batch/v1 objects, shaped for what `kubectl describe job` and `describe
// cronjob` print: a CronJob's finished run, a job that ran out of retries, an indexed job part way
// through with more completed indexes than kubectl lists, a work queue with parallelism and no
// completions, a suspended job written before jobs counted ready pods, and two CronJobs, one with a
// time zone and a starting deadline, one suspended with a run still active and a job template of its
// own selector, parallelism, completions and deadline. Written out as the API server returns them,
// defaults and the job controller's labels included.

import type { FixtureBuilder } from "./fixture-builders";
import type { KubeObject } from "./types";

const MIN = 60;
const LAB = "lab";

const worker = (name: string, image: string, args: string[]) => ({
  name,
  image,
  args,
  imagePullPolicy: "IfNotPresent",
  resources: { requests: { cpu: "100m", memory: "128Mi" } },
  terminationMessagePath: "/dev/termination-log",
  terminationMessagePolicy: "File",
});

/** What a Job's pod template holds once the API server defaulted it. */
const podSpec = (container: ReturnType<typeof worker>) => ({
  containers: [container],
  restartPolicy: "Never",
  terminationGracePeriodSeconds: 30,
  dnsPolicy: "ClusterFirst",
  securityContext: {},
  schedulerName: "default-scheduler",
});

interface JobShape {
  name: string;
  createdAgo: number;
  container: ReturnType<typeof worker>;
  spec?: Record<string, unknown>;
  status: Record<string, unknown>;
  owner?: KubeObject;
  annotations?: Record<string, string>;
  /** A selector of its own (manualSelector): the job controller then adds no labels. */
  selector?: Record<string, string>;
}

/** A Job as the API server stores it: the selector and template labels the job controller's API adds. */
function job(b: FixtureBuilder, shape: JobShape): KubeObject {
  const metadata = b.meta("Job", shape.name, LAB, shape.createdAgo);
  const controller = shape.selector ?? {
    "batch.kubernetes.io/controller-uid": metadata.uid,
    "batch.kubernetes.io/job-name": shape.name,
    "controller-uid": metadata.uid,
    "job-name": shape.name,
  };
  const selector = shape.selector ?? { "batch.kubernetes.io/controller-uid": metadata.uid };
  return b.add({
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      ...metadata,
      generation: 1,
      labels: { ...controller, ...(shape.owner ? {} : { team: "data" }) },
      ...(shape.annotations ? { annotations: shape.annotations } : {}),
      ...(shape.owner
        ? {
            ownerReferences: [
              {
                apiVersion: "batch/v1",
                kind: "CronJob",
                name: shape.owner.metadata.name,
                uid: shape.owner.metadata.uid,
                controller: true,
                blockOwnerDeletion: true,
              },
            ],
          }
        : {}),
    },
    spec: {
      parallelism: 1,
      completions: 1,
      backoffLimit: 6,
      completionMode: "NonIndexed",
      suspend: false,
      manualSelector: shape.selector !== undefined,
      podReplacementPolicy: "TerminatingOrFailed",
      ...shape.spec,
      selector: { matchLabels: selector },
      template: { metadata: { labels: controller }, spec: podSpec(shape.container) },
    },
    status: shape.status,
  });
}

const condition = (b: FixtureBuilder, type: string, ago: number, reason?: string, message?: string) => ({
  type,
  status: "True",
  lastProbeTime: b.ago(ago),
  lastTransitionTime: b.ago(ago),
  ...(reason ? { reason } : {}),
  ...(message ? { message } : {}),
});

function cronJobs(b: FixtureBuilder): KubeObject[] {
  const nightly = b.add({
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: {
      ...b.meta("CronJob", "report-nightly", LAB, 29 * MIN),
      generation: 1,
      labels: { team: "data" },
      annotations: { "lab.example.com/owner": "reporting" },
    },
    spec: {
      schedule: "0 2 * * *",
      timeZone: "Europe/Berlin",
      startingDeadlineSeconds: 300,
      concurrencyPolicy: "Forbid",
      suspend: false,
      jobTemplate: {
        metadata: { creationTimestamp: null },
        spec: {
          backoffLimit: 2,
          template: {
            metadata: { creationTimestamp: null, labels: { app: "report" } },
            spec: podSpec(worker("report", "registry.example.com/lab/report:1.4.0", ["--daily"])),
          },
        },
      },
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
    },
    status: { lastScheduleTime: b.ago(12 * MIN), lastSuccessfulTime: b.ago(11 * MIN) },
  });
  const cleanup = b.add({
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { ...b.meta("CronJob", "cleanup", LAB, 28 * MIN), generation: 2 },
    spec: {
      schedule: "*/15 * * * *",
      concurrencyPolicy: "Allow",
      suspend: true,
      jobTemplate: {
        metadata: { creationTimestamp: null },
        spec: {
          parallelism: 2,
          completions: 4,
          activeDeadlineSeconds: 120,
          selector: { matchLabels: { app: "cleanup" } },
          manualSelector: true,
          template: {
            metadata: { creationTimestamp: null, labels: { app: "cleanup" } },
            spec: podSpec(worker("cleanup", "registry.example.com/lab/cleanup:0.9.1", ["--older-than=7d"])),
          },
        },
      },
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
    },
    status: {
      active: [
        {
          kind: "Job",
          namespace: LAB,
          name: "cleanup-29412345",
          uid: b.uid("Job/lab/cleanup-29412345"),
          apiVersion: "batch/v1",
          resourceVersion: "48777",
        },
      ],
      lastScheduleTime: b.ago(3 * MIN),
    },
  });
  return [nightly, cleanup];
}

/** Jobs in every state `get jobs` names, each shaped for a branch of the describer. */
export function labBatch(b: FixtureBuilder): KubeObject[] {
  const [nightly, cleanup] = cronJobs(b);
  if (!nightly || !cleanup) return [];
  const finished = job(b, {
    name: "report-nightly-29412360",
    createdAgo: 12 * MIN,
    owner: nightly,
    container: worker("report", "registry.example.com/lab/report:1.4.0", ["--daily"]),
    spec: { backoffLimit: 2 },
    status: {
      conditions: [condition(b, "SuccessCriteriaMet", 11 * MIN), condition(b, "Complete", 11 * MIN)],
      startTime: b.ago(12 * MIN),
      completionTime: b.ago(11 * MIN - 23),
      succeeded: 1,
      terminating: 0,
      uncountedTerminatedPods: {},
      ready: 0,
    },
  });
  const failed = job(b, {
    name: "migrate-db",
    createdAgo: 26 * MIN,
    container: worker("migrate", "registry.example.com/lab/migrate:3.0.0", ["up", "--to=latest"]),
    annotations: { "lab.example.com/ticket": "DATA-4412" },
    spec: { backoffLimit: 2, activeDeadlineSeconds: 600, ttlSecondsAfterFinished: 3600 },
    status: {
      conditions: [
        condition(
          b,
          "FailureTarget",
          19 * MIN,
          "BackoffLimitExceeded",
          "Job has reached the specified backoff limit",
        ),
        condition(
          b,
          "Failed",
          19 * MIN,
          "BackoffLimitExceeded",
          "Job has reached the specified backoff limit",
        ),
      ],
      startTime: b.ago(26 * MIN),
      failed: 3,
      terminating: 0,
      uncountedTerminatedPods: {},
      ready: 0,
    },
  });
  const indexed = job(b, {
    name: "shard-index",
    createdAgo: 18 * MIN,
    container: worker("indexer", "registry.example.com/lab/indexer:2.1.0", ["--shards=40"]),
    spec: {
      parallelism: 2,
      completions: 40,
      completionMode: "Indexed",
      backoffLimitPerIndex: 1,
      maxFailedIndexes: 4,
    },
    status: {
      startTime: b.ago(18 * MIN),
      active: 2,
      ready: 1,
      succeeded: 22,
      failed: 1,
      terminating: 0,
      completedIndexes: "0-3,5,7,9,11,13,15,17,19,21,23,25,27,29,31,33,35,37,39",
      failedIndexes: "",
      uncountedTerminatedPods: {},
    },
  });
  const running = job(b, {
    name: "cleanup-29412345",
    createdAgo: 3 * MIN,
    owner: cleanup,
    selector: { app: "cleanup" },
    container: worker("cleanup", "registry.example.com/lab/cleanup:0.9.1", ["--older-than=7d"]),
    spec: { parallelism: 2, completions: 4, activeDeadlineSeconds: 120 },
    status: {
      startTime: b.ago(3 * MIN),
      active: 2,
      ready: 2,
      succeeded: 1,
      terminating: 0,
      uncountedTerminatedPods: {},
    },
  });
  const queue = job(b, {
    name: "queue-workers",
    createdAgo: 9 * MIN,
    container: worker("worker", "registry.example.com/lab/worker:5.2.3", ["--queue=reports"]),
    // A work queue: no completions (dropped as the object is served), so any pod's success ends it.
    spec: { parallelism: 3, completions: undefined },
    status: { startTime: b.ago(9 * MIN), active: 3, ready: 3, terminating: 0, uncountedTerminatedPods: {} },
  });
  const paused = job(b, {
    name: "export-archive",
    createdAgo: 24 * MIN,
    container: worker("export", "registry.example.com/lab/export:1.0.2", ["--bucket=archive"]),
    spec: { suspend: true, backoffLimit: 4 },
    status: { conditions: [condition(b, "Suspended", 24 * MIN, "JobSuspended", "Job suspended")] },
  });
  const event = (
    involved: KubeObject,
    component: string,
    reason: string,
    message: string,
    ago: number,
    type: "Normal" | "Warning" = "Normal",
  ) => b.event({ namespace: LAB, involved, component, reason, message, firstAgo: ago, type });
  return [
    nightly,
    cleanup,
    finished,
    failed,
    indexed,
    running,
    queue,
    paused,
    event(nightly, "cronjob-controller", "SuccessfulCreate", "Created job report-nightly-29412360", 12 * MIN),
    event(
      nightly,
      "cronjob-controller",
      "SawCompletedJob",
      "Saw completed job: report-nightly-29412360, status: Complete",
      11 * MIN,
    ),
    event(cleanup, "cronjob-controller", "SuccessfulCreate", "Created job cleanup-29412345", 3 * MIN),
    event(
      finished,
      "job-controller",
      "SuccessfulCreate",
      "Created pod: report-nightly-29412360-q8r4t",
      12 * MIN,
    ),
    event(finished, "job-controller", "Completed", "Job completed", 11 * MIN),
    event(failed, "job-controller", "SuccessfulCreate", "Created pod: migrate-db-hk2v9", 26 * MIN),
    event(
      failed,
      "job-controller",
      "BackoffLimitExceeded",
      "Job has reached the specified backoff limit",
      19 * MIN,
      "Warning",
    ),
    event(indexed, "job-controller", "SuccessfulCreate", "Created pod: shard-index-36-x7n2c", 2 * MIN),
  ];
}
