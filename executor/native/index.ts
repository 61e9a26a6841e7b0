/**
 * Native reads: the common read commands answered inside the executor, printing exactly what
 * kubectl prints, through the command's own cluster-gate grant. `answer` returns undefined for
 * anything it does not answer, and the command runs kubectl as before. Imports nothing from src/.
 */

import { nativeCanI } from "./can-i";
import { readCanIRequest } from "./can-i-request";
import type { KubeFetch } from "./client";
import { nativeClusterInfo, readClusterInfoRequest } from "./cluster-info";
import { nativeDescribe, readDescribeRequest } from "./describe";
import { Discovery } from "./discovery";
import { nativeApiResources, nativeApiVersions } from "./discovery-commands";
import { nativeEvents } from "./events";
import { nativeExplain, OpenApiDocuments, readExplainRequest } from "./explain";
import { nativeGet } from "./get";
import { readGetRequest } from "./get-request";
import { nativeWatch } from "./get-watch";
import { nativeLogs } from "./logs";
import { readLogsRequest } from "./logs-request";
import type { FollowSink, NativeOutput } from "./output";
import { nativeRollout, readRolloutRequest } from "./rollout";
import { nativeTop } from "./top";
import { readTopRequest } from "./top-request";
import { kubectlClientVersion, nativeVersion } from "./version";

export type { KubeFetch } from "./client";
export type { FollowSink, NativeOutput } from "./output";

export interface NativeReads {
  answer(argv: readonly string[], fetch: KubeFetch): Promise<NativeOutput | undefined>;
  /**
   * A command the runner bounds as a follow: `logs -f`, `get -w`, `events -w` and a `rollout status`
   * still under way write to `sink` as the containers print or the objects change, until their
   * streams end or `sink.stop` aborts, and answer what is left to print; anything else is
   * answered whole, as `answer` does (`rollout status` of a settled rollout). Undefined, with
   * nothing written, when native reads do not answer it.
   */
  follow(argv: readonly string[], fetch: KubeFetch, sink: FollowSink): Promise<NativeOutput | undefined>;
}

export interface NativeReadsOptions {
  /** The kubectl whose client version `version` reports, and its environment. */
  kubectl: string;
  env: Record<string, string>;
  /**
   * The API server's address as the executor's own credentials name it, which `cluster-info` prints
   * (kubectl through the gate would print the gate's); without one, `cluster-info` runs kubectl.
   */
  controlPlane?: string;
}

export function createNativeReads({ kubectl, env, controlPlane }: NativeReadsOptions): NativeReads {
  const discovery = new Discovery();
  const documents = new OpenApiDocuments();
  const clientVersion = kubectlClientVersion(kubectl, env);
  const reads: NativeReads = {
    async answer(argv, fetch) {
      if (argv.length === 1 && argv[0] === "api-versions") return nativeApiVersions(fetch, discovery);
      if (argv[0] === "api-resources") return nativeApiResources(argv, fetch, discovery);
      if (argv[0] === "events") return nativeEvents(argv, fetch, discovery);
      if (argv[0] === "version") return nativeVersion(argv, fetch, clientVersion);
      const clusterInfo = readClusterInfoRequest(argv);
      if (clusterInfo !== undefined)
        return controlPlane === undefined ? undefined : nativeClusterInfo(fetch, controlPlane, clusterInfo);
      const explain = readExplainRequest(argv);
      if (explain !== undefined) return nativeExplain(fetch, discovery, documents, explain);
      const canI = readCanIRequest(argv);
      if (canI !== undefined) return nativeCanI(fetch, discovery, canI);
      const get = readGetRequest(argv);
      // --output-watch-events matters only to a watch; without one it is kubectl's, not assumed harmless.
      if (get !== undefined && get.watch === "no" && !get.outputWatchEvents)
        return nativeGet(fetch, discovery, get);
      if (get !== undefined) return undefined;
      const logs = readLogsRequest(argv);
      if (logs !== undefined) return nativeLogs(fetch, discovery, logs);
      const top = readTopRequest(argv);
      if (top !== undefined) return nativeTop(fetch, top);
      const describe = readDescribeRequest(argv);
      if (describe !== undefined) return nativeDescribe(fetch, discovery, describe);
      const rollout = readRolloutRequest(argv);
      return rollout === undefined ? undefined : nativeRollout(fetch, rollout);
    },
    async follow(argv, fetch, sink) {
      const logs = readLogsRequest(argv);
      if (logs?.follow) return nativeLogs(fetch, discovery, logs, sink);
      const get = readGetRequest(argv);
      if (get !== undefined && get.watch !== "no") return nativeWatch(fetch, discovery, get, sink);
      const rollout = readRolloutRequest(argv);
      if (rollout !== undefined) return nativeRollout(fetch, rollout, sink);
      if (argv[0] === "events") return nativeEvents(argv, fetch, discovery, sink);
      return reads.answer(argv, fetch);
    },
  };
  return reads;
}
