/**
 * MCP controller: Streamable HTTP at /mcp, authenticated with the same API keys as the REST API.
 * Stateless (a fresh transport per request, answers as JSON), so any replica can serve any call
 * and no MCP session state needs sharing; the MCP server behind a JSON answer is a pooled one
 * (server-pool.ts). GET and DELETE reach the transport too: GET opens the standalone event stream,
 * on which a stateless server never sends anything, and DELETE answers 200, there being no session
 * to end.
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { Server } from "bun";
import { type DocumentDecoration, Elysia } from "elysia";
import { callerOf, readsCallerHeaders } from "../../http/caller";
import { ErrorBody, MAX_COMMAND_TIMEOUT_SECONDS } from "../../models";
import { authGuard } from "../auth/guard";
import type { AuthService } from "../auth/service";
import type { Scope } from "../scopes/model";
import { type InProcessServices, inProcessApi } from "./in-process";
import { McpServerPool } from "./server-pool";
import { createMcpServer, type McpOptions } from "./tools";

interface McpRequest {
  body: unknown;
  headers: Record<string, string | undefined>;
  identity: string;
  scope: Scope | null;
  request: Request;
  server: Server<unknown> | null;
}

const DESCRIPTION =
  "MCP tools list_clusters, create_debug_session, execute_kubectl, execute_kubectl_fleet, read_output and " +
  "end_debug_session, a resource per cluster with its executor's policy " +
  "(kubently://clusters/{cluster_id}/policy) and instructions for agents, " +
  "over the Streamable HTTP transport, stateless, answering JSON (an event stream for a call with a progress " +
  "token: execute_kubectl then sends the output as progress notifications while it runs). Authenticate as " +
  "for the REST API; " +
  "X-Correlation-ID and X-Service-Identity are honoured.";

/** Idle servers kept: enough for the concurrent calls of a busy replica, each a few hundred KB at most. */
const MAX_IDLE_SERVERS = 32;

export const mcpModule = (auth: AuthService, services: InProcessServices, options: McpOptions) => {
  const pool = new McpServerPool((apiOf) => createMcpServer(apiOf, options), MAX_IDLE_SERVERS);
  const handle = async ({ body, headers, identity, scope, request, server }: McpRequest) => {
    server?.timeout(request, MAX_COMMAND_TIMEOUT_SECONDS + 15);
    const caller = callerOf(headers);
    const api = inProcessApi(services, { identity, scope, ...caller });
    // Progress notifications travel only in an event stream, which outlives handleRequest (as does
    // GET's standalone stream): such a request keeps a server of its own. Every other answer is one
    // JSON body, complete when handleRequest returns, so its server can go back to the pool then.
    const streams = request.method !== "POST" || asksForProgress(body);
    const answer = async (mcp: McpServer) => {
      const transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: !streams,
      });
      await mcp.connect(transport);
      return transport.handleRequest(request, { parsedBody: body });
    };
    const response = streams
      ? await answer(createMcpServer(() => api, options))
      : await pool.serve(api, !initializes(body), answer);
    response.headers.set("x-correlation-id", caller.correlationId);
    return response;
  };
  const hook = (
    operationId: string,
    summary: string,
    responses: NonNullable<DocumentDecoration["responses"]>,
  ) => ({
    client: true as const,
    response: { 401: ErrorBody },
    detail: {
      operationId,
      summary,
      description: DESCRIPTION,
      parameters: readsCallerHeaders("X-Correlation-ID", "X-Service-Identity", "X-Request-Timeout"),
      responses,
    },
  });
  return new Elysia({ tags: ["MCP"], detail: { security: [{ apiKey: [] }] } })
    .use(authGuard(auth))
    .post(
      "/mcp",
      handle,
      hook("mcpPost", "MCP messages (Streamable HTTP)", {
        200: {
          description: "The JSON-RPC response to the request posted.",
          content: {
            "application/json": { schema: { type: "object", description: "A JSON-RPC 2.0 response." } },
          },
        },
        202: {
          description: "Accepted: the message posted was a notification or a response, which has no answer.",
        },
      }),
    )
    .get(
      "/mcp",
      handle,
      hook("mcpStream", "MCP standalone stream: opened, never written to (the server is stateless)", {
        200: {
          description:
            "An event stream on which this stateless server sends nothing: answers come on the POST.",
          content: { "text/event-stream": { schema: { type: "string" } } },
        },
      }),
    )
    .delete(
      "/mcp",
      handle,
      hook("mcpEndSession", "MCP session end: nothing to end (the server keeps no sessions)", {
        200: { description: "Done: the server keeps no MCP sessions." },
      }),
    );
};

const messagesOf = (body: unknown): unknown[] => (Array.isArray(body) ? body : [body]);

/** Whether a message (or any of a batch) carries a progress token: its caller wants notifications. */
function asksForProgress(body: unknown): boolean {
  return messagesOf(body).some(
    (message) =>
      (message as { params?: { _meta?: { progressToken?: unknown } } } | null)?.params?._meta
        ?.progressToken !== undefined,
  );
}

/**
 * Whether a message (or any of a batch) names `initialize`, valid or not: its server may then hold
 * that client's capabilities, so it is not reused.
 */
const initializes = (body: unknown): boolean =>
  messagesOf(body).some((message) => (message as { method?: unknown } | null)?.method === "initialize");
