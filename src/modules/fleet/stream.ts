/**
 * The streaming path of POST /debug/execute/fleet (`Accept: text/event-stream`): the command is
 * queued on every cluster as on the synchronous path, then answered as Server-Sent Events, per
 * cluster: `accepted` (the correlation id and every cluster with its command id, null for one
 * answered at once), `chunk` events ({cluster_id, stream, text}) as each executor sends output,
 * one `cluster` event per cluster as it ends (the same answer the JSON route gives it; those
 * answered at once, e.g. offline, right after `accepted`), and last `summary` (the correlation id
 * and how many clusters ended each way). A caller that goes away has every command still running
 * cancelled in its cluster, as the single command's stream does.
 */
import { eventStream } from "../../http/event-stream";
import type { FleetExecuteRequest } from "../../models";
import type { ExecuteCaller } from "../dispatch/service";
import { createChunkRelay } from "../streams/relay";
import type { OutputStreams } from "../streams/service";
import { type FleetStart, summarize } from "./service";

export type StreamFleet = (
  request: FleetExecuteRequest,
  caller: ExecuteCaller,
  signal: AbortSignal,
) => Promise<Response>;

export function createStreamFleet(start: FleetStart, streams: OutputStreams): StreamFleet {
  return async (request, caller, signal) => {
    const relay = createChunkRelay(streams);
    const started = await start(request, { ...caller, streaming: true }, async (built) =>
      relay.listen(built),
    );
    return eventStream(
      signal,
      caller.correlationId,
      ({ send, close }) => {
        send("accepted", {
          correlation_id: caller.correlationId,
          clusters: started.map(({ cluster_id, command_id }) => ({ cluster_id, command_id })),
        });
        relay.start(({ cluster_id }, { stream, text }) => send("chunk", { cluster_id, stream, text }));
        const answered = started.map(({ command_id, answer }) =>
          answer.then((ended) => {
            if (command_id) relay.ended(command_id);
            send("cluster", ended);
            return ended;
          }),
        );
        void Promise.all(answered).then((answers) => {
          send("summary", { correlation_id: caller.correlationId, summary: summarize(answers) });
          close();
        });
      },
      () => relay.cancelRunning(),
    );
  };
}
