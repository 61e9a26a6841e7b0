/**
 * The streaming path of POST /debug/execute (`Accept: text/event-stream`): the command is queued
 * as on the synchronous path, then answered as Server-Sent Events: `accepted` (its command_id and
 * cluster_id), `chunk` events with its output
 * as the executor sends it, and one `result` (the CommandResult) or `error` (the error format) at
 * the end. A caller that goes away before the end has the command cancelled in the cluster, or
 * withdrawn from its queue if no executor took it yet.
 */

import { errorBody } from "../../http/errors";
import { eventStream } from "../../http/event-stream";
import { ApiError, type CommandResult, type OutputChunk } from "../../models";
import type { Lifecycle } from "../health/lifecycle";
import { createChunkRelay } from "../streams/relay";
import type { OutputStreams } from "../streams/service";
import type { Dispatch, ExecuteCaller, ExecuteInput } from "./service";

export type StreamExecute = (
  input: ExecuteInput,
  caller: ExecuteCaller,
  request: { signal: AbortSignal; requestId: string },
) => Promise<Response>;

export function createStreamExecute(
  dispatch: Dispatch,
  waits: Pick<Lifecycle, "track">,
  streams: OutputStreams,
): StreamExecute {
  return async (input, caller, { signal, requestId }) => {
    const relay = createChunkRelay(streams);
    const { command, settled } = await dispatch.submit(input, { ...caller, streaming: true }, async (built) =>
      relay.listen(built),
    );
    // Once the caller has gone there is nobody to answer: a drain need not wait for the command.
    const left = Promise.withResolvers<null>();
    return eventStream(
      signal,
      caller.correlationId,
      ({ send, close }) => {
        send("accepted", { command_id: command.command_id, cluster_id: command.cluster_id });
        relay.start((_, { stream, text }) => send("chunk", { stream, text }));
        const sendError = ({ message, code, context, status }: ApiError) =>
          send("error", { status, ...errorBody(requestId, message, code, context) });
        void waits.track(Promise.race([settled, left.promise])).then(
          (settlement) => {
            if (!settlement) return;
            relay.ended(command.command_id);
            if (settlement.error) sendError(settlement.error);
            else send("result", settlement.result);
            close();
          },
          // A drain gave up on the wait (503 DRAINING): the caller is told so, as on the JSON path.
          (error: unknown) => {
            if (error instanceof ApiError) sendError(error);
            close();
          },
        );
      },
      // The caller went away: stop the command in the cluster (or withdraw it from its queue), and
      // hear nothing more of it.
      () => {
        left.resolve(null);
        relay.cancelRunning();
      },
    );
  };
}

/** As Execute, with the output told to `onChunk` as it arrives (MCP's progress notifications). */
export type ExecuteWithChunks = (
  input: ExecuteInput,
  caller: ExecuteCaller,
  onChunk: (chunk: Pick<OutputChunk, "stream" | "text">) => void,
) => Promise<CommandResult>;

export function createExecuteWithChunks(
  dispatch: Dispatch,
  waits: Pick<Lifecycle, "track">,
  streams: OutputStreams,
): ExecuteWithChunks {
  return async (input, caller, onChunk) => {
    let unlisten = () => {};
    const { settled } = await dispatch.submit(input, { ...caller, streaming: true }, async (built) => {
      unlisten = streams.listen(built.cluster_id, built.command_id, ({ stream, text }) =>
        onChunk({ stream, text }),
      );
    });
    try {
      const settlement = await waits.track(settled);
      if (settlement.error) throw settlement.error;
      return settlement.result;
    } finally {
      unlisten();
    }
  };
}
