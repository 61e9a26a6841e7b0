/**
 * The HTTP implementation of KubentlyApi, for the CLI and `kubently mcp`. Error responses in the
 * documented format become ApiError with the same status, code and context; an unreachable server
 * becomes ApiError 503 UNREACHABLE, and an answer that is not JSON (a proxy's error page) 502
 * BAD_RESPONSE, so callers still see one shape.
 */

import { EventSourceParserStream } from "eventsource-parser/stream";
import {
  ApiError,
  type AuditPage,
  type ClusterList,
  type CommandResult,
  type CreateSessionRequest,
  type ErrorBody,
  type ExecuteRequest,
  type FleetAnswer,
  type FleetClusterAnswer,
  type FleetExecuteRequest,
  type Health,
  type IssuedToken,
  type OutputPage,
  type Session,
} from "../models";
import type { FleetListener, KubentlyAdminApi, KubentlyApi, StreamedChunk } from "./api";

export interface HttpApiOptions {
  url: string;
  apiKey?: string;
  /** Sent as X-Correlation-ID on every request (a caller's trace id). */
  correlationId?: string;
  /** Sent as X-Service-Identity: who, within the key's service, is asking. */
  requestedBy?: string;
}

/** An answer's status and its JSON body (undefined when it had none). */
interface Answer {
  status: number;
  parsed: unknown;
}

export function httpApi(options: HttpApiOptions): KubentlyApi & KubentlyAdminApi {
  const base = options.url.replace(/\/+$/, "");

  /** The response to a request, or 503 UNREACHABLE. */
  const request = async (method: string, path: string, body: unknown, accept?: string): Promise<Response> => {
    const headers: Record<string, string> = {};
    if (options.apiKey) headers["x-api-key"] = options.apiKey;
    if (options.correlationId) headers["x-correlation-id"] = options.correlationId;
    if (options.requestedBy) headers["x-service-identity"] = options.requestedBy;
    if (body !== undefined) headers["content-type"] = "application/json";
    if (accept) headers.accept = accept;
    try {
      return await fetch(base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw unreachable(error);
    }
  };
  const unreachable = (error: unknown) =>
    new ApiError(503, "UNREACHABLE", `cannot reach ${base}: ${(error as Error).message}`);

  /** The answer's status and JSON body; a body that is not JSON is not Kubently's answer. */
  const send = async (method: string, path: string, body?: unknown): Promise<Answer> =>
    read(await request(method, path, body));

  const read = async (response: Response): Promise<Answer> => {
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw unreachable(error);
    }
    if (text === "") return { status: response.status, parsed: undefined };
    try {
      return { status: response.status, parsed: JSON.parse(text) as unknown };
    } catch {
      // A proxy's error page, a web page: say so rather than what the JSON parser thinks of it.
      const contentType = response.headers.get("content-type")?.split(";")[0] || "no content type";
      throw new ApiError(
        502,
        "BAD_RESPONSE",
        `${base} answered HTTP ${response.status} with ${contentType}, not Kubently's JSON: is it a Kubently server?`,
        { status: response.status, content_type: contentType },
      );
    }
  };

  /** The body of a 2xx answer; any other answer, in the error format, as ApiError. */
  const ok = ({ status, parsed }: Answer) => {
    if (status >= 200 && status < 300) return parsed;
    const error = parsed as Partial<ErrorBody> | undefined;
    throw new ApiError(
      status,
      error?.details?.code ?? `HTTP_${status}`,
      error?.error ?? `HTTP ${status}`,
      error?.details?.context ?? {},
    );
  };
  const call = async <T>(method: string, path: string, body?: unknown) =>
    ok(await send(method, path, body)) as T;

  /**
   * POSTs for Server-Sent Events, telling each to `onEvent` until one gives the answer; a refusal
   * before anything was queued (or a server older than streaming) is an ordinary answer.
   */
  const streamed = async <T>(
    path: string,
    body: unknown,
    onEvent: (event: string | undefined, data: unknown) => T | undefined,
  ): Promise<T> => {
    const response = await request("POST", path, body, "text/event-stream");
    if (!response.headers.get("content-type")?.startsWith("text/event-stream") || !response.body) {
      return ok(await read(response)) as T;
    }
    const events = response.body
      .pipeThrough(new TextDecoderStream())
      .pipeThrough(new EventSourceParserStream());
    try {
      for await (const { event, data } of events) {
        const answer = onEvent(event, JSON.parse(data));
        if (answer !== undefined) return answer;
      }
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw unreachable(error);
    }
    throw new ApiError(502, "BAD_RESPONSE", `${base} ended the event stream before the answer`);
  };

  /** POST /debug/execute as Server-Sent Events: chunks told as they come, the result at the end. */
  const executeStreaming = (body: ExecuteRequest, onChunk: (chunk: StreamedChunk) => void) =>
    streamed<CommandResult>("/debug/execute", body, (event, data) => {
      if (event === "chunk") onChunk(data as StreamedChunk);
      else if (event === "result") return data as CommandResult;
      else if (event === "error") {
        const { status, ...error } = data as ErrorBody & { status: number };
        return ok({ status, parsed: error }) as never;
      }
      return undefined;
    });

  /** POST /debug/execute/fleet as Server-Sent Events: the answer gathered from each cluster's end. */
  const executeFleetStreaming = (body: FleetExecuteRequest, on: FleetListener) => {
    let order: string[] = [];
    const ended = new Map<string, FleetClusterAnswer>();
    return streamed<FleetAnswer>("/debug/execute/fleet", body, (event, data) => {
      if (event === "accepted") {
        order = (data as { clusters: { cluster_id: string }[] }).clusters.map(({ cluster_id }) => cluster_id);
        on.accepted?.(order);
      } else if (event === "chunk") on.chunk(data as StreamedChunk & { cluster_id: string });
      else if (event === "cluster") {
        const answer = data as FleetClusterAnswer;
        ended.set(answer.cluster_id, answer);
      } else if (event === "summary") {
        const { correlation_id, summary } = data as Omit<FleetAnswer, "clusters">;
        const clusters = order.flatMap((id) => ended.get(id) ?? []);
        return { correlation_id, summary, clusters };
      }
      return undefined;
    });
  };

  return {
    createSession: (input: CreateSessionRequest) => call<Session>("POST", "/debug/session", input),
    getSession: (sessionId) => call<Session>("GET", `/debug/session/${encodeURIComponent(sessionId)}`),
    endSession: (sessionId) => call<void>("DELETE", `/debug/session/${encodeURIComponent(sessionId)}`),
    execute: (body: ExecuteRequest) => call<CommandResult>("POST", "/debug/execute", body),
    executeStreaming,
    executeFleetStreaming,
    executeFleet: (request: FleetExecuteRequest) =>
      call<FleetAnswer>("POST", "/debug/execute/fleet", request),
    listClusters: async () => (await call<ClusterList>("GET", "/debug/clusters")).clusters,
    issueToken: (clusterId, rotate) =>
      call<IssuedToken>(
        "POST",
        `/admin/clusters/${encodeURIComponent(clusterId)}/token${rotate ? "?rotate=true" : ""}`,
      ),
    setClusterLabels: async (clusterId, labels) =>
      (
        await call<{ labels: Record<string, string> }>(
          "PUT",
          `/admin/clusters/${encodeURIComponent(clusterId)}/labels`,
          { labels },
        )
      ).labels,
    revokeToken: (clusterId) =>
      call<void>("DELETE", `/admin/clusters/${encodeURIComponent(clusterId)}/token`),
    readOutput: (commandId, query) =>
      call<OutputPage>("GET", `/debug/results/${encodeURIComponent(commandId)}/output?${queryString(query)}`),
    readAudit: (query) => call<AuditPage>("GET", `/audit?${queryString(query)}`),
    health: async () => {
      // /health answers 503 with a report when the store is down: that is a report, not a failure.
      const answer = await send("GET", "/health");
      return (answer.status === 503 ? answer.parsed : ok(answer)) as Health;
    },
  };
}

function queryString(query: object): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
  return params;
}
