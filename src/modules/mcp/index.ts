/**
 * MCP controller: Streamable HTTP at /mcp, authenticated with the same API keys as the REST API.
 * Stateless (a fresh MCP server per request, answers as JSON), so any replica can serve any call
 * and no MCP session state needs sharing. GET and DELETE reach the transport too, which answers 405
 * as the specification asks of a server that offers no standalone stream or sessions.
 */
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { Server } from "bun";
import { Elysia } from "elysia";
import { callerOf } from "../../http/caller";
import { ErrorBody, MAX_COMMAND_TIMEOUT_SECONDS } from "../../models";
import { authGuard } from "../auth/guard";
import type { AuthService } from "../auth/service";
import type { Scope } from "../scopes/model";
import { type InProcessServices, inProcessApi } from "./in-process";
import { createMcpServer } from "./tools";

interface McpRequest {
  body: unknown;
  headers: Record<string, string | undefined>;
  identity: string;
  scope: Scope | null;
  request: Request;
  server: Server<unknown> | null;
}

const DESCRIPTION =
  "MCP tools list_clusters, create_debug_session, execute_kubectl and end_debug_session over the " +
  "Streamable HTTP transport, stateless, answering JSON. Authenticate as for the REST API; " +
  "X-Correlation-ID and X-Service-Identity are honoured.";

export const mcpModule = (auth: AuthService, services: InProcessServices) => {
  const handle = async ({ body, headers, identity, scope, request, server }: McpRequest) => {
    server?.timeout(request, MAX_COMMAND_TIMEOUT_SECONDS + 15);
    const caller = callerOf(headers);
    const mcp = createMcpServer(inProcessApi(services, { identity, scope, ...caller }));
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await mcp.connect(transport);
    const response = await transport.handleRequest(request, { parsedBody: body });
    response.headers.set("x-correlation-id", caller.correlationId);
    return response;
  };
  const hook = (operationId: string, summary: string) => ({
    client: true as const,
    response: { 401: ErrorBody },
    detail: { operationId, summary, description: DESCRIPTION },
  });
  return new Elysia({ tags: ["MCP"], detail: { security: [{ apiKey: [] }] } })
    .use(authGuard(auth))
    .post("/mcp", handle, hook("mcpPost", "MCP messages (Streamable HTTP)"))
    .get("/mcp", handle, hook("mcpStream", "MCP standalone stream: 405, the server is stateless"))
    .delete("/mcp", handle, hook("mcpEndSession", "MCP session end: 405, the server keeps no sessions"));
};
