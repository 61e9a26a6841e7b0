/**
 * Executors controller: the outbound-only protocol executors speak. An SSE stream of commands, the
 * WebSocket (socket.ts), a long-poll fallback, and the results endpoints: batches, and single results
 * for executors older than batches. Every route needs the cluster's executor token.
 */
import { Elysia } from "elysia";
import { CommandResult, ErrorBody } from "../../models";
import { VERSION } from "../../version";
import { authGuard } from "../auth/guard";
import type { AuthService } from "../auth/service";
import type { QueueService } from "../queue/service";
import type { OutputStreams } from "../streams/service";
import { connectionMeta } from "./meta";
import {
  ChunkBatch,
  ChunksPassed,
  ExecutorHeaders,
  MAX_BATCH_RESULTS,
  OutputPartAccepted,
  OutputPartBody,
  OutputPartParams,
  PollQuery,
  PollResponse,
  ResultAccepted,
  ResultBatch,
  ResultOutcomes,
} from "./model";
import { createPolicyReports } from "./policy-report";
import { storeOutcomes } from "./results";
import { type ExecutorGateway, KEEPALIVE_MS } from "./service";
import { executorSocket } from "./socket";
import { sseStream } from "./sse";

export const executorsModule = (
  auth: AuthService,
  gateway: ExecutorGateway,
  queue: QueueService,
  streams: OutputStreams,
) => {
  const reports = createPolicyReports();
  return new Elysia({
    prefix: "/executor",
    tags: ["Executor protocol"],
    detail: { security: [{ executorToken: [], executorCluster: [] }] },
  })
    .use(authGuard(auth))
    .get(
      "/stream",
      ({ clusterId, headers, request, server }) => {
        server?.timeout(request, 0);
        const meta = connectionMeta(auth, reports, "sse", clusterId, headers);
        const hello = {
          cluster_id: clusterId,
          keepalive_seconds: KEEPALIVE_MS / 1000,
          server_version: VERSION,
          // It takes streamed output at POST /executor/chunks, and sends `cancel` events.
          chunks: true,
        };
        const body = sseStream(
          hello,
          // The stream's own signal ends with the executor's hang-up (Bun cancels the body): no
          // request.signal, nor a signal combining both, held per stream.
          (channel, signal) => gateway.deliver(meta, channel, signal),
          (send) => streams.cancellable(clusterId, (commandId) => send("cancel", { command_id: commandId })),
        );
        return new Response(body, {
          headers: {
            "content-type": "text/event-stream",
            "cache-control": "no-cache",
            "x-accel-buffering": "no",
          },
        });
      },
      {
        executor: true,
        headers: ExecutorHeaders,
        detail: {
          operationId: "streamCommands",
          summary: "Receive commands (Server-Sent Events)",
          description:
            "A `connected` event, then one `command` event per command (event id = command_id) as they are " +
            "queued, and `: keepalive` comments every 15 s. Commands not answered when the stream ends are " +
            "requeued for the next connection; results are idempotent by command id. A `closing` event comes " +
            'before the server ends the stream (token revoked or rotated). `connected` says `"chunks":true`: ' +
            "this server takes streamed output at POST /executor/chunks and sends `cancel` events " +
            '(`{"command_id"}`: the caller streaming that command went away; stop it).',
          responses: {
            200: {
              description: "The stream; each `command` event's data is a Command.",
              content: {
                "text/event-stream": {
                  schema: { type: "string" },
                  example:
                    'retry: 2000\nevent: connected\ndata: {"cluster_id":"production","keepalive_seconds":15,' +
                    '"server_version":"0.1.0"}\n\nid: 8d2b6f0e-4c1a-4f7e-9a3b-5e6d7c8b9a01\nevent: command\n' +
                    'data: {"command_id":"8d2b6f0e-4c1a-4f7e-9a3b-5e6d7c8b9a01","command_type":"get",…}\n\n' +
                    ": keepalive\n\n",
                },
              },
            },
          },
        },
      },
    )
    .get(
      "/commands",
      async ({ clusterId, headers, query: { wait, max }, request, server }) => {
        server?.timeout(request, wait + 15);
        // A streaming caller that went away while this poll waits: its cancel is answered at once.
        const cancels: string[] = [];
        const cancelled = new AbortController();
        const unlisten = streams.cancellable(clusterId, (commandId) => {
          cancels.push(commandId);
          cancelled.abort();
        });
        try {
          const commands = await gateway.poll(
            connectionMeta(auth, reports, "poll", clusterId, headers),
            headers["x-executor-id"] ?? "default",
            wait * 1000,
            max,
            request.signal,
            cancelled.signal,
          );
          return cancels.length > 0 ? { commands, cancels } : { commands };
        } finally {
          unlisten();
        }
      },
      {
        executor: true,
        headers: ExecutorHeaders,
        query: PollQuery,
        response: { 200: PollResponse, 400: ErrorBody, 401: ErrorBody },
        detail: {
          operationId: "pollCommands",
          summary: "Receive commands (long-poll fallback)",
          description:
            "Returns the commands claimed for this executor, waiting up to `wait` seconds for one. Poll again " +
            "within 45 s: each poll renews the leases of commands still running under the same X-Executor-ID. " +
            "`cancels` names commands whose streaming caller went away while the poll waited (it then answers " +
            "at once): stop them if they run.",
          responses: { 200: { description: "The commands claimed for this executor, possibly none." } },
        },
      },
    )
    .use(executorSocket(auth, reports, gateway, queue, streams))
    .post(
      "/chunks",
      ({ body: { chunks }, clusterId }) => {
        for (const chunk of chunks) streams.chunk(clusterId, chunk);
        return { passed: chunks.length };
      },
      {
        executor: true,
        headers: ExecutorHeaders,
        body: ChunkBatch,
        response: { 200: ChunksPassed, 400: ErrorBody, 401: ErrorBody },
        detail: {
          operationId: "postChunks",
          summary: "Pass on streamed output (SSE and long-poll executors)",
          description:
            "Output of commands whose caller streams them (`stream_output`), as it arrives, for the callers " +
            "waiting on any replica. Nothing is stored; chunks of commands nobody waits for are dropped. " +
            "WebSocket executors send `chunk` messages instead.",
        },
      },
    )
    .post(
      "/results/batch",
      async ({ body, clusterId }) => ({ outcomes: await storeOutcomes(queue, clusterId, body.results) }),
      {
        executor: true,
        headers: ExecutorHeaders,
        body: ResultBatch,
        response: { 200: ResultOutcomes, 400: ErrorBody, 401: ErrorBody, 413: ErrorBody },
        detail: {
          operationId: "postResults",
          summary: "Post command results, many at once",
          description:
            `1 to ${MAX_BATCH_RESULTS} results in one request: one credential check and one validation pass ` +
            "for all of them. Each is stored on its own and gets its own outcome, in the order posted: " +
            '`{"command_id","stored"}`, where `stored` is false when a result was already stored (posting ' +
            'again is harmless: the first result stands), or `{"command_id","code","error"}` with the code ' +
            "`POST /executor/results` would have answered: `COMMAND_NOT_FOUND` (no such command, or its " +
            "record has expired) or `WRONG_CLUSTER` (it was issued to another cluster). A refused result " +
            "never refuses the others; a body that fails validation stores none.",
          responses: {
            200: { description: "Each result's outcome, in the order posted." },
            413: {
              description:
                "Here the limit is the larger of `--max-body-bytes` and 4 MiB (room for two capped " +
                "outputs). The executor splits a batch that is refused.",
            },
          },
        },
      },
    )
    .put(
      "/results/:command_id/output/:stream/:index",
      async ({ body: { text }, clusterId, params: { command_id, index, stream } }) => {
        await queue.storeOutputPart(clusterId, command_id, stream, index, text);
        return { stored: true as const };
      },
      {
        executor: true,
        headers: ExecutorHeaders,
        params: OutputPartParams,
        body: OutputPartBody,
        response: { 200: OutputPartAccepted, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
        detail: {
          operationId: "putOutputPart",
          summary: "Send one part of a large output stream ahead of its result",
          description:
            "An output stream too large for one result post goes in parts of at most 1 Mi characters, " +
            "numbered from 0, each kept for the result TTL; the result then carries that stream empty and " +
            "`output_parts` saying how many parts it has, and the server puts them back together before " +
            "storing it (409 `OUTPUT_INCOMPLETE` in its outcome while a part is missing: send them again). " +
            "Sending a part again replaces it.",
          responses: {
            200: { description: "Kept." },
            403: { description: "`WRONG_CLUSTER`: the command was issued to another cluster." },
            404: { description: "`COMMAND_NOT_FOUND`: no such command, or its record has expired." },
          },
        },
      },
    )
    .post("/results", async ({ body, clusterId }) => ({ stored: await queue.storeResult(clusterId, body) }), {
      executor: true,
      headers: ExecutorHeaders,
      body: CommandResult,
      response: { 200: ResultAccepted, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      detail: {
        operationId: "postResult",
        summary: "Post a command's result",
        description:
          "Only the executor of the cluster the command was issued to may post its result (403 otherwise). " +
          "Posting again is harmless: the first result stands. Executors post batches " +
          "(`POST /executor/results/batch`); this route stays for executors older than batches.",
        responses: {
          200: { description: "Accepted; `stored` is false when a result was already stored." },
          403: { description: "`WRONG_CLUSTER`: the command was issued to another cluster." },
          404: { description: "`COMMAND_NOT_FOUND`: no such command, or its record has expired." },
        },
      },
    });
};
