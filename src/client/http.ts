/**
 * The HTTP implementation of KubentlyApi, for the CLI and `kubently mcp`. Error responses in the
 * documented format become ApiError with the same status, code and context; an unreachable server
 * becomes ApiError 503 UNREACHABLE so callers still see one shape.
 */
import { ApiError } from "../http/errors";
import type { CommandResult, ErrorBody, Session } from "../models";
import type { AuditPage } from "../modules/audit/model";
import type { ClusterView } from "../modules/clusters/service";
import type { HealthReport } from "../modules/health/service";
import type { ExecuteRequest, IssuedToken, KubentlyAdminApi, KubentlyApi, NewSessionInput } from "./api";

export interface HttpApiOptions {
  url: string;
  apiKey?: string;
  /** Sent as X-Correlation-ID on every request (a caller's trace id). */
  correlationId?: string;
  /** Sent as X-Service-Identity: who, within the key's service, is asking. */
  requestedBy?: string;
}

export function httpApi(options: HttpApiOptions): KubentlyApi & KubentlyAdminApi {
  const base = options.url.replace(/\/+$/, "");
  const call = async <T>(method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = {};
    if (options.apiKey) headers["x-api-key"] = options.apiKey;
    if (options.correlationId) headers["x-correlation-id"] = options.correlationId;
    if (options.requestedBy) headers["x-service-identity"] = options.requestedBy;
    if (body !== undefined) headers["content-type"] = "application/json";
    let response: Response;
    try {
      response = await fetch(base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new ApiError(503, "UNREACHABLE", `cannot reach ${base}: ${(error as Error).message}`);
    }
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as unknown) : undefined;
    if (!response.ok) {
      const error = parsed as Partial<ErrorBody> | undefined;
      throw new ApiError(
        response.status,
        error?.details?.code ?? `HTTP_${response.status}`,
        error?.error ?? `HTTP ${response.status}`,
        error?.details?.context ?? {},
      );
    }
    return parsed as T;
  };

  return {
    createSession: (input: NewSessionInput) => call<Session>("POST", "/debug/session", input),
    endSession: (sessionId) => call<void>("DELETE", `/debug/session/${encodeURIComponent(sessionId)}`),
    execute: (request: ExecuteRequest) => call<CommandResult>("POST", "/debug/execute", request),
    listClusters: async () => (await call<{ clusters: ClusterView[] }>("GET", "/debug/clusters")).clusters,
    issueToken: (clusterId, rotate) =>
      call<IssuedToken>(
        "POST",
        `/admin/clusters/${encodeURIComponent(clusterId)}/token${rotate ? "?rotate=true" : ""}`,
      ),
    revokeToken: (clusterId) =>
      call<void>("DELETE", `/admin/clusters/${encodeURIComponent(clusterId)}/token`),
    readAudit: (query) => {
      const params = new URLSearchParams();
      for (const [name, value] of Object.entries(query))
        if (value !== undefined) params.set(name, String(value));
      return call<AuditPage>("GET", `/audit?${params}`);
    },
    health: async () => {
      // /health answers 503 with a report when the store is down: that is a report, not a failure.
      const response = await fetch(`${base}/health`).catch((error: Error) => {
        throw new ApiError(503, "UNREACHABLE", `cannot reach ${base}: ${error.message}`);
      });
      return (await response.json()) as HealthReport;
    },
  };
}
