/**
 * The streaming path of POST /debug/execute (`Accept: text/event-stream`): the command is queued
 * as on the synchronous path, then answered as Server-Sent Events: `accepted` (its command_id and
 * cluster_id), `chunk` events with its output
 * as the executor sends it, and one `result` (the CommandResult) or `error` (the error format) at
 * the end. A caller that goes away before the end has the command cancelled in the cluster.
 */
import { errorBody } from "../../http/errors";
import type { CommandResult, OutputChunk } from "../../models";
import type { Lifecycle } from "../health/lifecycle";
import type { OutputStreams } from "../streams/service";
import type { Dispatch, ExecuteCaller, ExecuteInput } from "./service";

/** A comment line this often keeps proxies from closing a quiet stream, and finds a caller gone. */
const KEEPALIVE_MS = 15_000;

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
    // Chunks are heard from before the command is queued, so none can come before the listener.
    const early: OutputChunk[] = [];
    let deliver: (chunk: OutputChunk) => void = (chunk) => {
      early.push(chunk);
    };
    let unlisten = () => {};
    const { command, settled } = await dispatch.submit(
      input,
      { ...caller, streaming: true },
      async (built) => {
        unlisten = streams.listen(built.cluster_id, built.command_id, (chunk) => deliver(chunk));
      },
    );
    const encoder = new TextEncoder();
    let finished = false;
    let keepalive: ReturnType<typeof setInterval> | undefined;
    const end = () => {
      finished = true;
      clearInterval(keepalive);
      unlisten();
      signal.removeEventListener("abort", leave);
    };
    // The caller went away: stop the command in the cluster, and hear nothing more of it.
    const leave = () => {
      if (finished) return;
      end();
      streams.cancel(command.cluster_id, command.command_id);
    };
    signal.addEventListener("abort", leave, { once: true });
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const send = (event: string, data: unknown) => {
          if (!finished)
            controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
        };
        send("accepted", { command_id: command.command_id, cluster_id: command.cluster_id });
        deliver = (chunk) => send("chunk", { stream: chunk.stream, text: chunk.text });
        for (const chunk of early.splice(0)) deliver(chunk);
        keepalive = setInterval(() => {
          if (!finished) controller.enqueue(encoder.encode(": keepalive\n\n"));
        }, KEEPALIVE_MS);
        void waits.track(settled).then((settlement) => {
          if (finished) return; // the caller left first: there is no one to answer
          if (settlement.error) {
            const { message, code, context, status } = settlement.error;
            send("error", { status, ...errorBody(requestId, message, code, context) });
          } else send("result", settlement.result);
          end();
          controller.close();
        });
      },
      cancel: leave,
    });
    return new Response(body, {
      headers: {
        "content-type": "text/event-stream",
        "cache-control": "no-cache",
        "x-accel-buffering": "no",
        "x-correlation-id": caller.correlationId,
      },
    });
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
