/**
 * Kubently's primitives (Command, Session, CommandResult, the error shape). They depend on nothing
 * but the schema library, and are the only part of src/ the executor imports.
 */
export * from "./command";
export * from "./error";
export * from "./ids";
export * from "./result";
export * from "./session";
