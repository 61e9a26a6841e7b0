/**
 * The executor WebSocket (GET /executor/ws, upgraded): the delivery loop's commands out as messages,
 * and results in, each answered with an `ack` or an `error`. Every message is read by
 * socket-message.ts, so whatever an executor sends is answered in the documented shape.
 *
 * Commands go out at once. Answers to the executor's messages wait for the end of the event-loop turn
 * that stored their results, and go out together in one write: the callers waiting for those results
 * are answered first (the write wakes the executor, which on a small machine takes a core from them),
 * and a turn that stored several messages' results makes one write to the executor, not one each.
 */
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { Elysia, t } from "elysia";
import { type Command, OutputChunk } from "../../models";
import { VERSION } from "../../version";
import { authGuard } from "../auth/guard";
import type { AuthService } from "../auth/service";
import type { QueueService } from "../queue/service";
import type { OutputStreams } from "../streams/service";
import { connectionMeta } from "./meta";
import { ExecutorHeaders, MAX_BATCH_RESULTS } from "./model";
import type { PolicyReports } from "./policy-report";
import { storeOutcomes } from "./results";
import type { DeliveryChannel, ExecutorGateway } from "./service";
import { KEEPALIVE_MS } from "./service";
import { readExecutorMessage } from "./socket-message";

/** A streamed command's output as it arrives: `{"type":"chunk", command_id, stream, text}`, unanswered. */
const chunkMessage = TypeCompiler.Compile(t.Composite([t.Object({ type: t.Literal("chunk") }), OutputChunk]));

/** An open executor WebSocket, as this module keeps it. */
interface OpenSocket {
  stop: AbortController;
  uncancellable: () => void;
  raw: { cork(write: () => void): unknown; sendText(text: string): number };
  answers: string[];
  /** Results messages being stored: a closing waits for them, so what was stored is acknowledged. */
  storing: Set<Promise<unknown>>;
}

export const executorSocket = (
  auth: AuthService,
  reports: PolicyReports,
  gateway: ExecutorGateway,
  queue: QueueService,
  streams: OutputStreams,
) => {
  /**
   * Open WebSockets' delivery loops, ended when their socket closes, their cancel senders, and the
   * answers to their messages waiting for the end of the turn.
   */
  const sockets = new Map<string, OpenSocket>();
  /** Writes the answers waiting for `socket` in one corked write. */
  const writeAnswers = ({ raw, answers }: OpenSocket) => {
    const texts = answers.splice(0);
    raw.cork(() => {
      for (const text of texts) raw.sendText(text);
    });
  };
  /** Queues an answer to an executor's message; the first of a turn schedules the turn's one write. */
  const answer = (socketId: string, message: unknown) => {
    const socket = sockets.get(socketId);
    // Closed: nothing would read it, and the executor sends what it holds unanswered again.
    if (!socket) return;
    socket.answers.push(JSON.stringify(message));
    if (socket.answers.length === 1) setImmediate(() => writeAnswers(socket));
  };
  return new Elysia({ name: "kubently.executor-socket", seed: gateway }).use(authGuard(auth)).ws("/ws", {
    executor: true,
    headers: ExecutorHeaders,
    open(ws) {
      const { clusterId, headers } = ws.data;
      const stop = new AbortController();
      const send = (message: unknown) => ws.send(JSON.stringify(message));
      const uncancellable = streams.cancellable(clusterId, (commandId) =>
        send({ type: "cancel", command_id: commandId }),
      );
      const socket: OpenSocket = { stop, uncancellable, raw: ws.raw, answers: [], storing: new Set() };
      sockets.set(ws.id, socket);
      send({
        type: "connected",
        cluster_id: clusterId,
        keepalive_seconds: KEEPALIVE_MS / 1000,
        server_version: VERSION,
        // This server takes `results` messages (many results, one `outcomes` answer).
        batches: true,
        // It passes `chunk` messages on to streaming callers, and sends `cancel` when one went away.
        chunks: true,
      });
      // An executor that said it reads `commands` messages gets a claim's commands in one message.
      const batches = headers["x-executor-batches"] === "1";
      const channel: DeliveryChannel = {
        send: (commands: Command[]) => {
          if (batches && commands.length > 1) send({ type: "commands", commands });
          else for (const command of commands) send({ type: "command", command });
        },
        keepalive: () => send({ type: "keepalive" }),
        close: (reason: string) => {
          // What was stored is answered before the socket closes, not sent again elsewhere: a result
          // whose caller was answered before its commit (a server told to stop just then) would
          // otherwise leave its executor posting it to a server that is gone, until its deadline.
          const finish = () => {
            writeAnswers(socket);
            send({ type: "closing", reason });
            ws.close(1000, reason);
          };
          if (socket.storing.size === 0) return finish();
          void Promise.allSettled(socket.storing).then(() => setImmediate(finish));
        },
      };
      void gateway.deliver(connectionMeta(auth, reports, "ws", clusterId, headers), channel, stop.signal);
    },
    async message(ws, message) {
      if (chunkMessage.Check(message)) {
        const { type: _, ...chunk } = message;
        return streams.chunk(ws.data.clusterId, chunk);
      }
      const read = readExecutorMessage(message);
      if ("refused" in read) {
        for (const refusal of read.refused) answer(ws.id, refusal);
        return;
      }
      const storing = storeOutcomes(queue, ws.data.clusterId, read.results);
      const held = sockets.get(ws.id)?.storing;
      held?.add(storing);
      try {
        const outcomes = await storing;
        if (read.batch) answer(ws.id, { type: "outcomes", outcomes });
        else {
          const [outcome] = outcomes;
          answer(ws.id, { type: outcome && "stored" in outcome ? "ack" : "error", ...outcome });
        }
      } catch (error) {
        // Not a refusal (the store is down, say): the executor falls back to HTTP, which retries.
        for (const { command_id } of read.results) {
          answer(ws.id, {
            type: "error",
            command_id,
            code: "INTERNAL_ERROR",
            error: (error as Error).message,
          });
        }
      } finally {
        held?.delete(storing);
      }
    },
    close(ws) {
      const socket = sockets.get(ws.id);
      socket?.stop.abort();
      socket?.uncancellable();
      sockets.delete(ws.id);
    },
    detail: {
      operationId: "executorWebSocket",
      summary: "Receive commands and send results (WebSocket)",
      description:
        "The same messages as the SSE stream, as JSON text frames: `connected`, `command` (or, to an executor " +
        'that sent `X-Executor-Batches: 1`, `{"type":"commands","commands":[Command, …]}` for several at ' +
        "once), `keepalive`, `closing` from the server; `result` (or `results`, many at once) from the executor, answered by " +
        '`ack` or `error` (`outcomes` for `results`); where `connected` says `"chunks":true`, ' +
        "`chunk` messages (a streamed command's output as it arrives, unanswered) from the executor and " +
        "`cancel` (its caller went away: stop it) from the server.\n\n" +
        '- server: `{"type":"connected","cluster_id","keepalive_seconds","server_version","batches":true,' +
        '"chunks":true}`, `{"type":"cancel","command_id"}`, ' +
        '`{"type":"command","command":Command}`, `{"type":"keepalive"}`, `{"type":"closing","reason"}`\n' +
        '- executor: `{"type":"chunk","command_id","stream":"stdout"|"stderr","text"}` (unanswered), ' +
        '`{"type":"result","result":CommandResult}`, answered by ' +
        '`{"type":"ack","command_id","stored"}` or `{"type":"error","command_id"?,"code","error"}`, where ' +
        "`command_id` is absent when the message named no command (it was not JSON, say); or, where " +
        '`connected` said `"batches":true`, `{"type":"results","results":[CommandResult, …]}` (1 to ' +
        `${MAX_BATCH_RESULTS}), answered by one \`{"type":"outcomes","outcomes":[…]}\`, each outcome as ` +
        "`POST /executor/results/batch` gives it, in the order sent (a message that fails validation " +
        "is answered by an `error` for each command it names).",
      responses: {
        101: { description: "Switching Protocols: the connection is now the executor's WebSocket." },
      },
    },
  });
};
