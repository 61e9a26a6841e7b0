/**
 * Kubently's primitives (Command, Session, CommandResult, the error shape, the audit entry). They
 * depend on nothing but the schema library (and the runtime's SHA-256, for the audit chain), and are
 * the only part of src/ the executor imports.
 */
export * from "./audit";
export * from "./command";
export * from "./error";
export * from "./ids";
export * from "./result";
export * from "./session";
