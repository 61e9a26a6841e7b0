/**
 * MCP controller: Streamable HTTP at /mcp, authenticated with the same API keys as the REST API.
 * Stateless (answers as JSON, no session), so any replica can serve any call and no MCP session
 * state needs sharing. A single request the SDK's transport would pass on as it is (a tool call, a
 * list, a read: direct-request.ts) is answered by a pooled server through its DirectTransport
 * (server-pool.ts); anything else (initialize, notifications, batches, a call with a progress token,
 * whatever the SDK refuses) by the SDK's stateless transport, fresh per request. GET and DELETE reach
 * that transport too: GET opens the standalone event stream, on which a stateless server never
 * sends anything, and DELETE answers 200, there being no session to end.
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
import { directRequest } from "./direct-request";
import type { JSONRPCAnswer } from "./direct-transport";
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
    // GET's standalone stream): such a request gets the SDK's transport answering with a stream.
    // A single request the SDK's transport would pass on unchanged goes to a pooled server, and its
    // response is the JSON body; anything else gets a server and an SDK transport of its own.
    const streams = request.method !== "POST" || asksForProgress(body);
    const direct = streams ? null : directRequest(request, body);
    const response = direct
      ? json(await pool.serve(api, direct.message, direct.extra))
      : await answer(
          createMcpServer(() => api, options),
          request,
          body,
          !streams,
        );
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

/** An answer through the SDK's Streamable HTTP transport, stateless, on a server of its own. */
async function answer(mcp: McpServer, request: Request, body: unknown, enableJsonResponse: boolean) {
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse,
  });
  await mcp.connect(transport);
  return transport.handleRequest(request, { parsedBody: body });
}

/** A pooled server's response, as the SDK's transport writes one in JSON mode. */
const json = (message: JSONRPCAnswer) =>
  new Response(JSON.stringify(message), { status: 200, headers: { "Content-Type": "application/json" } });

const messagesOf = (body: unknown): unknown[] => (Array.isArray(body) ? body : [body]);

/** Whether a message (or any of a batch) carries a progress token: its caller wants notifications. */
function asksForProgress(body: unknown): boolean {
  return messagesOf(body).some(
    (message) =>
      (message as { params?: { _meta?: { progressToken?: unknown } } } | null)?.params?._meta
        ?.progressToken !== undefined,
  );
}
