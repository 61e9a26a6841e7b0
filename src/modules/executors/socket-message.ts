/**
 * Reading what an executor sends over the WebSocket: a result or a batch of them, or the error it is
 * answered with.
 *
 * Elysia hands a message over already parsed when it is JSON (as text when it is not, as bytes for a
 * binary frame), so its depth is checked on the value, not the text as the HTTP body reader does;
 * the limit is the same. Elysia's own message validation is not used: its error is not in the
 * route's error shape, and building it stringifies the whole value, which for JSON nested 200,000
 * deep worked for seconds and then overflowed the stack. A schema check never descends further than
 * the schema does, so once the depth is bounded neither the check nor its error can be costly.
 *
 * A message the schema accepts is as deep as the schema, in every field the schema names (results
 * take no fields beyond their own); only the fields it does not name, which the message's two shapes
 * allow and nothing reads, are walked for their depth then. Walking every result cost as much as
 * checking it (~2 µs each): results come many to a message, every command has one.
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
/** The top-level fields the message's shapes name; any other is let through unread. */
const NAMED_FIELDS = new Set(ExecutorMessage.anyOf.flatMap((shape) => Object.keys(shape.properties)));

/** A message read: the results it carries (one for a `result` message), or why it is refused. */
export type ReadMessage = { results: CommandResult[]; batch: boolean } | { refused: SocketError[] };

export function readExecutorMessage(message: unknown): ReadMessage {
  if (!isContainer(message) || ArrayBuffer.isView(message)) {
    return refusal(message, "INVALID_BODY", "the message is not a JSON object");
  }
  const tooDeep = () =>
    refusal(message, "INVALID_BODY", `the message nests deeper than ${MAX_JSON_DEPTH} levels`);
  if (executorMessage.Check(message)) {
    if (unnamedNestDeeper(message, MAX_JSON_DEPTH - 1)) return tooDeep();
    return message.type === "result"
      ? { results: [message.result], batch: false }
      : { results: message.results, batch: true };
  }
  if (nestsDeeper(message, MAX_JSON_DEPTH)) return tooDeep();
  const first = executorMessage.Errors(message).First();
  return refusal(
    message,
    "VALIDATION_ERROR",
    `the message failed validation${first ? ` at ${first.path || "/"}: ${first.message}` : ""}`,
  );
}

/**
 * The errors for `message`, one naming each command its results are for (one without a command id
 * when it names none): the executor then posts those results by HTTP at once instead of waiting for
 * an acknowledgement that never comes.
 */
function refusal(message: unknown, code: string, error: string): { refused: SocketError[] } {
  const { result, results } = (message ?? {}) as { result?: unknown; results?: unknown };
  const named = [result, ...(Array.isArray(results) ? results.slice(0, 256) : [])].flatMap((item) => {
    const commandId = (item as { command_id?: unknown } | null)?.command_id;
    return typeof commandId === "string" ? [commandId] : [];
  });
  if (named.length === 0) return { refused: [{ type: "error", code, error }] };
  return { refused: named.map((command_id) => ({ type: "error", command_id, code, error })) };
}

const isContainer = (value: unknown): value is object => value !== null && typeof value === "object";

/** Whether a field of `message` that its shapes do not name nests deeper than `max`. */
function unnamedNestDeeper(message: object, max: number): boolean {
  for (const [field, value] of Object.entries(message)) {
    if (!NAMED_FIELDS.has(field) && nestsDeeper(value, max)) return true;
  }
  return false;
}

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
