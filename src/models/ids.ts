/**
 * Identifier shapes shared by the server and the executor. Every id that reaches a store or a
 * Redis key is checked against one of these first, so a key can never be built from raw input.
 */
import { Type as t } from "@sinclair/typebox";

/** A cluster id is a DNS label: it appears in logs, metrics and store keys. */
export const CLUSTER_ID_PATTERN = "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$";
/** Session, command and operation ids are server-generated UUIDs. */
export const UUID_PATTERN = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";
/** Correlation ids come from callers' tracing systems, so they are permissive but bounded. */
export const CORRELATION_ID_PATTERN = "^[A-Za-z0-9._:/@-]{1,128}$";

export const ClusterId = t.String({
  pattern: CLUSTER_ID_PATTERN,
  description: "Cluster id: lowercase DNS label (a-z, 0-9, '-'), 1-63 characters.",
  examples: ["production"],
});
export const Uuid = t.String({
  pattern: UUID_PATTERN,
  description: "A server-generated id (lowercase UUID).",
  examples: ["3f1c2a7e-9b7d-4c61-8f0e-2d7a1b9c4e55"],
});
export const CorrelationId = t.String({
  pattern: CORRELATION_ID_PATTERN,
  description: "Caller-chosen id that ties a command to the caller's trace.",
  examples: ["trace-abc-123"],
});

const clusterIdRe = new RegExp(CLUSTER_ID_PATTERN);
const correlationIdRe = new RegExp(CORRELATION_ID_PATTERN);
export const isClusterId = (value: string): boolean => clusterIdRe.test(value);
export const isCorrelationId = (value: string): boolean => correlationIdRe.test(value);
