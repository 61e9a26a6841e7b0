/**
 * Reading what an executor sends over the WebSocket: a result, or the error it is answered with.
 *
 * Elysia hands a message over already parsed when it is JSON (as text when it is not, as bytes for a
 * binary frame), so its depth is checked on the value, not the text as the HTTP body reader does;
 * the limit is the same. Elysia's own message validation is not used: its error is not in the
 * route's error shape, and building it stringifies the whole value, which for JSON nested 200,000
 * deep worked for seconds and then overflowed the stack. A schema check never descends further than
 * the schema does, so once the depth is bounded neither the check nor its error can be costly.
 */
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { MAX_JSON_DEPTH } from "../../http/body";
import type { CommandResult } from "../../models";
import { ExecutorMessage } from "./model";

/** The route's documented error message; `command_id` when the message named one. */
export interface SocketError {
  type: "error";
  command_id?: string;
  code: string;
  error: string;
}

const executorMessage = TypeCompiler.Compile(ExecutorMessage);

export function readExecutorMessage(message: unknown): { result: CommandResult } | SocketError {
  if (!isContainer(message) || ArrayBuffer.isView(message)) {
    return refusal(message, "INVALID_BODY", "the message is not a JSON object");
  }
  if (nestsDeeper(message, MAX_JSON_DEPTH)) {
    return refusal(message, "INVALID_BODY", `the message nests deeper than ${MAX_JSON_DEPTH} levels`);
  }
  if (executorMessage.Check(message)) return { result: message.result };
  const first = executorMessage.Errors(message).First();
  return refusal(
    message,
    "VALIDATION_ERROR",
    `the message failed validation${first ? ` at ${first.path || "/"}: ${first.message}` : ""}`,
  );
}

/**
 * The error for `message`, naming the command its result is for when it has one: the executor then
 * posts that result by HTTP at once instead of waiting for an acknowledgement that never comes.
 */
function refusal(message: unknown, code: string, error: string): SocketError {
  const commandId = (message as { result?: { command_id?: unknown } } | null)?.result?.command_id;
  return typeof commandId === "string"
    ? { type: "error", command_id: commandId, code, error }
    : { type: "error", code, error };
}

const isContainer = (value: unknown): value is object => value !== null && typeof value === "object";

/** Whether arrays and objects in `value` nest deeper than `max`: level by level, so never recursing. */
function nestsDeeper(value: unknown, max: number): boolean {
  let containers = isContainer(value) ? [value] : [];
  for (let depth = 1; containers.length > 0; depth++) {
    if (depth > max) return true;
    const next: object[] = [];
    for (const container of containers) {
      for (const child of Object.values(container)) if (isContainer(child)) next.push(child);
    }
    containers = next;
  }
  return false;
}
