/**
 * Native reads: the common read commands answered inside the executor, printing exactly what
 * kubectl prints, through the command's own cluster-gate grant. `answer` returns undefined for
 * anything it does not answer, and the command runs kubectl as before. Imports nothing from src/.
 */
import type { KubeFetch } from "./client";
import { Discovery } from "./discovery";
import { nativeApiResources, nativeApiVersions } from "./discovery-commands";
import { nativeEvents } from "./events";
import { nativeGet } from "./get";
import { readGetRequest } from "./get-request";
import { nativeLogs } from "./logs";
import { readLogsRequest } from "./logs-request";
import type { NativeOutput } from "./output";

export type { KubeFetch } from "./client";
export type { NativeOutput } from "./output";

export interface NativeReads {
  answer(argv: readonly string[], fetch: KubeFetch): Promise<NativeOutput | undefined>;
}

export function createNativeReads(): NativeReads {
  const discovery = new Discovery();
  return {
    async answer(argv, fetch) {
      if (argv.length === 1 && argv[0] === "api-versions") return nativeApiVersions(fetch, discovery);
      if (argv[0] === "api-resources") return nativeApiResources(argv, fetch, discovery);
      if (argv[0] === "events") return nativeEvents(argv, fetch);
      const get = readGetRequest(argv);
      if (get !== undefined) return nativeGet(fetch, discovery, get);
      const logs = readLogsRequest(argv);
      return logs === undefined ? undefined : nativeLogs(fetch, logs);
    },
  };
}
