/**
 * Owns what `kubectl describe job` and `describe cronjob` print for one object, as kubectl v1.32's
 * JobDescriber and CronJobDescriber write them: a Job's spec as set, its times and duration, its
 * pods counted from its status (with the ready count where the job controller keeps one), its
 * completed indexes cut as capIndexesListOrNone cuts them, its pod template and events; a CronJob's
 * schedule and history limits, its job template (describeJobTemplate), its last schedule time, its
 * active jobs and events.
 */
import { humanDuration } from "../../src/models";
import {
  controlledHeader,
  events,
  labelSelector,
  laidOutBy,
  nameAndLabels,
  podTemplate,
  rfc1123z,
  unmodeled,
  Writer,
} from "./describe-parts";
import type { DescribedCronJob, DescribedJob } from "./describe-types";
import type { KubeEvent } from "./kube-types";

/** The completed indexes up to the first comma past `softLimit` characters, then `...`. */
function capIndexes(indexes: string | undefined, softLimit: number): string {
  if (!indexes) return "<none>";
  const comma = indexes.indexOf(",", softLimit);
  return comma === -1 ? indexes : `${indexes.slice(0, comma + 1)}...`;
}

/** An optional count as the describers write one: the number, or `<unset>`. */
const orUnset = (value: number | undefined, unit = "") =>
  value === undefined ? "<unset>" : `${value}${unit}`;

function describeJobObject(job: DescribedJob, list: KubeEvent[] | undefined, now: number) {
  const { metadata, spec } = job;
  const status = job.status ?? {};
  const w = new Writer();
  controlledHeader(w, metadata, spec.selector);
  if (spec.parallelism !== undefined) w.write(0, `Parallelism:\t${spec.parallelism}\n`);
  w.write(0, `Completions:\t${orUnset(spec.completions)}\n`);
  if (spec.completionMode !== undefined) w.write(0, `Completion Mode:\t${spec.completionMode}\n`);
  if (spec.suspend !== undefined) w.write(0, `Suspend:\t${spec.suspend}\n`);
  if (spec.backoffLimit !== undefined) w.write(0, `Backoff Limit:\t${spec.backoffLimit}\n`);
  if (spec.ttlSecondsAfterFinished !== undefined)
    w.write(0, `TTL Seconds After Finished:\t${spec.ttlSecondsAfterFinished}\n`);
  const { startTime, completionTime } = status;
  if (startTime !== undefined) w.write(0, `Start Time:\t${rfc1123z(startTime)}\n`);
  if (completionTime !== undefined) w.write(0, `Completed At:\t${rfc1123z(completionTime)}\n`);
  if (startTime !== undefined && completionTime !== undefined)
    w.write(0, `Duration:\t${humanDuration(Date.parse(completionTime) - Date.parse(startTime))}\n`);
  if (spec.activeDeadlineSeconds !== undefined)
    w.write(0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`);
  const [active, succeeded, failed] = [status.active ?? 0, status.succeeded ?? 0, status.failed ?? 0];
  const ready = status.ready === undefined ? "" : ` (${status.ready} Ready)`;
  w.write(0, `Pods Statuses:\t${active} Active${ready} / ${succeeded} Succeeded / ${failed} Failed\n`);
  if (spec.completionMode === "Indexed")
    w.write(0, `Completed Indexes:\t${capIndexes(status.completedIndexes, 50)}\n`);
  podTemplate(w, spec.template);
  events(w, list, now);
  return w.text;
}

/** printBoolPtr: True, False, or `<unset>` when the field is not there. */
const boolPtr = (value: boolean | undefined) => (value === undefined ? "<unset>" : value ? "True" : "False");

function describeCronJobObject(cronJob: DescribedCronJob, list: KubeEvent[] | undefined, now: number) {
  const { metadata, spec } = cronJob;
  const template = spec.jobTemplate.spec;
  const w = new Writer();
  nameAndLabels(w, metadata);
  w.write(0, `Schedule:\t${spec.schedule}\n`);
  w.write(0, `Concurrency Policy:\t${spec.concurrencyPolicy ?? ""}\n`);
  w.write(0, `Suspend:\t${boolPtr(spec.suspend)}\n`);
  w.write(0, `Successful Job History Limit:\t${orUnset(spec.successfulJobsHistoryLimit)}\n`);
  w.write(0, `Failed Job History Limit:\t${orUnset(spec.failedJobsHistoryLimit)}\n`);
  w.write(0, `Starting Deadline Seconds:\t${orUnset(spec.startingDeadlineSeconds, "s")}\n`);
  const selector = template.selector && (labelSelector(template.selector) ?? unmodeled());
  w.write(0, `Selector:\t${selector ?? "<unset>"}\n`);
  w.write(0, `Parallelism:\t${orUnset(template.parallelism)}\n`);
  w.write(0, `Completions:\t${orUnset(template.completions)}\n`);
  if (template.activeDeadlineSeconds !== undefined)
    w.write(0, `Active Deadline Seconds:\t${template.activeDeadlineSeconds}s\n`);
  podTemplate(w, template.template);
  const last = cronJob.status?.lastScheduleTime;
  w.write(0, `Last Schedule Time:\t${last === undefined ? "<unset>" : rfc1123z(last)}\n`);
  const active = cronJob.status?.active ?? [];
  w.write(0, `Active Jobs:\t${active.length === 0 ? "<none>" : active.map((job) => job.name).join(", ")}\n`);
  events(w, list, now);
  return w.text;
}

/** What kubectl describe prints for `job` and its events, laid out; undefined where it holds what is not modeled. */
export const describeJob = laidOutBy(describeJobObject);

/** What kubectl describe prints for `cronJob` and its events, laid out; undefined where it holds what is not modeled. */
export const describeCronJob = laidOutBy(describeCronJobObject);
