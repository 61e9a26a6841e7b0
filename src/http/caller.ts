/**
 * The seed's A2A headers: X-Correlation-ID (echoed; generated when absent), X-Service-Identity (who,
 * within the authenticated service, is asking: recorded, never trusted for access) and
 * X-Request-Timeout (caps how long the caller will wait, in seconds).
 */
import { CORRELATION_ID_PATTERN, isCorrelationId } from "../models";
import { badRequest } from "./errors";

export interface Caller {
  correlationId: string;
  requestedBy: string | undefined;
  requestTimeoutSeconds: number | undefined;
}

const REQUESTED_BY_RE = /^[A-Za-z0-9._:/@-]{1,128}$/;

/**
 * The headers as Elysia parsed them, or the request's own: a route that reads no other header skips
 * Elysia's copy of every header into an object (~3 µs a request).
 */
export type CallerHeaders = Headers | Record<string, string | undefined>;

export function callerOf(headers: CallerHeaders, bodyCorrelationId?: string): Caller {
  const header = (name: string) =>
    headers instanceof Headers ? (headers.get(name) ?? undefined) : headers[name];
  const headerCorrelation = header("x-correlation-id");
  if (headerCorrelation !== undefined && !isCorrelationId(headerCorrelation)) {
    throw badRequest("INVALID_HEADER", "X-Correlation-ID must be 1-128 characters of [A-Za-z0-9._:/@-]", {
      header: "X-Correlation-ID",
    });
  }
  const requestedBy = header("x-service-identity");
  if (requestedBy !== undefined && !REQUESTED_BY_RE.test(requestedBy)) {
    throw badRequest("INVALID_HEADER", "X-Service-Identity must be 1-128 characters of [A-Za-z0-9._:/@-]", {
      header: "X-Service-Identity",
    });
  }
  const timeout = header("x-request-timeout");
  let requestTimeoutSeconds: number | undefined;
  if (timeout !== undefined) {
    requestTimeoutSeconds = Number(timeout);
    if (!/^\d+$/.test(timeout.trim()) || requestTimeoutSeconds < 1) {
      throw badRequest("INVALID_HEADER", "X-Request-Timeout must be a whole number of seconds, at least 1", {
        header: "X-Request-Timeout",
      });
    }
  }
  return {
    correlationId: bodyCorrelationId ?? headerCorrelation ?? `kc-${crypto.randomUUID()}`,
    requestedBy,
    requestTimeoutSeconds,
  };
}

/** The headers above as the OpenAPI document declares them (components.parameters). */
export const CALLER_HEADERS = {
  "X-Correlation-ID": {
    name: "X-Correlation-ID",
    in: "header",
    required: false,
    description:
      "The caller's trace id: stored with the session or command and its result, and echoed in the response " +
      "(generated when absent; a correlation_id in the body wins).",
    schema: { type: "string", pattern: CORRELATION_ID_PATTERN },
  },
  "X-Service-Identity": {
    name: "X-Service-Identity",
    in: "header",
    required: false,
    description: "Who within the key's service is asking: recorded on the command, never trusted for access.",
    schema: { type: "string", pattern: REQUESTED_BY_RE.source },
  },
  "X-Request-Timeout": {
    name: "X-Request-Timeout",
    in: "header",
    required: false,
    description: "Caps, in seconds, the command's timeout and so how long the request waits.",
    schema: { type: "integer", minimum: 1 },
  },
} as const;

export type CallerHeader = keyof typeof CALLER_HEADERS;

/** A route's `detail.parameters` naming the caller headers it reads, for the OpenAPI document. */
export const readsCallerHeaders = (...names: CallerHeader[]) =>
  names.map((name) => ({ $ref: `#/components/parameters/${name}` }));
