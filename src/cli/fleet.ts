/**
 * `kubently exec --clusters IDS|GLOB [--selector k=v,…] KUBECTL-COMMAND…`: one command on many
 * clusters, each line of output prefixed by its cluster (padded, so columns still line up), a line
 * per cluster that did not run it on stderr, and exit code 0 only when every cluster exited 0.
 */
import { InvalidArgumentError } from "commander";
import type { FleetListener } from "../client/api";
import type { ClusterSelector, FleetAnswer, FleetExecuteRequest } from "../models";
import { writeWhole } from "./connection";

export interface FleetFlags {
  clusters?: string;
  selector?: Record<string, string>;
}

/** `env=prod,region=eu` as labels; a usage error for anything else. */
export function parseLabels(value: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of value.split(",")) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new InvalidArgumentError(`'${pair}' is not key=value`);
    labels[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return labels;
}

/**
 * Which clusters the flags name: ids (comma-separated), or a glob and/or labels as a selector; a
 * message instead for a combination that names none clearly.
 */
export function fleetTarget({
  clusters,
  selector,
}: FleetFlags): Pick<FleetExecuteRequest, "clusters" | "selector"> | string {
  const glob = clusters !== undefined && /[*?]/.test(clusters);
  if (clusters !== undefined && !glob) {
    if (selector !== undefined) return "--selector goes with a --clusters glob, not a list of ids";
    return { clusters: clusters.split(",") };
  }
  const chosen: ClusterSelector = {};
  if (glob) chosen.name = clusters;
  if (selector) chosen.labels = selector;
  return { selector: chosen };
}

/** 0 when every cluster ran the command and exited 0, else 1. */
export const fleetExitCode = (answer: FleetAnswer): number =>
  answer.clusters.every(({ result }) => result?.exit_code === 0) ? 0 : 1;

/** Each line of `text` prefixed by its cluster, the id padded to `width` so columns still line up. */
const prefixed = (width: number, clusterId: string, text: string) =>
  text === ""
    ? ""
    : text
        .split("\n")
        .slice(0, text.endsWith("\n") ? -1 : undefined)
        .map((line) => `${clusterId.padEnd(width)}  ${line}\n`)
        .join("");

const longest = (clusterIds: string[]) => Math.max(...clusterIds.map((id) => id.length));

/**
 * Prints a streamed fleet call's output as it arrives, each line prefixed by its cluster; `printed`
 * says which cluster's streams it printed, for printFleet not to print them again.
 */
export function printFleetAsItComes(): { listener: FleetListener; printed: Set<string> } {
  const printed = new Set<string>();
  let width = 0;
  const listener: FleetListener = {
    accepted: (clusterIds) => {
      width = longest(clusterIds);
    },
    chunk: ({ cluster_id, stream, text }) => {
      printed.add(`${cluster_id}/${stream}`);
      process[stream].write(prefixed(width, cluster_id, text));
    },
  };
  return { listener, printed };
}

/**
 * The answer as a person reads it: each cluster's lines prefixed by its id (but for the streams
 * already printed as they came), a summary on stderr.
 */
export async function printFleet(answer: FleetAnswer, printed = new Set<string>()): Promise<void> {
  const width = longest(answer.clusters.map(({ cluster_id }) => cluster_id));
  const write = async (clusterId: string, stream: "stdout" | "stderr", text: string) => {
    if (!printed.has(`${clusterId}/${stream}`)) await writeWhole(stream, prefixed(width, clusterId, text));
  };
  for (const { cluster_id, outcome, result, error } of answer.clusters) {
    if (result) {
      await write(cluster_id, "stdout", result.stdout);
      await write(cluster_id, "stderr", result.stderr);
    } else {
      await writeWhole(
        "stderr",
        prefixed(width, cluster_id, `kubently: ${outcome}: ${error?.code}: ${error?.message}`),
      );
    }
  }
  const counts = Object.entries(answer.summary)
    .filter(([, count]) => count > 0)
    .map(([outcome, count]) => `${count} ${outcome}`);
  await writeWhole("stderr", `kubently: ${answer.clusters.length} clusters: ${counts.join(", ")}\n`);
}
