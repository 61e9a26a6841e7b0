/**
 * KubentlyApi served from inside the API process, for the /mcp endpoint: the same services the REST
 * controllers use, acting as the identity the /mcp request authenticated as.
 */
import type { KubentlyApi } from "../../client/api";
import { nowMs } from "../../store";
import type { ClusterService } from "../clusters/service";
import type { Execute, ExecuteCaller } from "../dispatch/service";
import type { ExecuteWithChunks } from "../dispatch/stream";
import type { FleetExecute } from "../fleet/service";
import type { OutputService } from "../output/service";
import type { SessionService } from "../session/service";

export interface InProcessServices {
  execute: Execute;
  executeWithChunks: ExecuteWithChunks;
  fleet: FleetExecute;
  sessions: SessionService;
  clusters: ClusterService;
  output: Pick<OutputService, "page">;
}

export function inProcessApi(
  { execute, executeWithChunks, fleet, sessions, clusters, output }: InProcessServices,
  caller: ExecuteCaller,
): KubentlyApi {
  return {
    createSession: ({ cluster_id, user_id, correlation_id, ttl_seconds }) =>
      sessions.create({
        cluster_id,
        user_id,
        ttl_seconds,
        correlation_id: correlation_id ?? caller.correlationId,
        identity: caller.identity,
        scope: caller.scope,
      }),
    getSession: (sessionId) => sessions.get(sessionId, caller.identity),
    endSession: (sessionId) => sessions.end(sessionId, caller.identity),
    execute: ({ correlation_id, ...request }) =>
      execute(request, { ...caller, correlationId: correlation_id ?? caller.correlationId }),
    executeStreaming: ({ correlation_id, ...request }, onChunk) =>
      executeWithChunks(
        request,
        { ...caller, correlationId: correlation_id ?? caller.correlationId },
        onChunk,
      ),
    executeFleet: ({ correlation_id, ...request }) =>
      fleet(request, { ...caller, correlationId: correlation_id ?? caller.correlationId }),
    listClusters: () => clusters.list(nowMs(), caller.scope),
    readOutput: (commandId, query) => output.page(caller.identity, commandId, query),
  };
}
