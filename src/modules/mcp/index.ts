/**
 * MCP controller: Streamable HTTP at /mcp, authenticated with the same API keys as the REST API.
 * Stateless (a fresh MCP server per request, answers as JSON), so any replica can serve any call
 * and no MCP session state needs sharing.
 */
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { Elysia } from "elysia";
import { callerOf } from "../../http/caller";
import { authGuard } from "../auth/guard";
import type { AuthService } from "../auth/service";
import { MAX_COMMAND_TIMEOUT_SECONDS } from "../queue/model";
import { type InProcessServices, inProcessApi } from "./in-process";
import { createMcpServer } from "./tools";

export const mcpModule = (auth: AuthService, services: InProcessServices) =>
  new Elysia({ tags: ["MCP"] }).use(authGuard(auth)).all(
    "/mcp",
    async ({ body, headers, identity, request, server }) => {
      server?.timeout(request, MAX_COMMAND_TIMEOUT_SECONDS + 15);
      const caller = callerOf(headers);
      const mcp = createMcpServer(inProcessApi(services, { identity, ...caller }));
      const transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
      });
      await mcp.connect(transport);
      const response = await transport.handleRequest(request, { parsedBody: body });
      response.headers.set("x-correlation-id", caller.correlationId);
      return response;
    },
    {
      client: true,
      detail: {
        summary: "Model Context Protocol (Streamable HTTP)",
        description:
          "MCP tools list_clusters, create_debug_session, execute_kubectl and end_debug_session, over the " +
          "Streamable HTTP transport in stateless JSON mode. Authenticate as for the REST API.",
      },
    },
  );
