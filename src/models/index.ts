/**
 * Kubently's primitives (Command, Session, CommandResult, the error shape, the audit entry) and the
 * shapes the CLI client and the server both speak (execute and session requests, cluster list,
 * health report, audit page, issued token, ApiError). They depend on nothing but the schema library
 * (and the runtime's SHA-256, for the audit chain), and are the only part of src/ the executor and
 * the client import.
 *
 * One exception, on purpose: json-log.ts, the JSON-line log writer of both the server and the
 * executor, which writes to Bun's stdout and stderr. It is no model, but it lives here because this
 * is the one part of src/ the executor may import, so both programs share one writer instead of two
 * copies that drift.
 */
export * from "./api-error";
export * from "./audit";
export * from "./audit-page";
export * from "./audit-query";
export * from "./cluster";
export * from "./command";
export * from "./error";
export * from "./execute-request";
export * from "./executor-policy";
export * from "./fleet";
export * from "./health";
export * from "./human-duration";
export * from "./ids";
export * from "./issued-token";
export * from "./json-log";
export * from "./output";
export * from "./output-chunk";
export * from "./result";
export * from "./scope";
export * from "./session";
export * from "./session-request";
